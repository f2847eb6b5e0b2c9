//! The broker: commit log, consume queues, flush and replication, long polling,
//! consumer groups and offsets, the delay-level scheduler and retry/DLQ routing.
//!
//! Storage follows RocketMQ 4.9: every message is appended to one commit log;
//! each (topic, queue) has a consume queue of entries pointing into it. What
//! survives a crash is what was flushed: the commit log up to the flushed
//! offset, topic config (persisted at once), consumer offsets as of the last
//! 5 s flush and delay offsets as of the last 10 s persist.

use crate::conf::{BrokerConf, BrokerRole, FlushMode};
use crate::names::{
    dlq_topic, retry_topic, NodeId, TopicId, CHECK_MAX_TOPIC, HALF_TOPIC, OP_HALF_TOPIC, SCHEDULE_TOPIC, TBW102,
};
use crate::protocol::*;
use crate::scenario::TxnState;
use crate::scenario::{Flavor, Scenario};
use crate::sim::{Core, Timer};
use crate::time::format_ms;
use crate::trace::Record;
use crate::vecmap::{SortedMap, SortedSet};
use std::collections::VecDeque;
use std::rc::Rc;

/// ASYNC_FLUSH flushes when this many bytes are dirty (4 pages of 4 KiB)...
pub const FLUSH_LEAST_BYTES: u64 = 4 * 4096;
/// ... or when this long has passed since the last thorough flush (flushCommitLogThoroughInterval).
pub const SCHEDULE_FIRST_DELAY_MS: u64 = 1000;
/// The delay scheduler's polling period (RocketMQ 4.9.3+: DELAY_FOR_A_WHILE).
pub const SCHEDULE_TICK_MS: u64 = 100;
/// The long-polling hold service re-checks held pulls this often.
pub const HOLD_SCAN_MS: u64 = 5000;
/// Broker-side consumer expiry without heartbeat.
pub const CLIENT_EXPIRE_MS: u64 = 120_000;
pub const CLIENT_SCAN_MS: u64 = 10_000;
/// Broker queue lock lifetime (rocketmq.broker.rebalance.lockMaxLiveTime).
pub const LOCK_MAX_LIVE_MS: u64 = 60_000;
/// Messages kept per broker before the oldest are deleted (the simulator's fileReservedTime).
pub const DEFAULT_RETENTION_MESSAGES: u64 = 262_144;
/// At most this many consume-queue entries are scanned by one pull (maxFilterMessageCount).
const MAX_PULL_SCAN: u64 = 16_000;

/// One consume-queue entry (20 bytes in RocketMQ: commit-log offset, size, tag code).
#[derive(Clone, Copy, Debug)]
pub struct CqEntry {
    /// Index of the message in the commit log.
    pub log_index: u64,
    /// The tag hash; for SCHEDULE_TOPIC_XXXX the deliver timestamp.
    pub tags_code: i64,
}

/// A consume queue: logical offsets `base..base+entries.len()`.
#[derive(Clone, Debug, Default)]
pub struct ConsumeQueue {
    pub base: u64,
    pub entries: VecDeque<CqEntry>,
}

impl ConsumeQueue {
    pub fn min_offset(&self) -> u64 {
        self.base
    }
    pub fn max_offset(&self) -> u64 {
        self.base + self.entries.len() as u64
    }
    pub fn get(&self, offset: u64) -> Option<&CqEntry> {
        offset.checked_sub(self.base).and_then(|i| self.entries.get(i as usize))
    }
}

/// Where [`Broker::append`] put a message.
#[derive(Clone, Copy, Debug)]
struct Appended {
    queue_offset: u64,
    commitlog_offset: u64,
    size: u32,
}

/// The commit log: messages in append order, the oldest trimmed by retention.
#[derive(Clone, Debug, Default)]
pub struct CommitLog {
    pub base_index: u64,
    pub entries: VecDeque<StoredMsg>,
    /// Byte offset where the next message goes.
    pub end_offset: u64,
    /// Bytes known to be on disk.
    pub flushed_offset: u64,
}

impl CommitLog {
    pub fn next_index(&self) -> u64 {
        self.base_index + self.entries.len() as u64
    }
    pub fn get(&self, index: u64) -> Option<&StoredMsg> {
        index.checked_sub(self.base_index).and_then(|i| self.entries.get(i as usize))
    }
    pub fn find_by_offset(&self, commitlog_offset: u64) -> Option<&StoredMsg> {
        let i = self.entries.partition_point(|m| m.commitlog_offset < commitlog_offset);
        self.entries.get(i).filter(|m| m.commitlog_offset == commitlog_offset)
    }
}

/// A consumer group member as the broker knows it.
#[derive(Clone, Debug)]
pub struct Member {
    pub node: NodeId,
    pub last_heartbeat: u64,
    pub heartbeat: Rc<Heartbeat>,
}

/// A pull held by long polling.
#[derive(Debug)]
struct HeldPull {
    id: u64,
    expires: u64,
    from: NodeId,
    req: Box<PullRequest>,
}

/// A SEND_MESSAGE reply waiting for SYNC_FLUSH and/or SYNC_MASTER. RocketMQ 4.9
/// starts both waits at once and combines them; `None` means still waiting.
#[derive(Debug)]
struct Waiter {
    from: NodeId,
    reply: SendReply,
    end_offset: u64,
    flush: Option<Code>,
    replica: Option<Code>,
    flush_deadline: u64,
    replica_deadline: u64,
    sim: crate::names::MsgRef,
}

/// A broker (a master, optionally with a slave replicating it).
pub struct Broker {
    pub name: Rc<str>,
    pub conf: BrokerConf,
    pub addr: Rc<str>,
    pub host: u32,
    pub has_slave: bool,
    pub slave_up: bool,
    pub disk_delay_ms: u64,
    pub slave_delay_ms: u64,
    pub retention_messages: u64,
    /// End of the last message acknowledged SEND_OK under SYNC_FLUSH (durability invariant).
    pub acked_sync_flush_end: u64,
    // Persistent state.
    pub topics: SortedMap<TopicId, TopicConf>,
    pub data_version: u64,
    pub log: CommitLog,
    pub cqs: SortedMap<(TopicId, u32), ConsumeQueue>,
    pub persisted_offsets: SortedMap<(Rc<str>, TopicId, u32), u64>,
    pub persisted_delay: Vec<u64>,
    // Volatile state.
    pub offsets: SortedMap<(Rc<str>, TopicId, u32), u64>,
    pub delay_offsets: Vec<u64>,
    pub groups: SortedMap<Rc<str>, SortedMap<Rc<str>, Member>>,
    /// Each group's one stored subscription per topic (`ConsumerGroupInfo.subscriptionTable`):
    /// the newest `subVersion` from any member's heartbeat. Java pulls are filtered with it.
    pub group_subs: SortedMap<Rc<str>, SortedMap<TopicId, Rc<SubData>>>,
    /// The differing expressions last reported per (group, topic), so each change is told once.
    sub_conflicts: SortedMap<(Rc<str>, TopicId), Vec<Rc<str>>>,
    pub locks: SortedMap<(Rc<str>, TopicId, u32), (Rc<str>, u64)>,
    /// Producer channels by group (for transaction check-backs): client id → (node, last heartbeat).
    pub producers: SortedMap<Rc<str>, SortedMap<Rc<str>, (NodeId, u64)>>,
    producer_rr: u64,
    /// Half-queue offsets resolved by an op record (commit, rollback) or superseded by a check copy.
    pub txn_done: SortedSet<u64>,
    /// Where the next check pass starts in the half queue.
    pub txn_check_offset: u64,
    held: SortedMap<(TopicId, u32), Vec<HeldPull>>,
    next_hold: u64,
    waiters: SortedMap<u64, Waiter>,
    next_wait: u64,
    flush_in_progress: bool,
    last_thorough_flush: u64,
    replicated_offset: u64,
    started_at: u64,
    schedule_armed: Vec<Option<u64>>,
    schedule_topic: TopicId,
    tbw102: TopicId,
    pub stats: BrokerStats,
}

/// Counters for the inspector and the invariant checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BrokerStats {
    pub stored: u64,
    pub lost_on_crash: u64,
    pub trimmed: u64,
    pub pulls: u64,
}

impl Broker {
    pub fn new(sc: &Scenario, i: usize, conf: BrokerConf, cx: &mut Core) -> Broker {
        let spec = &sc.cluster.brokers[i];
        let name: Rc<str> = Rc::from(spec.name.as_str());
        let addr: Rc<str> = Rc::from(format!("{}:{}", conf.broker_ip1, conf.listen_port));
        let host = ipv4_u32(&conf.broker_ip1);
        let schedule_topic = cx.topics.intern(SCHEDULE_TOPIC);
        let tbw102 = cx.topics.intern(TBW102);
        let mut topics = SortedMap::new();
        if conf.auto_create_topic_enable {
            let n = conf.default_topic_queue_nums;
            topics.insert(
                tbw102,
                TopicConf {
                    topic: tbw102,
                    read_queues: n,
                    write_queues: n,
                    perm: PERM_READ | PERM_WRITE | PERM_INHERIT,
                },
            );
        }
        for t in &sc.topics {
            let hosted = t.brokers.as_ref().is_none_or(|bs| bs.iter().any(|b| b == &spec.name));
            if hosted {
                let id = cx.topics.intern(&t.name);
                let read = t.read_queues.unwrap_or(t.write_queues);
                topics
                    .insert(id, TopicConf { topic: id, read_queues: read, write_queues: t.write_queues, perm: t.perm });
            }
        }
        let levels = conf.message_delay_level.len();
        Broker {
            name,
            addr,
            host,
            has_slave: spec.slave,
            slave_up: spec.slave,
            disk_delay_ms: 0,
            slave_delay_ms: 0,
            acked_sync_flush_end: 0,
            retention_messages: DEFAULT_RETENTION_MESSAGES,
            topics,
            data_version: 1,
            log: CommitLog::default(),
            cqs: SortedMap::new(),
            persisted_offsets: SortedMap::new(),
            persisted_delay: vec![0; levels],
            offsets: SortedMap::new(),
            delay_offsets: vec![0; levels],
            groups: SortedMap::new(),
            group_subs: SortedMap::new(),
            sub_conflicts: SortedMap::new(),
            locks: SortedMap::new(),
            producers: SortedMap::new(),
            producer_rr: 0,
            txn_done: SortedSet::new(),
            txn_check_offset: 0,
            held: SortedMap::new(),
            next_hold: 0,
            waiters: SortedMap::new(),
            next_wait: 0,
            flush_in_progress: false,
            last_thorough_flush: 0,
            replicated_offset: 0,
            started_at: 0,
            schedule_armed: vec![None; levels],
            schedule_topic,
            tbw102,
            stats: BrokerStats::default(),
            conf,
        }
    }

    pub fn role(&self) -> BrokerRole {
        self.conf.broker_role
    }

    pub fn set_disk_delay(&mut self, ms: u64) {
        self.disk_delay_ms = ms;
    }

    pub fn set_slave_up(&mut self, cx: &mut Core, me: NodeId, up: bool) {
        if !self.has_slave {
            return;
        }
        self.slave_up = up;
        if up {
            // The slave catches up with everything stored while it was away.
            self.replicated_offset = self.log.end_offset;
            self.settle_replicas(cx, me);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    pub fn start(&mut self, cx: &mut Core, me: NodeId) {
        self.started_at = cx.now;
        self.last_thorough_flush = cx.now;
        self.schedule_armed = vec![None; self.conf.message_delay_level.len()];
        self.register_all(cx, me, "broker start");
        cx.timer(me, 10_000, Timer::Register);
        cx.timer(me, self.conf.flush_interval_commit_log_ms, Timer::FlushTick);
        cx.timer(me, self.conf.flush_delay_offset_interval_ms, Timer::PersistDelayOffsets);
        cx.timer(me, self.conf.flush_consumer_offset_interval_ms, Timer::FlushConsumerOffsets);
        cx.timer(me, CLIENT_SCAN_MS, Timer::ScanClients);
        cx.timer(me, self.conf.transaction_check_interval_ms, Timer::TxnCheck);
        cx.timer(me, self.hold_scan_period(), Timer::HoldScan);
        for level in 1..=self.conf.max_delay_level() {
            self.arm_schedule(cx, me, level);
        }
    }

    /// Process death: memory is gone (groups, held pulls, offsets not yet written to
    /// consumerOffset.json / delayOffset.json). The commit log survives: its pages live in
    /// the OS page cache, which outlives the process. A power loss (`power_loss = true`)
    /// also loses every commit-log byte not yet flushed to disk.
    pub fn crash(&mut self, cx: &mut Core, me: NodeId, power_loss: bool) {
        let (acked, flushed) = (self.acked_sync_flush_end, self.log.flushed_offset);
        cx.check(acked <= flushed, "SEND_OK under SYNC_FLUSH is on disk", || {
            format!("acknowledged up to byte {acked}, flushed only to {flushed}")
        });
        if power_loss {
            if cx.invariants {
                cx.ledger.power_loss(me);
            }
            self.lose_unflushed(cx, me);
        } else {
            self.log.flushed_offset = self.log.end_offset;
        }
        self.offsets = self.persisted_offsets.clone();
        self.delay_offsets = self.persisted_delay.clone();
        self.volatile_reset();
    }

    fn lose_unflushed(&mut self, cx: &mut Core, me: NodeId) {
        let keep = self.log.entries.partition_point(|m| m.commitlog_offset + m.size as u64 <= self.log.flushed_offset);
        let lost = self.log.entries.len() - keep;
        if lost > 0 && cx.tracing() {
            let first = self.log.entries[keep].content.sim.0;
            let why = format!(
                "power loss: {lost} message(s) were in the page cache but not yet flushed to disk ({}), so they are gone",
                self.conf.flush_disk_type.name()
            );
            let rec = Record::new(cx.now, "data_lost")
                .f("broker", cx.name(me))
                .f("messages", lost as u64)
                .f("first_msg", first)
                .f("why", why);
            cx.emit(rec);
        }
        self.stats.lost_on_crash += lost as u64;
        self.log.entries.truncate(keep);
        self.log.end_offset = self.log.flushed_offset;
        let next = self.log.next_index();
        for cq in self.cqs.values_mut() {
            while cq.entries.back().is_some_and(|e| e.log_index >= next) {
                cq.entries.pop_back();
            }
        }
    }

    fn volatile_reset(&mut self) {
        self.groups.clear();
        self.group_subs.clear();
        self.sub_conflicts.clear();
        self.locks.clear();
        self.producers.clear();
        self.held.clear();
        self.waiters.clear();
        self.flush_in_progress = false;
        self.replicated_offset = self.log.end_offset;
    }

    /// Clean shutdown: unregister, flush everything, persist offsets.
    pub fn shutdown(&mut self, cx: &mut Core, me: NodeId) {
        for ns in cx.nameservers.clone() {
            cx.send(me, ns, Packet::UnregisterBroker { broker_name: self.name.clone() });
        }
        self.log.flushed_offset = self.log.end_offset;
        self.persisted_offsets = self.offsets.clone();
        self.persisted_delay = self.delay_offsets.clone();
        self.volatile_reset();
    }

    fn register_all(&mut self, cx: &mut Core, me: NodeId, reason: &'static str) {
        let reg = Rc::new(Registration {
            broker_name: self.name.clone(),
            broker_addr: self.addr.clone(),
            cluster: Rc::from(self.conf.broker_cluster_name.as_str()),
            broker_id: 0,
            data_version: self.data_version,
            topics: self.topics.values().cloned().collect(),
            reason,
        });
        for ns in cx.nameservers.clone() {
            cx.send(me, ns, Packet::RegisterBroker(reg.clone()));
        }
    }

    // ---------------------------------------------------------------- events

    pub fn on_packet(&mut self, cx: &mut Core, me: NodeId, from: NodeId, pkt: Packet) {
        match pkt {
            Packet::Send(req) => self.on_send(cx, me, from, req),
            Packet::Pull(req) => self.on_pull(cx, me, from, req, true),
            Packet::Heartbeat(hb) => self.on_heartbeat(cx, me, from, hb),
            Packet::Unregister { client_id, group } => {
                self.remove_member(cx, me, &group, &client_id, "unregistered (clean shutdown)")
            }
            Packet::GetConsumerIds { req, group } => {
                let ids: Vec<Rc<str>> =
                    self.groups.get(&group).map(|g| g.keys().cloned().collect()).unwrap_or_default();
                cx.send(me, from, Packet::ConsumerIds { req, ids: Rc::new(ids) });
            }
            Packet::QueryOffset { req, group, topic, queue_id } => {
                let (offset, min, max) = self.query_offset(&group, topic, queue_id);
                let young_queue = !self.offsets.contains_key(&(group.clone(), topic, queue_id)) && offset.is_some();
                cx.send(me, from, Packet::OffsetReply { req, offset, min_offset: min, max_offset: max, young_queue });
            }
            Packet::UpdateOffset { group, topic, queue_id, offset } => {
                if cx.invariants {
                    self.audit_commit(cx, (me, from), &group, topic, queue_id, offset);
                }
                self.offsets.insert((group, topic, queue_id), offset);
            }
            Packet::SendBack(sb) => self.on_send_back(cx, me, from, sb),
            Packet::EndTransaction { group, commitlog_offset, half_offset, state, from_check, sim } => {
                self.end_transaction(cx, me, from, (&group, commitlog_offset, half_offset), (state, from_check, sim));
            }
            Packet::LockBatch { req, group, client_id, queues } => {
                let locked = self.lock_batch(cx.now, &group, &client_id, &queues);
                cx.send(me, from, Packet::LockReply { req, locked: Rc::new(locked) });
            }
            Packet::Unlock { group, client_id, queues } => {
                for (t, q) in queues.iter() {
                    let key = (group.clone(), *t, *q);
                    if self.locks.get(&key).is_some_and(|(owner, _)| *owner == client_id) {
                        self.locks.remove(&key);
                    }
                }
            }
            _ => {}
        }
    }

    pub fn on_timer(&mut self, cx: &mut Core, me: NodeId, timer: Timer) {
        match timer {
            Timer::Register => {
                self.register_all(cx, me, "periodic");
                cx.timer(me, self.conf.register_period_ms(), Timer::Register);
            }
            Timer::FlushTick => {
                self.async_flush_tick(cx, me);
                self.trim();
                cx.timer(me, self.conf.flush_interval_commit_log_ms, Timer::FlushTick);
            }
            Timer::DiskFlushed(upto) => self.disk_flushed(cx, me, upto),
            Timer::ReplicaAck(upto) => self.replica_acked(cx, me, upto),
            Timer::SyncWaitExpire(id) => self.wait_expired(cx, me, id),
            Timer::ScheduleDue(level) => self.schedule_due(cx, me, level),
            Timer::PersistDelayOffsets => {
                self.persisted_delay = self.delay_offsets.clone();
                cx.timer(me, self.conf.flush_delay_offset_interval_ms, Timer::PersistDelayOffsets);
            }
            Timer::FlushConsumerOffsets => {
                self.flush_consumer_offsets(cx, me);
                cx.timer(me, self.conf.flush_consumer_offset_interval_ms, Timer::FlushConsumerOffsets);
            }
            Timer::ScanClients => {
                self.scan_clients(cx, me);
                cx.timer(me, CLIENT_SCAN_MS, Timer::ScanClients);
                cx.timer(me, self.hold_scan_period(), Timer::HoldScan);
            }
            Timer::TxnCheck => {
                self.txn_check(cx, me);
                cx.timer(me, self.conf.transaction_check_interval_ms, Timer::TxnCheck);
            }
            Timer::HoldScan => {
                self.hold_scan(cx, me);
                cx.timer(me, self.hold_scan_period(), Timer::HoldScan);
            }
            _ => {}
        }
    }

    pub fn on_channel_closed(&mut self, cx: &mut Core, me: NodeId, peer: NodeId) {
        let mut gone = Vec::new();
        for (g, members) in &self.groups {
            for (cid, m) in members {
                if m.node == peer {
                    gone.push((g.clone(), cid.clone()));
                }
            }
        }
        for (g, cid) in gone {
            self.remove_member(cx, me, &g, &cid, "connection closed (the consumer's process died)");
        }
        for list in self.held.values_mut() {
            list.retain(|h| h.from != peer);
        }
        for chans in self.producers.values_mut() {
            chans.retain(|_, (node, _)| *node != peer);
        }
    }

    // ---------------------------------------------------------------- sending

    fn reply(&self, cx: &mut Core, me: NodeId, to: NodeId, req: &SendRequest, code: Code, remark: &str) {
        if req.oneway {
            return;
        }
        let r = SendReply {
            req: req.req,
            code,
            queue_id: req.queue_id,
            queue_offset: 0,
            commitlog_offset: 0,
            store_host: self.host,
            store_port: self.conf.listen_port,
            remark: Some(Rc::from(remark)),
        };
        cx.send(me, to, Packet::SendReply(Box::new(r)));
    }

    fn on_send(&mut self, cx: &mut Core, me: NodeId, from: NodeId, req: Box<SendRequest>) {
        if let Err((code, remark)) = self.check_send(cx, me, &req) {
            if cx.tracing() {
                let rec = Record::new(cx.now, "send_rejected")
                    .f("broker", cx.name(me))
                    .f("msg", req.content.sim.0)
                    .f("code", code.name())
                    .f("why", remark.clone());
                cx.emit(rec);
            }
            self.reply(cx, me, from, &req, code, &remark);
            return;
        }
        let msg = self.build_message(cx, &req);
        let stored = self.append(cx, me, msg, None);
        if req.oneway {
            return;
        }
        let reply = SendReply {
            req: req.req,
            code: Code::Success,
            queue_id: req.queue_id,
            queue_offset: stored.queue_offset,
            commitlog_offset: stored.commitlog_offset,
            store_host: self.host,
            store_port: self.conf.listen_port,
            remark: None,
        };
        self.complete_send(cx, me, from, reply, stored.commitlog_offset + stored.size as u64, req.content.sim);
    }

    /// Validates a send as `AbstractSendMessageProcessor.msgCheck` and the store do.
    fn check_send(&mut self, cx: &mut Core, me: NodeId, req: &SendRequest) -> Result<(), (Code, String)> {
        let topic_name = cx.topics.name(req.topic).clone();
        if !self.topics.contains_key(&req.topic) {
            self.auto_create(cx, me, req)?;
        }
        let tc = self.topics[&req.topic].clone();
        if tc.perm & PERM_WRITE == 0 {
            return Err((
                Code::NoPermission,
                format!("topic {topic_name} is not writeable on {} (perm {})", self.name, tc.perm),
            ));
        }
        if req.queue_id >= tc.write_queues.max(tc.read_queues) {
            return Err((
                Code::SystemError,
                format!(
                    "queue {} does not exist on {} (topic {topic_name} has {} write queues)",
                    req.queue_id, self.name, tc.write_queues
                ),
            ));
        }
        let size = message_size(&req.content, &topic_name);
        if size > self.conf.max_message_size {
            return Err((
                Code::MessageIllegal,
                format!(
                    "message of {size} bytes is larger than the broker's maxMessageSize {}",
                    self.conf.max_message_size
                ),
            ));
        }
        Ok(())
    }

    fn auto_create(&mut self, cx: &mut Core, me: NodeId, req: &SendRequest) -> Result<(), (Code, String)> {
        let name = cx.topics.name(req.topic).clone();
        let template = self.topics.get(&self.tbw102).filter(|t| t.perm & PERM_INHERIT != 0).cloned();
        let Some(template) = template else {
            return Err((
                Code::TopicNotExist,
                format!("topic {name} does not exist on {} and autoCreateTopicEnable=false", self.name),
            ));
        };
        let n = req.default_topic_queue_nums.min(template.write_queues);
        let perm = template.perm & !PERM_INHERIT;
        self.topics.insert(req.topic, TopicConf { topic: req.topic, read_queues: n, write_queues: n, perm });
        self.data_version += 1;
        if cx.tracing() {
            let why = format!("{name} did not exist: created from TBW102 with min({}, {}) = {n} queues, perm {perm}, and registered with the NameServers at once", req.default_topic_queue_nums, template.write_queues);
            let rec = Record::new(cx.now, "topic_created")
                .f("broker", cx.name(me))
                .f("topic", &name)
                .f("queues", n)
                .f("why", why);
            cx.emit(rec);
        }
        self.register_all(cx, me, "topic created");
        Ok(())
    }

    fn build_message(&self, cx: &mut Core, req: &SendRequest) -> StoredMsg {
        let topic_name = cx.topics.name(req.topic).clone();
        let size = message_size(&req.content, &topic_name) as u32;
        let mut msg = StoredMsg {
            content: req.content.clone(),
            msg_id: req.msg_id,
            topic: req.topic,
            queue_id: req.queue_id,
            queue_offset: 0,
            commitlog_offset: 0,
            size,
            store_ms: cx.now,
            reconsume_times: 0,
            real_topic: None,
            real_qid: 0,
            retry_topic: None,
            delay_level: 0,
            deliver_ms: 0,
            store_host: self.host,
            store_port: self.conf.listen_port,
            check_times: 0,
        };
        if req.kind == SendKind::Half {
            msg.real_topic = Some(req.topic);
            msg.real_qid = req.queue_id;
            msg.topic = cx.topics.intern(HALF_TOPIC);
            msg.queue_id = 0;
            if req.content.delay_level > 0 {
                // parseHalfMessageInner resets the transaction flag, so CommitLog treats a
                // half message that still carries a delay level (the C++ client keeps it) as
                // a delayed one: parked in SCHEDULE_TOPIC_XXXX with REAL_TOPIC overwritten by
                // the half topic. It is never in the half queue, so never checked back.
                self.park_for_delay(&mut msg, req.content.delay_level, cx.now);
            }
        } else if let Some((times, original, level)) = req.retry {
            msg.reconsume_times = times;
            msg.retry_topic = Some(original);
            self.park_for_delay(&mut msg, level, cx.now);
        } else if req.content.delay_level > 0 {
            self.park_for_delay(&mut msg, req.content.delay_level, cx.now);
        }
        msg
    }

    /// Rewrites a message into SCHEDULE_TOPIC_XXXX queue `level-1` (level clamped to the maximum).
    fn park_for_delay(&self, msg: &mut StoredMsg, level: u32, now: u64) {
        let level = level.min(self.conf.max_delay_level()).max(1);
        msg.real_topic = Some(msg.topic);
        msg.real_qid = msg.queue_id;
        msg.topic = self.schedule_topic;
        msg.queue_id = level - 1;
        msg.delay_level = level;
        msg.deliver_ms = now + self.conf.message_delay_level[level as usize - 1];
    }

    /// Appends to the commit log and the message's consume queue; wakes held pulls.
    /// Stores `msg` (moved into the log, not copied) and says where it went.
    fn append(&mut self, cx: &mut Core, me: NodeId, mut msg: StoredMsg, why: Option<String>) -> Appended {
        msg.store_ms = cx.now;
        msg.commitlog_offset = self.log.end_offset;
        let cq = self.cqs.or_default((msg.topic, msg.queue_id));
        msg.queue_offset = cq.max_offset();
        let tags_code =
            if msg.topic == self.schedule_topic { msg.deliver_ms as i64 } else { msg.content.tags_code as i64 };
        cq.entries.push_back(CqEntry { log_index: self.log.next_index(), tags_code });
        self.log.end_offset += msg.size as u64;
        self.stats.stored += 1;
        if cx.tracing() {
            self.trace_stored(cx, me, &msg, why);
        }
        let at = Appended { queue_offset: msg.queue_offset, commitlog_offset: msg.commitlog_offset, size: msg.size };
        let (topic, queue_id, level) = (msg.topic, msg.queue_id, msg.delay_level);
        self.log.entries.push_back(msg);
        if topic == self.schedule_topic {
            self.arm_schedule(cx, me, level);
        } else if self.conf.long_polling_enable {
            // ReputMessageService notifies the hold service of arrivals only with
            // long polling on; short polling finds them at its next check.
            self.wake_pulls(cx, me, topic, queue_id);
        }
        at
    }

    fn trace_stored(&self, cx: &mut Core, me: NodeId, msg: &StoredMsg, why: Option<String>) {
        let topic = cx.topics.name(msg.topic).clone();
        let queue = format!("{}:{}:{}", self.name, topic, msg.queue_id);
        let why = why.unwrap_or_else(|| {
            format!(
                "appended to {}'s commit log at byte {}; entry {} of consume queue {}",
                self.name, msg.commitlog_offset, msg.queue_offset, queue
            )
        });
        let rec = Record::new(cx.now, "stored")
            .f("broker", cx.name(me))
            .f("msg", msg.content.sim.0)
            .f("queue", queue)
            .f("queue_offset", msg.queue_offset)
            .f("commitlog_offset", msg.commitlog_offset)
            .f("size", msg.size)
            .f("reconsume_times", msg.reconsume_times)
            .f("why", why);
        cx.emit(rec);
        if msg.topic == self.schedule_topic {
            let level = msg.delay_level;
            let real = msg.real_topic.map(|t| cx.topics.name(t).clone()).unwrap_or_else(|| Rc::from(""));
            let why = format!(
                "delay level {level} = {}: parked in {SCHEDULE_TOPIC} queue {} with REAL_TOPIC={real}, REAL_QID={}; due at {}",
                format_ms(self.conf.message_delay_level[level as usize - 1]),
                level - 1,
                msg.real_qid,
                format_ms(msg.deliver_ms)
            );
            let rec = Record::new(cx.now, "delay_scheduled")
                .f("broker", cx.name(me))
                .f("msg", msg.content.sim.0)
                .f("level", level)
                .f("due", msg.deliver_ms)
                .f("real_topic", real)
                .f("why", why);
            cx.emit(rec);
        }
    }

    /// Replies now, or parks the reply until SYNC_FLUSH / SYNC_MASTER are satisfied.
    fn complete_send(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        from: NodeId,
        reply: SendReply,
        end_offset: u64,
        sim: crate::names::MsgRef,
    ) {
        let sync_flush = self.conf.flush_disk_type == FlushMode::SyncFlush;
        let sync_master = self.conf.broker_role == BrokerRole::SyncMaster;
        if !sync_flush && !sync_master {
            cx.send(me, from, Packet::SendReply(Box::new(reply)));
            return;
        }
        self.next_wait += 1;
        let id = self.next_wait;
        let slave_ok = self.has_slave && self.slave_up;
        let w = Waiter {
            from,
            reply,
            end_offset,
            flush: if sync_flush { None } else { Some(Code::Success) },
            replica: match (sync_master, slave_ok) {
                (false, _) => Some(Code::Success),
                (true, false) => Some(Code::SlaveNotAvailable),
                (true, true) => None,
            },
            flush_deadline: cx.now + self.conf.sync_flush_timeout_ms,
            replica_deadline: cx.now + self.conf.slave_timeout_ms,
            sim,
        };
        let (wait_flush, wait_replica) = (w.flush.is_none(), w.replica.is_none());
        self.waiters.insert(id, w);
        if wait_replica {
            cx.timer(me, self.conf.slave_timeout_ms, Timer::SyncWaitExpire(id));
            // The slave pulls the data and acknowledges after one round trip (plus its own delay).
            let (lo, hi) = cx.net.default_latency();
            let rtt = cx.rng_broker.range(lo, hi) + cx.rng_broker.range(lo, hi);
            cx.timer(me, rtt.max(1) + self.slave_delay_ms, Timer::ReplicaAck(end_offset));
        }
        if wait_flush {
            cx.timer(me, self.conf.sync_flush_timeout_ms, Timer::SyncWaitExpire(id));
            self.start_flush(cx, me);
        }
        self.try_finish(cx, me, id);
    }

    /// Replies once both waits are over; a replication problem wins over a flush problem.
    fn try_finish(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        let Some(w) = self.waiters.get(&id) else { return };
        let (Some(flush), Some(replica)) = (w.flush, w.replica) else { return };
        let code = if replica != Code::Success { replica } else { flush };
        if flush == Code::Success && self.conf.flush_disk_type == FlushMode::SyncFlush {
            self.acked_sync_flush_end = self.acked_sync_flush_end.max(w.end_offset);
        }
        self.finish_wait(cx, me, id, code);
    }

    fn finish_wait(&mut self, cx: &mut Core, me: NodeId, id: u64, code: Code) {
        if let Some(mut w) = self.waiters.remove(&id) {
            w.reply.code = code;
            if code != Code::Success && cx.tracing() {
                let why = match code {
                    Code::FlushDiskTimeout => format!(
                        "SYNC_FLUSH: the disk did not flush within syncFlushTimeout {} ms; the message IS stored",
                        self.conf.sync_flush_timeout_ms
                    ),
                    Code::FlushSlaveTimeout => format!(
                        "SYNC_MASTER: the slave did not confirm within {} ms; the message IS stored on the master",
                        self.conf.slave_timeout_ms
                    ),
                    _ => "SYNC_MASTER with no slave connected: answered at once; the message IS stored on the master"
                        .to_string(),
                };
                let rec = Record::new(cx.now, "store_status")
                    .f("broker", cx.name(me))
                    .f("msg", w.sim.0)
                    .f("status", code.name())
                    .f("why", why);
                cx.emit(rec);
            }
            cx.send(me, w.from, Packet::SendReply(Box::new(w.reply)));
        }
    }

    fn wait_expired(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        let Some(w) = self.waiters.get_mut(&id) else { return };
        if w.flush.is_none() && cx.now >= w.flush_deadline {
            w.flush = Some(Code::FlushDiskTimeout);
        }
        if w.replica.is_none() && cx.now >= w.replica_deadline {
            w.replica = Some(Code::FlushSlaveTimeout);
        }
        self.try_finish(cx, me, id);
    }

    // ---------------------------------------------------------------- flushing

    fn start_flush(&mut self, cx: &mut Core, me: NodeId) {
        if self.flush_in_progress {
            return;
        }
        let upto = self.log.end_offset;
        if self.disk_delay_ms == 0 {
            self.disk_flushed(cx, me, upto);
        } else {
            self.flush_in_progress = true;
            cx.timer(me, self.disk_delay_ms, Timer::DiskFlushed(upto));
        }
    }

    fn disk_flushed(&mut self, cx: &mut Core, me: NodeId, upto: u64) {
        self.flush_in_progress = false;
        self.log.flushed_offset = self.log.flushed_offset.max(upto);
        let flushed = self.log.flushed_offset;
        let mut done = Vec::new();
        for (id, w) in self.waiters.iter_mut() {
            if w.flush.is_none() && w.end_offset <= flushed {
                w.flush = Some(Code::Success);
                done.push(*id);
            }
        }
        for id in done {
            self.try_finish(cx, me, id);
        }
        let pending = self.waiters.values().any(|w| w.flush.is_none());
        if pending && self.conf.flush_disk_type == FlushMode::SyncFlush {
            self.start_flush(cx, me);
        }
    }

    fn async_flush_tick(&mut self, cx: &mut Core, me: NodeId) {
        if self.conf.flush_disk_type != FlushMode::AsyncFlush {
            return;
        }
        let dirty = self.log.end_offset - self.log.flushed_offset;
        let thorough = cx.now >= self.last_thorough_flush + self.conf.flush_commit_log_thorough_interval_ms;
        if dirty >= FLUSH_LEAST_BYTES || (thorough && dirty > 0) {
            if thorough {
                self.last_thorough_flush = cx.now;
            }
            self.start_flush(cx, me);
        } else if thorough {
            self.last_thorough_flush = cx.now;
        }
    }

    fn replica_acked(&mut self, cx: &mut Core, me: NodeId, upto: u64) {
        if !self.slave_up {
            return;
        }
        self.replicated_offset = self.replicated_offset.max(upto);
        self.settle_replicas(cx, me);
    }

    /// Marks replica waits covered by the slave's progress as done.
    fn settle_replicas(&mut self, cx: &mut Core, me: NodeId) {
        let replicated = self.replicated_offset;
        let mut done = Vec::new();
        for (id, w) in self.waiters.iter_mut() {
            if w.replica.is_none() && w.end_offset <= replicated {
                w.replica = Some(Code::Success);
                done.push(*id);
            }
        }
        for id in done {
            self.try_finish(cx, me, id);
        }
    }

    /// Deletes the oldest messages beyond the retention limit (RocketMQ deletes old commit-log files).
    fn trim(&mut self) {
        let len = self.log.entries.len() as u64;
        if len <= self.retention_messages {
            return;
        }
        let drop = (len - self.retention_messages) as usize;
        let drop = drop.min(
            self.log
                .entries
                .iter()
                .take(drop)
                .take_while(|m| m.commitlog_offset + m.size as u64 <= self.log.flushed_offset)
                .count(),
        );
        self.log.entries.drain(..drop);
        self.log.base_index += drop as u64;
        self.stats.trimmed += drop as u64;
        let base = self.log.base_index;
        for cq in self.cqs.values_mut() {
            while cq.entries.front().is_some_and(|e| e.log_index < base) {
                cq.entries.pop_front();
                cq.base += 1;
            }
        }
    }

    // ---------------------------------------------------------------- the delay scheduler

    /// The first scheduler tick at or after `due` (ticks at start + 1 s, then every 100 ms).
    fn tick_at_or_after(&self, due: u64) -> u64 {
        let phase = self.started_at + SCHEDULE_FIRST_DELAY_MS;
        if due <= phase {
            return phase;
        }
        phase + (due - phase).div_ceil(SCHEDULE_TICK_MS) * SCHEDULE_TICK_MS
    }

    fn arm_schedule(&mut self, cx: &mut Core, me: NodeId, level: u32) {
        let li = level as usize - 1;
        let Some(cq) = self.cqs.get(&(self.schedule_topic, level - 1)) else { return };
        let off = self.delay_offsets[li].max(cq.min_offset());
        let Some(head) = cq.get(off) else { return };
        let at = self.tick_at_or_after(head.tags_code as u64).max(cx.now);
        if self.schedule_armed[li].is_some_and(|t| t <= at && t >= cx.now) {
            return;
        }
        self.schedule_armed[li] = Some(at);
        cx.timer(me, at - cx.now, Timer::ScheduleDue(level));
    }

    fn schedule_due(&mut self, cx: &mut Core, me: NodeId, level: u32) {
        let li = level as usize - 1;
        if self.schedule_armed[li] != Some(cx.now) {
            return;
        }
        self.schedule_armed[li] = None;
        while let Some(cq) = self.cqs.get(&(self.schedule_topic, level - 1)) {
            let off = self.delay_offsets[li].max(cq.min_offset());
            let Some(e) = cq.get(off).copied() else { break };
            if e.tags_code as u64 > cx.now {
                break;
            }
            let Some(parked) = self.log.get(e.log_index).cloned() else {
                self.delay_offsets[li] = off + 1;
                continue;
            };
            self.delay_offsets[li] = off + 1;
            self.deliver_scheduled(cx, me, parked);
        }
        self.arm_schedule(cx, me, level);
    }

    fn deliver_scheduled(&mut self, cx: &mut Core, me: NodeId, parked: StoredMsg) {
        let due = parked.deliver_ms;
        cx.check(cx.now >= due, "a delayed message is never delivered before it is due", || {
            format!("msg {} due at {due} ms", parked.content.sim.0)
        });
        if parked.real_topic == Some(self.half_topic(cx)) {
            // ScheduleMessageService refuses to deliver into the half topic and drops the message.
            if cx.tracing() {
                let why = format!(
                    "level {} timer found it due, but its real topic is {HALF_TOPIC} (a transactional message that kept its delay level): the broker logs \"[BUG] the real topic of schedule msg is {HALF_TOPIC}, discard the msg\" and drops it; the message is lost although the send said SEND_OK",
                    parked.delay_level
                );
                let rec = Record::new(cx.now, "schedule_discarded")
                    .f("broker", cx.name(me))
                    .f("msg", parked.content.sim.0)
                    .f("why", why);
                cx.emit(rec);
            }
            return;
        }
        let mut msg = parked.clone();
        msg.topic = parked.real_topic.unwrap_or(parked.topic);
        msg.queue_id = parked.real_qid;
        msg.real_topic = None;
        msg.delay_level = 0;
        msg.deliver_ms = 0;
        let why = if cx.tracing() {
            let late = cx.now - parked.deliver_ms;
            Some(format!(
                "level {} timer found it due at {} (checks every 100 ms, {late} ms late): moved back to {} queue {} as a new message",
                parked.delay_level,
                format_ms(parked.deliver_ms),
                cx.topics.name(msg.topic),
                msg.queue_id
            ))
        } else {
            None
        };
        self.append(cx, me, msg, why);
    }

    // ---------------------------------------------------------------- consumers

    fn on_heartbeat(&mut self, cx: &mut Core, me: NodeId, from: NodeId, hb: Rc<Heartbeat>) {
        if !hb.consumer {
            self.producers.or_default(hb.group.clone()).insert(hb.client_id.clone(), (from, cx.now));
            return;
        }
        let group = hb.group.clone();
        let members = self.groups.or_default(group.clone());
        let is_new = !members.contains_key(&hb.client_id);
        members.insert(hb.client_id.clone(), Member { node: from, last_heartbeat: cx.now, heartbeat: hb.clone() });
        self.update_group_subscriptions(cx, me, &hb);
        if cx.tracing() {
            self.report_mixed_subscriptions(cx, me, &hb);
        }
        if hb.model == crate::scenario::MessageModel::Clustering {
            let retry = cx.topics.intern(&retry_topic(&group));
            if !self.topics.contains_key(&retry) {
                self.create_system_topic(
                    cx,
                    me,
                    retry,
                    "the group's retry topic, created when its first consumer's heartbeat arrives",
                );
            }
        }
        if is_new {
            if cx.tracing() {
                let why = format!("{} joins group {group}; {} member(s) now", hb.client_id, self.groups[&group].len());
                let rec = Record::new(cx.now, "consumer_registered")
                    .f("broker", cx.name(me))
                    .f("group", &group)
                    .f("client_id", &hb.client_id)
                    .f("why", why);
                cx.emit(rec);
            }
            self.notify_ids_changed(cx, me, &group);
        }
    }

    /// `ConsumerGroupInfo.updateSubscription`: a topic the group has no subscription
    /// for takes this one; a stored one is replaced only by a newer `subVersion`;
    /// topics missing from this heartbeat are dropped from the group.
    fn update_group_subscriptions(&mut self, cx: &mut Core, me: NodeId, hb: &Heartbeat) {
        let table = self.group_subs.or_default(hb.group.clone());
        let mut changed: Vec<(Rc<str>, Rc<SubData>)> = Vec::new();
        for sub in &hb.subscriptions {
            match table.get(&sub.topic) {
                None => {
                    table.insert(sub.topic, Rc::new(sub.clone()));
                }
                Some(old) if sub.version > old.version => {
                    if old.expression != sub.expression {
                        changed.push((old.expression.clone(), Rc::new(sub.clone())));
                    }
                    table.insert(sub.topic, Rc::new(sub.clone()));
                }
                Some(_) => {}
            }
        }
        table.retain(|t, _| hb.subscriptions.iter().any(|s| s.topic == *t));
        if !cx.tracing() {
            return;
        }
        for (old, sub) in changed {
            let topic = cx.topics.name(sub.topic).clone();
            let why = format!(
                "{}'s heartbeat carries subVersion {} > the stored one, so group {}'s subscription to {topic} becomes \"{}\" (was \"{old}\"); pulls that do not post their own expression (Java) are filtered with it",
                hb.client_id, sub.version, hb.group, sub.expression
            );
            let rec = Record::new(cx.now, "subscription_changed")
                .f("broker", cx.name(me))
                .f("group", &hb.group)
                .f("topic", topic)
                .f("expression", &sub.expression)
                .f("client_id", &hb.client_id)
                .f("why", why);
            cx.emit(rec);
        }
    }

    /// Tells when the members of one group subscribe to a topic with different
    /// expressions (订阅关系不一致), once per change of the set of expressions.
    fn report_mixed_subscriptions(&mut self, cx: &mut Core, me: NodeId, hb: &Heartbeat) {
        let Some(members) = self.groups.get(&hb.group) else { return };
        for sub in &hb.subscriptions {
            let mut exprs: Vec<Rc<str>> = Vec::new();
            let mut who: Vec<String> = Vec::new();
            for (cid, m) in members.iter() {
                if let Some(s) = m.heartbeat.subscriptions.iter().find(|s| s.topic == sub.topic) {
                    who.push(format!("{cid}: \"{}\"", s.expression));
                    if !exprs.contains(&s.expression) {
                        exprs.push(s.expression.clone());
                    }
                }
            }
            crate::order::sort(&mut exprs);
            let key = (hb.group.clone(), sub.topic);
            let before = self.sub_conflicts.get(&key).cloned().unwrap_or_default();
            if exprs.len() < 2 {
                self.sub_conflicts.remove(&key);
                continue;
            }
            if before == exprs {
                continue;
            }
            let topic = cx.topics.name(sub.topic).clone();
            let consequence = match cx.flavor {
                Flavor::Java4 => "a Java consumer does not send its expression with each pull, so the broker filters every member's pulls with the group's one stored subscription (the newest subVersion) and each client then drops the tags it did not ask for: messages are lost for the other members, and which member wins can change at each rebalance",
                Flavor::PythonCpp => "the C++ client sends its own expression with each pull, so each member still gets its own tags here; a Java consumer in the same setup would lose messages",
            };
            let why = format!(
                "members of group {} subscribe to {topic} differently ({}): {consequence}",
                hb.group,
                who.join(", ")
            );
            let rec = Record::new(cx.now, "subscriptions_differ")
                .f("broker", cx.name(me))
                .f("group", &hb.group)
                .f("topic", topic)
                .f("expressions", exprs.clone())
                .f("why", why);
            cx.emit(rec);
            self.sub_conflicts.insert(key, exprs);
        }
    }

    fn create_system_topic(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, why: &str) {
        self.topics.insert(topic, TopicConf { topic, read_queues: 1, write_queues: 1, perm: PERM_READ | PERM_WRITE });
        self.data_version += 1;
        if cx.tracing() {
            let name = cx.topics.name(topic).clone();
            let rec = Record::new(cx.now, "topic_created")
                .f("broker", cx.name(me))
                .f("topic", name)
                .f("queues", 1u32)
                .f("why", why);
            cx.emit(rec);
        }
        self.register_all(cx, me, "topic created");
    }

    fn notify_ids_changed(&self, cx: &mut Core, me: NodeId, group: &Rc<str>) {
        if !self.conf.notify_consumer_ids_changed_enable {
            return;
        }
        if let Some(members) = self.groups.get(group) {
            for m in members.values() {
                cx.send(me, m.node, Packet::NotifyConsumerIdsChanged { group: group.clone() });
            }
        }
    }

    fn remove_member(&mut self, cx: &mut Core, me: NodeId, group: &Rc<str>, cid: &Rc<str>, reason: &str) {
        let Some(members) = self.groups.get_mut(group) else { return };
        if members.remove(cid).is_none() {
            return;
        }
        if members.is_empty() {
            // The group's info (and its stored subscriptions) goes with its last member.
            self.group_subs.remove(group);
        }
        if cx.tracing() {
            let why = format!("{cid} leaves group {group}: {reason}; the others are told to rebalance");
            let rec = Record::new(cx.now, "consumer_unregistered")
                .f("broker", cx.name(me))
                .f("group", group)
                .f("client_id", cid)
                .f("why", why);
            cx.emit(rec);
        }
        self.notify_ids_changed(cx, me, group);
    }

    fn scan_clients(&mut self, cx: &mut Core, me: NodeId) {
        let mut expired = Vec::new();
        for (g, members) in &self.groups {
            for (cid, m) in members {
                if m.last_heartbeat + CLIENT_EXPIRE_MS < cx.now {
                    expired.push((g.clone(), cid.clone()));
                }
            }
        }
        for (g, cid) in expired {
            self.remove_member(cx, me, &g, &cid, "no heartbeat for 120 s");
        }
        let now = cx.now;
        for chans in self.producers.values_mut() {
            chans.retain(|_, (_, last)| *last + CLIENT_EXPIRE_MS >= now);
        }
    }

    /// queryConsumerOffset, including the new-group quirk (a young queue answers 0).
    pub fn query_offset(&self, group: &Rc<str>, topic: TopicId, queue_id: u32) -> (Option<u64>, u64, u64) {
        let cq = self.cqs.get(&(topic, queue_id));
        let (min, max) = cq.map(|c| (c.min_offset(), c.max_offset())).unwrap_or((0, 0));
        if let Some(o) = self.offsets.get(&(group.clone(), topic, queue_id)) {
            return (Some(*o), min, max);
        }
        // Broker quirk: no stored offset, minOffset <= 0 and message 0 still in memory => 0.
        if min == 0 {
            return (Some(0), min, max);
        }
        (None, min, max)
    }

    fn flush_consumer_offsets(&mut self, cx: &mut Core, me: NodeId) {
        if cx.tracing() {
            for (k, v) in self.offsets.iter() {
                if self.persisted_offsets.get(k) != Some(v) {
                    let queue = format!("{}:{}:{}", self.name, cx.topics.name(k.1), k.2);
                    let why = format!(
                        "consumerOffset.json flushed (every {} ms): group {} resumes here after a crash",
                        self.conf.flush_consumer_offset_interval_ms, k.0
                    );
                    let rec = Record::new(cx.now, "offset_committed")
                        .f("broker", cx.name(me))
                        .f("group", &k.0)
                        .f("queue", queue)
                        .f("offset", *v)
                        .f("why", why);
                    cx.emit(rec);
                }
            }
        }
        self.persisted_offsets = self.offsets.clone();
    }

    fn on_pull(&mut self, cx: &mut Core, me: NodeId, from: NodeId, mut req: Box<PullRequest>, may_hold: bool) {
        self.stats.pulls += 1;
        if !req.post_sub {
            // PullMessageProcessor without the subscription flag: the group's stored one.
            let stored = self.group_subs.get(&req.group).and_then(|t| t.get(&req.topic)).cloned();
            let status = match stored {
                None => Some(PullStatus::SubscriptionNotExist),
                Some(s) if s.version < req.sub.version => Some(PullStatus::SubscriptionNotLatest),
                Some(s) => {
                    req.sub = s;
                    None
                }
            };
            if let Some(status) = status {
                let reply = PullReply {
                    req: req.req,
                    status,
                    msgs: Vec::new(),
                    next_offset: req.offset,
                    min_offset: 0,
                    max_offset: 0,
                };
                cx.send(me, from, Packet::PullReply(Box::new(reply)));
                return;
            }
        }
        if let Some(c) = req.commit_offset.filter(|c| *c > 0) {
            if cx.invariants {
                self.audit_commit(cx, (me, from), &req.group, req.topic, req.queue_id, c);
            }
            // The commit offset piggybacks on every pull; update in place on the hot path.
            let key = (req.group.clone(), req.topic, req.queue_id);
            match self.offsets.get_mut(&key) {
                Some(o) => *o = c,
                None => {
                    self.offsets.insert(key, c);
                }
            }
        }
        let reply = self.read_queue(&req);
        if reply.status == PullStatus::NoNewMsg && may_hold && req.suspend_ms > 0 {
            let suspend =
                if self.conf.long_polling_enable { req.suspend_ms } else { self.conf.short_polling_time_mills };
            self.next_hold += 1;
            let id = self.next_hold;
            self.held.or_default((req.topic, req.queue_id)).push(HeldPull { id, from, req, expires: cx.now + suspend });
            return;
        }
        cx.send(me, from, Packet::PullReply(Box::new(reply)));
    }

    /// Invariant checks on a consumer offset the broker is about to store: it never moves
    /// backwards except after an explicit reset, and it never passes a message the group
    /// neither consumed, filtered nor saw expire (counters balance, see `ledger.rs`).
    fn audit_commit(
        &mut self,
        cx: &mut Core,
        (me, from): (NodeId, NodeId),
        group: &Rc<str>,
        topic: TopicId,
        queue_id: u32,
        c: u64,
    ) {
        let key = (me, group.clone(), topic, queue_id);
        let tname = cx.topics.name(topic).clone();
        let old = self.offsets.get(&(group.clone(), topic, queue_id)).copied();
        let backwards = old.is_some_and(|o| c < o);
        let allowed = backwards && cx.ledger.may_rewind(&key, from);
        cx.check(
            !backwards || allowed,
            "broker-side consume offsets never move backwards except by explicit reset",
            || format!("group {group} {}:{tname}:{queue_id} from {} to {c}", self.name, old.unwrap_or(0)),
        );
        let min = self.cqs.get(&(topic, queue_id)).map_or(0, |q| q.min_offset());
        let verdict = cx.ledger.commit(key.clone(), c, min);
        cx.ledger.wrote(&key, from);
        cx.check(verdict.is_ok(), "counters balance (stored = delivered + filtered + pending + expired)", || {
            format!("group {group} {}:{tname}:{queue_id}: {}", self.name, verdict.clone().unwrap_err())
        });
    }

    fn read_queue(&self, req: &PullRequest) -> PullReply {
        let mut reply = PullReply {
            req: req.req,
            status: PullStatus::NoNewMsg,
            msgs: Vec::new(),
            next_offset: req.offset,
            min_offset: 0,
            max_offset: 0,
        };
        let Some(cq) = self.cqs.get(&(req.topic, req.queue_id)) else {
            reply.next_offset = 0;
            return reply;
        };
        let (min, max) = (cq.min_offset(), cq.max_offset());
        reply.min_offset = min;
        reply.max_offset = max;
        if req.offset < min || req.offset > max {
            reply.status = PullStatus::OffsetIllegal;
            reply.next_offset = if req.offset < min { min } else { max };
            return reply;
        }
        if req.offset == max {
            return reply;
        }
        let end = max.min(req.offset + MAX_PULL_SCAN);
        // One allocation per reply instead of a growing vector (wasm's allocator is slow to realloc).
        reply.msgs.reserve((end - req.offset).min(req.max as u64) as usize);
        let mut off = req.offset;
        while off < end && reply.msgs.len() < req.max as usize {
            let e = cq.get(off).expect("offset within queue");
            if req.sub.broker_match(e.tags_code as i32) {
                if let Some(m) = self.log.get(e.log_index) {
                    reply.msgs.push(m.clone());
                }
            }
            off += 1;
        }
        reply.next_offset = off;
        reply.status = if reply.msgs.is_empty() { PullStatus::NoMatchedMsg } else { PullStatus::Found };
        reply
    }

    /// A held Java pull that wakes runs again with the group's current subscription.
    fn refresh_stored_sub(&self, req: &mut PullRequest) {
        if !req.post_sub {
            if let Some(s) = self.group_subs.get(&req.group).and_then(|t| t.get(&req.topic)) {
                if !Rc::ptr_eq(s, &req.sub) {
                    req.sub = s.clone();
                }
            }
        }
    }

    fn wake_pulls(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, queue_id: u32) {
        let Some(list) = self.held.get_mut(&(topic, queue_id)) else { return };
        if list.is_empty() {
            return;
        }
        // Answered pulls leave the list, the others stay in order; the list keeps
        // its buffer for the next pull (one allocation less per message).
        let mut held = std::mem::take(list);
        let mut kept = 0;
        for i in 0..held.len() {
            self.refresh_stored_sub(&mut held[i].req);
            let reply = self.read_queue(&held[i].req);
            let h = &mut held[i];
            if reply.status == PullStatus::NoNewMsg
                || reply.status == PullStatus::NoMatchedMsg && reply.next_offset == h.req.offset
            {
                held.swap(kept, i);
                kept += 1;
            } else if reply.status == PullStatus::NoMatchedMsg {
                // Not for this subscription: keep waiting from the new position.
                h.req.offset = reply.next_offset;
                held.swap(kept, i);
                kept += 1;
            } else {
                cx.send(me, h.from, Packet::PullReply(Box::new(reply)));
            }
        }
        held.truncate(kept);
        if let Some(list) = self.held.get_mut(&(topic, queue_id)) {
            if list.is_empty() {
                *list = held;
            } else {
                list.extend(held);
            }
        }
    }

    /// The hold service's periodic check: answers held pulls whose suspend time is
    /// over and, under short polling (`longPollingEnable=false`), those whose queue
    /// has grown since they were held: arrivals do not wake them, this check does
    /// (`PullRequestHoldService.checkHoldRequest`), so a delivery waits for it.
    fn hold_scan(&mut self, cx: &mut Core, me: NodeId) {
        let mut due = Vec::new();
        let short = !self.conf.long_polling_enable;
        for (key, list) in self.held.iter_mut() {
            let max = self.cqs.get(key).map_or(0, |q| q.max_offset());
            let mut i = 0;
            while i < list.len() {
                if list[i].expires <= cx.now || short && max > list[i].req.offset {
                    due.push(list.remove(i));
                } else {
                    i += 1;
                }
            }
        }
        crate::order::sort_by_key(&mut due, |h| h.id);
        for mut h in due {
            self.refresh_stored_sub(&mut h.req);
            let reply = self.read_queue(&h.req);
            cx.send(me, h.from, Packet::PullReply(Box::new(reply)));
        }
    }

    fn hold_scan_period(&self) -> u64 {
        if self.conf.long_polling_enable {
            HOLD_SCAN_MS
        } else {
            self.conf.short_polling_time_mills
        }
    }

    // ---------------------------------------------------------------- retry and DLQ

    fn on_send_back(&mut self, cx: &mut Core, me: NodeId, from: NodeId, sb: Box<SendBack>) {
        let Some(orig) = self.log.find_by_offset(sb.msg.commitlog_offset).cloned() else {
            cx.send(me, from, Packet::SendBackReply { req: sb.req, code: Code::SystemError });
            return;
        };
        let group = sb.group.clone();
        let times = sb.msg.reconsume_times;
        let mut msg = orig.clone();
        msg.retry_topic = Some(orig.retry_topic.unwrap_or(orig.topic));
        msg.reconsume_times = times + 1;
        msg.real_topic = None;
        msg.delay_level = 0;
        if times >= sb.max_reconsume_times || sb.delay_level < 0 {
            if cx.invariants && sb.delay_level >= 0 {
                // Exactly maxReconsumeTimes failures went before, unless the client counted extra
                // ones itself while its send-back failed (a local retry).
                let sim = sb.msg.content.sim.0;
                let exact = times == sb.max_reconsume_times || cx.ledger.had_local_retry(&group, sim);
                cx.check(
                    exact,
                    "a concurrent consumer's message reaches the DLQ after exactly maxReconsumeTimes",
                    || format!("msg {sim} dead-lettered at reconsume_times {times}, max {}", sb.max_reconsume_times),
                );
            }
            let dlq = cx.topics.intern(&dlq_topic(&group));
            if !self.topics.contains_key(&dlq) {
                self.create_system_topic(
                    cx,
                    me,
                    dlq,
                    "the group's dead-letter queue, created for its first dead letter",
                );
            }
            msg.topic = dlq;
            msg.queue_id = 0;
            if cx.tracing() {
                let why = format!(
                    "failed {} times: reconsume_times {times} reached maxReconsumeTimes {}, so it goes to {} and is not delivered again",
                    times + 1,
                    sb.max_reconsume_times,
                    dlq_topic(&group)
                );
                let rec = Record::new(cx.now, "dead_lettered")
                    .f("group", &group)
                    .f("msg", msg.content.sim.0)
                    .f("broker", cx.name(me))
                    .f("reconsume_times", times)
                    .f("why", why);
                cx.emit(rec);
            }
            self.append(cx, me, msg, None);
        } else {
            let retry = cx.topics.intern(&retry_topic(&group));
            if !self.topics.contains_key(&retry) {
                self.create_system_topic(cx, me, retry, "the group's retry topic");
            }
            let asked = if sb.delay_level == 0 { 3 + times } else { sb.delay_level as u32 };
            let level = asked.min(self.conf.max_delay_level());
            msg.topic = retry;
            msg.queue_id = 0;
            if cx.tracing() {
                let delay = self.conf.message_delay_level[level as usize - 1];
                let rule = if sb.delay_level == 0 {
                    format!("3 + reconsume_times {times}")
                } else {
                    "the level the consumer asked for".to_string()
                };
                let level_text = if asked == level {
                    format!("delay level {level} ({})", format_ms(delay))
                } else {
                    format!("delay level {asked}, clamped to the highest level {level} ({})", format_ms(delay))
                };
                let why =
                    format!("retry #{} → {level_text} = {rule}; then back via {}", times + 1, retry_topic(&group));
                let rec = Record::new(cx.now, "retry_scheduled")
                    .f("group", &group)
                    .f("msg", msg.content.sim.0)
                    .f("reconsume_times", times + 1)
                    .f("delay_level", level)
                    .f("due", cx.now + delay)
                    .f("why", why);
                cx.emit(rec);
            }
            self.park_for_delay(&mut msg, level, cx.now);
            self.append(cx, me, msg, None);
        }
        cx.send(me, from, Packet::SendBackReply { req: sb.req, code: Code::Success });
    }

    // ---------------------------------------------------------------- transactions

    fn half_topic(&self, cx: &mut Core) -> TopicId {
        cx.topics.intern(HALF_TOPIC)
    }

    /// END_TRANSACTION: commit makes the message visible, rollback drops it; both write an op record.
    fn end_transaction(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        from: NodeId,
        (group, commitlog_offset, half_offset): (&Rc<str>, u64, u64),
        (state, from_check, sim): (TxnState, bool, crate::names::MsgRef),
    ) {
        let half = self.half_topic(cx);
        // checkPrepareMessage compares the producer group and the offsets, not the topic: a
        // half message parked for a delay (C++ client) is found in SCHEDULE_TOPIC_XXXX.
        let parked = |m: &StoredMsg| m.topic == self.schedule_topic && m.real_topic == Some(half);
        let Some(msg) = self.log.find_by_offset(commitlog_offset).filter(|m| m.topic == half || parked(m)).cloned()
        else {
            return;
        };
        if self.txn_done.contains(&half_offset) && state != TxnState::Unknown {
            return;
        }
        let source = if from_check { "the checker's answer" } else { "the local transaction" };
        let why = match state {
            TxnState::Commit => format!("{source} says COMMIT_MESSAGE: the message is written to its real topic and becomes visible; an op record marks the half message done"),
            TxnState::Rollback => format!("{source} says ROLLBACK_MESSAGE: only an op record is written; consumers never see the message"),
            TxnState::Unknown => format!("{source} says UNKNOW: the broker keeps the half message and will check back (every {} after it is {} old, at most {} times)", format_ms(self.conf.transaction_check_interval_ms), format_ms(self.conf.transaction_timeout_ms), self.conf.transaction_check_max),
        };
        if cx.tracing() {
            let rec = Record::new(cx.now, "txn_end")
                .f("producer", cx.name(from))
                .f("group", group)
                .f("msg", sim.0)
                .f("state", state.name())
                .f("broker", cx.name(me))
                .f("why", why);
            cx.emit(rec);
        }
        if state == TxnState::Unknown {
            return;
        }
        self.txn_done.insert(half_offset);
        if state == TxnState::Commit {
            let mut real = msg.clone();
            real.topic = msg.real_topic.unwrap_or(msg.topic);
            real.queue_id = msg.real_qid;
            real.real_topic = None;
            real.check_times = 0;
            real.delay_level = 0;
            real.deliver_ms = 0;
            let mut why = None;
            if real.content.delay_level > 0 {
                // The committed copy keeps the delay level: parked again, still bound for the half topic.
                let level = real.content.delay_level;
                self.park_for_delay(&mut real, level, cx.now);
                if cx.tracing() {
                    why = Some(format!("the commit rebuilds the message from REAL_TOPIC, which the delay overwrote with {HALF_TOPIC}, and keeps its delay level {level}: parked in SCHEDULE_TOPIC_XXXX again, bound for the half topic"));
                }
            }
            self.append(cx, me, real, why);
        }
        let mut op = msg;
        op.topic = cx.topics.intern(OP_HALF_TOPIC);
        op.queue_id = 0;
        op.real_topic = None;
        op.size = 91 + 8 + OP_HALF_TOPIC.len() as u32 + 10;
        let why = format!(
            "op record (tag \"d\", body = half offset {half_offset}) so the check service skips this half message"
        );
        self.append(cx, me, op, Some(why));
    }

    /// The transaction check service's pass over the half queue.
    fn txn_check(&mut self, cx: &mut Core, me: NodeId) {
        let half = self.half_topic(cx);
        let Some(cq) = self.cqs.get(&(half, 0)) else { return };
        let end = cq.max_offset();
        let mut off = self.txn_check_offset.max(cq.min_offset());
        while off < end {
            let Some(e) = self.cqs.get(&(half, 0)).and_then(|c| c.get(off)).copied() else { break };
            if self.txn_done.contains(&off) {
                off += 1;
                continue;
            }
            let Some(msg) = self.log.get(e.log_index).cloned() else {
                off += 1;
                continue;
            };
            if msg.check_times >= self.conf.transaction_check_max {
                self.discard_half(cx, me, off, msg);
                off += 1;
                continue;
            }
            if cx.now.saturating_sub(msg.content.born_ms) < self.conf.transaction_timeout_ms {
                break;
            }
            self.check_back(cx, me, msg);
            self.txn_done.insert(off);
            off += 1;
        }
        self.txn_check_offset = off;
    }

    fn discard_half(&mut self, cx: &mut Core, me: NodeId, off: u64, msg: StoredMsg) {
        self.txn_done.insert(off);
        if cx.tracing() {
            let why = format!("checked {} times (transactionCheckMax) without a decision: the half message is discarded to {CHECK_MAX_TOPIC} and never delivered", msg.check_times);
            let rec = Record::new(cx.now, "txn_discarded")
                .f("broker", cx.name(me))
                .f("msg", msg.content.sim.0)
                .f("checks", msg.check_times)
                .f("why", why);
            cx.emit(rec);
        }
        let mut dead = msg;
        dead.topic = cx.topics.intern(CHECK_MAX_TOPIC);
        dead.queue_id = 0;
        self.append(cx, me, dead, None);
    }

    /// Re-appends a copy with TRANSACTION_CHECK_TIMES + 1 and asks one producer of the group.
    fn check_back(&mut self, cx: &mut Core, me: NodeId, msg: StoredMsg) {
        let mut copy = msg.clone();
        copy.check_times = msg.check_times + 1;
        let why = format!("transaction check #{}: a copy goes to the end of the half queue (the original is done), and the producer group is asked", copy.check_times);
        let mut sent = copy.clone();
        let at = self.append(cx, me, copy, Some(why));
        (sent.store_ms, sent.queue_offset, sent.commitlog_offset) = (cx.now, at.queue_offset, at.commitlog_offset);
        let copy = sent;
        let group = msg.content.producer_group.clone();
        let chans: Vec<NodeId> =
            self.producers.get(&group).map(|m| m.values().map(|(n, _)| *n).collect()).unwrap_or_default();
        if chans.is_empty() {
            if cx.tracing() {
                let why = format!(
                    "no producer of group {group} is connected, so nobody can answer this check (it still counts)"
                );
                let rec = Record::new(cx.now, "txn_check_unanswered")
                    .f("broker", cx.name(me))
                    .f("msg", msg.content.sim.0)
                    .f("why", why);
                cx.emit(rec);
            }
            return;
        }
        let to = chans[(self.producer_rr % chans.len() as u64) as usize];
        self.producer_rr += 1;
        cx.send(me, to, Packet::CheckTransaction { msg: Box::new(copy) });
    }

    // ---------------------------------------------------------------- orderly locks

    fn lock_batch(
        &mut self,
        now: u64,
        group: &Rc<str>,
        cid: &Rc<str>,
        queues: &[(TopicId, u32)],
    ) -> Vec<(TopicId, u32)> {
        let mut locked = Vec::new();
        for (t, q) in queues {
            let key = (group.clone(), *t, *q);
            let free = match self.locks.get(&key) {
                None => true,
                Some((owner, last)) => owner == cid || now > last + LOCK_MAX_LIVE_MS,
            };
            if free {
                self.locks.insert(key, (cid.clone(), now));
                locked.push((*t, *q));
            }
        }
        locked
    }
}

/// A message's size in the commit log (RocketMQ's `calMsgLength`: 91 bytes of header
/// plus body, topic and the encoded properties).
pub fn message_size(c: &MsgContent, topic: &str) -> u64 {
    let mut props: u64 = "UNIQ_KEY".len() as u64 + 32 + 2 + "WAIT".len() as u64 + 4 + 2;
    if let Some(t) = &c.tags {
        props += 4 + t.len() as u64 + 2;
    }
    if let Some(k) = &c.keys {
        props += 4 + k.len() as u64 + 2;
    }
    for (k, v) in c.properties.iter() {
        props += (k.len() + v.len()) as u64 + 2;
    }
    91 + c.body_len + topic.len() as u64 + props
}
