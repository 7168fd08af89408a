//! Byte tries that turn one pass over a value into the set of patterns
//! (atoms) it satisfies.
//!
//! Equals and StartsWith patterns share one forward trie: walking the value
//! byte by byte, every node passed is a prefix of the value, so the
//! StartsWith atoms stored there are satisfied; the node where the value
//! ends holds the Equals atoms. EndsWith patterns live in a second trie over
//! reversed bytes. The walk costs one child lookup per byte of the value,
//! however many patterns there are, and patterns that share a prefix share
//! its nodes.

use smallvec::SmallVec;

#[derive(Clone, Debug, Default)]
struct Node {
    // INVARIANT: sorted by byte, no duplicate bytes.
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
}

impl Default for Trie {
    fn default() -> Trie {
        Trie {
            nodes: vec![Node::default()],
        }
    }
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

    /// Adds `atom` for `key`: satisfied by values with this prefix
    /// (`prefix`) or equal to it.
    pub fn insert(&mut self, key: impl Iterator<Item = u8>, atom: u32, prefix: bool) {
        let mut node = 0u32;
        for b in key {
            node = match self.child(node, b) {
                Some(n) => n,
                None => {
                    let n = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
                    self.nodes.push(Node::default());
                    let children = &mut self.nodes[node as usize].children;
                    let at = children.partition_point(|(c, _)| *c < b);
                    children.insert(at, (b, n));
                    n
                }
            };
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
    pub fn walk(&self, value: impl Iterator<Item = u8>, hit: &mut impl FnMut(u32)) {
        let mut node = 0u32;
        let root = &self.nodes[0];
        root.pass.iter().for_each(|a| hit(*a));
        let mut ended = true;
        for b in value {
            match self.child(node, b) {
                Some(n) => {
                    node = n;
                    self.nodes[n as usize].pass.iter().for_each(|a| hit(*a));
                }
                None => {
                    ended = false;
                    break;
                }
            }
        }
        if ended {
            self.nodes[node as usize].end.iter().for_each(|a| hit(*a));
        }
    }

    /// Number of nodes, root included.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when only the root exists.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
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
    fn prefixes_and_equals_share_nodes() {
        let mut t = Trie::default();
        t.insert("arn:aws:s3:::b/".bytes(), 0, true);
        t.insert("arn:aws:s3:::b1/".bytes(), 1, true);
        t.insert("arn:aws:s3:::b/x".bytes(), 2, false);
        t.insert("".bytes(), 3, true);
        // "arn:aws:s3:::b" is shared: 14 nodes, then "/", "1/", "/x".
        assert_eq!(t.len(), 1 + 14 + 1 + 2 + 1);
        assert_eq!(hits(&t, "arn:aws:s3:::b/x"), [0, 2, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b/xy"), [0, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b1/k"), [1, 3]);
        assert_eq!(hits(&t, "arn:aws:s3:::b10/k"), [3]);
        assert_eq!(hits(&t, ""), [3]);
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
