//! The retry flow's model: for each consumer group, the path a failing
//! message takes (delivery → failure → %RETRY%group → a schedule level →
//! redelivery → … → %DLQ%group) as counts per stage, and for each failing
//! message its reconsume count, every retry's level and delay, and when it is
//! due next. Built from the trace alone (`delivered`, `consumed`,
//! `retry_scheduled`, `dead_lettered`, plus the orderly and broadcasting
//! side paths). Pure and natively tested.

use crate::order::{SortedMap, SortedSet};

use rmqsim::snapshot::Snapshot;
use rmqsim::Record;

use super::common::{consumers, topic_of, TopicKind};

/// At most this many failing messages are listed per group.
pub const MAX_MESSAGES: usize = 50;

/// Everything the retry flow draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryModel {
    pub groups: Vec<GroupFlow>,
}

/// One consumer group's retry path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupFlow {
    pub group: String,
    pub stages: Stages,
    /// Messages that failed at least once, by msg, at most [`MAX_MESSAGES`].
    pub messages: Vec<RetryMsg>,
    /// Failing messages not listed.
    pub more: usize,
}

/// Counts per stage of the pipeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Every hand-over to a listener.
    pub deliveries: u64,
    /// Distinct messages delivered.
    pub messages: u64,
    pub succeeded: u64,
    /// Listener results other than CONSUME_SUCCESS.
    pub failed: u64,
    /// `retry_scheduled`: sent back to %RETRY%group through a delay level.
    pub sent_back: u64,
    /// Retries waiting in SCHEDULE_TOPIC_XXXX now.
    pub waiting: u64,
    /// Deliveries that came through %RETRY%group.
    pub redelivered: u64,
    pub dead_lettered: u64,
    /// Orderly: the queue was suspended and the message retried in place.
    pub suspended: u64,
    /// The send-back failed, so the client re-consumed locally.
    pub local_retries: u64,
    /// BROADCASTING: failures dropped, never retried.
    pub dropped: u64,
}

/// One message that failed at least once.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryMsg {
    pub msg: u64,
    /// The highest reconsume count seen (deliveries and retries).
    pub reconsume_times: u32,
    pub deliveries: u64,
    pub steps: Vec<RetryStep>,
    pub state: RetryState,
}

impl RetryMsg {
    /// When it is delivered next, if it is waiting in a delay level.
    pub fn next_due(&self) -> Option<u64> {
        match self.state {
            RetryState::Waiting { due } => Some(due),
            _ => None,
        }
    }
}

/// One `retry_scheduled`: a failed message sent back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryStep {
    pub t: u64,
    /// The count the redelivery will carry.
    pub reconsume_times: u32,
    pub delay_level: u32,
    pub delay_ms: u64,
    pub due: u64,
    /// When it came back through %RETRY%group, if it has.
    pub redelivered_at: Option<u64>,
}

/// Where a failing message is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryState {
    /// In a delay level, due back at `due`.
    Waiting {
        due: u64,
    },
    /// Handed to a listener, no result yet.
    InFlight,
    /// Its last delivery failed and it is retried in place (orderly, local retry).
    Failing,
    Succeeded,
    DeadLettered,
    /// A broadcasting consumer dropped it.
    Dropped,
}

#[derive(Default)]
struct MsgTrack {
    reconsume_times: u32,
    deliveries: u64,
    failures: u64,
    steps: Vec<RetryStep>,
    state: Option<RetryState>,
}

#[derive(Default)]
struct GroupTrack {
    stages: Stages,
    delivered: SortedSet<u64>,
    msgs: SortedMap<u64, MsgTrack>,
}

/// Builds the retry flow's model.
pub fn retry_model(snapshot: &Snapshot, records: &[Record]) -> RetryModel {
    let mut groups: SortedMap<String, GroupTrack> = SortedMap::new();
    for (_, _, c) in consumers(snapshot) {
        groups.or_default(c.group.clone());
    }
    let mut group_of: SortedMap<String, String> =
        consumers(snapshot).map(|(name, _, c)| (name.to_string(), c.group.clone())).collect();
    for rec in records {
        if let (Some(consumer), Some(group)) = (rec.str("consumer"), rec.str("group")) {
            group_of.or_insert_with(consumer.to_string(), || group.to_string());
        }
        let group = rec.str("group").or_else(|| rec.str("consumer").and_then(|c| group_of.get(c)).map(String::as_str));
        let Some(group) = group else { continue };
        if !matches!(
            rec.event,
            "delivered"
                | "consumed"
                | "retry_scheduled"
                | "dead_lettered"
                | "queue_suspended"
                | "local_retry"
                | "consume_dropped"
        ) {
            continue;
        }
        track(groups.or_default(group.to_string()), rec);
    }
    RetryModel { groups: groups.into_iter().map(|(group, g)| finish(group, g)).collect() }
}

fn track(g: &mut GroupTrack, rec: &Record) {
    let msg = rec.u("msg").unwrap_or(0);
    let s = &mut g.stages;
    match rec.event {
        "delivered" => {
            s.deliveries += 1;
            let rt = rec.u("reconsume_times").unwrap_or(0) as u32;
            let via_retry = rec.str("queue").is_some_and(|q| TopicKind::of(topic_of(q)) == TopicKind::Retry);
            if via_retry {
                s.redelivered += 1;
            }
            g.delivered.insert(msg);
            let m = g.msgs.or_default(msg);
            m.deliveries += 1;
            m.reconsume_times = m.reconsume_times.max(rt);
            m.state = Some(RetryState::InFlight);
            if via_retry {
                if let Some(step) = m.steps.iter_mut().rev().find(|s| s.redelivered_at.is_none()) {
                    step.redelivered_at = Some(rec.t);
                }
            }
        }
        "consumed" => {
            let ok = rec.str("result") == Some("CONSUME_SUCCESS");
            if ok {
                s.succeeded += 1;
            } else {
                s.failed += 1;
            }
            let m = g.msgs.or_default(msg);
            m.failures += u64::from(!ok);
            m.state = Some(if ok { RetryState::Succeeded } else { RetryState::Failing });
        }
        "retry_scheduled" => {
            s.sent_back += 1;
            let due = rec.u("due").unwrap_or(rec.t);
            let step = RetryStep {
                t: rec.t,
                reconsume_times: rec.u("reconsume_times").unwrap_or(0) as u32,
                delay_level: rec.u("delay_level").unwrap_or(0) as u32,
                delay_ms: due.saturating_sub(rec.t),
                due,
                redelivered_at: None,
            };
            let m = g.msgs.or_default(msg);
            m.reconsume_times = m.reconsume_times.max(step.reconsume_times);
            m.steps.push(step);
            m.state = Some(RetryState::Waiting { due });
        }
        "dead_lettered" => {
            s.dead_lettered += 1;
            g.msgs.or_default(msg).state = Some(RetryState::DeadLettered);
        }
        "queue_suspended" => s.suspended += 1,
        "local_retry" => s.local_retries += 1,
        "consume_dropped" => {
            s.dropped += 1;
            g.msgs.or_default(msg).state = Some(RetryState::Dropped);
        }
        _ => {}
    }
}

fn finish(group: String, mut g: GroupTrack) -> GroupFlow {
    g.stages.messages = g.delivered.len() as u64;
    let failing: Vec<RetryMsg> = g
        .msgs
        .into_iter()
        .filter(|(_, m)| m.failures > 0 || !m.steps.is_empty() || m.state == Some(RetryState::DeadLettered))
        .map(|(msg, m)| RetryMsg {
            msg,
            reconsume_times: m.reconsume_times,
            deliveries: m.deliveries,
            steps: m.steps,
            state: m.state.unwrap_or(RetryState::InFlight),
        })
        .collect();
    g.stages.waiting = failing.iter().filter(|m| m.next_due().is_some()).count() as u64;
    let more = failing.len().saturating_sub(MAX_MESSAGES);
    let messages = failing.into_iter().take(MAX_MESSAGES).collect();
    GroupFlow { group, stages: g.stages, messages, more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::common::testing::{run, run_until};

    fn group<'a>(model: &'a RetryModel, name: &str) -> &'a GroupFlow {
        model.groups.iter().find(|g| g.group == name).unwrap_or_else(|| panic!("no group {name}"))
    }

    #[test]
    fn retry_to_dlq_is_sixteen_retries_then_one_dead_letter() {
        let (records, snap) = run("retry-to-dlq");
        let model = retry_model(&snap, &records);
        let g1 = group(&model, "g1");
        let s = g1.stages;
        assert_eq!((s.messages, s.deliveries, s.failed, s.succeeded), (1, 17, 17, 0));
        assert_eq!((s.sent_back, s.redelivered, s.dead_lettered, s.waiting), (16, 16, 1, 0));
        let msg = &g1.messages[0];
        assert_eq!((msg.msg, msg.reconsume_times, msg.deliveries), (1, 16, 17));
        assert_eq!(msg.state, RetryState::DeadLettered);
        let delays: Vec<u64> = msg.steps.iter().map(|s| s.delay_ms / 1_000).collect();
        let expected = [10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200];
        assert_eq!(delays, expected);
        let levels: Vec<u32> = msg.steps.iter().map(|s| s.delay_level).collect();
        assert_eq!(levels, (3..=18).collect::<Vec<_>>());
        assert!(msg.steps.iter().all(|s| s.redelivered_at.is_some_and(|t| t >= s.due)));
    }

    #[test]
    fn a_waiting_retry_has_its_next_due_time() {
        let (records, snap) = run_until("retry-to-dlq", 6_000);
        let model = retry_model(&snap, &records);
        let g1 = group(&model, "g1");
        assert_eq!((g1.stages.sent_back, g1.stages.waiting), (1, 1));
        let msg = &g1.messages[0];
        assert_eq!(msg.next_due(), Some(15_010));
        assert_eq!(msg.steps[0].reconsume_times, 1);
        assert_eq!(msg.steps[0].redelivered_at, None);
    }

    #[test]
    fn healthy_groups_have_a_flow_with_nothing_failing() {
        let (records, snap) = run("tutorial-basic");
        let model = retry_model(&snap, &records);
        let g = group(&model, "python_consumer");
        assert_eq!((g.stages.messages, g.stages.succeeded, g.stages.failed), (5, 5, 0));
        assert!(g.messages.is_empty());
    }

    #[test]
    fn orderly_failures_are_suspensions_not_retries() {
        let (records, snap) = run_until("orderly-poison", 20_000);
        let model = retry_model(&snap, &records);
        let g1 = group(&model, "g1");
        assert_eq!(g1.stages.sent_back, 0);
        assert!(g1.stages.suspended >= 10, "{:?}", g1.stages);
        let poison = g1.messages.iter().find(|m| m.msg == 1).unwrap();
        assert!(poison.reconsume_times >= 10);
        assert!(poison.steps.is_empty());
    }

    #[test]
    fn broadcasting_failures_are_dropped() {
        let (records, snap) = run("broadcasting");
        let model = retry_model(&snap, &records);
        let bc = group(&model, "bc");
        assert_eq!(bc.stages.sent_back, 0);
        assert_eq!(bc.stages.dropped, bc.stages.failed);
    }
}
