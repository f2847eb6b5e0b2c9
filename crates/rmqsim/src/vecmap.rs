//! A map for the handful of entries a node keeps per request (linear search),
//! and sorted-vector maps and sets that stand in for B-trees where code size
//! matters more than insertion in the middle (the ledger, the web app).
//!
//! Requests in flight per node are few (a pull per owned queue, a send or
//! two), and their ids only grow; a vector beats a B-tree here by a wide
//! margin on the simulator's hot path. Iteration is in insertion order, which
//! is deterministic.

use std::borrow::Borrow;

/// A small insertion-ordered map from `u64` keys.
#[derive(Clone, Debug)]
pub struct VecMap<V> {
    entries: Vec<(u64, V)>,
}

impl<V> Default for VecMap<V> {
    fn default() -> Self {
        VecMap { entries: Vec::new() }
    }
}

impl<V> VecMap<V> {
    pub fn insert(&mut self, key: u64, value: V) {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.entries.push((key, value));
        }
    }

    pub fn remove(&mut self, key: &u64) -> Option<V> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        Some(self.entries.remove(i).1)
    }

    pub fn get(&self, key: &u64) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &u64) -> Option<&mut V> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &u64) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&u64, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// A map kept as a vector sorted by key: the iteration order and lookups of
/// a `BTreeMap`, in a fraction of the wasm code (a B-tree costs ~3–8 KB per
/// key/value type, this a few hundred bytes). Inserting in the middle moves
/// the tail, so it suits maps of at most a few thousand entries, or whose
/// keys mostly arrive in order (the ledger's, the app's views').
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub const fn new() -> Self {
        SortedMap { entries: Vec::new() }
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Like `BTreeMap::insert`: the old value if the key was there.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Like `entry(key).or_insert_with(make)`.
    pub fn or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key, make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Like `entry(key).or_default()`.
    pub fn or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.or_insert_with(key, V::default)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&K, &mut V)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    /// Like `BTreeMap`'s: a later duplicate key replaces the earlier value.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SortedMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for SortedMap<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry for the key")
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// A set kept as a sorted vector (see [`SortedMap`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedSet<K> {
    map: SortedMap<K, ()>,
}

impl<K> Default for SortedSet<K> {
    fn default() -> Self {
        SortedSet { map: SortedMap::default() }
    }
}

impl<K: Ord> SortedSet<K> {
    pub const fn new() -> Self {
        SortedSet { map: SortedMap::new() }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.contains_key(key)
    }

    /// Like `BTreeSet::insert`: whether the key was new.
    pub fn insert(&mut self, key: K) -> bool {
        self.map.insert(key, ()).is_none()
    }

    /// Like `BTreeSet::remove`: whether the key was there.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.map.remove(key).is_some()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.map.keys()
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.map.retain(|k, _| keep(k));
    }
}

impl<K: Ord> Extend<K> for SortedSet<K> {
    fn extend<I: IntoIterator<Item = K>>(&mut self, iter: I) {
        for k in iter {
            self.insert(k);
        }
    }
}

impl<K> IntoIterator for SortedSet<K> {
    type Item = K;
    type IntoIter = std::iter::Map<std::vec::IntoIter<(K, ())>, fn((K, ())) -> K>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter().map(|(k, ())| k)
    }
}

impl<K: Ord> FromIterator<K> for SortedSet<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        SortedSet { map: iter.into_iter().map(|k| (k, ())).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::{SortedMap, SortedSet, VecMap};

    #[test]
    fn behaves_like_a_map() {
        let mut m = VecMap::default();
        m.insert(3, "c");
        m.insert(1, "a");
        m.insert(3, "C");
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(&3), Some(&"C"));
        assert_eq!(m.remove(&1), Some("a"));
        assert_eq!(m.remove(&1), None);
        assert!(m.contains_key(&3));
        assert_eq!(m.iter().map(|(k, _)| *k).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn sorted_map_behaves_like_a_btree_map() {
        use std::collections::BTreeMap;
        let mut seed = 11u64;
        let mut ours: SortedMap<u8, u32> = SortedMap::new();
        let mut std: BTreeMap<u8, u32> = BTreeMap::new();
        for i in 0..2000u32 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let k = (seed >> 58) as u8;
            match seed >> 62 {
                0 => assert_eq!(ours.insert(k, i), std.insert(k, i)),
                1 => assert_eq!(ours.remove(&k), std.remove(&k)),
                2 => *ours.or_default(k) += i,
                _ => ours.retain(|key, _| key % 7 != (i % 7) as u8),
            }
            match seed >> 62 {
                2 => *std.entry(k).or_default() += i,
                3 => std.retain(|key, _| key % 7 != (i % 7) as u8),
                _ => {}
            }
            assert_eq!(ours.get(&k), std.get(&k));
            assert!(ours.iter().eq(std.iter()));
        }
        let pairs = [(3u8, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let ours: SortedMap<u8, char> = pairs.into_iter().collect();
        let std: BTreeMap<u8, char> = pairs.into_iter().collect();
        assert!(ours.into_iter().eq(std));
        let set: SortedSet<u8> = [5u8, 1, 5, 3].into_iter().collect();
        assert_eq!(set.iter().copied().collect::<Vec<_>>(), vec![1, 3, 5]);
    }

    #[test]
    fn sorted_set_and_map_iteration_behave_like_the_std_ones() {
        use std::collections::{BTreeMap, BTreeSet};
        let mut seed = 7u64;
        let mut ours: SortedSet<(u8, u8)> = SortedSet::new();
        let mut std: BTreeSet<(u8, u8)> = BTreeSet::new();
        let mut map: SortedMap<u8, u32> = SortedMap::new();
        let mut std_map: BTreeMap<u8, u32> = BTreeMap::new();
        for i in 0..1500u32 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let k = ((seed >> 59) as u8, (seed >> 56) as u8 & 3);
            match seed >> 62 {
                0 => assert_eq!(ours.insert(k), std.insert(k)),
                1 => assert_eq!(ours.remove(&k), std.remove(&k)),
                2 => {
                    ours.extend([k, (k.1, k.0)]);
                    std.extend([k, (k.1, k.0)]);
                }
                _ => {
                    ours.retain(|p| p.0 != k.0);
                    std.retain(|p| p.0 != k.0);
                }
            }
            assert!(ours.iter().eq(std.iter()));
            map.insert(k.0, i);
            std_map.insert(k.0, i);
            for (_, v) in map.iter_mut() {
                *v += 1;
            }
            for v in std_map.values_mut() {
                *v += 1;
            }
            assert!((&map).into_iter().eq(std_map.iter()));
        }
        assert!(ours.clone().into_iter().eq(std.clone()));
        ours.clear();
        assert!(ours.is_empty());
    }
}
