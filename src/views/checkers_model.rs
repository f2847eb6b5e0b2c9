//! The live guarantee checkers: pure functions over the trace that watch what
//! RocketMQ promises and what it does not. Per-queue order (a group's
//! deliveries from one queue never go backwards, except after a rebalance or
//! restart), duplicates (at-least-once made visible), lost messages (sent but
//! never stored and kept), queues stuck behind a poison message, and groups
//! whose members subscribe differently (订阅关系不一致). Each finding names the
//! offending messages (or group) so the view can link to their passports.

use crate::order::{SortedMap, SortedSet};

use rmqsim::snapshot::Snapshot;
use rmqsim::Record;

use super::common::{broadcasting_consumers, messages_lost_in_crashes, topic_of};

/// A oneway (or unanswered) send is called lost once this long has passed
/// without the broker storing it: the default send timeout.
pub const LOST_GRACE_MS: u64 = 3_000;
/// At most this many waiting messages are listed behind a poison message.
pub const MAX_WAITING: usize = 20;

/// A checker's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warning,
}

/// All five checkers' findings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckReport {
    pub order: Vec<OrderViolation>,
    pub duplicates: Vec<Duplicate>,
    pub lost: Vec<LostMsg>,
    pub stuck: Vec<StuckQueue>,
    pub subscriptions: Vec<MixedSubscription>,
}

impl CheckReport {
    /// How many findings in all (the checkers tab's badge).
    pub fn count(&self) -> usize {
        self.order.len() + self.duplicates.len() + self.lost.len() + self.stuck.len() + self.subscriptions.len()
    }
}

/// The verdict of a list of findings.
pub fn status<T>(findings: &[T]) -> Status {
    if findings.is_empty() {
        Status::Ok
    } else {
        Status::Warning
    }
}

/// A delivery whose queue offset is below one already delivered to the same
/// group from the same queue, with no rebalance or restart in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderViolation {
    pub t: u64,
    pub group: String,
    pub queue: String,
    pub msg: u64,
    pub offset: u64,
    /// The message delivered before it from a higher offset.
    pub after_msg: u64,
    pub after_offset: u64,
}

/// A message one reader (a group, or a broadcasting consumer) got more than once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub reader: String,
    pub msg: u64,
    pub deliveries: u64,
    /// Deliveries after the first fresh one (reconsume 0 again, or after a success).
    pub duplicates: u64,
    /// When the first duplicate delivery happened.
    pub t: u64,
    pub consumers: Vec<String>,
}

/// Why a message is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LossCause {
    /// A broker power loss wiped its only stored copy.
    Crash { broker: String },
    /// It was sent (`mode`) but no broker ever stored it.
    NeverStored { mode: String },
    /// A transactional message that kept its delay level (C++ client): when the
    /// delay ended, `broker`'s schedule service found its real topic to be the
    /// half topic and discarded it, although the send said SEND_OK.
    ScheduleDiscarded { broker: String },
}

/// A message sent and never stored-and-kept, with nobody told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LostMsg {
    pub msg: u64,
    pub t: u64,
    pub cause: LossCause,
}

/// A queue held up by a message that keeps failing in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StuckQueue {
    pub queue: String,
    pub group: String,
    pub consumer: String,
    pub poison: u64,
    pub poison_offset: u64,
    /// How many times the queue was suspended for it.
    pub failures: u64,
    pub since: u64,
    /// Messages stored behind it and not yet delivered (at most [`MAX_WAITING`]).
    pub waiting: Vec<u64>,
    pub waiting_count: usize,
    /// Whether it still blocks (no success since its last failure).
    pub still_stuck: bool,
}

/// Members of one consumer group subscribing to one topic with different
/// expressions (订阅关系不一致), as the brokers report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MixedSubscription {
    pub group: String,
    pub topic: String,
    /// The differing expressions, as last reported.
    pub expressions: Vec<String>,
    /// When it was first reported.
    pub since: u64,
    /// The brokers that reported it.
    pub brokers: Vec<String>,
}

/// Runs every checker over the trace at virtual time `now`.
pub fn check(snapshot: &Snapshot, records: &[Record], now: u64) -> CheckReport {
    CheckReport {
        order: order_violations(records),
        duplicates: duplicates(records, &broadcasting_consumers(snapshot)),
        lost: lost_messages(records, now),
        stuck: stuck_queues(records),
        subscriptions: mixed_subscriptions(records),
    }
}

/// Groups whose members subscribe to a topic differently: one finding per
/// (group, topic) from its `subscriptions_differ` records, with the
/// expressions the last one lists (the set changes as members come and go).
pub fn mixed_subscriptions(records: &[Record]) -> Vec<MixedSubscription> {
    let mut found: Vec<MixedSubscription> = Vec::new();
    for rec in records.iter().filter(|r| r.event == "subscriptions_differ") {
        let (Some(group), Some(topic)) = (rec.str("group"), rec.str("topic")) else { continue };
        let expressions: Vec<String> = match rec.get("expressions") {
            Some(rmqsim::Val::List(items)) => items.iter().map(|e| e.to_string()).collect(),
            _ => Vec::new(),
        };
        let broker = rec.str("broker").unwrap_or_default();
        let i = match found.iter().position(|f| f.group == group && f.topic == topic) {
            Some(i) => i,
            None => {
                found.push(MixedSubscription {
                    group: group.to_string(),
                    topic: topic.to_string(),
                    expressions: Vec::new(),
                    since: rec.t,
                    brokers: Vec::new(),
                });
                found.len() - 1
            }
        };
        let f = &mut found[i];
        if !expressions.is_empty() {
            f.expressions = expressions;
        }
        if !broker.is_empty() && !f.brokers.iter().any(|b| b == broker) {
            f.brokers.push(broker.to_string());
        }
    }
    found
}

/// Per-queue order: each (group, queue)'s delivered offsets must not go
/// backwards. A new owner (`consume_from`), a rebalance of the group, an
/// offset reset, a fault or a deliberate local re-consume starts afresh.
pub fn order_violations(records: &[Record]) -> Vec<OrderViolation> {
    let mut last: SortedMap<(String, String), (u64, u64)> = SortedMap::new();
    let mut group_of: SortedMap<String, String> = SortedMap::new();
    let mut local_retry: SortedSet<(String, u64)> = SortedSet::new();
    let mut found = Vec::new();
    for rec in records {
        if let (Some(c), Some(g)) = (rec.str("consumer"), rec.str("group")) {
            group_of.insert(c.to_string(), g.to_string());
        }
        match rec.event {
            "fault" => last.clear(),
            "rebalance" => {
                let (group, topic) = (rec.str("group").unwrap_or_default(), rec.str("topic").unwrap_or_default());
                last.retain(|(g, q), _| !(g == group && topic_of(q) == topic));
            }
            "consume_from" | "offset_moved" => {
                let group =
                    rec.str("group").or_else(|| rec.str("consumer").and_then(|c| group_of.get(c)).map(|g| g.as_str()));
                if let (Some(g), Some(q)) = (group, rec.str("queue")) {
                    last.remove(&(g.to_string(), q.to_string()));
                }
            }
            "local_retry" => {
                if let (Some(c), Some(m)) = (rec.str("consumer"), rec.u("msg")) {
                    local_retry.insert((c.to_string(), m));
                }
            }
            "delivered" => {
                let (Some(g), Some(q), Some(msg), Some(off)) =
                    (rec.str("group"), rec.str("queue"), rec.u("msg"), rec.u("queue_offset"))
                else {
                    continue;
                };
                let consumer = rec.str("consumer").unwrap_or_default().to_string();
                let key = (g.to_string(), q.to_string());
                if local_retry.remove(&(consumer, msg)) {
                    last.insert(key, (off, msg));
                    continue;
                }
                if let Some(&(prev_off, prev_msg)) = last.get(&key) {
                    if off < prev_off {
                        found.push(OrderViolation {
                            t: rec.t,
                            group: key.0.clone(),
                            queue: key.1.clone(),
                            msg,
                            offset: off,
                            after_msg: prev_msg,
                            after_offset: prev_off,
                        });
                    }
                }
                let keep = last.get(&key).is_some_and(|&(prev, _)| prev > off);
                if !keep {
                    last.insert(key, (off, msg));
                }
            }
            _ => {}
        }
    }
    found
}

/// At-least-once made visible: a message delivered to the same reader with
/// reconsume count 0 a second time, or delivered again after it was consumed
/// successfully. A reader is a group, or each consumer of a broadcasting group.
pub fn duplicates(records: &[Record], broadcasting: &SortedSet<String>) -> Vec<Duplicate> {
    #[derive(Default)]
    struct Seen {
        fresh: u64,
        deliveries: u64,
        duplicates: u64,
        succeeded: bool,
        first_dup: Option<u64>,
        consumers: Vec<String>,
    }
    // Keyed by message first, so new entries land at the end of the sorted
    // vector; for equal (t, msg) the final sort keeps reader order as before.
    let mut seen: SortedMap<(u64, String), Seen> = SortedMap::new();
    let reader = |rec: &Record| -> Option<String> {
        let consumer = rec.str("consumer")?;
        Some(if broadcasting.contains(consumer) { consumer.to_string() } else { rec.str("group")?.to_string() })
    };
    for rec in records.iter().filter(|r| matches!(r.event, "delivered" | "consumed")) {
        let (Some(reader), Some(msg)) = (reader(rec), rec.u("msg")) else { continue };
        let s = seen.or_default((msg, reader));
        if rec.event == "consumed" {
            s.succeeded |= rec.str("result") == Some("CONSUME_SUCCESS");
            continue;
        }
        let fresh = rec.u("reconsume_times") == Some(0);
        s.deliveries += 1;
        if (fresh && s.fresh > 0) || s.succeeded {
            s.duplicates += 1;
            s.first_dup.get_or_insert(rec.t);
        }
        s.fresh += u64::from(fresh);
        let consumer = rec.str("consumer").unwrap_or_default();
        if !s.consumers.iter().any(|c| c == consumer) {
            s.consumers.push(consumer.to_string());
        }
    }
    let mut found: Vec<Duplicate> = seen
        .into_iter()
        .filter(|(_, s)| s.duplicates > 0)
        .map(|((msg, reader), s)| Duplicate {
            reader,
            msg,
            deliveries: s.deliveries,
            duplicates: s.duplicates,
            t: s.first_dup.unwrap_or(0),
            consumers: s.consumers,
        })
        .collect();
    crate::order::sort_by_key(&mut found, |d| (d.t, d.msg));
    found
}

/// Messages that were sent and are not stored anywhere, with nobody told:
/// wiped by a broker's power loss (and not consumed before), never stored
/// at all although the send is over (oneway, or answered) for
/// [`LOST_GRACE_MS`], or discarded by a broker's schedule service when their
/// delay ended (`schedule_discarded`: a transactional message that kept its
/// delay level; unless its transaction was rolled back, which means nobody
/// wanted it delivered). A send that failed with an exception is not silent,
/// so not listed.
pub fn lost_messages(records: &[Record], now: u64) -> Vec<LostMsg> {
    #[derive(Default)]
    struct Sent {
        last_attempt: u64,
        mode: String,
        stored: bool,
        over: bool,
        failed: bool,
        consumed: bool,
        rolled_back: bool,
        /// The first `schedule_discarded`: (time, broker).
        discarded: Option<(u64, String)>,
    }
    let mut sent: SortedMap<u64, Sent> = SortedMap::new();
    for rec in records {
        let Some(msg) = rec.u("msg") else { continue };
        match rec.event {
            "send_attempt" => {
                let s = sent.or_default(msg);
                s.last_attempt = rec.t;
                s.mode = rec.str("mode").unwrap_or_default().to_string();
                s.over |= s.mode == "oneway";
            }
            "stored" => sent.or_default(msg).stored = true,
            "send_result" | "callback_lost" => sent.or_default(msg).over = true,
            "send_failed" => sent.or_default(msg).failed = true,
            "consumed" if rec.str("result") == Some("CONSUME_SUCCESS") => sent.or_default(msg).consumed = true,
            "txn_end" if rec.str("state") == Some("ROLLBACK_MESSAGE") => sent.or_default(msg).rolled_back = true,
            "schedule_discarded" => {
                let s = sent.or_default(msg);
                if s.discarded.is_none() {
                    s.discarded = Some((rec.t, rec.str("broker").unwrap_or_default().to_string()));
                }
            }
            _ => {}
        }
    }
    let mut lost: Vec<LostMsg> = sent
        .iter()
        .filter(|(_, s)| !s.mode.is_empty() && !s.stored && !s.failed && s.over)
        .filter(|(_, s)| now >= s.last_attempt + LOST_GRACE_MS)
        .map(|(&msg, s)| LostMsg { msg, t: s.last_attempt, cause: LossCause::NeverStored { mode: s.mode.clone() } })
        .collect();
    let discarded = |s: &Sent| s.discarded.is_some() && !s.rolled_back && !s.consumed && !s.failed;
    for (&msg, s) in sent.iter().filter(|(_, s)| discarded(s)) {
        let Some((t, broker)) = s.discarded.clone() else { continue };
        lost.push(LostMsg { msg, t, cause: LossCause::ScheduleDiscarded { broker } });
    }
    for (msg, index) in messages_lost_in_crashes(records) {
        if sent.get(&msg).is_some_and(|s| s.consumed || s.failed || discarded(s)) {
            continue;
        }
        let rec = &records[index];
        lost.push(LostMsg {
            msg,
            t: rec.t,
            cause: LossCause::Crash { broker: rec.str("broker").unwrap_or_default().into() },
        });
    }
    crate::order::sort_by_key(&mut lost, |l| (l.t, l.msg));
    lost
}

/// Queues stuck behind a poison message: every `queue_suspended` names the
/// queue; the message is the one last delivered from it by that consumer.
pub fn stuck_queues(records: &[Record]) -> Vec<StuckQueue> {
    let mut last_delivery: SortedMap<(String, String), (u64, u64, String)> = SortedMap::new();
    let mut found: Vec<StuckQueue> = Vec::new();
    for rec in records {
        match rec.event {
            "delivered" => {
                let (Some(c), Some(q), Some(m), Some(o)) =
                    (rec.str("consumer"), rec.str("queue"), rec.u("msg"), rec.u("queue_offset"))
                else {
                    continue;
                };
                let group = rec.str("group").unwrap_or_default().to_string();
                last_delivery.insert((c.to_string(), q.to_string()), (m, o, group));
            }
            "queue_suspended" => {
                let (Some(c), Some(q)) = (rec.str("consumer"), rec.str("queue")) else { continue };
                let Some((msg, offset, group)) = last_delivery.get(&(c.to_string(), q.to_string())).cloned() else {
                    continue;
                };
                match found.iter_mut().find(|s| s.queue == q && s.poison == msg) {
                    Some(s) => s.failures += 1,
                    None => found.push(StuckQueue {
                        queue: q.to_string(),
                        group,
                        consumer: c.to_string(),
                        poison: msg,
                        poison_offset: offset,
                        failures: 1,
                        since: rec.t,
                        waiting: Vec::new(),
                        waiting_count: 0,
                        still_stuck: true,
                    }),
                }
            }
            _ => {}
        }
    }
    for s in &mut found {
        fill_waiting(s, records);
    }
    found
}

fn fill_waiting(s: &mut StuckQueue, records: &[Record]) {
    let on_queue = |r: &&Record| r.str("queue") == Some(s.queue.as_str());
    let delivered: SortedSet<u64> = records
        .iter()
        .filter(on_queue)
        .filter(|r| r.event == "delivered" && r.str("group") == Some(s.group.as_str()))
        .filter_map(|r| r.u("msg"))
        .collect();
    let behind: Vec<u64> = records
        .iter()
        .filter(on_queue)
        .filter(|r| r.event == "stored" && r.u("queue_offset").is_some_and(|o| o > s.poison_offset))
        .filter_map(|r| r.u("msg"))
        .filter(|m| !delivered.contains(m))
        .collect();
    s.waiting_count = behind.len();
    s.waiting = behind.into_iter().take(MAX_WAITING).collect();
    s.still_stuck = !records.iter().any(|r| {
        r.event == "consumed"
            && r.u("msg") == Some(s.poison)
            && r.str("group") == Some(s.group.as_str())
            && r.str("result") == Some("CONSUME_SUCCESS")
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::common::testing::{run, run_until};

    fn delivered(t: u64, consumer: &str, queue: &str, msg: u64, offset: u64, rt: u64) -> Record {
        Record::new(t, "delivered")
            .f("consumer", consumer)
            .f("group", "g1")
            .f("msg", msg)
            .f("queue", queue)
            .f("queue_offset", offset)
            .f("reconsume_times", rt)
    }

    #[test]
    fn healthy_presets_pass_every_checker() {
        for preset in ["tutorial-basic", "orderly-by-key", "delay-tutorial", "retry-to-dlq", "tag-filtering"] {
            let (records, snap) = run(preset);
            let report = check(&snap, &records, snap.t);
            assert!(report.order.is_empty(), "{preset}: {:?}", report.order);
            assert!(report.duplicates.is_empty(), "{preset}: {:?}", report.duplicates);
            assert!(report.lost.is_empty(), "{preset}: {:?}", report.lost);
            assert!(report.stuck.is_empty(), "{preset}: {:?}", report.stuck);
            assert!(report.subscriptions.is_empty(), "{preset}: {:?}", report.subscriptions);
        }
    }

    #[test]
    fn broadcasting_is_not_duplication() {
        let (records, snap) = run("broadcasting");
        assert!(check(&snap, &records, snap.t).duplicates.is_empty());
    }

    #[test]
    fn a_consumer_crash_redelivers_what_it_had_not_committed() {
        let (records, snap) = run("duplicates-after-crash");
        let report = check(&snap, &records, snap.t);
        assert!(!report.duplicates.is_empty());
        assert_eq!(status(&report.duplicates), Status::Warning);
        let first = &report.duplicates[0];
        assert_eq!(first.reader, "g1");
        assert_eq!(first.consumers, ["c1", "c2"]);
        assert_eq!((first.deliveries, first.duplicates), (2, 1));
        // The new owner resumes from the committed offset: not an order violation.
        assert!(report.order.is_empty(), "{:?}", report.order);
    }

    #[test]
    fn an_orderly_queue_is_stuck_behind_its_poison_message() {
        let (records, snap) = run_until("orderly-poison", 20_000);
        let report = check(&snap, &records, 20_000);
        assert_eq!(report.stuck.len(), 1, "{:?}", report.stuck);
        let s = &report.stuck[0];
        assert_eq!((s.queue.as_str(), s.poison, s.poison_offset), ("broker-a:OrderTopic:1", 1, 0));
        assert!(s.still_stuck);
        assert!(s.failures >= 10);
        assert!(s.waiting.starts_with(&[2, 4, 6]), "{:?}", s.waiting);
        assert_eq!(s.waiting_count, s.waiting.len());
        assert!(report.order.is_empty(), "{:?}", report.order);
        assert!(report.duplicates.is_empty(), "retries in place are not duplicates: {:?}", report.duplicates);
    }

    #[test]
    fn oneway_sends_to_a_dead_broker_are_lost() {
        let (records, snap) = run("oneway-loss");
        let lost = lost_messages(&records, snap.t);
        let msgs: Vec<u64> = lost.iter().map(|l| l.msg).collect();
        assert_eq!(msgs, [5, 6, 9, 10]);
        assert_eq!(lost[0].cause, LossCause::NeverStored { mode: "oneway".into() });
        // Just after the send, it may still be on the wire.
        assert!(lost_messages(&records[..], 6_001).iter().all(|l| l.msg != 5));
    }

    #[test]
    fn a_power_loss_after_send_ok_loses_the_message() {
        let records = vec![
            Record::new(1, "send_attempt").f("msg", 7u64).f("mode", "sync").f("queue", "a:T:0"),
            Record::new(2, "stored").f("broker", "a").f("msg", 7u64).f("queue", "a:T:0").f("queue_offset", 0u64),
            Record::new(3, "send_result").f("msg", 7u64).f("status", "SEND_OK"),
            Record::new(9, "data_lost").f("broker", "a").f("messages", 1u64).f("first_msg", 7u64),
        ];
        let lost = lost_messages(&records, 10);
        assert_eq!(lost, [LostMsg { msg: 7, t: 9, cause: LossCause::Crash { broker: "a".into() } }]);
    }

    #[test]
    fn order_goes_backwards_only_as_a_violation_without_a_reset() {
        let q = "a:T:0";
        let mut records =
            vec![delivered(1, "c1", q, 1, 0, 0), delivered(2, "c1", q, 2, 1, 0), delivered(3, "c1", q, 3, 2, 0)];
        records.push(delivered(4, "c1", q, 2, 1, 0));
        let found = order_violations(&records);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].msg, found[0].offset, found[0].after_msg, found[0].after_offset), (2, 1, 3, 2));

        records.insert(3, Record::new(4, "consume_from").f("consumer", "c1").f("group", "g1").f("queue", q));
        assert!(order_violations(&records).is_empty());
    }

    /// A preset's scenario with its JSON edited, run to its end under `client`.
    fn run_edited(preset: &str, client: rmqsim::Flavor, edit: impl Fn(&str) -> String) -> (Vec<Record>, Snapshot) {
        let json = edit(rmqsim::presets::find(preset).expect("preset exists").json);
        let mut scenario = rmqsim::Scenario::from_json(&json).expect("edited preset is valid");
        scenario.client = client;
        let mut sim = rmqsim::Sim::new(scenario, rmqsim::TraceMode::Keep).expect("builds");
        sim.run();
        (sim.core.trace.records().to_vec(), sim.snapshot())
    }

    #[test]
    fn a_transactional_message_that_kept_its_delay_level_is_lost_when_due() {
        let sent = |t: u64| {
            vec![
                Record::new(t, "send_attempt").f("msg", 3u64).f("mode", "transaction").f("queue", "a:T:0"),
                Record::new(t + 1, "stored")
                    .f("broker", "a")
                    .f("msg", 3u64)
                    .f("queue", "a:SCHEDULE_TOPIC_XXXX:1")
                    .f("queue_offset", 0u64),
                Record::new(t + 2, "send_result").f("msg", 3u64).f("status", "SEND_OK"),
            ]
        };
        let mut records = sent(1);
        records.push(Record::new(5_000, "schedule_discarded").f("broker", "a").f("msg", 3u64));
        records.push(Record::new(5_001, "schedule_discarded").f("broker", "a").f("msg", 3u64));
        let lost = lost_messages(&records, 9_000);
        assert_eq!(lost, [LostMsg { msg: 3, t: 5_000, cause: LossCause::ScheduleDiscarded { broker: "a".into() } }]);
        // Rolled back: nobody wanted it delivered, so nothing is lost.
        let mut rolled_back = sent(1);
        rolled_back.push(Record::new(4, "txn_end").f("msg", 3u64).f("state", "ROLLBACK_MESSAGE"));
        rolled_back.push(Record::new(5_000, "schedule_discarded").f("broker", "a").f("msg", 3u64));
        assert!(lost_messages(&rolled_back, 9_000).is_empty());

        // The real thing: the C++ client keeps the delay level of a transactional send, the
        // committed copy is parked for the half topic and discarded when due; Java clears it.
        let delayed = |json: &str| {
            json.replace(r#""local_result": "COMMIT_MESSAGE""#, r#""local_result": "COMMIT_MESSAGE", "delay_level": 2"#)
        };
        let (records, snap) = run_edited("transaction-commit", rmqsim::Flavor::PythonCpp, delayed);
        let lost = lost_messages(&records, snap.t);
        assert_eq!(lost.iter().map(|l| l.msg).collect::<Vec<_>>(), [1, 2], "{lost:?}");
        assert!(lost.iter().all(|l| l.cause == LossCause::ScheduleDiscarded { broker: "broker-a".into() }));
        let (records, snap) = run_edited("transaction-commit", rmqsim::Flavor::Java4, delayed);
        assert!(lost_messages(&records, snap.t).is_empty());
    }

    #[test]
    fn members_of_a_group_that_subscribe_differently_are_one_finding() {
        let differ = |t: u64, broker: &str, exprs: &[&str]| {
            Record::new(t, "subscriptions_differ")
                .f("broker", broker)
                .f("group", "g1")
                .f("topic", "T")
                .f("expressions", exprs.iter().map(|e| std::rc::Rc::from(*e)).collect::<Vec<std::rc::Rc<str>>>())
        };
        let records = vec![
            differ(10, "a", &["*", "TagA"]),
            differ(11, "b", &["*", "TagA"]),
            differ(20, "a", &["*", "TagA", "TagB"]),
        ];
        let found = mixed_subscriptions(&records);
        assert_eq!(
            found,
            [MixedSubscription {
                group: "g1".into(),
                topic: "T".into(),
                expressions: vec!["*".into(), "TagA".into(), "TagB".into()],
                since: 10,
                brokers: vec!["a".into(), "b".into()],
            }]
        );
        assert_eq!(status(&found), Status::Warning);

        // The real thing: the tag-filtering preset with both consumers in one group.
        for client in [rmqsim::Flavor::PythonCpp, rmqsim::Flavor::Java4] {
            let (records, snap) = run_edited("tag-filtering", client, |json| {
                json.replace(r#""group": "everything""#, r#""group": "only-a-c""#)
            });
            let report = check(&snap, &records, snap.t);
            assert_eq!(report.subscriptions.len(), 1, "{client:?}: {:?}", report.subscriptions);
            let f = &report.subscriptions[0];
            assert_eq!((f.group.as_str(), f.topic.as_str()), ("only-a-c", "TopicTest"));
            assert_eq!(f.expressions, ["*", "TagA || TagC"]);
            assert_eq!(f.brokers, ["broker-a"]);
        }
    }

    #[test]
    fn a_second_fresh_delivery_is_a_duplicate() {
        let q = "a:T:0";
        let records = vec![delivered(1, "c1", q, 1, 0, 0), delivered(5, "c2", q, 1, 0, 0)];
        let found = duplicates(&records, &SortedSet::new());
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].t, found[0].duplicates), (5, 1));
    }
}
