//! The queue view's model: every topic's consume queues as lanes, grouped per
//! broker, in rocketmq-dashboard's vocabulary (min/max offset, each group's
//! consume offset and lag), with the consumer that owns each queue and the
//! rebalance history that explains why. Pure: `&Snapshot` + records in, plain
//! data out.

use crate::order::SortedMap;

use rmqsim::snapshot::{BrokerSnap, NodeDetail, QueueSnap, Snapshot, TopicSnap};
use rmqsim::{Record, Val};

use super::common::{consumers, TopicKind};

/// At most this many message cells per lane; older ones fold into an ellipsis.
pub const MAX_CELLS: usize = 14;
/// At most this many rebalances are listed, newest first.
pub const MAX_REBALANCES: usize = 40;

/// Everything the queue view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueModel {
    pub brokers: Vec<BrokerLanes>,
    /// Newest first, at most [`MAX_REBALANCES`].
    pub rebalances: Vec<RebalanceRow>,
    /// How many rebalances happened in all.
    pub rebalance_count: usize,
}

impl QueueModel {
    /// Whether there is no lane to draw.
    pub fn is_empty(&self) -> bool {
        self.brokers.iter().all(|b| b.topics.is_empty())
    }
}

/// One broker's topics.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerLanes {
    pub broker: String,
    pub alive: bool,
    pub topics: Vec<TopicLanes>,
}

/// One topic's queues on one broker.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicLanes {
    pub topic: String,
    pub kind: TopicKind,
    pub writeable: bool,
    pub lanes: Vec<Lane>,
}

/// One consume queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// `"broker:topic:qid"`, as the trace writes it.
    pub queue: String,
    pub queue_id: u32,
    pub min_offset: u64,
    pub max_offset: u64,
    /// Messages between `min_offset` and the first cell that are not drawn.
    pub older: u64,
    pub cells: Vec<Cell>,
    /// Broker-side consume offsets, one per group.
    pub offsets: Vec<GroupOffset>,
    /// Consumers that hold this queue now (several under BROADCASTING).
    pub owners: Vec<Owner>,
    /// The consumer holding the broker's orderly lock, by node name when known.
    pub locked_by: Option<String>,
}

/// One message in a lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub offset: u64,
    pub msg: u64,
    pub tags: Option<String>,
    pub reconsume_times: u32,
    /// Every group with an offset on this queue has moved past it.
    pub consumed: bool,
}

/// A consumer group's consume offset on a queue (the dashboard's "consumer offset" and "diff").
#[derive(Clone, Debug, PartialEq)]
pub struct GroupOffset {
    pub group: String,
    pub offset: u64,
    pub lag: u64,
    /// `Some(consumer)` when the broker has no offset for the group and this is
    /// the owning client's own commit point (BROADCASTING keeps offsets
    /// locally; a group that never committed has none on the broker yet).
    pub consumer: Option<String>,
}

/// A consumer that owns a queue.
#[derive(Clone, Debug, PartialEq)]
pub struct Owner {
    pub consumer: String,
    pub group: String,
    pub alive: bool,
    pub locked: bool,
    pub next_offset: Option<u64>,
    pub commit_offset: Option<u64>,
}

/// One `rebalance` record.
#[derive(Clone, Debug, PartialEq)]
pub struct RebalanceRow {
    pub t: u64,
    pub consumer: String,
    pub group: String,
    pub topic: String,
    pub queues: Vec<String>,
    pub why: String,
}

/// Builds the queue view's model.
pub fn queue_model(snapshot: &Snapshot, records: &[Record]) -> QueueModel {
    let owners = owners_by_queue(snapshot);
    let client_names: SortedMap<&str, &str> =
        consumers(snapshot).map(|(name, _, c)| (c.client_id.as_str(), name)).collect();
    let brokers = snapshot
        .nodes
        .iter()
        .filter_map(|node| match &node.detail {
            NodeDetail::Broker(b) => Some(broker_lanes(&node.name, node.alive, b, &owners, &client_names)),
            _ => None,
        })
        .collect();
    let all: Vec<RebalanceRow> = records.iter().filter(|r| r.event == "rebalance").map(rebalance_row).collect();
    let rebalance_count = all.len();
    let rebalances = all.into_iter().rev().take(MAX_REBALANCES).collect();
    QueueModel { brokers, rebalances, rebalance_count }
}

fn owners_by_queue(snapshot: &Snapshot) -> SortedMap<String, Vec<Owner>> {
    let mut map: SortedMap<String, Vec<Owner>> = SortedMap::new();
    for (name, alive, c) in consumers(snapshot) {
        for q in &c.queues {
            map.or_default(q.queue.clone()).push(Owner {
                consumer: name.to_string(),
                group: c.group.clone(),
                alive,
                locked: q.locked,
                next_offset: q.next_offset,
                commit_offset: q.commit_offset,
            });
        }
    }
    map
}

fn broker_lanes(
    broker: &str,
    alive: bool,
    snap: &BrokerSnap,
    owners: &SortedMap<String, Vec<Owner>>,
    client_names: &SortedMap<&str, &str>,
) -> BrokerLanes {
    let mut topics: Vec<TopicLanes> =
        snap.topics.iter().filter(|t| shows(t)).map(|t| topic_lanes(broker, t, owners, client_names)).collect();
    crate::order::sort_by(&mut topics, |a, b| (a.kind, &a.topic).cmp(&(b.kind, &b.topic)));
    BrokerLanes { broker: broker.to_string(), alive, topics }
}

/// System topics are hidden; retry and dead-letter topics only once they hold something.
fn shows(topic: &TopicSnap) -> bool {
    match TopicKind::of(&topic.name) {
        TopicKind::Normal => true,
        TopicKind::Retry | TopicKind::DeadLetter => topic.queues.iter().any(|q| q.max_offset > 0),
        TopicKind::Schedule | TopicKind::System => false,
    }
}

fn topic_lanes(
    broker: &str,
    topic: &TopicSnap,
    owners: &SortedMap<String, Vec<Owner>>,
    client_names: &SortedMap<&str, &str>,
) -> TopicLanes {
    let lanes = topic
        .queues
        .iter()
        .map(|q| {
            let queue = format!("{broker}:{}:{}", topic.name, q.queue_id);
            let owners = owners.get(&queue).cloned().unwrap_or_default();
            let locked_by = q.locked_by.as_deref().map(|cid| client_names.get(cid).copied().unwrap_or(cid).to_string());
            lane(queue, q, owners, locked_by)
        })
        .collect();
    TopicLanes { topic: topic.name.clone(), kind: TopicKind::of(&topic.name), writeable: topic.writeable, lanes }
}

fn lane(queue: String, q: &QueueSnap, owners: Vec<Owner>, locked_by: Option<String>) -> Lane {
    let mut offsets: Vec<GroupOffset> = q
        .consumer_offsets
        .iter()
        .map(|(group, offset, lag)| GroupOffset { group: group.clone(), offset: *offset, lag: *lag, consumer: None })
        .collect();
    for owner in &owners {
        let on_broker = q.consumer_offsets.iter().any(|(group, _, _)| *group == owner.group);
        if let (false, Some(offset)) = (on_broker, owner.commit_offset) {
            offsets.push(GroupOffset {
                group: owner.group.clone(),
                offset,
                lag: q.max_offset.saturating_sub(offset),
                consumer: Some(owner.consumer.clone()),
            });
        }
    }
    let consumed_below = offsets.iter().map(|o| o.offset).min().unwrap_or(0);
    let skip = q.recent.len().saturating_sub(MAX_CELLS);
    let cells: Vec<Cell> = q.recent[skip..]
        .iter()
        .map(|c| Cell {
            offset: c.offset,
            msg: c.msg,
            tags: c.tags.clone(),
            reconsume_times: c.reconsume_times,
            consumed: c.offset < consumed_below,
        })
        .collect();
    let first = cells.first().map_or(q.max_offset, |c| c.offset);
    Lane {
        queue,
        queue_id: q.queue_id,
        min_offset: q.min_offset,
        max_offset: q.max_offset,
        older: first.saturating_sub(q.min_offset),
        cells,
        offsets,
        owners,
        locked_by,
    }
}

fn rebalance_row(rec: &Record) -> RebalanceRow {
    let text = |key: &str| rec.str(key).unwrap_or_default().to_string();
    let queues = match rec.get("queues") {
        Some(Val::List(items)) => items.iter().map(|q| q.to_string()).collect(),
        _ => Vec::new(),
    };
    RebalanceRow {
        t: rec.t,
        consumer: text("consumer"),
        group: text("group"),
        topic: text("topic"),
        queues,
        why: text("why"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::common::testing::{run, run_until};

    fn lane_of<'a>(model: &'a QueueModel, queue: &str) -> &'a Lane {
        model
            .brokers
            .iter()
            .flat_map(|b| &b.topics)
            .flat_map(|t| &t.lanes)
            .find(|l| l.queue == queue)
            .unwrap_or_else(|| panic!("no lane {queue}"))
    }

    fn topics(model: &QueueModel) -> Vec<&str> {
        model.brokers.iter().flat_map(|b| &b.topics).map(|t| t.topic.as_str()).collect()
    }

    #[test]
    fn tutorial_lanes_hold_each_message_at_its_offset() {
        let (records, snap) = run("tutorial-basic");
        let model = queue_model(&snap, &records);
        // TBW102 is hidden; the empty retry topic too.
        assert_eq!(topics(&model), ["TopicTest"]);
        let q0 = lane_of(&model, "broker-a:TopicTest:0");
        assert_eq!((q0.min_offset, q0.max_offset, q0.older), (0, 2, 0));
        let cells: Vec<(u64, u64)> = q0.cells.iter().map(|c| (c.offset, c.msg)).collect();
        assert_eq!(cells, [(0, 1), (1, 5)]);
        assert_eq!(q0.cells[0].tags.as_deref(), Some("xbl"));
        assert!(q0.cells.iter().all(|c| c.consumed), "the group's offset is past both");
        let offset = GroupOffset { group: "python_consumer".into(), offset: 2, lag: 0, consumer: None };
        assert_eq!(q0.offsets, [offset]);
        assert_eq!(q0.owners.len(), 1);
        assert_eq!(q0.owners[0].consumer, "python_consumer");
        assert_eq!(lane_of(&model, "broker-a:TopicTest:3").cells.len(), 1);
    }

    #[test]
    fn retry_and_dlq_lanes_appear_once_they_hold_messages() {
        let (records, snap) = run_until("retry-to-dlq", 6_000);
        assert_eq!(topics(&queue_model(&snap, &records)), ["TopicTest"]);
        let (records, snap) = run("retry-to-dlq");
        let model = queue_model(&snap, &records);
        let shown: Vec<(&str, TopicKind)> =
            model.brokers.iter().flat_map(|b| &b.topics).map(|t| (t.topic.as_str(), t.kind)).collect();
        assert_eq!(
            shown,
            [("TopicTest", TopicKind::Normal), ("%RETRY%g1", TopicKind::Retry), ("%DLQ%g1", TopicKind::DeadLetter)]
        );
        let retry = lane_of(&model, "broker-a:%RETRY%g1:0");
        assert_eq!(retry.max_offset, 16);
        assert_eq!(retry.cells.len(), MAX_CELLS);
        assert_eq!(retry.older, 16 - MAX_CELLS as u64);
        assert_eq!(retry.cells.last().unwrap().reconsume_times, 16);
        let dlq = lane_of(&model, "broker-a:%DLQ%g1:0");
        assert_eq!(dlq.cells.iter().map(|c| c.msg).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn rebalance_history_is_newest_first_with_the_engines_reason() {
        let (records, snap) = run("rebalance-join-leave");
        let model = queue_model(&snap, &records);
        assert!(model.rebalance_count >= 3);
        let times: Vec<u64> = model.rebalances.iter().map(|r| r.t).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
        let first = model.rebalances.last().unwrap();
        assert_eq!(first.topic, "TopicTest");
        assert_eq!(first.queues.len(), 4);
        assert!(first.why.contains("allocate averagely"));
    }

    #[test]
    fn every_queue_has_exactly_the_owners_the_consumers_report() {
        let (records, snap) = run_until("rebalance-join-leave", 12_000);
        let model = queue_model(&snap, &records);
        let owned: usize =
            consumers(&snap).flat_map(|(_, _, c)| &c.queues).filter(|q| !q.queue.contains("%RETRY%")).count();
        let drawn: usize = model
            .brokers
            .iter()
            .flat_map(|b| &b.topics)
            .filter(|t| t.kind == TopicKind::Normal)
            .flat_map(|t| &t.lanes)
            .map(|l| l.owners.len())
            .sum();
        assert_eq!(drawn, owned);
    }

    #[test]
    fn orderly_locks_name_the_consumer_not_its_client_id() {
        let (records, snap) = run_until("orderly-poison", 8_000);
        let model = queue_model(&snap, &records);
        let stuck = lane_of(&model, "broker-a:OrderTopic:1");
        assert_eq!(stuck.locked_by.as_deref(), Some("c1"));
        // The poison message never commits, so the broker has no offset for
        // g1 here: the client's own commit point stands in, with the lag.
        let client = GroupOffset { group: "g1".into(), offset: 0, lag: 4, consumer: Some("c1".into()) };
        assert_eq!(stuck.offsets, [client]);
        assert!(stuck.cells.iter().all(|c| !c.consumed));
    }

    #[test]
    fn broadcasting_consumers_each_show_their_own_offset() {
        let (records, snap) = run("broadcasting");
        let model = queue_model(&snap, &records);
        let lane = lane_of(&model, "broker-a:TopicTest:0");
        let readers: Vec<Option<&str>> = lane.offsets.iter().map(|o| o.consumer.as_deref()).collect();
        assert_eq!(readers, [Some("c1"), Some("c2"), Some("c3")]);
    }

    #[test]
    fn long_lanes_fold_older_messages_into_an_ellipsis() {
        let recent = (36..100)
            .map(|offset| rmqsim::snapshot::MsgCell { offset, msg: offset + 1, tags: None, reconsume_times: 0 })
            .collect();
        let q = QueueSnap {
            queue_id: 0,
            min_offset: 30,
            max_offset: 100,
            consumer_offsets: vec![("g1".into(), 90, 10)],
            recent,
            locked_by: None,
        };
        let lane = lane("b:T:0".into(), &q, Vec::new(), None);
        assert_eq!(lane.cells.len(), MAX_CELLS);
        assert_eq!(lane.cells.first().unwrap().offset, 100 - MAX_CELLS as u64);
        assert_eq!(lane.older + lane.cells.len() as u64, 70);
        let consumed: Vec<bool> = lane.cells.iter().map(|c| c.consumed).collect();
        assert_eq!(consumed.iter().filter(|c| **c).count(), 90 - (100 - MAX_CELLS));
    }
}
