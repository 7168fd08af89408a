//! JSON's lexical rules, written once for every reader: the selector
//! parser (`parse::json`, which keeps spans) and both record cursors (the
//! validating scanner and the fast path). RFC 8259's escapes, `\u` with
//! surrogate pairs, and the number grammar.

/// The character a one-character escape `\x` stands for.
pub(crate) fn simple_escape(x: u8) -> Option<char> {
    Some(match x {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

fn hex4_at(b: &[u8], at: usize) -> Result<u32, (usize, &'static str)> {
    let bad = (at, "expected four hex digits after \\u");
    let h = b.get(at..at + 4).ok_or(bad)?;
    h.iter().try_fold(0u32, |v, &d| {
        Ok(v * 16 + (d as char).to_digit(16).ok_or(bad)?)
    })
}

/// Decodes the `\uXXXX` escape whose backslash is `b[i]`, taking the next
/// `\uXXXX` too when the first is a high surrogate and the next a low one.
/// Returns the character (`None` for a lone surrogate: the callers differ on
/// what to do) and the index after what was read.
///
/// # Errors
/// The offset and a message when hex digits are missing.
pub(crate) fn unicode_escape(
    b: &[u8],
    i: usize,
) -> Result<(Option<char>, usize), (usize, &'static str)> {
    let hi = hex4_at(b, i + 2)?;
    let next = i + 6;
    if (0xD800..0xDC00).contains(&hi) && b.get(next..next + 2) == Some(b"\\u") {
        let lo = hex4_at(b, next + 2)?;
        if (0xDC00..0xE000).contains(&lo) {
            return Ok((
                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)),
                next + 6,
            ));
        }
    }
    Ok((char::from_u32(hi), next))
}

/// Where the JSON number starting at `b[i]` ends (RFC 8259 grammar).
///
/// # Errors
/// The offset of the first byte that breaks the grammar, and why.
pub(crate) fn number_end(b: &[u8], mut i: usize) -> Result<usize, (usize, &'static str)> {
    let digits = |mut i: usize| {
        while let Some(b'0'..=b'9') = b.get(i) {
            i += 1;
        }
        i
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i),
        _ => return Err((i, "expected a digit")),
    };
    if b.get(i) == Some(&b'.') {
        if !matches!(b.get(i + 1), Some(b'0'..=b'9')) {
            return Err((i + 1, "expected a digit after `.`"));
        }
        i = digits(i + 1);
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        if !matches!(b.get(i), Some(b'0'..=b'9')) {
            return Err((i, "expected a digit in the exponent"));
        }
        i = digits(i);
    }
    Ok(i)
}
