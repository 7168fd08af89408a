//! Finding the end of a JSON object or array without reading it: the
//! scanner's way past `userIdentity`, `requestParameters` and friends.
//!
//! The input is taken 64 bytes at a time. For each block we build bit masks
//! of quotes, backslashes and the open/close brackets; a prefix XOR over
//! the unescaped quotes marks the bytes inside strings, and only brackets
//! outside strings move the depth. Blocks are classified with SSE2 (always
//! present on x86_64), AVX2 or AVX-512BW, the best the CPU has (checked
//! once at run time); other targets use the portable scalar path, which is
//! also the oracle the tests hold every available engine to.
//!
//! This does not check the skipped bytes: it assumes JSON and returns where
//! the container would end. Callers that must know a record is valid JSON
//! check it separately (see `event::fast`).

/// Index one past the bracket that closes the container opened at
/// `buf[start]` (`{` or `[`), or `None` when `buf` ends first.
pub fn skip_container(buf: &[u8], start: usize) -> Option<usize> {
    let (open, close) = match buf.get(start) {
        Some(b'{') => (b'{', b'}'),
        Some(b'[') => (b'[', b']'),
        _ => return None,
    };
    skip_blocks(buf, start, open, close, false)
}

/// As [`skip_container`], but `None` also when a line break comes before
/// the closing bracket (the record scanner never reads past its line).
pub fn skip_container_in_line(buf: &[u8], start: usize) -> Option<usize> {
    let (open, close) = match buf.get(start) {
        Some(b'{') => (b'{', b'}'),
        Some(b'[') => (b'[', b']'),
        _ => return None,
    };
    skip_blocks(buf, start, open, close, true)
}

/// Block state carried from one 64-byte block to the next.
#[derive(Clone, Copy, Default)]
struct Carry {
    in_string: bool,
    escaped: bool,
    depth: u32,
}

/// Byte masks of one block: bit `i` is byte `i`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    newline: u64,
}

#[inline(always)]
fn classify_scalar(block: &[u8; 64], open: u8, close: u8) -> Masks {
    let mut m = Masks::default();
    for (i, &b) in block.iter().enumerate() {
        let bit = 1u64 << i;
        m.quote |= u64::from(b == b'"') * bit;
        m.backslash |= u64::from(b == b'\\') * bit;
        m.open |= u64::from(b == open) * bit;
        m.close |= u64::from(b == close) * bit;
        m.newline |= u64::from(b == b'\n') * bit;
    }
    m
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::Masks;
    use std::arch::x86_64::*;

    /// SSE2 classification; inlined into `#[target_feature]` loops only.
    ///
    /// # Safety
    /// The caller must run with SSE2 enabled (the x86_64 baseline).
    #[inline(always)]
    pub unsafe fn classify_sse2(block: &[u8; 64], open: u8, close: u8) -> Masks {
        let mut m = Masks::default();
        // SAFETY (whole body): the caller guarantees SSE2; every load reads
        // 16 bytes at offset 16k < 64 of a 64-byte array, unaligned loads
        // allowed.
        unsafe {
            let q = _mm_set1_epi8(b'"' as i8);
            let bs = _mm_set1_epi8(b'\\' as i8);
            let o = _mm_set1_epi8(open as i8);
            let c = _mm_set1_epi8(close as i8);
            let nl = _mm_set1_epi8(b'\n' as i8);
            for k in 0..4 {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
                let shift = 16 * k;
                m.quote |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) as u16 as u64) << shift;
                m.backslash |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs)) as u16 as u64) << shift;
                m.open |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, o)) as u16 as u64) << shift;
                m.close |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) as u16 as u64) << shift;
                m.newline |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)) as u16 as u64) << shift;
            }
        }
        m
    }

    /// AVX2 classification; inlined into `#[target_feature]` loops only.
    ///
    /// # Safety
    /// The caller must run with AVX2 enabled (checked at run time).
    #[inline(always)]
    pub unsafe fn classify_avx2(block: &[u8; 64], open: u8, close: u8) -> Masks {
        let mut m = Masks::default();
        // SAFETY (whole body): the caller guarantees AVX2; every load reads
        // 32 bytes at offset 32k < 64 of a 64-byte array, unaligned loads
        // allowed.
        unsafe {
            let q = _mm256_set1_epi8(b'"' as i8);
            let bs = _mm256_set1_epi8(b'\\' as i8);
            let o = _mm256_set1_epi8(open as i8);
            let c = _mm256_set1_epi8(close as i8);
            let nl = _mm256_set1_epi8(b'\n' as i8);
            for k in 0..2 {
                let v = _mm256_loadu_si256(block.as_ptr().add(32 * k) as *const __m256i);
                let shift = 32 * k;
                m.quote |= (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, q)) as u32 as u64) << shift;
                m.backslash |=
                    (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, bs)) as u32 as u64) << shift;
                m.open |= (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, o)) as u32 as u64) << shift;
                m.close |= (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, c)) as u32 as u64) << shift;
                m.newline |=
                    (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl)) as u32 as u64) << shift;
            }
        }
        m
    }

    #[target_feature(enable = "sse2")]
    pub fn skip_sse2(
        buf: &[u8],
        start: usize,
        open: u8,
        close: u8,
        one_line: bool,
    ) -> Option<usize> {
        // SAFETY: this function is compiled with SSE2 enabled.
        super::skip_loop(buf, start, open, close, one_line, |b, o, c| unsafe {
            classify_sse2(b, o, c)
        })
    }

    /// `skip_loop_with` with the carry-less-multiply prefix XOR, for the
    /// engines that have PCLMULQDQ.
    ///
    /// # Safety
    /// The caller must run with PCLMULQDQ enabled, and with what `classify`
    /// needs.
    #[inline(always)]
    unsafe fn skip_clmul(
        buf: &[u8],
        start: usize,
        open: u8,
        close: u8,
        one_line: bool,
        classify: impl Fn(&[u8; 64], u8, u8) -> Masks,
    ) -> Option<usize> {
        // SAFETY: the caller guarantees PCLMULQDQ.
        super::skip_loop_with(buf, start, open, close, one_line, classify, |x| unsafe {
            clmul_prefix_xor(x)
        })
    }

    #[target_feature(enable = "avx2,pclmulqdq")]
    pub fn skip_avx2(
        buf: &[u8],
        start: usize,
        open: u8,
        close: u8,
        one_line: bool,
    ) -> Option<usize> {
        // SAFETY: this function is compiled with AVX2 and PCLMULQDQ, and is
        // only called on a CPU that has them (`available()`).
        unsafe {
            skip_clmul(buf, start, open, close, one_line, |b, o, c| {
                classify_avx2(b, o, c)
            })
        }
    }

    /// Prefix XOR as one carry-less multiplication by all ones.
    ///
    /// # Safety
    /// The caller must run with PCLMULQDQ (and SSE2) enabled.
    #[inline(always)]
    pub unsafe fn clmul_prefix_xor(x: u64) -> u64 {
        // SAFETY: the caller guarantees PCLMULQDQ; the operands are plain
        // register values.
        unsafe {
            let v = _mm_set_epi64x(0, x as i64);
            let ones = _mm_set1_epi8(-1);
            _mm_cvtsi128_si64(_mm_clmulepi64_si128(v, ones, 0)) as u64
        }
    }

    /// Masks of `\n`, `\\` and the `I`s that may start `Insight` (in
    /// `newline`, `backslash`, `open`).
    ///
    /// `open` marks only an `I` followed by `n` (or in the last byte, whose
    /// successor is in the next block): a lone `I` is common in CloudTrail
    /// (`accountId`, `IAMUser`) and would send half the blocks down the
    /// slow path, while `In` is rare.
    ///
    /// # Safety
    /// The caller must run with AVX2 enabled.
    #[inline(always)]
    unsafe fn rest_masks_avx2(block: &[u8; 64]) -> Masks {
        let mut m = Masks::default();
        let last_i = block[63] == b'I';
        // SAFETY (whole body): AVX2 is enabled by the caller; every load
        // reads 32 bytes at an offset of at most 32 into a 64-byte array.
        unsafe {
            let nl = _mm256_set1_epi8(b'\n' as i8);
            let bs = _mm256_set1_epi8(b'\\' as i8);
            let i = _mm256_set1_epi8(b'I' as i8);
            let n = _mm256_set1_epi8(b'n' as i8);
            let p = block.as_ptr();
            let a = _mm256_loadu_si256(p as *const __m256i);
            let a1 = _mm256_loadu_si256(p.add(1) as *const __m256i);
            let b0 = _mm256_loadu_si256(p.add(31) as *const __m256i);
            let b = _mm256_loadu_si256(p.add(32) as *const __m256i);
            let (an, ab) = (_mm256_cmpeq_epi8(a, nl), _mm256_cmpeq_epi8(a, bs));
            let (bn, bb) = (_mm256_cmpeq_epi8(b, nl), _mm256_cmpeq_epi8(b, bs));
            // Bit k: an `I` at k (k < 32), at 31 + k (second half).
            let ai = _mm256_and_si256(_mm256_cmpeq_epi8(a, i), _mm256_cmpeq_epi8(a1, n));
            let bi = _mm256_and_si256(_mm256_cmpeq_epi8(b0, i), _mm256_cmpeq_epi8(b, n));
            let any = _mm256_or_si256(
                _mm256_or_si256(_mm256_or_si256(an, ab), _mm256_or_si256(ai, bn)),
                _mm256_or_si256(bb, bi),
            );
            // Most blocks hold none of them: one test settles them.
            if _mm256_testz_si256(any, any) == 1 && !last_i {
                return m;
            }
            let mask = |lo: __m256i, hi: __m256i| {
                (_mm256_movemask_epi8(lo) as u32 as u64)
                    | ((_mm256_movemask_epi8(hi) as u32 as u64) << 32)
            };
            m.newline = mask(an, bn);
            m.backslash = mask(ab, bb);
            m.open = (_mm256_movemask_epi8(ai) as u32 as u64)
                | ((_mm256_movemask_epi8(bi) as u32 as u64) << 31)
                | (u64::from(last_i) << 63);
        }
        m
    }

    /// AVX-512 classification: one load, each mask straight from a
    /// compare; inlined into `#[target_feature]` loops only.
    ///
    /// # Safety
    /// The caller must run with AVX-512F and AVX-512BW enabled.
    #[inline(always)]
    pub unsafe fn classify_avx512(block: &[u8; 64], open: u8, close: u8) -> Masks {
        // SAFETY (whole body): the caller guarantees AVX-512F/BW; the load
        // reads exactly the 64 bytes of `block`, unaligned loads allowed.
        unsafe {
            let v = _mm512_loadu_si512(block.as_ptr() as *const __m512i);
            let eq = |c: u8| _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c as i8));
            Masks {
                quote: eq(b'"'),
                backslash: eq(b'\\'),
                open: eq(open),
                close: eq(close),
                newline: eq(b'\n'),
            }
        }
    }

    #[target_feature(enable = "avx512f,avx512bw,pclmulqdq")]
    pub fn skip_avx512(
        buf: &[u8],
        start: usize,
        open: u8,
        close: u8,
        one_line: bool,
    ) -> Option<usize> {
        // SAFETY: this function is compiled with AVX-512F/BW and PCLMULQDQ,
        // and is only called on a CPU that has them (`available()`).
        unsafe {
            skip_clmul(buf, start, open, close, one_line, |b, o, c| {
                classify_avx512(b, o, c)
            })
        }
    }

    /// As `rest_masks_avx2`, from one 64-byte compare per byte class.
    ///
    /// # Safety
    /// The caller must run with AVX-512F and AVX-512BW enabled.
    #[inline(always)]
    unsafe fn rest_masks_avx512(block: &[u8; 64]) -> Masks {
        // SAFETY: the caller guarantees AVX-512F/BW; the load reads exactly
        // the 64 bytes of `block`.
        unsafe {
            let v = _mm512_loadu_si512(block.as_ptr() as *const __m512i);
            let eq = |c: u8| _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c as i8));
            let i = eq(b'I');
            // An `I` followed by `n`, or in the last byte (its successor is
            // in the next block).
            let starts = i & ((eq(b'n') >> 1) | (1 << 63));
            Masks {
                newline: eq(b'\n'),
                backslash: eq(b'\\'),
                open: starts,
                ..Masks::default()
            }
        }
    }

    #[target_feature(enable = "avx512f,avx512bw")]
    pub fn rest_avx512(buf: &[u8], from: usize) -> (usize, bool) {
        // SAFETY: as `skip_avx512`.
        super::rest_loop(buf, from, |b| unsafe { rest_masks_avx512(b) })
    }

    #[target_feature(enable = "sse2")]
    pub fn rest_sse2(buf: &[u8], from: usize) -> (usize, bool) {
        // SAFETY: this function is compiled with SSE2 enabled.
        super::rest_loop(buf, from, |b| unsafe { classify_sse2(b, b'I', b'\n') })
    }

    #[target_feature(enable = "avx2")]
    pub fn rest_avx2(buf: &[u8], from: usize) -> (usize, bool) {
        // SAFETY: as `skip_avx2`.
        super::rest_loop(buf, from, |b| unsafe { rest_masks_avx2(b) })
    }
}

/// Which classifier this CPU runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Portable byte loop.
    Scalar,
    /// 16-byte SSE2 compares.
    Sse2,
    /// 32-byte AVX2 compares.
    Avx2,
    /// 64-byte AVX-512 compares into mask registers.
    Avx512,
}

/// The fastest classifier available, detected once (`CTSEL_NO_SIMD=1`
/// forces the portable path).
pub fn engine() -> Engine {
    use std::sync::OnceLock;
    static E: OnceLock<Engine> = OnceLock::new();
    *E.get_or_init(|| {
        if std::env::var_os("CTSEL_NO_SIMD").is_some() {
            return Engine::Scalar;
        }
        available().last().copied().unwrap_or(Engine::Scalar)
    })
}

/// Every engine this CPU runs, slowest first: `engine()` takes the last,
/// and the tests check each against the scalar oracle.
fn available() -> Vec<Engine> {
    #[allow(unused_mut)]
    let mut all = vec![Engine::Scalar];
    #[cfg(target_arch = "x86_64")]
    {
        all.push(Engine::Sse2);
        let clmul = std::arch::is_x86_feature_detected!("pclmulqdq");
        if std::arch::is_x86_feature_detected!("avx2") && clmul {
            all.push(Engine::Avx2);
        }
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && clmul
        {
            all.push(Engine::Avx512);
        }
    }
    all
}

/// Bits of backslash-escaped characters in a block (simdjson's odd-run
/// method), updating the carry of a trailing backslash.
#[inline(always)]
fn escaped_bits(backslash: u64, prev_escaped: &mut bool) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let prev = u64::from(*prev_escaped);
    let backslash = backslash & !prev;
    let follows_escape = (backslash << 1) | prev;
    let odd_starts = backslash & !EVEN & !follows_escape;
    let (sequences_on_even, overflow) = odd_starts.overflowing_add(backslash);
    *prev_escaped = overflow;
    let invert = sequences_on_even << 1;
    (EVEN ^ invert) & follows_escape
}

/// Prefix XOR: bit `i` becomes the XOR of bits `0..=i`.
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The 64 bytes at `at`, padded with spaces past the end of `buf`.
#[inline(always)]
fn block_at<'b>(buf: &'b [u8], at: usize, tail: &'b mut [u8; 64]) -> &'b [u8; 64] {
    match buf[at..].first_chunk::<64>() {
        Some(b) => b,
        None => {
            let rest = &buf[at..];
            tail.fill(b' ');
            tail[..rest.len()].copy_from_slice(rest);
            tail
        }
    }
}

#[inline(always)]
fn skip_loop(
    buf: &[u8],
    start: usize,
    open: u8,
    close: u8,
    one_line: bool,
    classify: impl Fn(&[u8; 64], u8, u8) -> Masks,
) -> Option<usize> {
    skip_loop_with(buf, start, open, close, one_line, classify, prefix_xor)
}

#[inline(always)]
fn skip_loop_with(
    buf: &[u8],
    start: usize,
    open: u8,
    close: u8,
    one_line: bool,
    classify: impl Fn(&[u8; 64], u8, u8) -> Masks,
    xor_scan: impl Fn(u64) -> u64,
) -> Option<usize> {
    let mut carry = Carry::default();
    let mut at = start;
    let mut tail = [b' '; 64];
    while at < buf.len() {
        let m = classify(block_at(buf, at, &mut tail), open, close);
        let quotes = if m.backslash == 0 && !carry.escaped {
            m.quote
        } else {
            m.quote & !escaped_bits(m.backslash, &mut carry.escaped)
        };
        let mut inside = xor_scan(quotes);
        if carry.in_string {
            inside = !inside;
        }
        carry.in_string = inside >> 63 == 1;
        let open_bits = m.open & !inside;
        let close_bits = m.close & !inside;
        let mut bits = open_bits | close_bits;
        // In one-line mode a line break before the end means the container
        // does not close on this line.
        let limit = if one_line && m.newline != 0 {
            m.newline.trailing_zeros()
        } else {
            64
        };
        while bits != 0 {
            let i = bits.trailing_zeros();
            if i >= limit {
                return None;
            }
            let bit = 1u64 << i;
            if open_bits & bit != 0 {
                carry.depth += 1;
            } else {
                carry.depth -= 1;
                if carry.depth == 0 {
                    let end = at + i as usize + 1;
                    return (end <= buf.len()).then_some(end);
                }
            }
            bits &= bits - 1;
        }
        if limit < 64 {
            return None;
        }
        at += 64;
    }
    None
}

/// Finds the end of the line from `from` (the index of its `\n`, or the
/// end of `buf`), and whether the bytes before it hold `Insight` or a
/// backslash (so that a record stopped early could still be an Insight
/// record, or hold an escape the fast path did not read).
#[inline(always)]
fn rest_loop(buf: &[u8], from: usize, classify: impl Fn(&[u8; 64]) -> Masks) -> (usize, bool) {
    let mut at = from;
    let mut suspicious = false;
    let loud = |m: Masks| m.newline | m.backslash | m.open;
    // Most of a line is quiet: test two blocks at once, and look closer
    // only at a pair that is not.
    while let Some((a, rest)) = buf.get(at..).and_then(|r| r.split_first_chunk::<64>()) {
        let Some(b) = rest.first_chunk::<64>() else {
            break;
        };
        let (ma, mb) = (classify(a), classify(b));
        if loud(ma) | loud(mb) != 0 {
            if let Some(end) = rest_block(buf, at, ma, &mut suspicious) {
                return (end, suspicious);
            }
            if let Some(end) = rest_block(buf, at + 64, mb, &mut suspicious) {
                return (end, suspicious);
            }
        }
        at += 128;
    }
    let mut tail = [b' '; 64];
    while at < buf.len() {
        let m = classify(block_at(buf, at, &mut tail));
        if let Some(end) = rest_block(buf, at, m, &mut suspicious) {
            return (end.min(buf.len()), suspicious);
        }
        at += 64;
    }
    (buf.len(), suspicious)
}

/// One block of [`rest_loop`] (`open` holds the `I`s that may start
/// `Insight`): the line's end when it is in this block, and whether the
/// bytes before it are suspicious.
#[inline(always)]
fn rest_block(buf: &[u8], at: usize, m: Masks, suspicious: &mut bool) -> Option<usize> {
    let (end, before) = if m.newline != 0 {
        let i = m.newline.trailing_zeros();
        (Some(at + i as usize), (1u64 << i) - 1)
    } else {
        (None, u64::MAX)
    };
    if m.backslash & before != 0 {
        *suspicious = true;
    }
    let mut is = m.open & before;
    while is != 0 && !*suspicious {
        let i = at + is.trailing_zeros() as usize;
        *suspicious |= buf[i..].starts_with(b"Insight");
        is &= is - 1;
    }
    end
}

fn skip_blocks(buf: &[u8], start: usize, open: u8, close: u8, one_line: bool) -> Option<usize> {
    skip_blocks_with(engine(), buf, start, open, close, one_line)
}

/// `skip_blocks` on a given engine, which must be one this CPU runs.
fn skip_blocks_with(
    engine: Engine,
    buf: &[u8],
    start: usize,
    open: u8,
    close: u8,
    one_line: bool,
) -> Option<usize> {
    match engine {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is in the x86_64 baseline.
        Engine::Sse2 => unsafe { x86::skip_sse2(buf, start, open, close, one_line) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `engine()` or a member of `available()`,
        // which name Avx2 only after detecting AVX2 and PCLMULQDQ.
        Engine::Avx2 => unsafe { x86::skip_avx2(buf, start, open, close, one_line) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: likewise, Avx512 only after detecting AVX-512F/BW and
        // PCLMULQDQ.
        Engine::Avx512 => unsafe { x86::skip_avx512(buf, start, open, close, one_line) },
        _ => skip_loop(buf, start, open, close, one_line, classify_scalar),
    }
}

/// The end of the line starting at or before `from` (index of its `\n` or
/// `buf.len()`), and whether `buf[from..end]` holds `Insight` or `\`.
pub fn rest_of_line(buf: &[u8], from: usize) -> (usize, bool) {
    rest_of_line_with(engine(), buf, from)
}

/// `rest_of_line` on a given engine, which must be one this CPU runs.
fn rest_of_line_with(engine: Engine, buf: &[u8], from: usize) -> (usize, bool) {
    match engine {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is in the x86_64 baseline.
        Engine::Sse2 => unsafe { x86::rest_sse2(buf, from) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: callers pass `engine()` or a member of `available()`,
        // which name Avx2 only after detecting AVX2.
        Engine::Avx2 => unsafe { x86::rest_avx2(buf, from) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: likewise, Avx512 only after detecting AVX-512F/BW.
        Engine::Avx512 => unsafe { x86::rest_avx512(buf, from) },
        _ => rest_loop(buf, from, |b| classify_scalar(b, b'I', b'\n')),
    }
}

/// Index of the first byte at or after `from` that ends a string's plain
/// run: a quote, a backslash or a control character (< 0x20).
#[inline]
pub fn string_stop(buf: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        while let Some(chunk) = buf.get(i..).and_then(|r| r.first_chunk::<16>()) {
            // SAFETY: SSE2 is in the x86_64 baseline; the load reads the 16
            // bytes of `chunk`, unaligned loads allowed.
            let mask = unsafe {
                let v = _mm_loadu_si128(chunk.as_ptr() as *const __m128i);
                let q = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
                let bs = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
                // Unsigned v <= 0x1f  <=>  min(v, 0x1f) == v.
                let ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, bs), ctl))
            };
            if mask != 0 {
                return Some(i + mask.trailing_zeros() as usize);
            }
            i += 16;
        }
    }
    buf.get(i..)?
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|k| i + k)
}

/// The byte-at-a-time reference for [`skip_container`], used in tests.
#[doc(hidden)]
#[cfg(test)]
pub(crate) fn skip_container_naive(buf: &[u8], start: usize) -> Option<usize> {
    let (open, close) = match buf.get(start) {
        Some(b'{') => (b'{', b'}'),
        Some(b'[') => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0u32;
    let mut in_string = false;
    let mut i = start;
    while i < buf.len() {
        let b = buf[i];
        // A backslash escapes the next byte wherever it stands (inside a
        // string in valid JSON; the block method makes no difference).
        if b == b'\\' {
            i += 2;
            continue;
        }
        if in_string {
            if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + 1);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn skips_nested_objects_with_tricky_strings() {
        let cases: &[&[u8]] = &[
            br#"{}"#,
            br#"{"a":{"b":[1,{"c":"}"}]},"d":"\"}\\"}"#,
            br#"["]", [ "[" ], {"]":1}]"#,
            br#"{"k":"\\\\\"}"}"#,
        ];
        for c in cases {
            let mut buf = b"   ".to_vec();
            buf.extend_from_slice(c);
            buf.extend_from_slice(b", \"x\": 1}");
            assert_eq!(
                skip_container(&buf, 3),
                Some(3 + c.len()),
                "{}",
                String::from_utf8_lossy(c)
            );
            assert_eq!(skip_container_naive(&buf, 3), Some(3 + c.len()));
        }
        assert_eq!(skip_container(b"{\"a\":1", 0), None);
        assert_eq!(skip_container(b"x", 0), None);
    }

    #[test]
    fn rest_of_line_finds_the_end_and_suspicious_bytes() {
        let mut line = vec![b'a'; 200];
        line.extend_from_slice(b"\nInsight");
        assert_eq!(rest_of_line(&line, 0), (200, false));
        line[150] = b'\\';
        assert_eq!(rest_of_line(&line, 0), (200, true));
        assert_eq!(rest_of_line(&line, 151), (200, false));
        let s = b"x\"eventCategory\":\"Insight\"}";
        assert_eq!(rest_of_line(s, 0), (s.len(), true));
        assert_eq!(rest_of_line(b"Inside", 0), (6, false));
    }

    /// The naive answer `rest_of_line` must give.
    fn rest_of_line_naive(buf: &[u8], from: usize) -> (usize, bool) {
        let end = buf[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |k| from + k);
        let rest = &buf[from..end];
        let suspicious = rest.contains(&b'\\') || rest.windows(7).any(|w| w == b"Insight");
        (end, suspicious)
    }

    #[test]
    fn rest_of_line_finds_insight_at_every_offset() {
        // Decoys a lone-`I` or `In` test would trip over, then `Insight`
        // at every offset across two block boundaries, with and without a
        // line break before or after it.
        for at in 0..140 {
            let mut line = b"IAMUser accountId Inside I".repeat(6);
            line.truncate(at.max(1) - 1);
            line.resize(at, b'x');
            line.extend_from_slice(b"Insight");
            line.extend_from_slice(&[b'y'; 70]);
            for nl in [None, Some(at / 2), Some(at + 3), Some(at + 7)] {
                let mut buf = line.clone();
                if let Some(k) = nl {
                    buf[k] = b'\n';
                }
                for from in [0, at / 3, at] {
                    for e in available() {
                        assert_eq!(
                            rest_of_line_with(e, &buf, from),
                            rest_of_line_naive(&buf, from),
                            "{e:?}: at {at}, newline {nl:?}, from {from}"
                        );
                    }
                }
            }
        }
        let decoys = b"IAMUser accountId Inside I In".repeat(10);
        for e in available() {
            assert_eq!(rest_of_line_with(e, &decoys, 0), (decoys.len(), false));
        }
    }

    #[test]
    fn one_line_mode_stops_at_line_breaks() {
        assert_eq!(skip_container_in_line(b"{\"a\":1}\n", 0), Some(7));
        assert_eq!(skip_container_in_line(b"{\"a\":\n1}", 0), None);
        assert_eq!(skip_container(b"{\"a\":\n1}", 0), Some(8));
    }

    #[test]
    fn string_stop_finds_quotes_backslashes_and_controls() {
        let s = b"abcdefghijklmnopqrstuvwxyz\"";
        assert_eq!(string_stop(s, 0), Some(26));
        assert_eq!(string_stop(s, 26), Some(26));
        assert_eq!(string_stop(b"ab\\c", 0), Some(2));
        assert_eq!(string_stop(b"0123456789abcdef\x01", 0), Some(16));
        assert_eq!(string_stop("é€😀\"".as_bytes(), 0), Some(9));
        assert_eq!(string_stop(b"abc", 0), None);
        for n in 0..40 {
            let mut v = vec![b'x'; n];
            v.push(b'\t');
            assert_eq!(string_stop(&v, 0), Some(n));
        }
    }

    #[test]
    fn prefix_xor_marks_string_interiors() {
        assert_eq!(prefix_xor(0b1001), 0b0111);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("pclmulqdq") {
            for x in [
                0u64,
                1,
                0b1001,
                u64::MAX,
                0x8000_0000_0000_0001,
                0xDEAD_BEEF_0123_4567,
            ] {
                // SAFETY: PCLMULQDQ was just detected.
                assert_eq!(unsafe { x86::clmul_prefix_xor(x) }, prefix_xor(x), "{x:#x}");
            }
        }
    }

    #[test]
    fn classifiers_agree() {
        // Every byte class at every position, with both bracket pairs.
        for r in 0..8 {
            let mut block = [0u8; 64];
            for (i, b) in block.iter_mut().enumerate() {
                *b = b"\"\\{}[]a\n"[(i * 7 + i / 3 + r) % 8];
            }
            for (open, close) in [(b'{', b'}'), (b'[', b']')] {
                let s = classify_scalar(&block, open, close);
                assert!([s.quote, s.backslash, s.open, s.close, s.newline]
                    .iter()
                    .all(|&m| m != 0));
                #[cfg(target_arch = "x86_64")]
                {
                    // SAFETY: SSE2 is baseline on x86_64.
                    assert_eq!(unsafe { x86::classify_sse2(&block, open, close) }, s);
                    if std::arch::is_x86_feature_detected!("avx2") {
                        // SAFETY: AVX2 was just detected.
                        assert_eq!(unsafe { x86::classify_avx2(&block, open, close) }, s);
                    }
                    if std::arch::is_x86_feature_detected!("avx512f")
                        && std::arch::is_x86_feature_detected!("avx512bw")
                    {
                        // SAFETY: AVX-512F/BW were just detected.
                        assert_eq!(unsafe { x86::classify_avx512(&block, open, close) }, s);
                    }
                }
            }
        }
    }

    fn json_piece() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            "[a-z{}\\[\\]\"\\\\ ]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            Just("1".to_string()),
            Just("true".to_string()),
        ];
        leaf.prop_recursive(6, 200, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                proptest::collection::vec(("[a-z\"\\\\{}]{0,6}", inner), 0..8).prop_map(|v| {
                    let members: Vec<String> = v
                        .into_iter()
                        .map(|(k, x)| format!("{}:{}", serde_json::to_string(&k).unwrap(), x))
                        .collect();
                    format!("{{{}}}", members.join(","))
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn block_skipper_agrees_with_byte_loop(piece in json_piece(), pad in 0usize..70, trail in "[ ,}\\]\"]{0,80}", nl in proptest::option::of(0usize..300)) {
            let mut buf = vec![b' '; pad];
            buf.extend_from_slice(piece.as_bytes());
            buf.extend_from_slice(trail.as_bytes());
            if piece.starts_with(['{', '[']) {
                prop_assert_eq!(skip_container(&buf, pad), Some(pad + piece.len()));
            }
            // A line break somewhere (in place of a letter or space, so the
            // escapes stay as they were): one-line mode must stop at it.
            if let Some(k) = nl.filter(|&k| k < buf.len()) {
                if buf[k].is_ascii_lowercase() || buf[k] == b' ' {
                    buf[k] = b'\n';
                }
            }
            for start in 0..buf.len() {
                let want = skip_container_naive(&buf, start);
                prop_assert_eq!(skip_container(&buf, start), want, "start {}", start);
                let (open, close) = match buf[start] {
                    b'{' => (b'{', b'}'),
                    b'[' => (b'[', b']'),
                    _ => continue,
                };
                let in_line = want.filter(|&end| !buf[start..end].contains(&b'\n'));
                for e in available() {
                    prop_assert_eq!(skip_blocks_with(e, &buf, start, open, close, false), want, "{:?}, start {}", e, start);
                    prop_assert_eq!(skip_blocks_with(e, &buf, start, open, close, true), in_line, "{:?}, start {}, one line", e, start);
                }
            }
        }
    }
}
