//! The delay view's model: SCHEDULE_TOPIC_XXXX's 18 level queues on each
//! broker, every waiting message with its due time and countdown, and the hop
//! back to its real topic (the `stored` record that follows its
//! `delay_scheduled`), with how late the level's 100 ms timer delivered it.
//! Pure and natively tested.

use crate::order::SortedMap;

use rmqsim::snapshot::{NodeDetail, Snapshot};
use rmqsim::Record;

use super::common::{QueueRef, TopicKind, SCHEDULE_TOPIC};

/// At most this many chips per level; the rest are counted.
pub const MAX_CHIPS: usize = 8;
/// At most this many hops back are listed, newest first.
pub const MAX_HOPS: usize = 30;

/// Everything the delay view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DelayModel {
    pub brokers: Vec<BrokerLevels>,
    /// Newest first, at most [`MAX_HOPS`].
    pub hops: Vec<Hop>,
    /// How many hops back happened in all.
    pub hop_count: usize,
    /// Messages waiting on every broker and level.
    pub waiting: usize,
}

/// One broker's 18 levels.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerLevels {
    pub broker: String,
    pub alive: bool,
    pub levels: Vec<LevelRow>,
}

/// One level queue (`SCHEDULE_TOPIC_XXXX` queue `level - 1`).
#[derive(Clone, Debug, PartialEq)]
pub struct LevelRow {
    pub level: u32,
    pub delay_ms: u64,
    /// The first [`MAX_CHIPS`] waiting messages, in queue (= due) order.
    pub waiting: Vec<Waiting>,
    /// Waiting messages not drawn as chips.
    pub more: usize,
    /// The level's schedule offset: entries below it have been delivered.
    pub delivered_offset: u64,
}

/// A message waiting in a level queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub msg: u64,
    pub due: u64,
    /// `due - now`, zero once due (the level timer checks every 100 ms).
    pub remaining_ms: u64,
    /// The topic it goes back to (`%RETRY%group` for a retry), when the trace says.
    pub real_topic: Option<String>,
}

impl Waiting {
    /// Whether this wait is a consumer retry rather than a delayed send.
    pub fn is_retry(&self) -> bool {
        self.real_topic.as_deref().is_some_and(|t| TopicKind::of(t) == TopicKind::Retry)
    }
}

/// A delayed message moved back to its real topic.
#[derive(Clone, Debug, PartialEq)]
pub struct Hop {
    pub t: u64,
    pub msg: u64,
    pub level: u32,
    pub broker: String,
    pub topic: String,
    pub queue_id: u32,
    pub due: u64,
    /// `t - due`: the level timer polls every 100 ms (4.9.3+), so up to ~100 ms.
    pub late_ms: u64,
    pub why: String,
}

/// What the trace says about delayed messages; it changes only when the trace
/// does, so the view keeps it while the countdowns tick.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HopIndex {
    /// Every hop back, oldest first.
    pub hops: Vec<Hop>,
    /// The real topic of the latest schedule of each (broker, msg).
    pub real_topics: SortedMap<(String, u64), String>,
}

/// Builds the delay view's model at virtual time `now`.
pub fn delay_model(snapshot: &Snapshot, records: &[Record], now: u64) -> DelayModel {
    delay_levels(snapshot, &hop_index(records), now)
}

/// Reads the hops back and real topics from the trace.
pub fn hop_index(records: &[Record]) -> HopIndex {
    let (hops, real_topics) = hops_back(records);
    HopIndex { hops, real_topics }
}

/// The levels of each broker at `now`, with the trace's hops.
pub fn delay_levels(snapshot: &Snapshot, index: &HopIndex, now: u64) -> DelayModel {
    let real_topics = &index.real_topics;
    let brokers: Vec<BrokerLevels> = snapshot
        .nodes
        .iter()
        .filter_map(|node| match &node.detail {
            NodeDetail::Broker(b) => Some(BrokerLevels {
                broker: node.name.clone(),
                alive: node.alive,
                levels: b.delay_levels.iter().map(|l| level_row(l, &node.name, now, real_topics)).collect(),
            }),
            _ => None,
        })
        .collect();
    let waiting = brokers.iter().flat_map(|b| &b.levels).map(|l| l.waiting.len() + l.more).sum();
    let hop_count = index.hops.len();
    let hops = index.hops.iter().rev().take(MAX_HOPS).cloned().collect();
    DelayModel { brokers, hops, hop_count, waiting }
}

fn level_row(
    level: &rmqsim::snapshot::DelayLevelSnap,
    broker: &str,
    now: u64,
    real_topics: &SortedMap<(String, u64), String>,
) -> LevelRow {
    let waiting = level
        .waiting
        .iter()
        .take(MAX_CHIPS)
        .map(|&(msg, due)| Waiting {
            msg,
            due,
            remaining_ms: due.saturating_sub(now),
            real_topic: real_topics.get(&(broker.to_string(), msg)).cloned(),
        })
        .collect();
    LevelRow {
        level: level.level,
        delay_ms: level.delay_ms,
        waiting,
        more: level.waiting.len().saturating_sub(MAX_CHIPS),
        delivered_offset: level.delivered_offset,
    }
}

/// Pairs each `delay_scheduled` with the next `stored` of the same message on
/// the same broker outside the schedule topic: the hop back. Also returns the
/// real topic of the latest schedule of each (broker, msg).
fn hops_back(records: &[Record]) -> (Vec<Hop>, SortedMap<(String, u64), String>) {
    let mut parked: SortedMap<(String, u64), (u32, u64)> = SortedMap::new();
    let mut real_topics = SortedMap::new();
    let mut hops = Vec::new();
    for rec in records {
        let (Some(broker), Some(msg)) = (rec.str("broker"), rec.u("msg")) else { continue };
        match rec.event {
            "delay_scheduled" => {
                let level = rec.u("level").unwrap_or(0) as u32;
                parked.insert((broker.to_string(), msg), (level, rec.u("due").unwrap_or(rec.t)));
                if let Some(topic) = rec.str("real_topic") {
                    real_topics.insert((broker.to_string(), msg), topic.to_string());
                }
            }
            "stored" => {
                let Some(queue) = rec.str("queue").and_then(QueueRef::parse) else { continue };
                if queue.topic == SCHEDULE_TOPIC {
                    continue;
                }
                let Some((level, due)) = parked.remove(&(broker.to_string(), msg)) else { continue };
                hops.push(Hop {
                    t: rec.t,
                    msg,
                    level,
                    broker: broker.to_string(),
                    topic: queue.topic.to_string(),
                    queue_id: queue.queue_id,
                    due,
                    late_ms: rec.t.saturating_sub(due),
                    why: rec.str("why").unwrap_or_default().to_string(),
                });
            }
            _ => {}
        }
    }
    (hops, real_topics)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::common::testing::{run, run_until};

    fn level(model: &DelayModel, level: u32) -> &LevelRow {
        &model.brokers[0].levels[level as usize - 1]
    }

    #[test]
    fn eighteen_levels_from_one_second_to_two_hours() {
        let (records, snap) = run_until("delay-tutorial", 100);
        let model = delay_model(&snap, &records, 100);
        let levels = &model.brokers[0].levels;
        assert_eq!(levels.len(), 18);
        assert_eq!((levels[0].level, levels[0].delay_ms), (1, 1_000));
        assert_eq!((levels[17].level, levels[17].delay_ms), (18, 7_200_000));
        assert_eq!(model.waiting, 0);
    }

    #[test]
    fn delay_tutorial_parks_five_at_level_two_until_they_are_due() {
        let (records, snap) = run_until("delay-tutorial", 5_000);
        let model = delay_model(&snap, &records, 5_000);
        let two = level(&model, 2);
        assert_eq!(two.waiting.len(), 5);
        assert_eq!(model.waiting, 5);
        let first = &two.waiting[0];
        assert_eq!((first.msg, first.due, first.remaining_ms), (1, 7_007, 2_007));
        assert_eq!(first.real_topic.as_deref(), Some("TopicTest"));
        assert!(!first.is_retry());
        assert!(model.hops.is_empty());

        let (records, snap) = run("delay-tutorial");
        let model = delay_model(&snap, &records, snap.t);
        assert_eq!(level(&model, 2).waiting.len(), 0);
        assert_eq!(level(&model, 2).delivered_offset, 5);
        assert_eq!(model.hop_count, 5);
    }

    #[test]
    fn each_hop_back_says_where_and_how_late() {
        let (records, snap) = run("delay-tutorial");
        let model = delay_model(&snap, &records, snap.t);
        let first = model.hops.iter().find(|h| h.msg == 1).unwrap();
        assert_eq!((first.level, first.topic.as_str(), first.queue_id), (2, "TopicTest", 0));
        assert_eq!((first.t, first.due, first.late_ms), (7_100, 7_007, 93));
        assert!(first.why.contains("93 ms late"));
        assert!(model.hops.iter().all(|h| h.late_ms < 100));
    }

    #[test]
    fn retries_wait_in_the_schedule_topic_too() {
        let (records, snap) = run_until("retry-to-dlq", 6_000);
        let model = delay_model(&snap, &records, 6_000);
        let three = level(&model, 3);
        assert_eq!(three.waiting.len(), 1);
        assert!(three.waiting[0].is_retry(), "{:?}", three.waiting[0]);
        let (records, snap) = run("retry-to-dlq");
        let model = delay_model(&snap, &records, snap.t);
        // 16 retries: levels 3..=18, each back into %RETRY%g1.
        assert_eq!(model.hop_count, 16);
        assert!(model.hops.iter().all(|h| h.topic == "%RETRY%g1"));
        let mut levels: Vec<u32> = model.hops.iter().map(|h| h.level).collect();
        levels.sort_unstable();
        assert_eq!(levels, (3..=18).collect::<Vec<_>>());
    }
}
