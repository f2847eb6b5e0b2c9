//! What every analysis view reads the same way: queue names
//! (`"broker:topic:qid"`), which topics are special (%RETRY%, %DLQ%, the
//! schedule topic, system topics), which messages a broker crash wiped, and a
//! memo key that compares shared data by identity. Pure and natively tested.

use crate::order::SortedSet;
use std::rc::Rc;

use rmqsim::snapshot::{ConsumerSnap, NodeDetail, Snapshot};

/// RocketMQ's schedule topic, where delayed messages and retries wait.
pub const SCHEDULE_TOPIC: &str = "SCHEDULE_TOPIC_XXXX";
/// Prefix of a consumer group's retry topic.
pub const RETRY_PREFIX: &str = "%RETRY%";
/// Prefix of a consumer group's dead-letter topic.
pub const DLQ_PREFIX: &str = "%DLQ%";

/// One consume queue, parsed from the trace's `"broker:topic:qid"` form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueRef<'a> {
    pub broker: &'a str,
    pub topic: &'a str,
    pub queue_id: u32,
}

impl<'a> QueueRef<'a> {
    /// Parses `"broker-a:TopicTest:0"`; topic names never contain `:`, broker
    /// names are taken up to the first one.
    pub fn parse(queue: &'a str) -> Option<QueueRef<'a>> {
        let (broker, rest) = queue.split_once(':')?;
        let (topic, qid) = rest.rsplit_once(':')?;
        Some(QueueRef { broker, topic, queue_id: qid.parse().ok()? })
    }
}

/// What a topic is for; the views colour and label each kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TopicKind {
    /// A topic users send to.
    Normal,
    /// `%RETRY%group`: failed messages coming back.
    Retry,
    /// `%DLQ%group`: messages that failed too often.
    DeadLetter,
    /// `SCHEDULE_TOPIC_XXXX`: delayed messages and retries waiting.
    Schedule,
    /// Broker housekeeping topics (TBW102, transaction half topics…).
    System,
}

impl TopicKind {
    pub fn of(topic: &str) -> TopicKind {
        if topic.starts_with(RETRY_PREFIX) {
            TopicKind::Retry
        } else if topic.starts_with(DLQ_PREFIX) {
            TopicKind::DeadLetter
        } else if topic == SCHEDULE_TOPIC {
            TopicKind::Schedule
        } else if topic == "TBW102" || topic.starts_with("RMQ_SYS_") || topic == "TRANS_CHECK_MAX_TIME_TOPIC" {
            TopicKind::System
        } else {
            TopicKind::Normal
        }
    }

    /// The CSS modifier the views use for this kind.
    pub fn class(self) -> &'static str {
        match self {
            TopicKind::Normal => "kind-normal",
            TopicKind::Retry => "kind-retry",
            TopicKind::DeadLetter => "kind-dlq",
            TopicKind::Schedule => "kind-delay",
            TopicKind::System => "kind-system",
        }
    }
}

/// The topic of a trace queue name, or the whole string if it does not parse.
pub fn topic_of(queue: &str) -> &str {
    QueueRef::parse(queue).map_or(queue, |q| q.topic)
}

/// The consumers in a snapshot, with their node names.
pub fn consumers(snapshot: &Snapshot) -> impl Iterator<Item = (&str, bool, &ConsumerSnap)> {
    snapshot.nodes.iter().filter_map(|node| match &node.detail {
        NodeDetail::Consumer(c) => Some((node.name.as_str(), node.alive, c)),
        _ => None,
    })
}

/// Consumers that keep their own offsets (BROADCASTING): each of them, not
/// their group, is one reader of every message.
pub fn broadcasting_consumers(snapshot: &Snapshot) -> SortedSet<String> {
    consumers(snapshot).filter(|(_, _, c)| c.model == "BROADCASTING").map(|(name, _, _)| name.to_string()).collect()
}

/// Which messages a broker's power loss wiped (shared with the engine's liveness checks).
pub use rmqsim::liveness::{messages_lost_in_crashes, wiped_by_data_loss};

/// A memo key that compares shared data by identity, not by value: the
/// driver publishes a new `Rc` whenever the data changes, and comparing a
/// long trace field by field on every render would cost more than the view.
#[derive(Debug)]
pub struct Same<T>(pub Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Clone for Same<T> {
    fn clone(&self) -> Self {
        Same(self.0.clone())
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Real runs of the engine's presets, shared by the view models' tests.

    use rmqsim::snapshot::Snapshot;
    use rmqsim::{Record, Sim, TraceMode};

    /// A preset run to its end: every record and the final snapshot.
    pub fn run(preset: &str) -> (Vec<Record>, Snapshot) {
        let mut sim = sim(preset);
        sim.run();
        (sim.core.trace.records().to_vec(), sim.snapshot())
    }

    /// A preset run up to virtual time `t`.
    pub fn run_until(preset: &str, t: u64) -> (Vec<Record>, Snapshot) {
        let mut sim = sim(preset);
        sim.run_until(t, u64::MAX);
        (sim.core.trace.records().to_vec(), sim.snapshot())
    }

    fn sim(preset: &str) -> Sim {
        let scenario = rmqsim::presets::find(preset).expect("preset exists").scenario().expect("preset is valid");
        Sim::new(scenario, TraceMode::Keep).expect("preset builds")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::Record;

    #[test]
    fn queue_names_parse() {
        let q = QueueRef::parse("broker-a:%RETRY%g1:0").unwrap();
        assert_eq!((q.broker, q.topic, q.queue_id), ("broker-a", "%RETRY%g1", 0));
        assert_eq!(QueueRef::parse("nonsense"), None);
        assert_eq!(QueueRef::parse("a:b:x"), None);
        assert_eq!(topic_of("broker-b:TopicTest:3"), "TopicTest");
    }

    #[test]
    fn topic_kinds() {
        assert_eq!(TopicKind::of("TopicTest"), TopicKind::Normal);
        assert_eq!(TopicKind::of("%RETRY%g1"), TopicKind::Retry);
        assert_eq!(TopicKind::of("%DLQ%g1"), TopicKind::DeadLetter);
        assert_eq!(TopicKind::of("SCHEDULE_TOPIC_XXXX"), TopicKind::Schedule);
        assert_eq!(TopicKind::of("TBW102"), TopicKind::System);
        assert_eq!(TopicKind::of("RMQ_SYS_TRANS_HALF_TOPIC"), TopicKind::System);
    }

    fn stored(t: u64, broker: &str, msg: u64) -> Record {
        Record::new(t, "stored").f("broker", broker).f("msg", msg).f("queue", format!("{broker}:T:0"))
    }

    #[test]
    fn a_power_loss_wipes_the_newest_appends_of_its_broker_only() {
        let records = vec![
            stored(1, "a", 1),
            stored(2, "a", 2),
            stored(3, "b", 3),
            stored(4, "a", 4),
            Record::new(5, "data_lost").f("broker", "a").f("messages", 2u64).f("first_msg", 2u64),
            stored(6, "a", 2),
        ];
        assert_eq!(wiped_by_data_loss(&records), vec![(4, vec![2, 4])]);
        // Message 2 was stored again after the crash; only 4 is gone.
        assert_eq!(messages_lost_in_crashes(&records), vec![(4, 4)]);
    }

    #[test]
    fn same_compares_by_identity() {
        let a = Rc::new(vec![1]);
        assert_eq!(Same(a.clone()), Same(a.clone()));
        assert_ne!(Same(a), Same(Rc::new(vec![1])));
    }
}
