//! The kernel's event queue: a timing wheel of 1 ms buckets for the near
//! future, and a binary heap for the rest.
//!
//! Nearly every event of a running cluster is due within a second (packets
//! take milliseconds, most timers fire every few hundred), so a bucket per
//! millisecond turns push and pop into a few instructions where a heap sifts
//! through log₂ n levels. The order is exactly that of a heap keyed by
//! `(time, seq)`:
//!
//! - the wheel covers `[base, base + SPAN)`, and `base` (the time of the last
//!   event popped) never passes a pending event, so each bucket holds one
//!   time only;
//! - within a bucket, events are kept in push order, which is `seq` order;
//! - an event too far ahead waits in the heap and moves into its bucket as
//!   soon as the window reaches it, before anything else can be pushed for
//!   that time. Everything pushed for that time later has a larger `seq`, so
//!   appending keeps the bucket in order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// The wheel's span in milliseconds (a power of two). Packets and the busy
/// timers land within it; 256 buckets stay in cache, where 1,024 measured
/// about 15% slower on the virtual-hour benchmark.
const SPAN: usize = 256;
const MASK: u64 = SPAN as u64 - 1;
const WORDS: usize = SPAN / 64;

/// Pending events ordered by `(time, seq)`; `seq` must grow with every push.
pub struct Wheel<T> {
    base: u64,
    buckets: Vec<VecDeque<(u64, T)>>,
    /// One bit per non-empty bucket.
    bits: [u64; WORDS],
    in_wheel: usize,
    /// Events at `base + SPAN` or later: `(time, seq, slot in far_items)`.
    far: BinaryHeap<Reverse<(u64, u64, u32)>>,
    far_items: Vec<Option<T>>,
    far_free: Vec<u32>,
}

impl<T> Default for Wheel<T> {
    fn default() -> Self {
        Wheel {
            base: 0,
            buckets: (0..SPAN).map(|_| VecDeque::new()).collect(),
            bits: [0; WORDS],
            in_wheel: 0,
            far: BinaryHeap::new(),
            far_items: Vec::new(),
            far_free: Vec::new(),
        }
    }
}

impl<T> Wheel<T> {
    /// Queues `item` at `time`; `time` may not be before the last popped event.
    pub fn push(&mut self, time: u64, seq: u64, item: T) {
        debug_assert!(time >= self.base, "an event before the last one popped");
        if time - self.base < SPAN as u64 {
            self.put(time, seq, item);
        } else {
            let slot = match self.far_free.pop() {
                Some(i) => {
                    self.far_items[i as usize] = Some(item);
                    i
                }
                None => {
                    self.far_items.push(Some(item));
                    (self.far_items.len() - 1) as u32
                }
            };
            self.far.push(Reverse((time, seq, slot)));
        }
    }

    fn put(&mut self, time: u64, seq: u64, item: T) {
        let i = (time & MASK) as usize;
        self.buckets[i].push_back((seq, item));
        self.bits[i / 64] |= 1 << (i % 64);
        self.in_wheel += 1;
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&self) -> Option<u64> {
        if self.in_wheel == 0 {
            return self.far.peek().map(|Reverse((t, _, _))| *t);
        }
        let start = (self.base & MASK) as usize;
        let (w0, b0) = (start / 64, start % 64);
        // The rest of the first word, the other words in turn, then the first word's head.
        let first = self.bits[w0] >> b0;
        if first != 0 {
            return Some(self.base + first.trailing_zeros() as u64);
        }
        for k in 1..=WORDS {
            let w = (w0 + k) % WORDS;
            let word = if k == WORDS { self.bits[w] & ((1u64 << b0) - 1) } else { self.bits[w] };
            if word != 0 {
                let idx = w * 64 + word.trailing_zeros() as usize;
                let dist = (idx + SPAN - start) % SPAN;
                return Some(self.base + dist as u64);
            }
        }
        unreachable!("in_wheel counts a non-empty bucket")
    }

    /// Removes the earliest event: `(time, seq, item)`.
    pub fn pop(&mut self) -> Option<(u64, u64, T)> {
        let t = self.peek_time()?;
        Some(self.take(t))
    }

    /// Removes the earliest event, whose time `t` the caller just had from [`Wheel::peek_time`].
    pub fn take(&mut self, t: u64) -> (u64, u64, T) {
        if t != self.base {
            self.base = t;
            // The window moved: bring in what it now covers, in (time, seq) order.
            while let Some(&Reverse((ft, fseq, slot))) = self.far.peek() {
                if ft - self.base >= SPAN as u64 {
                    break;
                }
                self.far.pop();
                let item = self.far_items[slot as usize].take().expect("a far event has its payload");
                self.far_free.push(slot);
                self.put(ft, fseq, item);
            }
        }
        let i = (t & MASK) as usize;
        let (seq, item) = self.buckets[i].pop_front().expect("the earliest bucket is not empty");
        if self.buckets[i].is_empty() {
            self.bits[i / 64] &= !(1 << (i % 64));
        }
        self.in_wheel -= 1;
        (t, seq, item)
    }

    pub fn len(&self) -> usize {
        self.in_wheel + self.far.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every pending event as `(time, seq, item)`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64, &T)> + '_ {
        let start = self.base & MASK;
        let near = self.buckets.iter().enumerate().flat_map(move |(i, b)| {
            let t = self.base + ((i as u64 + SPAN as u64 - start) & MASK);
            b.iter().map(move |(seq, item)| (t, *seq, item))
        });
        let far = self.far.iter().map(|Reverse((t, seq, slot))| {
            (*t, *seq, self.far_items[*slot as usize].as_ref().expect("a far event has its payload"))
        });
        near.chain(far)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Rng, Stream};

    /// Random pushes and pops come out exactly as from a heap keyed by (time, seq).
    #[test]
    fn pops_in_the_order_of_a_heap() {
        for seed in 1..40 {
            let mut rng = Rng::new(seed, Stream::Latency);
            let mut wheel = Wheel::default();
            let mut heap = BinaryHeap::new();
            let (mut now, mut seq) = (0u64, 0u64);
            for _ in 0..5_000 {
                if rng.range(0, 2) > 0 || heap.is_empty() {
                    // Mostly near, sometimes seconds or hours ahead, sometimes now.
                    let ahead = match rng.range(0, 9) {
                        0 => 0,
                        1 => rng.range(1_000, 5_000),
                        2 => rng.range(0, 8_000_000),
                        3 => SPAN as u64 - 1 + rng.range(0, 2),
                        _ => rng.range(0, 30),
                    };
                    seq += 1;
                    wheel.push(now + ahead, seq, seq);
                    heap.push(Reverse((now + ahead, seq)));
                } else {
                    let Reverse((t, s)) = heap.pop().unwrap();
                    assert_eq!(wheel.peek_time(), Some(t));
                    assert_eq!(wheel.pop(), Some((t, s, s)), "seed {seed}");
                    now = t;
                }
                assert_eq!(wheel.len(), heap.len());
                if seq % 500 == 0 {
                    let mut all: Vec<(u64, u64)> = wheel.iter().map(|(t, s, _)| (t, s)).collect();
                    let mut want: Vec<(u64, u64)> = heap.iter().map(|r| r.0).collect();
                    all.sort();
                    want.sort();
                    assert_eq!(all, want);
                }
            }
            while let Some(Reverse((t, s))) = heap.pop() {
                assert_eq!(wheel.pop(), Some((t, s, s)));
            }
            assert!(wheel.is_empty());
            assert_eq!(wheel.pop(), None);
        }
    }
}
