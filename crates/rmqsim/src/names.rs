//! Identities: node ids, interned topic names and the simulator's stable message identity.
//!
//! Topic names are interned once into [`TopicId`]s so the hot path compares
//! integers, not strings. The table is global to a run (like DNS, it is shared
//! naming, not shared state between nodes).

use crate::vecmap::SortedMap;
use std::rc::Rc;

/// Index of a node (NameServer, broker, producer or consumer) in the simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// An interned topic name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicId(pub u32);

/// The simulator's identity for one message a user sent: the same across send
/// attempts, the retry topic, the schedule topic and the DLQ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgRef(pub u64);

/// RocketMQ's system topics.
pub const SCHEDULE_TOPIC: &str = "SCHEDULE_TOPIC_XXXX";
pub const TBW102: &str = "TBW102";
pub const HALF_TOPIC: &str = "RMQ_SYS_TRANS_HALF_TOPIC";
pub const OP_HALF_TOPIC: &str = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
pub const CHECK_MAX_TOPIC: &str = "TRANS_CHECK_MAX_TIME_TOPIC";

pub fn retry_topic(group: &str) -> String {
    format!("%RETRY%{group}")
}

pub fn dlq_topic(group: &str) -> String {
    format!("%DLQ%{group}")
}

/// Interned topic names.
#[derive(Clone, Debug, Default)]
pub struct Topics {
    names: Vec<Rc<str>>,
    index: SortedMap<Rc<str>, TopicId>,
}

impl Topics {
    pub fn intern(&mut self, name: &str) -> TopicId {
        if let Some(id) = self.index.get(name) {
            return *id;
        }
        let id = TopicId(self.names.len() as u32);
        let rc: Rc<str> = Rc::from(name);
        self.names.push(rc.clone());
        self.index.insert(rc, id);
        id
    }

    pub fn find(&self, name: &str) -> Option<TopicId> {
        self.index.get(name).copied()
    }

    pub fn name(&self, id: TopicId) -> &Rc<str> {
        &self.names[id.0 as usize]
    }

    pub fn is_retry(&self, id: TopicId) -> bool {
        self.name(id).starts_with("%RETRY%")
    }
}
