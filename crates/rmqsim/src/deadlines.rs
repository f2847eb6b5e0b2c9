//! Request timeouts without one timer event per request.
//!
//! Almost every request is answered long before its timeout, so arming a
//! timer per request would fill the event queue with no-ops. A node keeps its
//! deadlines here and arms one timer for the earliest; when it fires, every
//! request past its deadline times out and the next timer is armed.

use crate::names::NodeId;
use crate::sim::{Core, Timer};
use std::collections::{BTreeMap, BTreeSet};

/// Pending request deadlines of one node.
#[derive(Clone, Debug, Default)]
pub struct Deadlines {
    by_time: BTreeSet<(u64, u64)>,
    of: BTreeMap<u64, u64>,
    armed: Option<u64>,
}

impl Deadlines {
    /// Request `req` times out at virtual time `at`.
    pub fn add(&mut self, cx: &mut Core, me: NodeId, req: u64, at: u64) {
        self.by_time.insert((at, req));
        self.of.insert(req, at);
        if self.armed.is_none_or(|a| a > at) {
            self.armed = Some(at);
            cx.timer(me, at - cx.now, Timer::Deadline(at));
        }
    }

    /// The request was answered (or abandoned).
    pub fn remove(&mut self, req: u64) {
        if let Some(at) = self.of.remove(&req) {
            self.by_time.remove(&(at, req));
        }
    }

    /// Handles `Timer::Deadline(at)`: returns the requests that timed out, oldest first.
    pub fn fire(&mut self, cx: &mut Core, me: NodeId, at: u64) -> Vec<u64> {
        if self.armed != Some(at) {
            return Vec::new();
        }
        self.armed = None;
        let mut out = Vec::new();
        while let Some(&(t, req)) = self.by_time.first() {
            if t > cx.now {
                break;
            }
            self.by_time.pop_first();
            self.of.remove(&req);
            out.push(req);
        }
        if let Some(&(t, _)) = self.by_time.first() {
            self.armed = Some(t);
            cx.timer(me, t - cx.now, Timer::Deadline(t));
        }
        out
    }

    /// Forgets everything (the node died).
    pub fn clear(&mut self) {
        self.by_time.clear();
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
