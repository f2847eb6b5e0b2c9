//! Request timeouts without one timer event per request.
//!
//! Almost every request is answered long before its timeout, so arming a
//! timer per request would fill the event queue with no-ops. A node keeps its
//! deadlines here and arms one timer for the earliest; when it fires, every
//! request past its deadline times out and the next timer is armed.

use crate::names::NodeId;
use crate::sim::{Core, Timer};
use crate::vecmap::VecMap;

/// Pending request deadlines of one node.
#[derive(Clone, Debug, Default)]
pub struct Deadlines {
    of: VecMap<u64>,
    armed: Option<u64>,
}

impl Deadlines {
    /// Request `req` times out at virtual time `at`.
    pub fn add(&mut self, cx: &mut Core, me: NodeId, req: u64, at: u64) {
        self.of.insert(req, at);
        if self.armed.is_none_or(|a| a > at) {
            self.armed = Some(at);
            cx.timer(me, at - cx.now, Timer::Deadline(at));
        }
    }

    /// The request was answered (or abandoned).
    pub fn remove(&mut self, req: u64) {
        self.of.remove(&req);
    }

    /// Handles `Timer::Deadline(at)`: returns the requests that timed out, oldest first.
    pub fn fire(&mut self, cx: &mut Core, me: NodeId, at: u64) -> Vec<u64> {
        if self.armed != Some(at) {
            return Vec::new();
        }
        self.armed = None;
        let mut due: Vec<(u64, u64)> = self.of.iter().filter(|(_, t)| **t <= cx.now).map(|(r, t)| (*t, *r)).collect();
        crate::order::sort(&mut due);
        for (_, req) in &due {
            self.of.remove(req);
        }
        if let Some(t) = self.of.values().copied().min() {
            self.armed = Some(t);
            cx.timer(me, t - cx.now, Timer::Deadline(t));
        }
        due.into_iter().map(|(_, r)| r).collect()
    }

    /// Forgets everything (the node died).
    pub fn clear(&mut self) {
        self.of.clear();
        self.armed = None;
    }

    pub fn len(&self) -> usize {
        self.of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of.is_empty()
    }
}
