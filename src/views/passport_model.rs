//! The message passport's model: one message's whole life, from the trace, in
//! time order. Every send attempt, broker append, delay, delivery, listener
//! result, retry, dead-lettering and loss, each with its virtual time, its
//! fields and the engine's own reason, under a header that sums it up (topic,
//! tags, producer, final fate). Pure and natively tested.

use rmqsim::snapshot::{NodeDetail, Snapshot};
use rmqsim::{Record, Val};

use super::checkers_model::lost_messages;
use super::common::{topic_of, wiped_by_data_loss, TopicKind, SCHEDULE_TOPIC};
use super::format;

/// One message's passport.
#[derive(Clone, Debug, PartialEq)]
pub struct MsgPassport {
    pub msg: u64,
    pub header: Header,
    pub steps: Vec<Step>,
}

/// The summary above the steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub topic: Option<String>,
    pub tags: Option<String>,
    pub keys: Option<String>,
    pub producer: Option<String>,
    pub mode: Option<String>,
    /// RocketMQ's msgId of the first attempt (UNIQ_KEY).
    pub msg_id: Option<String>,
    pub attempts: u64,
    pub deliveries: u64,
    /// Groups whose listener returned CONSUME_SUCCESS for it.
    pub consumed_by: Vec<String>,
    pub fate: Fate,
}

/// How the message's story ends (so far).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// A listener returned CONSUME_SUCCESS.
    Consumed,
    /// It is in `%DLQ%group`.
    DeadLettered { group: String },
    /// Gone without anyone being told (power loss, oneway to a dead broker).
    Lost,
    /// The producer got an exception: the send failed as a whole.
    SendFailed,
    /// Still on its way; `due` when it waits in a delay level.
    Pending { due: Option<u64> },
}

/// Where a step happens, for its colour and icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    Send,
    Store,
    Delay,
    Deliver,
    Consume,
    Retry,
    DeadLetter,
    Loss,
    Other,
}

impl StepKind {
    /// The CSS modifier of this kind.
    pub fn class(self) -> &'static str {
        match self {
            StepKind::Send => "step-send",
            StepKind::Store => "step-store",
            StepKind::Delay => "step-delay",
            StepKind::Deliver => "step-deliver",
            StepKind::Consume => "step-consume",
            StepKind::Retry => "step-retry",
            StepKind::DeadLetter => "step-dlq",
            StepKind::Loss => "step-loss",
            StepKind::Other => "step-other",
        }
    }
}

/// One trace record in the message's life.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub t: u64,
    /// The trace's event name (`send_attempt`, `stored`, …).
    pub event: &'static str,
    pub kind: StepKind,
    /// The record's fields in its own order, minus `msg` and `why`, as text.
    pub fields: Vec<(&'static str, String)>,
    pub why: String,
}

/// The passport of `msg`, or `None` if the trace never mentions it.
pub fn passport(snapshot: &Snapshot, records: &[Record], msg: u64, now: u64) -> Option<MsgPassport> {
    let wiped: Vec<usize> =
        wiped_by_data_loss(records).into_iter().filter(|(_, msgs)| msgs.contains(&msg)).map(|(i, _)| i).collect();
    let mine: Vec<&Record> = records
        .iter()
        .enumerate()
        .filter(|(i, r)| r.u("msg") == Some(msg) || wiped.contains(i))
        .map(|(_, r)| r)
        .collect();
    if mine.is_empty() {
        return None;
    }
    let steps = mine.iter().map(|r| step(r)).collect();
    let header = header(snapshot, records, &mine, msg, now);
    Some(MsgPassport { msg, header, steps })
}

fn step(rec: &Record) -> Step {
    let fields = rec
        .fields
        .iter()
        .filter(|(k, _)| !matches!(*k, "msg" | "why"))
        .filter_map(|(k, v)| value_text(k, v).map(|text| (*k, text)))
        .collect();
    Step { t: rec.t, event: rec.event, kind: kind(rec), fields, why: rec.str("why").unwrap_or_default().to_string() }
}

fn value_text(key: &str, v: &Val) -> Option<String> {
    Some(match v {
        Val::U(x) if key == "due" => format::instant(*x),
        Val::U(x) => x.to_string(),
        Val::I(x) => x.to_string(),
        Val::S(s) => s.to_string(),
        Val::B(b) => b.to_string(),
        Val::List(items) => items.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join(", "),
        Val::Null => return None,
    })
}

fn kind(rec: &Record) -> StepKind {
    match rec.event {
        "send_attempt" | "send_result" | "send_error" | "send_rejected" | "store_status" => StepKind::Send,
        "txn_local" | "txn_check" | "txn_end" => StepKind::Send,
        "stored" => match rec.str("queue").map(|q| TopicKind::of(topic_of(q))) {
            Some(TopicKind::Retry) => StepKind::Retry,
            Some(TopicKind::DeadLetter) => StepKind::DeadLetter,
            Some(TopicKind::Schedule) => StepKind::Delay,
            _ => StepKind::Store,
        },
        "delay_scheduled" => StepKind::Delay,
        "delivered" => StepKind::Deliver,
        "consumed" => StepKind::Consume,
        "retry_scheduled" | "local_retry" => StepKind::Retry,
        "dead_lettered" => StepKind::DeadLetter,
        "send_failed" | "callback_lost" | "data_lost" | "consume_dropped" | "schedule_discarded" => StepKind::Loss,
        _ => StepKind::Other,
    }
}

fn header(snapshot: &Snapshot, records: &[Record], mine: &[&Record], msg: u64, now: u64) -> Header {
    let first = |event: &str| mine.iter().find(|r| r.event == event);
    let attempt = first("send_attempt");
    let topic = attempt
        .and_then(|r| r.str("topic"))
        .map(str::to_string)
        .or_else(|| attempt.and_then(|r| r.str("queue")).map(|q| topic_of(q).to_string()))
        .or_else(|| first("stored").and_then(|r| r.str("queue")).map(|q| topic_of(q).to_string()));
    let mut consumed_by: Vec<String> = mine
        .iter()
        .filter(|r| r.event == "consumed" && r.str("result") == Some("CONSUME_SUCCESS"))
        .filter_map(|r| r.str("group").map(str::to_string))
        .collect();
    consumed_by.dedup();
    Header {
        topic,
        tags: attempt.and_then(|r| r.str("tags")).map(str::to_string).or_else(|| tags_of(snapshot, msg)),
        keys: attempt.and_then(|r| r.str("keys")).map(str::to_string),
        producer: attempt.and_then(|r| r.str("producer")).map(str::to_string),
        mode: attempt.and_then(|r| r.str("mode")).map(str::to_string),
        msg_id: attempt.and_then(|r| r.str("msg_id")).map(str::to_string),
        attempts: mine.iter().filter(|r| r.event == "send_attempt").count() as u64,
        deliveries: mine.iter().filter(|r| r.event == "delivered").count() as u64,
        fate: fate(records, mine, msg, now, !consumed_by.is_empty()),
        consumed_by,
    }
}

/// Tags of a message whose send is no longer in the kept trace: a broker's recent cells carry them.
fn tags_of(snapshot: &Snapshot, msg: u64) -> Option<String> {
    snapshot
        .nodes
        .iter()
        .filter_map(|n| match &n.detail {
            NodeDetail::Broker(b) => Some(b),
            _ => None,
        })
        .flat_map(|b| &b.topics)
        .flat_map(|t| &t.queues)
        .flat_map(|q| &q.recent)
        .find(|c| c.msg == msg)
        .and_then(|c| c.tags.clone())
}

fn fate(records: &[Record], mine: &[&Record], msg: u64, now: u64, consumed: bool) -> Fate {
    if let Some(r) = mine.iter().rev().find(|r| r.event == "dead_lettered") {
        return Fate::DeadLettered { group: r.str("group").unwrap_or_default().to_string() };
    }
    if consumed {
        return Fate::Consumed;
    }
    if mine.iter().any(|r| r.event == "send_failed") {
        return Fate::SendFailed;
    }
    if lost_messages(records, now).iter().any(|l| l.msg == msg) {
        return Fate::Lost;
    }
    let last_delay = mine.iter().rposition(|r| r.event == "delay_scheduled");
    let last_store =
        mine.iter().rposition(|r| r.event == "stored" && r.str("queue").is_some_and(|q| topic_of(q) != SCHEDULE_TOPIC));
    let due = match (last_delay, last_store) {
        (Some(d), Some(s)) if d < s => None,
        (Some(d), _) => mine[d].u("due"),
        _ => None,
    };
    Fate::Pending { due }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::common::testing::{run, run_until};

    fn events(p: &MsgPassport) -> Vec<&str> {
        p.steps.iter().map(|s| s.event).collect()
    }

    #[test]
    fn tutorial_message_one_from_send_to_consume() {
        let (records, snap) = run("tutorial-basic");
        let p = passport(&snap, &records, 1, snap.t).unwrap();
        // The broker's append reaches the consumer (long poll) before the
        // producer hears SEND_OK: the trace's real order.
        assert_eq!(events(&p), ["send_attempt", "stored", "delivered", "send_result", "consumed"]);
        let times: Vec<u64> = p.steps.iter().map(|s| s.t).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        let h = &p.header;
        assert_eq!(h.topic.as_deref(), Some("TopicTest"));
        assert_eq!(h.tags.as_deref(), Some("xbl"));
        assert_eq!(h.keys.as_deref(), Some("xin"), "keys come from the send_attempt record");
        assert_eq!(h.producer.as_deref(), Some("producer"));
        assert_eq!((h.attempts, h.deliveries), (1, 1));
        assert_eq!(h.consumed_by, ["python_consumer"]);
        assert_eq!(h.fate, Fate::Consumed);
        let stored = &p.steps[1];
        assert_eq!(stored.kind, StepKind::Store);
        let field = |k: &str| stored.fields.iter().find(|(key, _)| *key == k).map(|(_, v)| v.as_str());
        assert_eq!(field("queue"), Some("broker-a:TopicTest:0"));
        assert_eq!(field("queue_offset"), Some("0"));
        assert_eq!(field("commitlog_offset"), Some("0"));
        assert!(stored.why.contains("commit log"));
        assert!(p.steps[0].fields.iter().any(|(k, v)| *k == "msg_id" && !v.is_empty()));
    }

    #[test]
    fn a_dead_letter_passport_walks_every_level() {
        let (records, snap) = run("retry-to-dlq");
        let p = passport(&snap, &records, 1, snap.t).unwrap();
        assert_eq!(p.header.fate, Fate::DeadLettered { group: "g1".into() });
        let count = |e: &str| p.steps.iter().filter(|s| s.event == e).count();
        assert_eq!((count("delivered"), count("retry_scheduled"), count("delay_scheduled")), (17, 16, 16));
        assert_eq!(count("dead_lettered"), 1);
        assert_eq!(p.steps.last().unwrap().kind, StepKind::DeadLetter);
        let delay = p.steps.iter().find(|s| s.event == "delay_scheduled").unwrap();
        assert!(delay.fields.iter().any(|(k, v)| *k == "due" && v == "15.010s"), "{:?}", delay.fields);
    }

    #[test]
    fn a_delayed_message_is_pending_until_its_due_time() {
        let (records, snap) = run_until("delay-tutorial", 5_000);
        let p = passport(&snap, &records, 1, 5_000).unwrap();
        assert_eq!(p.header.fate, Fate::Pending { due: Some(7_007) });
        assert_eq!(events(&p), ["send_attempt", "stored", "delay_scheduled", "send_result"]);
        assert_eq!(p.steps[1].kind, StepKind::Delay);
    }

    #[test]
    fn a_oneway_send_to_a_dead_broker_is_lost() {
        let (records, snap) = run("oneway-loss");
        let p = passport(&snap, &records, 5, snap.t).unwrap();
        assert_eq!(events(&p), ["send_attempt"]);
        assert_eq!(p.header.fate, Fate::Lost);
        assert_eq!(p.header.mode.as_deref(), Some("oneway"));
    }

    #[test]
    fn a_lost_callback_is_a_step_but_the_message_may_still_arrive() {
        let (records, snap) = run("async-callbacks-lost");
        let p = passport(&snap, &records, 10, snap.t).unwrap();
        assert!(events(&p).contains(&"callback_lost"));
        assert!(events(&p).contains(&"stored"));
        assert_eq!(p.header.fate, Fate::Pending { due: None });
    }

    #[test]
    fn unknown_messages_have_no_passport() {
        let (records, snap) = run("tutorial-basic");
        assert_eq!(passport(&snap, &records, 999, snap.t), None);
    }
}
