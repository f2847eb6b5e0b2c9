//! The simulated network: per-link latency ranges, loss, partitions and holds.
//!
//! Links are FIFO like the TCP connections RocketMQ uses: a packet never
//! overtakes an earlier one on the same link, whatever latency it draws.
//! Faults are declarative (`partition`, `heal`, `hold`, `release`, latency and
//! loss overrides) and every change is traced by the simulator.

use crate::names::NodeId;
use crate::vecmap::{SortedMap, SortedSet};

/// What happens to a packet offered to the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Arrives at this time.
    Arrive(u64),
    /// Silently dropped by a partition.
    Blocked,
    /// Randomly lost.
    Lost,
    /// Parked until the link is released.
    Held,
}

/// Network state for `n` nodes.
#[derive(Clone, Debug)]
pub struct Net {
    n: usize,
    default_latency: (u64, u64),
    default_loss_ppm: u32,
    link_latency: SortedMap<(u32, u32), (u64, u64)>,
    node_latency: SortedMap<u32, (u64, u64)>,
    link_loss: SortedMap<(u32, u32), u32>,
    node_loss: SortedMap<u32, u32>,
    blocked: SortedSet<(u32, u32)>,
    held: SortedSet<(u32, u32)>,
    last_arrival: Vec<u64>,
    connected: Vec<bool>,
}

impl Net {
    pub fn new(n: usize, latency: (u64, u64), loss_ppm: u32) -> Net {
        Net {
            n,
            default_latency: latency,
            default_loss_ppm: loss_ppm,
            link_latency: SortedMap::new(),
            node_latency: SortedMap::new(),
            link_loss: SortedMap::new(),
            node_loss: SortedMap::new(),
            blocked: SortedSet::new(),
            held: SortedSet::new(),
            last_arrival: vec![0; n * n],
            connected: vec![false; n * n],
        }
    }

    fn idx(&self, a: NodeId, b: NodeId) -> usize {
        a.0 as usize * self.n + b.0 as usize
    }

    fn key(a: NodeId, b: NodeId) -> (u32, u32) {
        (a.0.min(b.0), a.0.max(b.0))
    }

    /// The latency range of the link a→b (link override, then node override, then default).
    pub fn latency(&self, a: NodeId, b: NodeId) -> (u64, u64) {
        if self.link_latency.is_empty() && self.node_latency.is_empty() {
            return self.default_latency;
        }
        if let Some(l) = self.link_latency.get(&Self::key(a, b)) {
            return *l;
        }
        let na = self.node_latency.get(&a.0);
        let nb = self.node_latency.get(&b.0);
        match (na, nb) {
            (Some(x), Some(y)) => (x.0.max(y.0), x.1.max(y.1)),
            (Some(x), None) | (None, Some(x)) => *x,
            (None, None) => self.default_latency,
        }
    }

    pub fn loss_ppm(&self, a: NodeId, b: NodeId) -> u32 {
        if self.link_loss.is_empty() && self.node_loss.is_empty() {
            return self.default_loss_ppm;
        }
        if let Some(l) = self.link_loss.get(&Self::key(a, b)) {
            return *l;
        }
        let na = self.node_loss.get(&a.0).copied().unwrap_or(0);
        let nb = self.node_loss.get(&b.0).copied().unwrap_or(0);
        self.default_loss_ppm.max(na).max(nb)
    }

    /// No fault anywhere: default latency, no loss, no partition, no hold.
    #[inline]
    pub fn plain(&self) -> bool {
        self.default_loss_ppm == 0
            && self.link_latency.is_empty()
            && self.node_latency.is_empty()
            && self.link_loss.is_empty()
            && self.node_loss.is_empty()
            && self.blocked.is_empty()
            && self.held.is_empty()
    }

    pub fn is_blocked(&self, a: NodeId, b: NodeId) -> bool {
        !self.blocked.is_empty() && self.blocked.contains(&(a.0, b.0))
    }

    pub fn is_held(&self, a: NodeId, b: NodeId) -> bool {
        !self.held.is_empty() && self.held.contains(&(a.0, b.0))
    }

    /// Decides a packet's fate given a latency draw and a loss draw (in parts per million).
    pub fn offer(&mut self, a: NodeId, b: NodeId, now: u64, latency: u64, loss_draw_ppm: u32) -> Fate {
        if self.is_blocked(a, b) {
            return Fate::Blocked;
        }
        let loss = self.loss_ppm(a, b);
        if loss > 0 && loss_draw_ppm < loss {
            return Fate::Lost;
        }
        if self.is_held(a, b) {
            return Fate::Held;
        }
        Fate::Arrive(self.schedule(a, b, now, latency))
    }

    /// Arrival time on the FIFO link a→b for a packet leaving now.
    pub fn schedule(&mut self, a: NodeId, b: NodeId, now: u64, latency: u64) -> u64 {
        let i = self.idx(a, b);
        let arrive = (now + latency).max(self.last_arrival[i]);
        self.last_arrival[i] = arrive;
        self.connected[i] = true;
        let j = self.idx(b, a);
        self.connected[j] = true;
        arrive
    }

    pub fn connected(&self, a: NodeId, b: NodeId) -> bool {
        self.connected[self.idx(a, b)]
    }

    /// Forgets every connection of `a` (its process died).
    pub fn disconnect_all(&mut self, a: NodeId) {
        for b in 0..self.n {
            let (i, j) = (self.idx(a, NodeId(b as u32)), self.idx(NodeId(b as u32), a));
            self.connected[i] = false;
            self.connected[j] = false;
        }
    }

    pub fn nodes(&self) -> usize {
        self.n
    }

    pub fn partition(&mut self, a: NodeId, b: NodeId, oneway: bool) {
        self.blocked.insert((a.0, b.0));
        if !oneway {
            self.blocked.insert((b.0, a.0));
        }
    }

    /// Heals partitions: between a and b, everything touching a, or all.
    pub fn heal(&mut self, a: Option<NodeId>, b: Option<NodeId>) {
        match (a, b) {
            (Some(a), Some(b)) => {
                self.blocked.remove(&(a.0, b.0));
                self.blocked.remove(&(b.0, a.0));
            }
            (Some(x), None) | (None, Some(x)) => self.blocked.retain(|(p, q)| *p != x.0 && *q != x.0),
            (None, None) => self.blocked.clear(),
        }
    }

    pub fn partitions(&self) -> Vec<(NodeId, NodeId)> {
        self.blocked.iter().map(|(a, b)| (NodeId(*a), NodeId(*b))).collect()
    }

    pub fn hold(&mut self, a: NodeId, b: NodeId) {
        self.held.insert((a.0, b.0));
        self.held.insert((b.0, a.0));
    }

    pub fn release(&mut self, a: NodeId, b: NodeId) {
        self.held.remove(&(a.0, b.0));
        self.held.remove(&(b.0, a.0));
    }

    pub fn set_latency(&mut self, a: Option<NodeId>, b: Option<NodeId>, range: (u64, u64)) {
        match (a, b) {
            (Some(a), Some(b)) => {
                self.link_latency.insert(Self::key(a, b), range);
            }
            (Some(x), None) | (None, Some(x)) => {
                self.node_latency.insert(x.0, range);
            }
            (None, None) => {
                self.default_latency = range;
                self.link_latency.clear();
                self.node_latency.clear();
            }
        }
    }

    pub fn set_loss(&mut self, a: Option<NodeId>, b: Option<NodeId>, ppm: u32) {
        match (a, b) {
            (Some(a), Some(b)) => {
                self.link_loss.insert(Self::key(a, b), ppm);
            }
            (Some(x), None) | (None, Some(x)) => {
                self.node_loss.insert(x.0, ppm);
            }
            (None, None) => {
                self.default_loss_ppm = ppm;
                self.link_loss.clear();
                self.node_loss.clear();
            }
        }
    }

    pub fn default_latency(&self) -> (u64, u64) {
        self.default_latency
    }

    pub fn default_loss_ppm(&self) -> u32 {
        self.default_loss_ppm
    }

    /// Every pair of nodes (lower id first) whose link differs from the
    /// network's defaults: its own or a node's latency or loss, or held.
    /// Sorted, so snapshots are deterministic.
    pub fn unusual_links(&self) -> Vec<(NodeId, NodeId)> {
        let mut pairs: SortedSet<(u32, u32)> = SortedSet::new();
        pairs.extend(self.link_latency.keys().copied());
        pairs.extend(self.link_loss.keys().copied());
        pairs.extend(self.held.iter().map(|&(a, b)| (a.min(b), a.max(b))));
        for &x in self.node_latency.keys().chain(self.node_loss.keys()) {
            for y in (0..self.n as u32).filter(|&y| y != x) {
                pairs.insert((x.min(y), x.max(y)));
            }
        }
        pairs.into_iter().map(|(a, b)| (NodeId(a), NodeId(b))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_fifo() {
        let mut net = Net::new(2, (1, 10), 0);
        let (a, b) = (NodeId(0), NodeId(1));
        assert_eq!(net.offer(a, b, 0, 10, 0), Fate::Arrive(10));
        // A later packet drawing a shorter latency still arrives after the first.
        assert_eq!(net.offer(a, b, 1, 1, 0), Fate::Arrive(10));
        assert_eq!(net.offer(b, a, 1, 1, 0), Fate::Arrive(2));
    }

    #[test]
    fn partitions_and_loss() {
        let mut net = Net::new(3, (1, 1), 0);
        let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
        net.partition(a, b, true);
        assert_eq!(net.offer(a, b, 0, 1, 0), Fate::Blocked);
        assert!(matches!(net.offer(b, a, 0, 1, 0), Fate::Arrive(_)));
        net.heal(None, None);
        assert!(matches!(net.offer(a, b, 0, 1, 0), Fate::Arrive(_)));
        net.set_loss(Some(c), None, 1_000_000);
        assert_eq!(net.offer(a, c, 0, 1, 999_999), Fate::Lost);
        net.hold(a, b);
        assert_eq!(net.offer(b, a, 0, 1, 0), Fate::Held);
    }
}
