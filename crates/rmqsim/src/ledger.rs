//! The consumption ledger behind the "counters balance" invariant.
//!
//! For every (broker, CLUSTERING group, topic, queue) it accounts for each
//! consume-queue offset from where the group started on that queue:
//!
//! - **stored** = `max − start`: the messages at offsets `[start, max)`, where
//!   `max` is the consume queue's max offset and `start` is where the group
//!   began (its first `consume_from`, or the first commit the broker saw);
//! - **delivered** = offsets below the commit point whose message a member of
//!   the group consumed and finished (CONSUME_SUCCESS, or sent back to the retry
//!   topic / DLQ, which then carries it);
//! - **filtered** = offsets below the commit point skipped because the tag did
//!   not match (by tag hash on the broker, or by tag string on the client);
//! - **expired** = offsets below the commit point skipped without delivery by
//!   an explicit rule: deleted by retention before the group got there
//!   (`offset_moved` to the min offset) or jumped over by a
//!   CONSUME_FROM_LAST_OFFSET start;
//! - **pending** = `max − hw`: offsets at or above the commit point's high-water
//!   mark `hw` (not pulled yet, or pulled and still in a process queue).
//!
//! The check runs whenever a broker's committed offset for the group moves
//! past `hw`: every offset it passes must be delivered, filtered or expired —
//! a commit point that skips a message nobody consumed is a lost message. So
//! `stored = delivered + filtered + pending + expired` holds at all times.
//! A commit below `hw` (a crash restoring consumerOffset.json, a stale member,
//! an explicit reset) re-delivers messages already counted: at-least-once.
//! A power loss resets the broker's ledgers: unflushed messages are gone and
//! their offsets are reused (what ASYNC_FLUSH may lose, see ARCHITECTURE.md).
//! Kept only while invariants are checked; marks below `hw` are dropped, so
//! memory stays bounded by what is in flight.

use crate::names::{NodeId, TopicId};
use crate::vecmap::{SortedMap, SortedSet};
use std::rc::Rc;

/// What happened to a consume-queue offset, as far as one group is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Delivered,
    Filtered,
    Expired,
}

/// (broker node, group, topic, queue id).
pub type LedgerKey = (NodeId, Rc<str>, TopicId, u32);

/// The balance of one (broker, group, topic, queue).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balance {
    pub stored: u64,
    pub delivered: u64,
    pub filtered: u64,
    pub pending: u64,
    pub expired: u64,
}

impl Balance {
    /// stored = delivered + filtered + pending + expired.
    pub fn balances(&self) -> bool {
        self.stored == self.delivered + self.filtered + self.pending + self.expired
    }
}

/// One queue's accounts for one group.
#[derive(Clone, Debug, Default)]
pub struct QueueLedger {
    /// Where the group began on this queue; None until a start or a commit anchors it.
    pub start: Option<u64>,
    /// The highest commit point the broker has seen.
    pub hw: u64,
    pub delivered: u64,
    pub filtered: u64,
    pub expired: u64,
    /// Marks at or above `hw`: (start, end, mark), sorted by start and
    /// non-overlapping (a sorted vector: new marks land at the end).
    marks: Vec<(u64, u64, Mark)>,
    /// Set by an explicit reset (OFFSET_ILLEGAL): the next commit may move backwards.
    pub reset_allowed: bool,
    /// The consumer whose commit the broker stored last.
    last_writer: Option<NodeId>,
}

impl QueueLedger {
    fn mark(&mut self, lo: u64, hi: u64, mark: Mark) {
        let lo = if self.start.is_some() { lo.max(self.hw) } else { lo };
        if lo >= hi {
            return;
        }
        // Offsets already marked keep their first mark (a message is filtered or not for good;
        // a redelivery of a delivered message is still delivered).
        let mut at = lo;
        let mut gaps = Vec::new();
        // Intervals are disjoint and sorted, so the overlapping ones are the last few below `hi`.
        let end = self.marks.partition_point(|m| m.0 < hi);
        let mut begin = end;
        while begin > 0 && self.marks[begin - 1].1 > lo {
            begin -= 1;
        }
        for &(s, e, _) in &self.marks[begin..end] {
            if s > at {
                gaps.push((at, s));
            }
            at = at.max(e);
        }
        if at < hi {
            gaps.push((at, hi));
        }
        for (s, e) in gaps {
            self.insert(s, e, mark);
        }
    }

    /// Adds the mark `[s, e)` in start order (replacing one that starts at `s`).
    fn insert(&mut self, s: u64, e: u64, mark: Mark) {
        let i = self.marks.partition_point(|m| m.0 < s);
        match self.marks.get_mut(i) {
            Some(m) if m.0 == s => *m = (s, e, mark),
            _ => self.marks.insert(i, (s, e, mark)),
        }
    }

    fn anchor(&mut self, at: u64) {
        self.start = Some(at);
        self.hw = at;
        self.prune();
    }

    /// Drops marks below `hw` (splitting one that straddles it).
    fn prune(&mut self) {
        let below = self.marks.partition_point(|m| m.0 < self.hw);
        // Marks are disjoint, so only the last one below `hw` can reach past it.
        let straddling = below.checked_sub(1).map(|i| self.marks[i]).filter(|m| m.1 > self.hw);
        self.marks.drain(..below);
        if let Some((_, e, m)) = straddling {
            self.insert(self.hw, e, m);
        }
    }

    /// The commit point moves to `c`; classifies `[hw, c)`. Err names the first
    /// offset range that was passed without being delivered, filtered or expired.
    fn advance(&mut self, c: u64, min: u64) -> Result<(), String> {
        let mut at = self.hw;
        let mut bad: Option<(u64, u64)> = None;
        let below = self.marks.partition_point(|m| m.0 < c);
        let spans: Vec<(u64, u64, Mark)> =
            self.marks[..below].iter().filter(|m| m.1 > at).map(|&(s, e, m)| (s, e.min(c), m)).collect();
        let mut gap = |from: u64, to: u64, l: &mut QueueLedger| {
            if from >= to {
                return;
            }
            // Below the queue's min offset: deleted by retention before the group got there.
            let exp_end = to.min(min.max(from));
            l.expired += exp_end - from;
            if exp_end < to && bad.is_none() {
                bad = Some((exp_end, to));
            }
        };
        for (s, e, m) in spans {
            let s = s.max(at);
            gap(at, s, self);
            match m {
                Mark::Delivered => self.delivered += e - s,
                Mark::Filtered => self.filtered += e - s,
                Mark::Expired => self.expired += e - s,
            }
            at = e;
        }
        gap(at, c, self);
        self.hw = c;
        self.prune();
        match bad {
            None => Ok(()),
            Some((a, b)) => Err(format!(
                "the commit point moved to {c} past offsets [{a}, {b}) that no member consumed, filtered or saw expire"
            )),
        }
    }
}

/// Every queue's accounts, plus the messages a consumer retried locally.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    queues: SortedMap<LedgerKey, QueueLedger>,
    /// (group, message) pairs whose reconsume count grew on the client (failed send-back).
    local_retries: SortedSet<(Rc<str>, u64)>,
    /// How many times a power loss reset a broker's ledgers.
    pub resets: u64,
    /// Per queue, the highest offset its group had reached (committed or marked) when the
    /// broker lost power. A member that consumed up to there before the loss may still
    /// commit it afterwards; the offsets it passes were lost or reused by the power loss.
    lost_hw: SortedMap<LedgerKey, u64>,
}

impl Ledger {
    /// A consumer of the group starts on the queue at `start`.
    pub fn begin(&mut self, key: LedgerKey, start: u64) {
        let q = self.queues.or_default(key);
        match q.start {
            None => q.anchor(start),
            // Starting past the high-water mark (CONSUME_FROM_LAST_OFFSET with no stored offset).
            Some(_) if start > q.hw => q.mark(q.hw, start, Mark::Expired),
            Some(_) => {}
        }
    }

    /// Records what happened to offsets `[lo, hi)` of the queue.
    pub fn mark(&mut self, key: LedgerKey, lo: u64, hi: u64, mark: Mark) {
        self.queues.or_default(key).mark(lo, hi, mark);
    }

    /// An explicit reset (OFFSET_ILLEGAL): the group's committed offset may move backwards once.
    pub fn allow_reset(&mut self, key: LedgerKey) {
        self.queues.or_default(key).reset_allowed = true;
    }

    /// Whether the broker may move this offset backwards on a commit from `writer`: after an
    /// explicit reset (consumes the permission), or when the stored offset came from another
    /// member (two members committing one queue: a rebalance handover, whose new owner read the
    /// offset before the old owner's last commit landed, or split views of the group during a
    /// partition; RocketMQ's broker stores whatever it is sent, so both replay messages).
    pub fn may_rewind(&mut self, key: &LedgerKey, writer: NodeId) -> bool {
        self.queues.get_mut(key).is_some_and(|q| {
            let reset = std::mem::take(&mut q.reset_allowed);
            reset || q.last_writer.is_some_and(|w| w != writer)
        })
    }

    /// Notes which consumer wrote the queue's stored offset last.
    pub fn wrote(&mut self, key: &LedgerKey, writer: NodeId) {
        if let Some(q) = self.queues.get_mut(key) {
            q.last_writer = Some(writer);
        }
    }

    /// The broker stores commit point `c` (queue min offset `min`).
    pub fn commit(&mut self, key: LedgerKey, c: u64, min: u64) -> Result<(), String> {
        // Offsets below the pre-power-loss high-water mark count as lost to the power loss.
        let min = self.lost_hw.get(&key).map_or(min, |hw| min.max((*hw).min(c)));
        let q = self.queues.or_default(key);
        match q.start {
            None => {
                q.anchor(c);
                Ok(())
            }
            Some(_) if c <= q.hw => Ok(()),
            Some(_) => q.advance(c, min),
        }
    }

    /// A power loss at `broker`: its queues' offsets may be reused, so their accounts restart.
    pub fn power_loss(&mut self, broker: NodeId) {
        let before = self.queues.len();
        for (k, q) in self.queues.iter().filter(|(k, _)| k.0 == broker) {
            let reached = q.marks.iter().map(|m| m.1).fold(q.hw, u64::max);
            let slot = self.lost_hw.or_default(k.clone());
            *slot = (*slot).max(reached);
        }
        self.queues.retain(|k, _| k.0 != broker);
        if self.queues.len() != before {
            self.resets += 1;
        }
    }

    pub fn note_local_retry(&mut self, group: &Rc<str>, msg: u64) {
        self.local_retries.insert((group.clone(), msg));
    }

    pub fn had_local_retry(&self, group: &Rc<str>, msg: u64) -> bool {
        self.local_retries.contains(&(group.clone(), msg))
    }

    /// The balance of a queue whose max offset is `max` (None if nothing anchored it).
    pub fn balance(&self, key: &LedgerKey, max: u64) -> Option<Balance> {
        let q = self.queues.get(key)?;
        let start = q.start?;
        Some(Balance {
            stored: max.saturating_sub(start),
            delivered: q.delivered,
            filtered: q.filtered,
            pending: max.saturating_sub(q.hw),
            expired: q.expired,
        })
    }

    /// Every anchored queue key.
    pub fn keys(&self) -> impl Iterator<Item = &LedgerKey> {
        self.queues.iter().filter(|(_, q)| q.start.is_some()).map(|(k, _)| k)
    }

    /// How many queues are accounted for.
    pub fn len(&self) -> usize {
        self.queues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> LedgerKey {
        (NodeId(1), Rc::from("g"), TopicId(3), 0)
    }

    #[test]
    fn every_passed_offset_is_accounted_for() {
        let mut l = Ledger::default();
        l.begin(key(), 0);
        l.mark(key(), 0, 2, Mark::Delivered);
        l.mark(key(), 2, 5, Mark::Filtered);
        l.mark(key(), 5, 6, Mark::Delivered);
        assert_eq!(l.commit(key(), 6, 0), Ok(()));
        let b = l.balance(&key(), 9).unwrap();
        assert_eq!(b, Balance { stored: 9, delivered: 3, filtered: 3, pending: 3, expired: 0 });
        assert!(b.balances());
    }

    #[test]
    fn passing_an_unconsumed_message_is_a_violation() {
        let mut l = Ledger::default();
        l.begin(key(), 0);
        l.mark(key(), 0, 1, Mark::Delivered);
        l.mark(key(), 2, 3, Mark::Delivered);
        assert!(l.commit(key(), 3, 0).unwrap_err().contains("[1, 2)"));
    }

    #[test]
    fn offsets_below_the_min_offset_expired() {
        let mut l = Ledger::default();
        l.begin(key(), 0);
        l.mark(key(), 4, 5, Mark::Delivered);
        assert_eq!(l.commit(key(), 5, 4), Ok(()));
        assert_eq!(l.balance(&key(), 5).unwrap().expired, 4);
    }

    #[test]
    fn a_commit_below_the_high_water_mark_counts_nothing_twice() {
        let mut l = Ledger::default();
        l.begin(key(), 0);
        l.mark(key(), 0, 4, Mark::Delivered);
        assert_eq!(l.commit(key(), 4, 0), Ok(()));
        assert_eq!(l.commit(key(), 2, 0), Ok(()));
        l.mark(key(), 2, 4, Mark::Delivered);
        assert_eq!(l.commit(key(), 4, 0), Ok(()));
        assert_eq!(l.balance(&key(), 4).unwrap().delivered, 4);
    }
}
