//! Liveness: the progress checks the swarm runs beside its safety invariants.
//!
//! Safety says nothing bad happened; liveness says the good thing happens.
//! A run passes when:
//! - it ends at its `until`, not at its event budget (virtual time never stalls);
//! - there is no storm: no node sends more than [`MAX_REQUESTS_PER_PEER`] requests
//!   (or [`MAX_CONTROL_PER_PEER`] control-plane requests) to one peer in any virtual
//!   second, and no instant of virtual time holds more than [`MAX_EVENTS_PER_INSTANT`]
//!   events;
//! - every message acknowledged SEND_OK is eventually handed to a listener of every
//!   CLUSTERING group subscribed to it, unless one of the losses RocketMQ documents
//!   applies, and the report names which ([`Excuse`]).
//!
//! The counters live in a [`Watch`] the kernel feeds only when it is switched on
//! ([`crate::Sim::watch_liveness`]), so ordinary runs pay one branch per packet.

use crate::names::{NodeId, TopicId};
use crate::protocol::{Packet, SubData};
use crate::scenario::{ConsumeResult, ListenerKind, MessageModel, Scenario};
use crate::trace::Record;
use crate::vecmap::{SortedMap, SortedSet};
use std::rc::Rc;

/// Requests of any kind one node may send one peer in one virtual second.
///
/// The clients' own loops bound this: a sync send waits for its reply, a push
/// consumer issues the next pull of a queue only when the last one returned, a
/// failed batch is sent back at most 32 messages at a time. The swarm's workloads
/// (at most 5 jobs of 40 messages, 8 queues a topic) stay under 300 a second; a
/// retry storm at 1 ms latency reaches 500 and more.
pub const MAX_REQUESTS_PER_PEER: u32 = 1_000;

/// Control-plane requests (route lookups, registrations, heartbeats, consumer-id
/// lookups, locks, offset queries) one node may send one peer in one virtual second,
/// beyond two route lookups for each message it sent in that second (a send without
/// a route asks for the topic, then for TBW102, as both clients do).
///
/// RocketMQ's clients send these on timers of 20–30 s (route polls, heartbeats,
/// rebalances, lock renewals) and on events: a send without a route (one lookup
/// at a time per topic), NOTIFY_CONSUMER_IDS_CHANGED (one rebalance), a new queue
/// (one offset query and one lock each). A rebalance over 2 topics of 8 queues plus
/// the retry topic asks for about 20 at once; the swarm's worst legitimate second
/// stays under that. A client that re-asks a dead NameServer at once sends hundreds.
pub const MAX_CONTROL_PER_PEER: u32 = 60;

/// Events one millisecond of virtual time may hold. A burst of 40 async sends to
/// 3 brokers with their replies, stores and deliveries is a few hundred; a loop
/// that re-arms itself at the same instant never lets time move.
pub const MAX_EVENTS_PER_INSTANT: u32 = 20_000;

/// What the kernel counts while a watched run goes.
#[derive(Clone, Debug, Default)]
pub struct Watch {
    /// (from, to) → (virtual second, requests, control requests in it).
    second: SortedMap<(NodeId, NodeId), (u64, u32, u32)>,
    /// The busiest (from, to, second) for all requests and for control ones.
    pub worst_requests: Peak,
    pub worst_control: Peak,
    instant: (u64, u32),
    /// The busiest millisecond: (events, at).
    pub worst_instant: (u32, u64),
    /// Each message the producers built: its topic and tag.
    pub msgs: SortedMap<u64, (TopicId, Option<Rc<str>>)>,
    /// Messages each node built per virtual second: a send without a route looks it up.
    built: SortedMap<(NodeId, u64), u32>,
}

/// One node's busiest second towards one peer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Peak {
    pub count: u32,
    pub from: u32,
    pub to: u32,
    pub second: u64,
}

/// Whether a packet is a control-plane request.
fn control(pkt: &Packet) -> bool {
    matches!(
        pkt,
        Packet::GetRoute { .. }
            | Packet::RegisterBroker(_)
            | Packet::UnregisterBroker { .. }
            | Packet::Heartbeat(_)
            | Packet::Unregister { .. }
            | Packet::GetConsumerIds { .. }
            | Packet::QueryOffset { .. }
            | Packet::LockBatch { .. }
            | Packet::Unlock { .. }
    )
}

/// Whether a packet asks something of its peer (rather than answering).
fn request(pkt: &Packet) -> bool {
    !matches!(
        pkt,
        Packet::RouteReply { .. }
            | Packet::SendReply(_)
            | Packet::ConsumerIds { .. }
            | Packet::OffsetReply { .. }
            | Packet::PullReply(_)
            | Packet::SendBackReply { .. }
            | Packet::LockReply { .. }
            | Packet::Failed { .. }
    )
}

impl Watch {
    /// A packet leaves `from` for `to` at `now`.
    pub fn packet(&mut self, now: u64, from: NodeId, to: NodeId, pkt: &Packet) {
        if !request(pkt) {
            return;
        }
        let sec = now / 1000;
        let ctl = control(pkt) as u32;
        let slot = self.second.or_default((from, to));
        if slot.0 != sec || (slot.1 == 0 && slot.2 == 0) {
            *slot = (sec, 0, 0);
        }
        slot.1 += 1;
        slot.2 += ctl;
        let (n, raw) = (slot.1, slot.2);
        // Each send may look its route up twice (the topic, then TBW102) when it has none.
        let c = raw.saturating_sub(2 * self.built.get(&(from, sec)).copied().unwrap_or(0));
        if n > self.worst_requests.count {
            self.worst_requests = Peak { count: n, from: from.0, to: to.0, second: sec };
        }
        if c > self.worst_control.count {
            self.worst_control = Peak { count: c, from: from.0, to: to.0, second: sec };
        }
    }

    /// An event runs at `now`.
    pub fn event(&mut self, now: u64) {
        if self.instant.0 != now {
            self.instant = (now, 0);
        }
        self.instant.1 += 1;
        if self.instant.1 > self.worst_instant.0 {
            self.worst_instant = (self.instant.1, now);
        }
    }

    /// A producer built message `msg`.
    pub fn message(&mut self, now: u64, node: NodeId, msg: u64, topic: TopicId, tags: Option<Rc<str>>) {
        self.msgs.insert(msg, (topic, tags));
        *self.built.or_default((node, now / 1000)) += 1;
    }
}

/// Why a message acknowledged SEND_OK may rightly never reach a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excuse {
    /// A broker lost power under ASYNC_FLUSH before the message reached disk, or
    /// the power loss rewound a queue below a group's commit point, so the offsets
    /// the group had passed were reused by new messages it then skipped.
    PowerOffAsyncFlush,
    /// The group's offset was reset (OFFSET_ILLEGAL) past the message: the commit log was
    /// cleaned (retention) before the group read it, or a power loss rewound the queue.
    Retention,
    /// Members of the group subscribe differently (订阅关系不一致).
    MixedSubscriptions,
    /// The message went to the group's DLQ after its retries.
    DeadLettered,
    /// The transaction was rolled back, discarded after its checks, or never committed.
    TransactionNotCommitted,
    /// A transactional message kept its delay level (C++ client) and the broker dropped it.
    TransactionalDelay,
    /// The group first started after the message, at the queue's end (CONSUME_FROM_LAST_OFFSET).
    ConsumeFromLastOffset,
    /// An orderly listener that never accepts a message blocks its queue behind it.
    OrderlyQueueBlocked,
    /// C++ hands a pulled batch to the callback until its first failure and sends the
    /// whole batch back (§6.4): the rest go round the retry topic unseen, 10 s, 30 s,
    /// 1 min … later each time, and behind a listener that never succeeds on to the DLQ.
    BatchSentBackUnseen,
    /// The group is still working through the message's queue: it delivered from it in
    /// the run's last 30 s, from offsets below the message's (progress, not yet arrival).
    Backlog,
}

impl Excuse {
    pub fn name(self) -> &'static str {
        match self {
            Excuse::PowerOffAsyncFlush => "power-off under ASYNC_FLUSH",
            Excuse::Retention => "retention, or a queue a power loss rewound (OFFSET_ILLEGAL reset)",
            Excuse::MixedSubscriptions => "mixed subscriptions in the group",
            Excuse::DeadLettered => "DLQ after the maximum retries",
            Excuse::TransactionNotCommitted => "transaction rolled back, discarded or never committed",
            Excuse::TransactionalDelay => "transactional message with a delay level (C++ client; the broker drops it)",
            Excuse::ConsumeFromLastOffset => "group started later at the queue's end (CONSUME_FROM_LAST_OFFSET)",
            Excuse::OrderlyQueueBlocked => "orderly queue blocked by a message its listener never accepts",
            Excuse::Backlog => "backlog: the group was still consuming that queue, below the message, at the end",
            Excuse::BatchSentBackUnseen => {
                "C++ batch sent back unseen behind a failed message (in the retry topic, or on to the DLQ)"
            }
        }
    }
}

/// A message that should have reached a group and did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undelivered {
    pub msg: u64,
    pub group: String,
    pub queue: String,
}

/// What the liveness checks found in one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Why the run ended ("until", "budget", "idle").
    pub end: &'static str,
    pub end_ms: u64,
    pub worst_requests: Peak,
    pub worst_control: Peak,
    pub worst_instant: (u32, u64),
    /// (message, group) pairs that had to arrive.
    pub due: u64,
    /// How many of them arrived.
    pub delivered: u64,
    /// The ones excused, by documented loss.
    pub excused: SortedMap<Excuse, u64>,
    pub undelivered: Vec<Undelivered>,
    /// Node names, by id, for the messages.
    pub names: Vec<Rc<str>>,
}

impl Report {
    /// One line per failed check; empty when the run is live.
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.end == "budget" {
            out.push(format!(
                "liveness: the run ended at its event budget at {} ms instead of at its until (virtual time stalled)",
                self.end_ms
            ));
        }
        let name = |i: u32| self.names.get(i as usize).map_or("?", |n| &**n).to_string();
        let w = self.worst_requests;
        if w.count > MAX_REQUESTS_PER_PEER {
            out.push(format!(
                "liveness: request storm: {} sent {} requests to {} in second {} (bound {MAX_REQUESTS_PER_PEER})",
                name(w.from),
                w.count,
                name(w.to),
                w.second
            ));
        }
        let w = self.worst_control;
        if w.count > MAX_CONTROL_PER_PEER {
            out.push(format!(
                "liveness: control-plane storm: {} sent {} route/heartbeat/lock/offset requests to {} in second {} (bound {MAX_CONTROL_PER_PEER})",
                name(w.from),
                w.count,
                name(w.to),
                w.second
            ));
        }
        if self.worst_instant.0 > MAX_EVENTS_PER_INSTANT {
            out.push(format!(
                "liveness: {} events at the single instant {} ms (bound {MAX_EVENTS_PER_INSTANT})",
                self.worst_instant.0, self.worst_instant.1
            ));
        }
        if !self.undelivered.is_empty() {
            let first: Vec<String> = self
                .undelivered
                .iter()
                .take(5)
                .map(|u| format!("msg {} never reached group {} ({})", u.msg, u.group, u.queue))
                .collect();
            out.push(format!(
                "liveness: {} of {} messages acknowledged SEND_OK never reached a subscribed CLUSTERING group after every fault healed, and no documented loss explains them: {}",
                self.undelivered.len(),
                self.due,
                first.join("; ")
            ));
        }
        out
    }
}

/// One CLUSTERING group as the scenario declares it.
struct Group {
    name: String,
    /// Each member's subscription per topic.
    subs: Vec<SubData>,
    mixed: SortedSet<TopicId>,
    /// An orderly member whose listener never succeeds.
    never_accepts: bool,
}

fn groups(sc: &Scenario, topic_id: &dyn Fn(&str) -> Option<TopicId>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for c in sc.consumers.iter().filter(|c| c.model == MessageModel::Clustering) {
        let i = match out.iter().position(|g| g.name == c.group) {
            Some(i) => i,
            None => {
                out.push(Group {
                    name: c.group.clone(),
                    subs: Vec::new(),
                    mixed: SortedSet::new(),
                    never_accepts: false,
                });
                out.len() - 1
            }
        };
        let g = &mut out[i];
        // After its `fail_times` failures a listener returns `result`: anything but success fails for good.
        let rejects = c.behavior.result != ConsumeResult::ConsumeSuccess;
        if c.listener == ListenerKind::Orderly {
            g.never_accepts |= rejects;
        }
        for s in &c.subscribe {
            let Some(t) = topic_id(&s.topic) else { continue };
            let sub = SubData::new(t, &s.expression);
            if g.subs.iter().any(|o| o.topic == t && o.expression.trim() != sub.expression.trim()) {
                g.mixed.insert(t);
            }
            g.subs.push(sub);
        }
    }
    // A member that does not subscribe to a topic its group reads is a mixed subscription too.
    let members = |g: &str| sc.consumers.iter().filter(|c| c.group == g).count();
    for g in &mut out {
        let topics: SortedSet<TopicId> = g.subs.iter().map(|s| s.topic).collect();
        for t in topics.iter() {
            if g.subs.iter().filter(|s| s.topic == *t).count() < members(&g.name) {
                g.mixed.insert(*t);
            }
        }
    }
    out
}

/// The "eventually delivered" check over a finished run's records.
///
/// `watch` holds each message's topic and tag; `topic_id` interns a topic name.
pub fn check_delivery(
    sc: &Scenario,
    records: &[Record],
    watch: &Watch,
    topic_id: &dyn Fn(&str) -> Option<TopicId>,
    report: &mut Report,
) {
    let groups = groups(sc, topic_id);
    let mut ok_queue: SortedMap<u64, Rc<str>> = SortedMap::new();
    let mut delivered: SortedSet<(u64, Rc<str>)> = SortedSet::new();
    let mut dead: SortedSet<(u64, Rc<str>)> = SortedSet::new();
    let mut sent_back: SortedSet<(u64, Rc<str>)> = SortedSet::new();
    let mut txn_sent: SortedSet<u64> = SortedSet::new();
    let mut committed: SortedSet<u64> = SortedSet::new();
    let mut dropped_delay: SortedSet<u64> = SortedSet::new();
    // (msg) → (queue, offset) of its latest store in a normal topic.
    let mut stored_at: SortedMap<u64, (Rc<str>, u64)> = SortedMap::new();
    // (group, queue) → the offsets it started from.
    let mut starts: SortedMap<(Rc<str>, Rc<str>), Vec<(u64, String)>> = SortedMap::new();
    let mut expired_queues: SortedSet<Rc<str>> = SortedSet::new();
    // (group, queue) → (time, offset) of the group's latest delivery from it.
    let mut last_delivery: SortedMap<(Rc<str>, Rc<str>), (u64, u64)> = SortedMap::new();
    let end = records.last().map_or(0, |r| r.t);
    // Brokers that lost data, from when; the highest offset each group committed per queue so far.
    let mut lost_at: SortedMap<Rc<str>, u64> = SortedMap::new();
    let mut committed_max: SortedMap<(Rc<str>, Rc<str>), u64> = SortedMap::new();
    // (msg) → whether it was stored, after its broker lost data, below a group's commit point.
    let mut reused: SortedSet<(u64, Rc<str>)> = SortedSet::new();
    for r in records {
        let msg = r.u("msg");
        match r.event {
            "send_result" if r.str("status") == Some("SEND_OK") => {
                if let (Some(m), Some(q)) = (msg, r.str("queue")) {
                    ok_queue.insert(m, Rc::from(q));
                }
            }
            "send_attempt" if r.str("mode") == Some("transaction") => {
                txn_sent.extend(msg);
            }
            "txn_end" if r.str("state") == Some("COMMIT_MESSAGE") => {
                committed.extend(msg);
            }
            "schedule_discarded" => {
                dropped_delay.extend(msg);
            }
            "delivered" => {
                if let (Some(m), Some(g)) = (msg, r.str("group")) {
                    delivered.insert((m, Rc::from(g)));
                    if let (Some(q), Some(o)) = (r.str("queue"), r.u("queue_offset")) {
                        last_delivery.insert((Rc::from(g), Rc::from(q)), (r.t, o));
                    }
                }
            }
            "retry_scheduled" => {
                if let (Some(m), Some(g)) = (msg, r.str("group")) {
                    sent_back.insert((m, Rc::from(g)));
                }
            }
            "dead_lettered" => {
                if let (Some(m), Some(g)) = (msg, r.str("group")) {
                    dead.insert((m, Rc::from(g)));
                }
            }
            "stored" => {
                if let (Some(m), Some(q), Some(o)) = (msg, r.str("queue"), r.u("queue_offset")) {
                    let system = q.contains(":SCHEDULE_TOPIC_XXXX:")
                        || q.contains(":RMQ_SYS_")
                        || q.contains(":%RETRY%")
                        || q.contains(":%DLQ%")
                        || q.contains(":TRANS_CHECK_MAX_TIME_TOPIC:");
                    if !system {
                        let q: Rc<str> = Rc::from(q);
                        if r.str("broker").is_some_and(|b| lost_at.contains_key(b)) {
                            for ((g, cq), max) in committed_max.iter() {
                                if *cq == q && *max > o {
                                    reused.insert((m, g.clone()));
                                }
                            }
                        }
                        stored_at.insert(m, (q, o));
                    }
                }
            }
            "consume_from" => {
                if let (Some(g), Some(q), Some(o)) = (r.str("group"), r.str("queue"), r.u("offset")) {
                    let why = r.str("why").unwrap_or("").to_string();
                    starts.or_default((Rc::from(g), Rc::from(q))).push((o, why));
                }
            }
            "data_lost" => {
                if let Some(b) = r.str("broker") {
                    lost_at.insert(Rc::from(b), r.t);
                }
            }
            "offset_committed" => {
                if let (Some(g), Some(q), Some(o)) = (r.str("group"), r.str("queue"), r.u("offset")) {
                    let slot = committed_max.or_default((Rc::from(g), Rc::from(q)));
                    *slot = (*slot).max(o);
                }
            }
            "offset_moved" => {
                if let Some(q) = r.str("queue") {
                    expired_queues.insert(Rc::from(q));
                }
            }
            _ => {}
        }
    }
    let lost_in_crash: SortedSet<u64> = messages_lost_in_crashes(records).into_iter().map(|(m, _)| m).collect();
    for (msg, _) in ok_queue.iter() {
        let Some((topic, tags)) = watch.msgs.get(msg) else { continue };
        for g in &groups {
            let subs: Vec<&SubData> = g.subs.iter().filter(|s| s.topic == *topic).collect();
            if subs.is_empty() || !subs.iter().any(|s| s.client_match(tags.as_deref())) {
                continue;
            }
            report.due += 1;
            let gname: Rc<str> = Rc::from(g.name.as_str());
            if delivered.contains(&(*msg, gname.clone())) {
                report.delivered += 1;
                continue;
            }
            let at = stored_at.get(msg);
            let excuse = if dead.contains(&(*msg, gname.clone())) {
                Some(Excuse::DeadLettered)
            } else if dropped_delay.contains(msg) {
                Some(Excuse::TransactionalDelay)
            } else if txn_sent.contains(msg) && !committed.contains(msg) {
                Some(Excuse::TransactionNotCommitted)
            } else if lost_in_crash.contains(msg) || reused.contains(&(*msg, gname.clone())) {
                Some(Excuse::PowerOffAsyncFlush)
            } else if g.mixed.contains(topic) {
                Some(Excuse::MixedSubscriptions)
            } else if sc.client == crate::Flavor::PythonCpp && sent_back.contains(&(*msg, gname.clone())) {
                Some(Excuse::BatchSentBackUnseen)
            } else if g.never_accepts {
                Some(Excuse::OrderlyQueueBlocked)
            } else if at.is_some_and(|(q, o)| {
                starts
                    .get(&(gname.clone(), q.clone()))
                    .is_some_and(|v| v.iter().any(|(start, why)| start > o && why.contains("CONSUME_FROM_LAST_OFFSET")))
            }) {
                Some(Excuse::ConsumeFromLastOffset)
            } else if at.is_some_and(|(q, _)| expired_queues.contains(q)) {
                Some(Excuse::Retention)
            } else if at.is_some_and(|(q, o)| {
                last_delivery.get(&(gname.clone(), q.clone())).is_some_and(|(t, d)| *t + 30_000 >= end && d < o)
            }) {
                Some(Excuse::Backlog)
            } else {
                None
            };
            match excuse {
                Some(e) => *report.excused.or_default(e) += 1,
                None => report.undelivered.push(Undelivered {
                    msg: *msg,
                    group: g.name.clone(),
                    queue: at
                        .map_or_else(|| "never stored in its topic".to_string(), |(q, o)| format!("{q} offset {o}")),
                }),
            }
        }
    }
}

/// For each `data_lost` record (by index into `records`), the messages whose
/// copies it wiped: a power loss drops the newest `messages` appends of that
/// broker's commit log, and every append is a `stored` record, so they are the
/// last `messages` `stored` records of that broker before it.
pub fn wiped_by_data_loss(records: &[Record]) -> Vec<(usize, Vec<u64>)> {
    let mut out = Vec::new();
    for (i, rec) in records.iter().enumerate().filter(|(_, r)| r.event == "data_lost") {
        let (Some(broker), Some(count)) = (rec.str("broker"), rec.u("messages")) else { continue };
        let mut msgs: Vec<u64> = records[..i]
            .iter()
            .rev()
            .filter(|r| r.event == "stored" && r.str("broker") == Some(broker))
            .take(count as usize)
            .filter_map(|r| r.u("msg"))
            .collect();
        msgs.reverse();
        out.push((i, msgs));
    }
    out
}

/// Messages whose last stored copy is gone (wiped by a power loss and never
/// stored again), with the index of the `data_lost` record that took it.
pub fn messages_lost_in_crashes(records: &[Record]) -> Vec<(u64, usize)> {
    let mut lost: Vec<(u64, usize)> = Vec::new();
    for (index, msgs) in wiped_by_data_loss(records) {
        for msg in msgs {
            let stored_again = records[index..].iter().any(|r| r.event == "stored" && r.u("msg") == Some(msg));
            if !stored_again && !lost.iter().any(|(m, _)| *m == msg) {
                lost.push((msg, index));
            }
        }
    }
    crate::order::sort(&mut lost);
    lost
}
