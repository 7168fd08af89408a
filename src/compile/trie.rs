//! Byte tries that turn one pass over a value into the set of patterns
//! (atoms) it satisfies.
//!
//! Equals and StartsWith patterns share one forward trie: walking the value
//! byte by byte, every node passed is a prefix of the value, so the
//! StartsWith atoms stored there are satisfied; the node where the value
//! ends holds the Equals atoms. EndsWith patterns live in a second trie over
//! reversed bytes. The walk costs one step per byte of the value, however
//! many patterns there are, and patterns that share a prefix share its
//! nodes.
//!
//! The trie is path-compressed (a radix trie): a node exists only where keys
//! branch or end, and the bytes between nodes are a label in one shared
//! arena. Memory is therefore one byte per byte of the values plus one node
//! per value, not a node per byte — a single 2,048-character value would
//! otherwise cost a quarter of a megabyte of nodes, and an over-long one given
//! with `--allow-invalid` gigabytes.

use smallvec::SmallVec;

#[derive(Clone, Debug, Default)]
struct Node {
    /// The edge into this node: `labels[start..start + len]`, never empty
    /// except at the root.
    start: u32,
    len: u32,
    // INVARIANT: sorted by the first byte of each child's label, no two
    // children with the same first byte.
    children: Vec<(u8, u32)>,
    /// Atoms satisfied when the walk reaches this node (prefix patterns).
    pass: SmallVec<[u32; 1]>,
    /// Atoms satisfied when the value ends at this node (equality patterns).
    end: SmallVec<[u32; 1]>,
}

/// A byte trie. INVARIANT: node 0 is the root and always exists.
#[derive(Clone, Debug)]
pub struct Trie {
    nodes: Vec<Node>,
    labels: Vec<u8>,
}

impl Default for Trie {
    fn default() -> Trie {
        Trie {
            nodes: vec![Node::default()],
            labels: Vec::new(),
        }
    }
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Trie {
    fn child(&self, node: u32, b: u8) -> Option<u32> {
        let children = &self.nodes[node as usize].children;
        if children.len() <= 8 {
            children.iter().find(|(c, _)| *c == b).map(|(_, n)| *n)
        } else {
            children
                .binary_search_by_key(&b, |(c, _)| *c)
                .ok()
                .map(|i| children[i].1)
        }
    }

    fn label(&self, node: u32) -> &[u8] {
        let n = &self.nodes[node as usize];
        &self.labels[n.start as usize..(n.start + n.len) as usize]
    }

    fn push(&mut self, start: usize, len: usize) -> u32 {
        let n = index(self.nodes.len());
        self.nodes.push(Node {
            start: index(start),
            len: index(len),
            ..Node::default()
        });
        n
    }

    /// Adds `atom` for `key`: satisfied by values with this prefix
    /// (`prefix`) or equal to it.
    pub fn insert(&mut self, key: impl Iterator<Item = u8>, atom: u32, prefix: bool) {
        let key: Vec<u8> = key.collect();
        let mut node = 0u32;
        let mut i = 0;
        while i < key.len() {
            let Some(c) = self.child(node, key[i]) else {
                // A new leaf holding the rest of the key.
                let start = self.labels.len();
                self.labels.extend_from_slice(&key[i..]);
                let leaf = self.push(start, key.len() - i);
                let children = &mut self.nodes[node as usize].children;
                let at = children.partition_point(|(b, _)| *b < key[i]);
                children.insert(at, (key[i], leaf));
                node = leaf;
                break;
            };
            let label = self.label(c);
            let common = label
                .iter()
                .zip(&key[i..])
                .take_while(|(a, b)| a == b)
                .count();
            if common == label.len() {
                node = c;
                i += common;
                continue;
            }
            // The key leaves the label part way: split the edge there.
            let (start, len) = (self.nodes[c as usize].start as usize, label.len());
            let next = label[common];
            let mid = self.push(start, common);
            self.nodes[mid as usize].children.push((next, c));
            let cn = &mut self.nodes[c as usize];
            cn.start = index(start + common);
            cn.len = index(len - common);
            for e in &mut self.nodes[node as usize].children {
                if e.1 == c {
                    e.1 = mid;
                }
            }
            node = mid;
            i += common;
        }
        let n = &mut self.nodes[node as usize];
        if prefix {
            n.pass.push(atom);
        } else {
            n.end.push(atom);
        }
    }

    /// Walks `value`, calling `hit` for every satisfied atom.
    #[inline]
    pub fn walk(&self, mut value: impl Iterator<Item = u8>, hit: &mut impl FnMut(u32)) {
        let mut node = 0u32;
        self.nodes[0].pass.iter().for_each(|a| hit(*a));
        loop {
            let Some(b) = value.next() else {
                // The value ends exactly at a node.
                self.nodes[node as usize].end.iter().for_each(|a| hit(*a));
                return;
            };
            let Some(c) = self.child(node, b) else { return };
            // The rest of the edge must follow; a value that ends inside it
            // is shorter than every key below, and satisfies none of them.
            for &x in &self.label(c)[1..] {
                if value.next() != Some(x) {
                    return;
                }
            }
            node = c;
            self.nodes[c as usize].pass.iter().for_each(|a| hit(*a));
        }
    }

    /// Number of nodes, root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no key was inserted.
    pub fn is_empty(&self) -> bool {
        // The root alone still holds the empty key's atoms (`EndsWith ""`
        // from selectors built by hand): such a trie is not empty.
        self.nodes.len() == 1 && self.nodes[0].pass.is_empty() && self.nodes[0].end.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(t: &Trie, v: &str) -> Vec<u32> {
        let mut out = Vec::new();
        t.walk(v.bytes(), &mut |a| out.push(a));
        out.sort();
        out
    }

    #[test]
    fn the_empty_key_alone_makes_a_trie() {
        // Found by the containment procedure's brute-force test: a matcher
        // skipped its suffix trie when `EndsWith [""]` was its only suffix.
        let mut t = Trie::default();
        assert!(t.is_empty());
        t.insert("".bytes(), 0, true);
        assert!(!t.is_empty());
        assert_eq!(hits(&t, "anything"), [0]);
    }

    #[test]
    fn prefixes_and_equals_share_nodes() {
        let mut t = Trie::default();
        t.insert("arn:aws:s3:::b/".bytes(), 0, true);
        t.insert("arn:aws:s3:::b1/".bytes(), 1, true);
        t.insert("arn:aws:s3:::b/x".bytes(), 2, false);
        t.insert("".bytes(), 3, true);
        // The root, "arn:aws:s3:::b" (shared, split where the keys part),
        // then "/", "1/" and, below "/", "x".
        assert_eq!(t.len(), 5);
        assert_eq!(hits(&t, "arn:aws:s3:::b/x"), [0, 2, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b/xy"), [0, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b1/k"), [1, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b10/k"), [3]);
        assert_eq!(hits(&t, ""), [3]);
    }

    #[test]
    fn long_keys_cost_a_byte_per_byte() {
        let mut t = Trie::default();
        let long = "a".repeat(10_000_000);
        t.insert(long.bytes(), 0, true);
        t.insert(long.bytes().chain(*b"b"), 1, false);
        assert_eq!(t.len(), 3);
        assert!(t.labels.len() <= long.len() + 1);
        assert_eq!(hits(&t, &format!("{long}b")), [0, 1]);
        assert_eq!(hits(&t, &long[1..]), Vec::<u32>::new());
    }

    /// Every set of up to four keys over {a, b} of length up to three,
    /// against the definition, on every value up to length four.
    #[test]
    fn agrees_with_the_definition_on_small_alphabets() {
        // Every word over {a, b} of up to `max` letters.
        let all = |max: u32| -> Vec<String> {
            (0..=max)
                .flat_map(|n| {
                    (0..1u32 << n).map(move |bits| {
                        (0..n)
                            .map(|i| if bits >> i & 1 == 1 { 'b' } else { 'a' })
                            .collect()
                    })
                })
                .collect()
        };
        let (words, values) = (all(3), all(4));
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut t = Trie::default();
            let mut keys = Vec::new();
            for atom in 0..4u32 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = &words[(seed >> 33) as usize % words.len()];
                let prefix = seed >> 20 & 1 == 1;
                t.insert(k.bytes(), atom, prefix);
                keys.push((k.clone(), atom, prefix));
            }
            for v in &values {
                let mut want: Vec<u32> = keys
                    .iter()
                    .filter(|(k, _, p)| {
                        if *p {
                            v.starts_with(k.as_str())
                        } else {
                            v == k
                        }
                    })
                    .map(|(_, a, _)| *a)
                    .collect();
                want.sort();
                assert_eq!(hits(&t, v), want, "keys {keys:?}, value {v:?}");
            }
        }
    }

    #[test]
    fn reversed_keys_give_suffixes() {
        let mut t = Trie::default();
        t.insert("Role".bytes().rev(), 0, true);
        t.insert("HumanRole".bytes().rev(), 1, true);
        assert_eq!(
            hits(&t, &"x/HumanRole".chars().rev().collect::<String>()),
            [0, 1]
        );
        assert_eq!(
            hits(&t, &"Roles".chars().rev().collect::<String>()),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn wide_nodes_use_binary_search() {
        let mut t = Trie::default();
        for (i, b) in (b'a'..=b'z').enumerate() {
            t.insert([b].into_iter(), i as u32, false);
        }
        assert_eq!(hits(&t, "q"), [16]);
        assert_eq!(hits(&t, "qq"), Vec::<u32>::new());
    }
}
