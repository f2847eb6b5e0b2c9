//! One sort for the engine's cold paths and the whole app. Each `sort_by` /
//! `sort_unstable` of the standard library is a separate ~5–8 KB copy in the
//! wasm per element type and comparison; these helpers sort a list of indices
//! with one non-generic merge sort and then move the items, so every caller
//! shares the same code. For lists of at most a few thousand items, sorted
//! now and then (rebalances, timeouts, snapshots, views), never per message.
//! The order is the standard stable sort's, so a trace never changes.

use std::cmp::Ordering;

/// The stable order of `n` items under `cmp` (a bottom-up merge sort of indices).
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut buf = idx.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut a, mut b, mut k) = (start, mid, start);
            while a < mid && b < end {
                // Take from the right run only when strictly smaller: stable.
                if cmp(idx[b], idx[a]) == Ordering::Less {
                    buf[k] = idx[b];
                    b += 1;
                } else {
                    buf[k] = idx[a];
                    a += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - a)].copy_from_slice(&idx[a..mid]);
            k += mid - a;
            buf[k..k + (end - b)].copy_from_slice(&idx[b..end]);
            start = end;
        }
        std::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    idx
}

/// Stable sort by a comparison, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let idx = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    // Position i receives the item first at idx[i]; items already moved are
    // found by following the chain of earlier positions.
    for i in 0..idx.len() {
        let mut j = idx[i];
        while j < i {
            j = idx[j];
        }
        v.swap(i, j);
    }
}

/// Stable sort by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sort in ascending order, like `slice::sort` (stable, so also `sort_unstable`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a.cmp(b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 7u64;
        for n in [0usize, 1, 2, 3, 5, 8, 13, 100, 1000, 4097] {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 59) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "n = {n}");
            let mut ours = v.clone();
            sort(&mut ours);
            let mut std = v;
            std.sort();
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
