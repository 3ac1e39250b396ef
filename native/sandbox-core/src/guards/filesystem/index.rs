//! Policy paths indexed by their components, so that a check costs the same
//! however many `blocked_paths` the policy lists.
//!
//! A trie keyed by path component (comparison keys, so case-folded where
//! the platform folds): the entries that cover a path are those stored on
//! the way down to it, one hash lookup per component of the path; the
//! entries below a path are those of its subtree, whose lowest position is
//! kept on each node. Positions are list positions, so a caller that takes
//! the lowest one decides exactly as a scan of the list in order would.
//!
//! The maps hash with foldhash, seeded per process, as the network guard's
//! index does: only policy entries are inserted, a checked path is only
//! looked up.

use foldhash::HashMap;

use super::platform::Name;

#[derive(Debug, Default, Clone)]
struct Node {
    children: HashMap<Name, usize>,
    /// Entries whose path ends here.
    here: Vec<usize>,
    /// The lowest entry strictly below this node.
    below: Option<usize>,
}

/// Entry positions by path.
#[derive(Debug, Clone)]
pub(super) struct PathIndex {
    nodes: Vec<Node>,
}

impl Default for PathIndex {
    fn default() -> PathIndex {
        PathIndex {
            nodes: vec![Node::default()],
        }
    }
}

impl PathIndex {
    /// Record that entry `at` has the path `keys`.
    pub(super) fn insert(&mut self, keys: &[Name], at: usize) {
        let mut n = 0;
        for k in keys {
            let below = &mut self.nodes[n].below;
            *below = Some(below.map_or(at, |b| b.min(at)));
            n = match self.nodes[n].children.get(k) {
                Some(&c) => c,
                None => {
                    self.nodes.push(Node::default());
                    let c = self.nodes.len() - 1;
                    self.nodes[n].children.insert(k.clone(), c);
                    c
                }
            };
        }
        self.nodes[n].here.push(at);
    }

    /// The lowest entry whose path is `keys` or one of its ancestors.
    pub(super) fn first_covering(&self, keys: &[Name]) -> Option<usize> {
        let mut n = 0;
        let mut first = self.nodes[0].here.iter().min().copied();
        for k in keys {
            match self.nodes[n].children.get(k) {
                Some(&c) => n = c,
                None => break,
            }
            if let Some(&m) = self.nodes[n].here.iter().min() {
                first = Some(first.map_or(m, |f| f.min(m)));
            }
        }
        first
    }

    /// The lowest entry whose path lies at or below `keys` (strictly below
    /// when `strict`).
    pub(super) fn first_within(&self, keys: &[Name], strict: bool) -> Option<usize> {
        let mut n = 0;
        for k in keys {
            n = *self.nodes[n].children.get(k)?;
        }
        let node = &self.nodes[n];
        let here = if strict {
            None
        } else {
            node.here.iter().min().copied()
        };
        match (here, node.below) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(p: &str) -> Vec<Name> {
        p.split('/')
            .filter(|c| !c.is_empty())
            .map(|c| c.as_bytes().to_vec())
            .collect()
    }

    fn scan_covering(entries: &[Vec<Name>], k: &[Name]) -> Option<usize> {
        entries.iter().position(|e| k.starts_with(e))
    }

    fn scan_within(entries: &[Vec<Name>], k: &[Name], strict: bool) -> Option<usize> {
        entries
            .iter()
            .position(|e| e.starts_with(k) && !(strict && e.as_slice() == k))
    }

    fn path() -> impl proptest::strategy::Strategy<Value = Vec<Name>> {
        proptest::collection::vec(
            proptest::sample::select(&["a", "b", "c"][..]).prop_map(|c| c.as_bytes().to_vec()),
            0..5,
        )
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Random entries and paths over three names (so that they nest
        /// and repeat): the index agrees with a scan of the list.
        #[test]
        fn agrees_with_a_scan_on_random_lists(
            entries in proptest::collection::vec(path(), 0..10),
            queries in proptest::collection::vec(path(), 1..10),
        ) {
            let mut index = PathIndex::default();
            for (i, e) in entries.iter().enumerate() {
                index.insert(e, i);
            }
            for q in &queries {
                proptest::prop_assert_eq!(index.first_covering(q), scan_covering(&entries, q));
                for strict in [false, true] {
                    proptest::prop_assert_eq!(index.first_within(q, strict), scan_within(&entries, q, strict));
                }
            }
        }
    }

    /// The index answers what a scan of the list answers.
    #[test]
    fn agrees_with_a_scan() {
        let entries = ["/a/b", "/a", "/x/y/z", "/a/b/c", "/", "/x/y", "/a/b"];
        let mut with_root = PathIndex::default();
        let mut without_root = PathIndex::default();
        for (i, e) in entries.iter().enumerate() {
            with_root.insert(&keys(e), i);
            if *e != "/" {
                without_root.insert(&keys(e), i);
            }
        }
        let covers = |a: &[Name], b: &[Name]| b.starts_with(a);
        for (index, skip_root) in [(&with_root, false), (&without_root, true)] {
            let listed = || {
                entries
                    .iter()
                    .enumerate()
                    .filter(move |(_, e)| !(skip_root && **e == "/"))
            };
            for p in [
                "/", "/a", "/a/b", "/a/b/c/d", "/a/bc", "/x", "/x/y/z/w", "/q",
            ] {
                let k = keys(p);
                let scan = listed().find(|(_, e)| covers(&keys(e), &k)).map(|(i, _)| i);
                assert_eq!(index.first_covering(&k), scan, "covering {p}");
                for strict in [false, true] {
                    let scan = listed()
                        .find(|(_, e)| covers(&k, &keys(e)) && !(strict && keys(e) == k))
                        .map(|(i, _)| i);
                    assert_eq!(index.first_within(&k, strict), scan, "within {p} {strict}");
                }
            }
        }
    }
}
