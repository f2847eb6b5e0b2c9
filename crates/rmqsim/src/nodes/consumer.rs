//! The push consumer: rebalance, long-polling pulls, the consume thread pool,
//! offsets, retries through %RETRY%group, and orderly consumption with locks.
//!
//! A push consumer is a pull loop in disguise (design/rocketmq-reference.md §5):
//! it asks a broker for up to 32 messages and the broker holds the request
//! until something arrives. The listener's answers come from the scenario's
//! `behavior`; failures follow the chosen client flavor's rules (§6, §7).

use crate::deadlines::Deadlines;
use crate::ledger::Mark;
use crate::names::{retry_topic, NodeId, TopicId};
use crate::protocol::*;
use crate::scenario::{
    Allocation, ConsumeFromWhere, ConsumeResult, ConsumerSpec, Flavor, ListenerKind, MessageModel, Rules, Scenario,
};
use crate::sim::{Core, Timer};
use crate::time::format_ms;
use crate::trace::Record;
use crate::vecmap::SortedMap;
use crate::vecmap::VecMap;
use std::collections::VecDeque;
use std::rc::Rc;

pub const PULL_BATCH: u32 = 32;
pub const BROKER_SUSPEND_MS: u64 = 15_000;
pub const PULL_TIMEOUT_MS: u64 = 30_000;
pub const PULL_DELAY_ON_EXCEPTION_MS: u64 = 1000;
pub const PERSIST_OFFSET_MS: u64 = 5000;
pub const QUEUE_CACHE_MAX: usize = 1000;
pub const LOCK_RENEW_MS: u64 = 20_000;
pub const LOCK_CLIENT_MAX_LIVE_MS: u64 = 30_000;
pub const DEFAULT_MAX_RECONSUME: u32 = 16;
const REQUEST_TIMEOUT_MS: u64 = 3000;

/// A queue this consumer owns (RocketMQ's ProcessQueue plus its PullRequest).
#[derive(Clone, Debug)]
pub struct ProcessQueue {
    pub topic: TopicId,
    pub broker: Rc<str>,
    pub node: NodeId,
    pub queue_id: u32,
    pub next_offset: Option<u64>,
    /// Messages pulled and not yet finished, by queue offset.
    pub msgs: InFlight,
    pub max_pulled: Option<u64>,
    pub dropped: bool,
    pub pulling: bool,
    /// The offset last reported to the broker or the local store.
    pub reported: Option<u64>,
    pub locked: bool,
    pub lock_time: u64,
    pub consuming: bool,
    /// The highest offset handed to an orderly listener (order invariant).
    pub last_delivered: Option<u64>,
    /// An orderly consume waits for a valid lock (a retry is armed).
    pub lock_wait: bool,
}

impl ProcessQueue {
    /// The queue as the trace writes it: `broker:topic:queue`.
    pub fn label(&self, topics: &crate::names::Topics) -> String {
        format!("{}:{}:{}", self.broker, topics.name(self.topic), self.queue_id)
    }

    /// The commit point: the smallest offset in flight, else one past the highest pulled.
    pub fn commit_offset(&self) -> Option<u64> {
        if let Some(o) = self.msgs.first_offset() {
            return Some(o);
        }
        self.max_pulled.map(|m| m + 1).or(self.next_offset)
    }
}

/// Messages pulled and not finished, in queue-offset order (offsets only grow
/// within one process queue, so finished ones are cleared from the front).
#[derive(Clone, Debug, Default)]
pub struct InFlight {
    slots: VecDeque<(u64, Option<StoredMsg>)>,
    live: usize,
}

impl InFlight {
    pub fn insert(&mut self, offset: u64, msg: StoredMsg) {
        debug_assert!(self.slots.back().is_none_or(|(o, _)| *o < offset), "pulled offsets only grow");
        self.slots.push_back((offset, Some(msg)));
        self.live += 1;
    }

    fn index(&self, offset: u64) -> Option<usize> {
        let i = self.slots.partition_point(|(o, _)| *o < offset);
        (self.slots.get(i).is_some_and(|(o, m)| *o == offset && m.is_some())).then_some(i)
    }

    pub fn remove(&mut self, offset: &u64) -> Option<StoredMsg> {
        let i = self.index(*offset)?;
        let m = self.slots[i].1.take();
        self.live -= 1;
        while self.slots.front().is_some_and(|(_, m)| m.is_none()) {
            self.slots.pop_front();
        }
        m
    }

    pub fn get(&self, offset: u64) -> Option<&StoredMsg> {
        let i = self.index(offset)?;
        self.slots[i].1.as_ref()
    }

    pub fn get_mut(&mut self, offset: &u64) -> Option<&mut StoredMsg> {
        let i = self.index(*offset)?;
        self.slots[i].1.as_mut()
    }

    pub fn first(&self) -> Option<&StoredMsg> {
        self.slots.front().and_then(|(_, m)| m.as_ref())
    }

    pub fn first_offset(&self) -> Option<u64> {
        self.slots.front().map(|(o, _)| *o)
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

/// What a request in flight is for.
#[derive(Clone, Debug)]
enum Pending {
    Route(TopicId),
    Ids(TopicId),
    Offset(u32),
    Pull(u32),
    SendBack {
        msg: u64,
    },
    /// An orderly Java consumer moving a message that used up its retries to the DLQ.
    OrderlySendBack {
        msg: u64,
    },
    /// Java's internal producer re-sending a failed message to %RETRY%group.
    RetrySend {
        msg: u64,
    },
    Lock(NodeId),
}

/// One consume request handed to the thread pool.
#[derive(Clone, Debug)]
struct Task {
    pq: u32,
    msgs: Vec<StoredMsg>,
    next: usize,
    failed: bool,
    orderly: bool,
    /// The ask of the current delivery (program-driven consumers).
    ask: u64,
}

/// Consume tasks by id. Ids only grow and tasks mostly finish in order, so a
/// deque indexed from the oldest live id does what a B-tree did, in O(1).
#[derive(Clone, Debug, Default)]
struct Tasks {
    base: u64,
    slots: std::collections::VecDeque<Option<Task>>,
}

impl Tasks {
    fn insert(&mut self, id: u64, task: Task) {
        if self.slots.is_empty() {
            self.base = id;
        }
        while id < self.base {
            self.slots.push_front(None);
            self.base -= 1;
        }
        let i = (id - self.base) as usize;
        while self.slots.len() <= i {
            self.slots.push_back(None);
        }
        self.slots[i] = Some(task);
    }

    fn slot(&self, id: u64) -> Option<usize> {
        let i = usize::try_from(id.checked_sub(self.base)?).ok()?;
        (i < self.slots.len()).then_some(i)
    }

    fn get(&self, id: &u64) -> Option<&Task> {
        self.slots[self.slot(*id)?].as_ref()
    }

    fn get_mut(&mut self, id: &u64) -> Option<&mut Task> {
        let i = self.slot(*id)?;
        self.slots[i].as_mut()
    }

    fn remove(&mut self, id: &u64) -> Option<Task> {
        let i = self.slot(*id)?;
        let task = self.slots[i].take();
        while self.slots.front().is_some_and(Option::is_none) {
            self.slots.pop_front();
            self.base += 1;
        }
        task
    }

    fn clear(&mut self) {
        self.slots.clear();
    }
}

/// A push consumer.
pub struct Consumer {
    pub id: Rc<str>,
    pub group: Rc<str>,
    spec: ConsumerSpec,
    flavor: Flavor,
    rules: Rules,
    pub client_id: Rc<str>,
    subs: Vec<Rc<SubData>>,
    // Volatile.
    pub routes: SortedMap<TopicId, Rc<TopicRoute>>,
    pub pqs: Vec<ProcessQueue>,
    pending: VecMap<Pending>,
    deadlines: Deadlines,
    next_req: u64,
    tasks: Tasks,
    ready: VecDeque<u64>,
    immediate: VecDeque<u64>,
    pumping: bool,
    busy_threads: u32,
    next_task: u64,
    ns_index: usize,
    pub assigned: SortedMap<TopicId, Vec<(Rc<str>, u32)>>,
    started: bool,
    /// Broadcasting offsets kept in the local file (survive a crash).
    pub local_offsets: SortedMap<(TopicId, Rc<str>, u32), u64>,
    pub stats: ConsumerStats,
    /// The learner's program that answers the listener calls, if any.
    program: Option<Rc<str>>,
    /// The NameServers this client knows.
    ns: Vec<NodeId>,
}

/// Counters for the inspector.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerStats {
    pub delivered: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub rebalances: u64,
}

impl Consumer {
    pub fn new(sc: &Scenario, i: usize, spec: &ConsumerSpec, cx: &mut Core) -> Consumer {
        let pid = 2000 + cx.rng_ident.range(0, 60_000);
        let client_id = Rc::from(format!("192.168.4.{}@{pid}", 10 + i));
        let mut subs: Vec<Rc<SubData>> =
            spec.subscribe.iter().map(|s| Rc::new(SubData::new(cx.topics.intern(&s.topic), &s.expression))).collect();
        if spec.model == MessageModel::Clustering {
            let retry = cx.topics.intern(&retry_topic(&spec.group));
            subs.push(Rc::new(SubData::new(retry, "*")));
        }
        Consumer {
            id: Rc::from(spec.id.as_str()),
            group: Rc::from(spec.group.as_str()),
            spec: spec.clone(),
            flavor: sc.client,
            rules: sc.client.rules(),
            client_id,
            subs,
            routes: SortedMap::new(),
            pqs: Vec::new(),
            pending: VecMap::default(),
            deadlines: Deadlines::default(),
            next_req: 0,
            tasks: Tasks::default(),
            ready: VecDeque::new(),
            immediate: VecDeque::new(),
            pumping: false,
            busy_threads: 0,
            next_task: 0,
            ns_index: i,
            assigned: SortedMap::new(),
            started: false,
            local_offsets: SortedMap::new(),
            stats: ConsumerStats::default(),
            program: spec.program.as_deref().map(Rc::from),
            ns: crate::nodes::known_nameservers(cx, &spec.nameservers),
        }
    }

    pub fn autostart(&self) -> bool {
        self.spec.autostart
    }

    fn clustering(&self) -> bool {
        self.spec.model == MessageModel::Clustering
    }

    fn orderly(&self) -> bool {
        self.spec.listener == ListenerKind::Orderly
    }

    fn threads(&self) -> u32 {
        self.spec.consume_threads.unwrap_or(self.rules.consume_threads)
    }

    fn max_reconsume(&self) -> u32 {
        match self.spec.max_reconsume_times {
            Some(m) if m >= 0 => m as u32,
            _ => DEFAULT_MAX_RECONSUME,
        }
    }

    // ---------------------------------------------------------------- lifecycle

    pub fn start(&mut self, cx: &mut Core, me: NodeId) {
        self.volatile_reset();
        self.started = true;
        if self.flavor == Flavor::Java4 {
            // `subVersion` is the wall clock when the subscription is built.
            for s in &mut self.subs {
                Rc::make_mut(s).version = cx.now;
            }
        }
        for s in self.subs.clone() {
            self.ask_route(cx, me, s.topic);
        }
        cx.timer(me, self.rules.route_poll_first_ms, Timer::RoutePoll);
        cx.timer(me, self.rules.heartbeat_first_ms, Timer::Heartbeat);
        cx.timer(me, self.rules.rebalance_period_ms, Timer::Rebalance);
        cx.timer(me, self.rules.persist_offset_first_ms, Timer::PersistOffsets);
        if self.orderly() && self.clustering() {
            cx.timer(me, 1000, Timer::LockRenew);
        }
    }

    fn volatile_reset(&mut self) {
        self.routes.clear();
        self.pqs.clear();
        self.pending.clear();
        self.deadlines.clear();
        self.tasks.clear();
        self.ready.clear();
        self.immediate.clear();
        self.pumping = false;
        self.busy_threads = 0;
        self.assigned.clear();
        self.started = false;
    }

    pub fn crash(&mut self, _cx: &mut Core, _me: NodeId) {
        self.volatile_reset();
    }

    /// `consumer.shutdown()`: persist offsets, unlock, unregister.
    pub fn shutdown(&mut self, cx: &mut Core, me: NodeId) {
        self.persist_offsets(cx, me, true);
        let mut brokers: Vec<NodeId> = self.pqs.iter().map(|p| p.node).collect();
        brokers.extend(self.broker_nodes());
        crate::order::sort(&mut brokers);
        brokers.dedup();
        for b in brokers {
            if self.orderly() {
                let queues: Vec<(TopicId, u32)> =
                    self.pqs.iter().filter(|p| p.node == b && !p.dropped).map(|p| (p.topic, p.queue_id)).collect();
                cx.send(
                    me,
                    b,
                    Packet::Unlock {
                        group: self.group.clone(),
                        client_id: self.client_id.clone(),
                        queues: Rc::new(queues),
                    },
                );
            }
            cx.send(me, b, Packet::Unregister { client_id: self.client_id.clone(), group: self.group.clone() });
        }
        self.volatile_reset();
    }

    fn broker_nodes(&self) -> Vec<NodeId> {
        let mut v: Vec<NodeId> =
            self.routes.values().flat_map(|r| r.broker_datas.iter().filter_map(|b| b.master)).collect();
        crate::order::sort(&mut v);
        v.dedup();
        v
    }

    fn request(&mut self, cx: &mut Core, me: NodeId, to: NodeId, pending: Pending, pkt: Packet, timeout: u64) -> u64 {
        let req = self.next_req;
        self.pending.insert(req, pending);
        cx.send(me, to, pkt);
        self.deadlines.add(cx, me, req, cx.now + timeout);
        req
    }

    fn new_req(&mut self) -> u64 {
        self.next_req += 1;
        self.next_req
    }

    // ---------------------------------------------------------------- routes and heartbeats

    fn ask_route(&mut self, cx: &mut Core, me: NodeId, topic: TopicId) {
        // No NameServer listens at the client's address: the connection fails and the
        // consumer never gets a route (the C++ client only logs it). Kept immediate: the
        // engine has no node there to time a refused connection by.
        let Some(&ns) = self.ns.get(self.ns_index % self.ns.len().max(1)) else { return };
        let req = self.new_req();
        self.request(cx, me, ns, Pending::Route(topic), Packet::GetRoute { req, topic }, REQUEST_TIMEOUT_MS);
    }

    fn on_route(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, route: Option<Rc<TopicRoute>>) {
        let Some(route) = route else { return };
        let first_brokers = self.broker_nodes();
        let changed = self.routes.get(&topic).is_none_or(|r| **r != *route);
        if !changed {
            return;
        }
        if cx.tracing() {
            let tname = cx.topics.name(topic).clone();
            let list: Vec<Rc<str>> = route
                .queue_datas
                .iter()
                .filter(|q| q.perm & PERM_READ != 0)
                .flat_map(|q| {
                    let tname = tname.clone();
                    (0..q.read_queues).map(move |i| Rc::from(format!("{}:{}:{}", q.broker_name, tname, i)))
                })
                .collect();
            let why = format!("subscribe info: every readable queue ({}) of {tname}, master alive or not", list.len());
            let publish: Vec<Rc<str>> = crate::nodes::producer::publish_list(&route)
                .iter()
                .map(|q| Rc::from(format!("{}:{}:{}", q.broker, tname, q.queue_id)))
                .collect();
            let rec = Record::new(cx.now, "route_updated")
                .f("client", cx.name(me))
                .f("topic", tname)
                .f("write_queues", publish)
                .f("read_queues", list)
                .f("why", why);
            cx.emit(rec);
        }
        self.routes.insert(topic, route);
        let new_broker = self.broker_nodes().iter().any(|b| !first_brokers.contains(b));
        if new_broker {
            self.heartbeat(cx, me);
            self.rebalance_topic(cx, me, topic);
        }
    }

    fn heartbeat(&mut self, cx: &mut Core, me: NodeId) {
        let hb = Rc::new(Heartbeat {
            client_id: self.client_id.clone(),
            group: self.group.clone(),
            consumer: true,
            model: self.spec.model,
            subscriptions: self.subs.iter().map(|s| (**s).clone()).collect(),
        });
        for b in self.broker_nodes() {
            cx.send(me, b, Packet::Heartbeat(hb.clone()));
        }
    }

    // ---------------------------------------------------------------- rebalance

    fn rebalance_all(&mut self, cx: &mut Core, me: NodeId) {
        let topics: Vec<TopicId> = self.subs.iter().map(|s| s.topic).collect();
        for t in topics {
            self.rebalance_topic(cx, me, t);
        }
    }

    fn rebalance_topic(&mut self, cx: &mut Core, me: NodeId, topic: TopicId) {
        let Some(route) = self.routes.get(&topic).cloned() else { return };
        if !self.clustering() {
            let all = readable_queues(&route);
            self.apply_assignment(cx, me, topic, all, None);
            return;
        }
        let Some(broker) = route.broker_datas.iter().find_map(|b| b.master) else { return };
        let req = self.new_req();
        self.request(
            cx,
            me,
            broker,
            Pending::Ids(topic),
            Packet::GetConsumerIds { req, group: self.group.clone() },
            REQUEST_TIMEOUT_MS,
        );
    }

    fn on_consumer_ids(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, ids: &[Rc<str>]) {
        let Some(route) = self.routes.get(&topic).cloned() else { return };
        let all = readable_queues(&route);
        let mut cids: Vec<Rc<str>> = ids.to_vec();
        crate::order::sort(&mut cids);
        let Some(me_idx) = cids.iter().position(|c| *c == self.client_id) else {
            let why = format!(
                "the broker does not list {} in group {} yet, so this consumer takes no queue",
                self.client_id, self.group
            );
            self.apply_assignment(cx, me, topic, Vec::new(), Some(why));
            return;
        };
        let (mine, why) = allocate(self.spec.allocate, &all, cids.len(), me_idx);
        let why = format!(
            "{why}; consumers sorted by client id: {}",
            cids.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
        );
        self.apply_assignment(cx, me, topic, mine, Some(why));
    }

    fn apply_assignment(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        topic: TopicId,
        mine: Vec<(Rc<str>, u32)>,
        why: Option<String>,
    ) {
        let before = self.assigned.get(&topic).cloned().unwrap_or_default();
        if before == mine && self.pqs.iter().any(|p| p.topic == topic && !p.dropped) != mine.is_empty() {
            return;
        }
        let route = self.routes.get(&topic).cloned();
        // Drop queues no longer mine.
        let mut unlock: SortedMap<NodeId, Vec<(TopicId, u32)>> = SortedMap::new();
        for i in 0..self.pqs.len() {
            let p = &self.pqs[i];
            if p.topic == topic && !p.dropped && !mine.iter().any(|(b, q)| *b == p.broker && *q == p.queue_id) {
                self.persist_pq(cx, me, i as u32, true);
                let p = &mut self.pqs[i];
                p.dropped = true;
                unlock.or_default(p.node).push((p.topic, p.queue_id));
            }
        }
        if self.orderly() && self.clustering() {
            for (node, queues) in unlock {
                cx.send(
                    me,
                    node,
                    Packet::Unlock {
                        group: self.group.clone(),
                        client_id: self.client_id.clone(),
                        queues: Rc::new(queues),
                    },
                );
            }
        }
        // Add new ones.
        for (broker, qid) in &mine {
            let exists =
                self.pqs.iter().any(|p| p.topic == topic && !p.dropped && p.broker == *broker && p.queue_id == *qid);
            if exists {
                continue;
            }
            let Some(node) = route.as_ref().and_then(|r| r.master_of(broker)) else { continue };
            self.pqs.push(ProcessQueue {
                topic,
                broker: broker.clone(),
                node,
                queue_id: *qid,
                next_offset: None,
                msgs: InFlight::default(),
                max_pulled: None,
                dropped: false,
                pulling: false,
                reported: None,
                locked: false,
                lock_time: 0,
                consuming: false,
                last_delivered: None,
                lock_wait: false,
            });
            let pq = (self.pqs.len() - 1) as u32;
            if self.orderly() && self.clustering() {
                self.lock_broker(cx, me, node);
            }
            self.query_start_offset(cx, me, pq);
        }
        let before_differs = before != mine;
        if before_differs {
            self.stats.rebalances += 1;
            if cx.tracing() {
                let tname = cx.topics.name(topic).clone();
                let list: Vec<Rc<str>> = mine.iter().map(|(b, q)| Rc::from(format!("{b}:{tname}:{q}"))).collect();
                let why =
                    why.unwrap_or_else(|| format!("BROADCASTING: every consumer takes all {} queues", mine.len()));
                let rec = Record::new(cx.now, "rebalance")
                    .f("consumer", cx.name(me))
                    .f("group", &self.group)
                    .f("topic", tname)
                    .f("queues", list)
                    .f("why", why);
                cx.emit(rec);
            }
        }
        self.assigned.insert(topic, mine);
        if before_differs && self.flavor == Flavor::Java4 {
            // RebalancePushImpl.messageQueueChanged: a new subVersion, then a heartbeat
            // to every broker, so this member's subscription becomes the group's.
            if let Some(s) = self.subs.iter_mut().find(|s| s.topic == topic) {
                Rc::make_mut(s).version = cx.now;
            }
            self.heartbeat(cx, me);
        }
    }

    fn query_start_offset(&mut self, cx: &mut Core, me: NodeId, pq: u32) {
        let p = &self.pqs[pq as usize];
        if !self.clustering() {
            if let Some(o) = self.local_offsets.get(&(p.topic, p.broker.clone(), p.queue_id)).copied() {
                self.set_start(cx, me, pq, o, "BROADCASTING: resumes from the offset in its local file".into());
                return;
            }
        }
        let (node, topic, queue_id) = (p.node, p.topic, p.queue_id);
        let req = self.new_req();
        let pkt = Packet::QueryOffset { req, group: self.group.clone(), topic, queue_id };
        self.request(cx, me, node, Pending::Offset(pq), pkt, REQUEST_TIMEOUT_MS);
    }

    fn on_offset_reply(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        pq: u32,
        offset: Option<u64>,
        (min, max): (u64, u64),
        young: bool,
    ) {
        let Some(p) = self.pqs.get(pq as usize) else { return };
        if p.dropped || p.next_offset.is_some() {
            return;
        }
        let is_retry = cx.topics.is_retry(p.topic);
        let from_first = self.spec.consume_from_where == ConsumeFromWhere::FirstOffset;
        let (start, why) = if self.clustering() {
            match offset {
                Some(0) if young && !is_retry => (0, format!("no offset stored for group {}, but the queue is young (minOffset 0, message 0 still in memory), so the broker answers 0: a new group consumes from the beginning, not from the end ({} message(s) here)", self.group, max)),
                Some(o) => (o, format!("resumes from the offset the broker stored for group {}", self.group)),
                None if is_retry => (0, "retry topic with no stored offset: starts at 0".into()),
                None if from_first => (min, "CONSUME_FROM_FIRST_OFFSET: starts at the queue's min offset".into()),
                None => (max, format!("CONSUME_FROM_LAST_OFFSET with no stored offset: starts at the queue's max offset {max}")),
            }
        } else if from_first {
            (min, "BROADCASTING, CONSUME_FROM_FIRST_OFFSET: starts at the min offset".into())
        } else {
            (max, format!("BROADCASTING, no local offset: CONSUME_FROM_LAST_OFFSET starts at max offset {max}"))
        };
        self.set_start(cx, me, pq, start, why);
    }

    fn set_start(&mut self, cx: &mut Core, me: NodeId, pq: u32, start: u64, why: String) {
        let p = &mut self.pqs[pq as usize];
        p.next_offset = Some(start);
        p.reported = Some(start);
        if cx.invariants && self.spec.model == MessageModel::Clustering {
            cx.ledger.begin((p.node, self.group.clone(), p.topic, p.queue_id), start);
        }
        if cx.tracing() {
            let queue = p.label(&cx.topics);
            let rec = Record::new(cx.now, "consume_from")
                .f("consumer", cx.name(me))
                .f("group", &self.group)
                .f("queue", queue)
                .f("offset", start)
                .f("why", why);
            cx.emit(rec);
        }
        self.pull(cx, me, pq);
    }

    // ---------------------------------------------------------------- pulling

    fn pull(&mut self, cx: &mut Core, me: NodeId, pq: u32) {
        let clustering = self.clustering();
        let orderly = self.orderly();
        let batch = self.spec.pull_batch_size.unwrap_or(PULL_BATCH);
        let Some(p) = self.pqs.get(pq as usize) else { return };
        if p.dropped || p.pulling {
            return;
        }
        let Some(offset) = p.next_offset else { return };
        if orderly && clustering && !p.locked {
            cx.timer(me, 1000, Timer::PullLater(pq));
            return;
        }
        if p.msgs.len() >= QUEUE_CACHE_MAX {
            cx.timer(me, self.rules.pull_flow_control_delay_ms, Timer::PullLater(pq));
            return;
        }
        let Some(sub) = self.subs.iter().find(|s| s.topic == p.topic).cloned() else { return };
        let commit = if clustering { p.commit_offset().filter(|o| *o > 0) } else { None };
        let (node, topic, queue_id) = (p.node, p.topic, p.queue_id);
        self.pqs[pq as usize].pulling = true;
        let req = self.new_req();
        let pkt = Packet::Pull(Box::new(PullRequest {
            req,
            group: self.group.clone(),
            topic,
            queue_id,
            offset,
            max: batch,
            sub,
            post_sub: self.flavor == Flavor::PythonCpp,
            commit_offset: commit,
            suspend_ms: BROKER_SUSPEND_MS,
        }));
        self.request(cx, me, node, Pending::Pull(pq), pkt, PULL_TIMEOUT_MS);
    }

    fn on_pull_reply(&mut self, cx: &mut Core, me: NodeId, pq: u32, r: Box<PullReply>) {
        let Some(p) = self.pqs.get_mut(pq as usize) else { return };
        p.pulling = false;
        if p.dropped {
            return;
        }
        if cx.invariants && self.spec.model == MessageModel::Clustering {
            let p = &self.pqs[pq as usize];
            let mut from = p.next_offset.unwrap_or(0);
            if r.status == PullStatus::OffsetIllegal {
                // The reset drops the process queue: what was still in flight is skipped too.
                from = from.min(p.commit_offset().unwrap_or(from));
            }
            self.audit_pull(cx, p.node, p.topic, p.queue_id, from, &r);
        }
        let p = &mut self.pqs[pq as usize];
        match r.status {
            PullStatus::Found => {
                p.next_offset = Some(r.next_offset);
                let sub = self.subs.iter().find(|s| s.topic == p.topic).cloned();
                // Filtered in place: the reply's buffer becomes the batch.
                let mut kept = r.msgs;
                kept.retain(|m| sub.as_ref().is_none_or(|s| s.client_match(m.content.tags.as_deref())));
                let p = &mut self.pqs[pq as usize];
                p.max_pulled = Some(r.next_offset - 1);
                for m in &kept {
                    p.msgs.insert(m.queue_offset, m.clone());
                }
                if !kept.is_empty() {
                    self.submit(cx, me, pq, kept);
                }
                self.pull(cx, me, pq);
            }
            PullStatus::NoNewMsg | PullStatus::NoMatchedMsg => {
                p.next_offset = Some(r.next_offset);
                if r.status == PullStatus::NoMatchedMsg {
                    p.max_pulled = r.next_offset.checked_sub(1);
                }
                self.pull(cx, me, pq);
            }
            PullStatus::OffsetIllegal => {
                if cx.tracing() {
                    let queue = p.label(&cx.topics);
                    let why = format!(
                        "offset {} is outside the queue's range [{}, {}] (old messages were deleted, or the broker lost data): jump to {}",
                        p.next_offset.unwrap_or(0),
                        r.min_offset,
                        r.max_offset,
                        r.next_offset
                    );
                    let rec = Record::new(cx.now, "offset_moved")
                        .f("consumer", cx.name(me))
                        .f("queue", queue)
                        .f("offset", r.next_offset)
                        .f("why", why);
                    cx.emit(rec);
                }
                let p = &mut self.pqs[pq as usize];
                p.next_offset = Some(r.next_offset);
                p.max_pulled = r.next_offset.checked_sub(1);
                // An explicit reset (RocketMQ drops the process queue): the committed offset may
                // now move backwards, and messages still in flight no longer count.
                p.reported = None;
                p.msgs = InFlight::default();
                // The reset may go back (a power loss rewound the queue): order starts over.
                p.last_delivered = None;
                self.pull(cx, me, pq);
            }
            PullStatus::SubscriptionNotExist | PullStatus::SubscriptionNotLatest => {
                // The Java client sees a broker error: it pulls again after the exception delay.
                if cx.tracing() {
                    let queue = p.label(&cx.topics);
                    let (code, why) = if r.status == PullStatus::SubscriptionNotExist {
                        ("SUBSCRIPTION_NOT_EXIST", format!("the broker has no subscription of group {} for this topic yet (its heartbeat has not arrived): pull again in {PULL_DELAY_ON_EXCEPTION_MS} ms", self.group))
                    } else {
                        ("SUBSCRIPTION_NOT_LATEST", format!("the broker's stored subscription of group {} is older than this pull's subVersion (a heartbeat is on its way): pull again in {PULL_DELAY_ON_EXCEPTION_MS} ms", self.group))
                    };
                    let rec = Record::new(cx.now, "pull_refused")
                        .f("consumer", cx.name(me))
                        .f("queue", queue)
                        .f("code", code)
                        .f("why", why);
                    cx.emit(rec);
                }
                cx.timer(me, PULL_DELAY_ON_EXCEPTION_MS, Timer::PullLater(pq));
            }
        }
    }

    /// Tells the ledger what a pull reply settled: offsets the broker skipped or the client
    /// filtered out by tag, or jumped over by OFFSET_ILLEGAL (an explicit reset).
    fn audit_pull(&self, cx: &mut Core, node: NodeId, topic: TopicId, queue_id: u32, from: u64, r: &PullReply) {
        let key = || (node, self.group.clone(), topic, queue_id);
        match r.status {
            PullStatus::Found => {
                let sub = self.subs.iter().find(|s| s.topic == topic);
                let mut at = from;
                for m in &r.msgs {
                    cx.ledger.mark(key(), at, m.queue_offset, Mark::Filtered);
                    if !sub.is_none_or(|s| s.client_match(m.content.tags.as_deref())) {
                        cx.ledger.mark(key(), m.queue_offset, m.queue_offset + 1, Mark::Filtered);
                    }
                    at = m.queue_offset + 1;
                }
                cx.ledger.mark(key(), at, r.next_offset, Mark::Filtered);
            }
            // A held pull that skipped non-matching messages answers from its new position.
            PullStatus::NoMatchedMsg | PullStatus::NoNewMsg => {
                cx.ledger.mark(key(), from, r.next_offset, Mark::Filtered)
            }
            PullStatus::OffsetIllegal => {
                cx.ledger.mark(key(), from, r.next_offset, Mark::Expired);
                cx.ledger.allow_reset(key());
            }
            PullStatus::SubscriptionNotExist | PullStatus::SubscriptionNotLatest => {}
        }
    }

    /// A message leaves the process queue for good: consumed, or carried on by the retry topic/DLQ.
    fn finish(&mut self, cx: &mut Core, pq: u32, offset: u64) {
        let Some(p) = self.pqs.get_mut(pq as usize) else { return };
        p.msgs.remove(&offset);
        if cx.invariants && self.spec.model == MessageModel::Clustering {
            let key = (p.node, self.group.clone(), p.topic, p.queue_id);
            cx.ledger.mark(key, offset, offset + 1, Mark::Delivered);
        }
    }

    // ---------------------------------------------------------------- consuming

    fn submit(&mut self, cx: &mut Core, me: NodeId, pq: u32, msgs: Vec<StoredMsg>) {
        if self.orderly() {
            self.kick_orderly(cx, me, pq);
            return;
        }
        if self.rules.whole_pull_batch {
            self.enqueue(Task { pq, msgs, next: 0, failed: false, orderly: false, ask: 0 });
        } else {
            for m in msgs {
                self.enqueue(Task { pq, msgs: vec![m], next: 0, failed: false, orderly: false, ask: 0 });
            }
        }
        self.run_ready(cx, me);
    }

    fn enqueue(&mut self, task: Task) {
        self.next_task += 1;
        self.tasks.insert(self.next_task, task);
        self.ready.push_back(self.next_task);
    }

    /// Starts ready tasks on free threads and finishes zero-time consumptions,
    /// iteratively (a listener that takes 0 ms would otherwise recurse deeply).
    fn run_ready(&mut self, cx: &mut Core, me: NodeId) {
        if self.pumping {
            return;
        }
        self.pumping = true;
        loop {
            if let Some(id) = self.immediate.pop_front() {
                self.consume_done(cx, me, id);
                continue;
            }
            if self.busy_threads >= self.threads() {
                break;
            }
            let Some(id) = self.ready.pop_front() else { break };
            self.busy_threads += 1;
            self.deliver_next(cx, me, id);
        }
        self.pumping = false;
    }

    /// Hands the task's next message to the listener.
    fn deliver_next(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        let Some(task) = self.tasks.get(&id) else { return };
        let m = &task.msgs[task.next];
        self.stats.delivered += 1;
        if cx.tracing() {
            let p = &self.pqs[task.pq as usize];
            let queue = format!("{}:{}:{}", p.broker, cx.topics.name(m.topic), m.queue_id);
            let why = self.delivery_why(cx, task, m);
            let rec = Record::new(cx.now, "delivered")
                .f("consumer", cx.name(me))
                .f("group", &self.group)
                .f("msg", m.content.sim.0)
                .f("queue", queue)
                .f("queue_offset", m.queue_offset)
                .f("reconsume_times", m.reconsume_times)
                .f("msg_id", msg_id_hex(m.msg_id))
                .f("topic", cx.topics.name(m.visible_topic()))
                .f("why", why);
            cx.emit(rec);
        }
        let took = self.spec.behavior.consume_time.0;
        if let Some(program) = self.program.clone() {
            // The program answers between this event and the listener's return (a timer, even of 0 ms).
            let msg = crate::lab::RECORDING.then(|| self.asked_msg(cx, id));
            let ask = cx.lab.ask(crate::lab::AskKind::Consume, &self.id, &program, cx.now, msg);
            self.tasks.get_mut(&id).expect("task").ask = ask;
            cx.timer(me, took, Timer::ConsumeDone(id));
        } else if took == 0 {
            self.immediate.push_back(id);
            self.run_ready(cx, me);
        } else {
            cx.timer(me, took, Timer::ConsumeDone(id));
        }
    }

    /// The task's current message as the program's listener sees it.
    fn asked_msg(&self, cx: &Core, id: u64) -> crate::lab::AskedMsg {
        let task = self.tasks.get(&id).expect("task");
        let m = &task.msgs[task.next];
        let c = &m.content;
        let id = msg_id_hex(m.msg_id);
        let (keys, tags) = (c.keys.as_deref().unwrap_or(""), c.tags.as_deref().unwrap_or(""));
        crate::lab::AskedMsg {
            topic: cx.topics.name(m.visible_topic()).to_string(),
            tags: tags.into(),
            keys: keys.into(),
            body: c.body.to_string(),
            properties: crate::lab::properties(&c.properties, keys, tags, &id),
            id,
            queue_id: m.queue_id,
            queue_offset: m.queue_offset,
            reconsume_times: m.reconsume_times,
            born_timestamp: c.born_ms,
            store_timestamp: m.store_ms,
            commit_log_offset: m.commitlog_offset,
            delay_time_level: c.delay_level,
            store_size: m.size,
            prepared_transaction_offset: 0,
            sub: cx.topics.name(m.visible_topic()).to_string(),
            sim_msg: c.sim.0,
        }
    }

    /// The program's answer to the task's ask, as a listener result (None: missing, the default applies).
    fn program_result(&self, cx: &mut Core, task_ask: u64) -> Option<ConsumeResult> {
        use crate::lab::{Answer, AskKind};
        Some(match cx.lab.answer(task_ask, AskKind::Consume)? {
            Answer::Later if self.orderly() && self.flavor == Flavor::Java4 => {
                ConsumeResult::SuspendCurrentQueueAMoment
            }
            Answer::Later => ConsumeResult::ReconsumeLater,
            Answer::Raise => ConsumeResult::Throw,
            _ => ConsumeResult::ConsumeSuccess,
        })
    }

    fn delivery_why(&self, cx: &Core, task: &Task, m: &StoredMsg) -> String {
        let mut why = if m.retry_topic.is_some() {
            format!(
                "redelivery #{} through {} (the listener sees the original topic {})",
                m.reconsume_times,
                cx.topics.name(m.topic),
                cx.topics.name(m.visible_topic())
            )
        } else if task.orderly {
            "orderly: one message at a time from a locked queue, in queue order".to_string()
        } else {
            format!("pulled from queue offset {}", m.queue_offset)
        };
        if !task.orderly && task.msgs.len() > 1 {
            why.push_str(&format!(
                "; message {} of a {}-message batch (the C++ client hands a whole pull result to one consume request)",
                task.next + 1,
                task.msgs.len()
            ));
        }
        why
    }

    /// What the listener returns for this delivery.
    fn decide(&self, m: &StoredMsg) -> ConsumeResult {
        let b = &self.spec.behavior;
        let targeted = b.fail_keys.as_deref().is_none_or(|k| m.content.keys.as_deref() == Some(k));
        if !targeted {
            return ConsumeResult::ConsumeSuccess;
        }
        if m.reconsume_times < b.fail_times {
            return b.fail_with.unwrap_or(if self.orderly() && self.flavor == Flavor::Java4 {
                ConsumeResult::SuspendCurrentQueueAMoment
            } else {
                ConsumeResult::ReconsumeLater
            });
        }
        b.result
    }

    fn consume_done(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        let Some(task) = self.tasks.get(&id) else { return };
        let ask = task.ask;
        let answered = if self.program.is_some() { Some(self.program_result(cx, ask)) } else { None };
        let Some(task) = self.tasks.get(&id) else { return };
        let m = &task.msgs[task.next];
        let result = match answered {
            Some(r) => r.unwrap_or(ConsumeResult::ConsumeSuccess),
            None => self.decide(m),
        };
        let ok = result.is_success();
        let orderly = task.orderly;
        if cx.tracing() {
            let why = match (&self.program, answered) {
                (Some(p), Some(r)) => self.program_why(p, task, result, r.is_none(), ask),
                _ => self.result_why(task, result),
            };
            let rec = Record::new(cx.now, "consumed")
                .f("consumer", cx.name(me))
                .f("group", &self.group)
                .f("msg", m.content.sim.0)
                .f("result", result.name())
                .f("why", why);
            cx.emit(rec);
        }
        if ok {
            self.stats.succeeded += 1;
        } else {
            self.stats.failed += 1;
        }
        if orderly {
            self.orderly_done(cx, me, id, ok);
            return;
        }
        let t = self.tasks.get_mut(&id).expect("task");
        if !ok {
            t.failed = true;
        }
        t.next += 1;
        if ok && t.next < t.msgs.len() {
            self.deliver_next(cx, me, id);
            return;
        }
        self.busy_threads -= 1;
        let task = self.tasks.remove(&id).expect("task");
        self.process_result(cx, me, task);
        self.run_ready(cx, me);
    }

    fn program_why(&self, program: &str, task: &Task, result: ConsumeResult, missing: bool, ask: u64) -> String {
        let mut why = match result {
            _ if missing => format!("no answer from {program} for ask #{ask}: CONSUME_SUCCESS by default"),
            ConsumeResult::Throw => {
                format!("{program}'s listener raised an exception, which counts as RECONSUME_LATER")
            }
            ConsumeResult::SuspendCurrentQueueAMoment => format!("{program}'s listener returned RECONSUME_LATER, which the Java orderly listener means as SUSPEND_CURRENT_QUEUE_A_MOMENT"),
            r => format!("{program}'s listener returned {}", r.name()),
        };
        if !result.is_success() && !task.orderly && task.msgs.len() > 1 {
            why.push_str(&format!(
                "; the whole {}-message batch is sent back, including messages that already succeeded",
                task.msgs.len()
            ));
        }
        why
    }

    fn result_why(&self, task: &Task, result: ConsumeResult) -> String {
        let b = &self.spec.behavior;
        let m = &task.msgs[task.next];
        let mut why = match result {
            ConsumeResult::ConsumeSuccess => "the listener returned CONSUME_SUCCESS".to_string(),
            ConsumeResult::Throw => "the listener raised an exception, which counts as RECONSUME_LATER".to_string(),
            r => format!("the listener returned {}", r.name()),
        };
        if b.fail_times > 0 && m.reconsume_times < b.fail_times {
            why.push_str(&format!(" (scenario: fail the first {} deliveries)", b.fail_times));
        }
        if !result.is_success() && !task.orderly && task.msgs.len() > 1 {
            why.push_str(&format!(
                "; the whole {}-message batch is sent back, including messages that already succeeded",
                task.msgs.len()
            ));
        }
        why
    }

    fn process_result(&mut self, cx: &mut Core, me: NodeId, task: Task) {
        let pq = task.pq;
        if !task.failed {
            self.finish_msgs(cx, pq, task.msgs.iter().map(|m| m.queue_offset));
            return;
        }
        if !self.clustering() {
            if cx.tracing() {
                let m = &task.msgs[0];
                let why = "BROADCASTING never retries: the failed message is dropped with a warning".to_string();
                let rec = Record::new(cx.now, "consume_dropped")
                    .f("consumer", cx.name(me))
                    .f("group", &self.group)
                    .f("msg", m.content.sim.0)
                    .f("why", why);
                cx.emit(rec);
            }
            self.finish_msgs(cx, pq, task.msgs.iter().map(|m| m.queue_offset));
            return;
        }
        let Some(node) = self.pqs.get(pq as usize).map(|p| p.node) else { return };
        let max = self.max_reconsume();
        for m in task.msgs {
            let req = self.new_req();
            let pkt = Packet::SendBack(Box::new(SendBack {
                req,
                group: self.group.clone(),
                msg: m.clone(),
                delay_level: 0,
                max_reconsume_times: max,
            }));
            self.request(
                cx,
                me,
                node,
                Pending::SendBack { msg: m.queue_offset | ((pq as u64) << 40) },
                pkt,
                self.rules.send_back_timeout_ms,
            );
        }
    }

    fn finish_msgs(&mut self, cx: &mut Core, pq: u32, offsets: impl Iterator<Item = u64>) {
        for o in offsets {
            self.finish(cx, pq, o);
        }
    }

    fn on_send_back_reply(&mut self, cx: &mut Core, me: NodeId, key: u64, ok: bool) {
        let pq = (key >> 40) as u32;
        let offset = key & ((1 << 40) - 1);
        if ok {
            self.finish_msgs(cx, pq, std::iter::once(offset));
            return;
        }
        if self.flavor == Flavor::Java4 && self.try_internal_producer(cx, me, pq, offset) {
            return;
        }
        self.retry_locally(cx, me, pq, offset, "send-back to the broker failed");
    }

    /// Java: when CONSUMER_SEND_MSG_BACK fails, the consumer's internal producer sends a copy
    /// to %RETRY%group with delay level 3 + reconsume_times (3 s budget). Returns false when
    /// no broker hosts the retry topic.
    fn try_internal_producer(&mut self, cx: &mut Core, me: NodeId, pq: u32, offset: u64) -> bool {
        let retry = cx.topics.intern(&retry_topic(&self.group));
        let Some(node) = self.routes.get(&retry).and_then(|r| r.broker_datas.iter().find_map(|b| b.master)) else {
            return false;
        };
        let Some(m) = self.pqs.get(pq as usize).and_then(|p| p.msgs.get(offset)).cloned() else { return false };
        let level = 3 + m.reconsume_times;
        let req = self.new_req();
        let pkt = Packet::Send(Box::new(SendRequest {
            req,
            content: m.content.clone(),
            msg_id: m.msg_id,
            topic: retry,
            queue_id: 0,
            oneway: false,
            kind: SendKind::Normal,
            default_topic_queue_nums: 4,
            retry: Some((m.reconsume_times + 1, m.visible_topic(), level)),
        }));
        if cx.tracing() {
            let why = format!("send-back failed, so the Java consumer's internal producer sends the message to {} itself (delay level {level})", retry_topic(&self.group));
            let rec =
                Record::new(cx.now, "retry_resend").f("consumer", cx.name(me)).f("msg", m.content.sim.0).f("why", why);
            cx.emit(rec);
        }
        self.request(cx, me, node, Pending::RetrySend { msg: offset | ((pq as u64) << 40) }, pkt, 3000);
        true
    }

    fn on_retry_send_reply(&mut self, cx: &mut Core, me: NodeId, key: u64, ok: bool) {
        let (pq, offset) = ((key >> 40) as u32, key & ((1 << 40) - 1));
        if ok {
            self.finish_msgs(cx, pq, std::iter::once(offset));
        } else {
            self.retry_locally(cx, me, pq, offset, "the internal producer's re-send failed too");
        }
    }

    /// Consumes the message again on this client later, counting the failure.
    fn retry_locally(&mut self, cx: &mut Core, me: NodeId, pq: u32, offset: u64, reason: &str) {
        let Some(p) = self.pqs.get_mut(pq as usize) else { return };
        let Some(m) = p.msgs.get_mut(&offset) else { return };
        m.reconsume_times += 1;
        let m = m.clone();
        if cx.invariants {
            cx.ledger.note_local_retry(&self.group, m.content.sim.0);
        }
        if cx.tracing() {
            let why = format!(
                "{reason}: the client retries consumption locally after {}",
                format_ms(self.rules.local_retry_after_failed_send_back_ms)
            );
            let rec =
                Record::new(cx.now, "local_retry").f("consumer", cx.name(me)).f("msg", m.content.sim.0).f("why", why);
            cx.emit(rec);
        }
        self.next_task += 1;
        self.tasks.insert(self.next_task, Task { pq, msgs: vec![m], next: 0, failed: false, orderly: false, ask: 0 });
        cx.timer(me, self.rules.local_retry_after_failed_send_back_ms, Timer::LocalRetry(self.next_task));
    }

    // ---------------------------------------------------------------- orderly

    fn lock_broker(&mut self, cx: &mut Core, me: NodeId, node: NodeId) {
        let queues: Vec<(TopicId, u32)> =
            self.pqs.iter().filter(|p| p.node == node && !p.dropped).map(|p| (p.topic, p.queue_id)).collect();
        if queues.is_empty() {
            return;
        }
        let req = self.new_req();
        let pkt = Packet::LockBatch {
            req,
            group: self.group.clone(),
            client_id: self.client_id.clone(),
            queues: Rc::new(queues),
        };
        self.request(cx, me, node, Pending::Lock(node), pkt, REQUEST_TIMEOUT_MS);
    }

    fn on_lock_reply(&mut self, cx: &mut Core, me: NodeId, node: NodeId, locked: &[(TopicId, u32)]) {
        let mut newly = Vec::new();
        for (i, p) in self.pqs.iter_mut().enumerate() {
            if p.node != node || p.dropped {
                continue;
            }
            let ok = locked.contains(&(p.topic, p.queue_id));
            if ok {
                if !p.locked {
                    newly.push(i as u32);
                }
                p.locked = true;
                p.lock_time = cx.now;
            }
        }
        for pq in newly {
            if cx.tracing() {
                let p = &self.pqs[pq as usize];
                let queue = p.label(&cx.topics);
                let why = "orderly: the broker grants this consumer the queue lock (expires 60 s after the last renewal; renewed every 20 s)";
                let rec =
                    Record::new(cx.now, "queue_locked").f("consumer", cx.name(me)).f("queue", queue).f("why", why);
                cx.emit(rec);
            }
            self.pull(cx, me, pq);
            self.kick_orderly(cx, me, pq);
        }
    }

    fn lock_valid(&self, p: &ProcessQueue, now: u64) -> bool {
        !self.clustering() || (p.locked && now <= p.lock_time + LOCK_CLIENT_MAX_LIVE_MS)
    }

    /// Starts consuming the queue's first message if the queue is idle and locked.
    fn kick_orderly(&mut self, cx: &mut Core, me: NodeId, pq: u32) {
        let Some(p) = self.pqs.get(pq as usize) else { return };
        if p.dropped || p.consuming || p.msgs.is_empty() {
            return;
        }
        if !self.lock_valid(p, cx.now) {
            // ConsumeRequest with no valid lock: try again in 1 s (C++ tryLockLaterAndReconsumeDelay,
            // Java tryLockLaterAndReconsume), so consumption resumes once a renewal succeeds.
            if !p.lock_wait {
                self.pqs[pq as usize].lock_wait = true;
                cx.timer(me, 1000, Timer::LockRetry(pq));
            }
            return;
        }
        let m = p.msgs.first().cloned().expect("non-empty");
        let last = p.last_delivered;
        cx.check(
            last.is_none_or(|l| m.queue_offset >= l),
            "an orderly consumer sees each queue in offset order",
            || format!("offset {} after {}", m.queue_offset, last.unwrap_or(0)),
        );
        self.pqs[pq as usize].last_delivered = Some(m.queue_offset);
        self.pqs[pq as usize].consuming = true;
        self.next_task += 1;
        let id = self.next_task;
        self.tasks.insert(id, Task { pq, msgs: vec![m], next: 0, failed: false, orderly: true, ask: 0 });
        self.deliver_next(cx, me, id);
    }

    fn orderly_done(&mut self, cx: &mut Core, me: NodeId, id: u64, ok: bool) {
        let task = self.tasks.remove(&id).expect("task");
        let pq = task.pq;
        let m = &task.msgs[0];
        let Some(p) = self.pqs.get_mut(pq as usize) else { return };
        p.consuming = false;
        if p.dropped {
            return;
        }
        if ok {
            let offset = m.queue_offset;
            self.finish(cx, pq, offset);
            self.kick_orderly(cx, me, pq);
            return;
        }
        let times = m.reconsume_times;
        match self.flavor {
            Flavor::PythonCpp => {
                let wait = if times <= 15 { 1000 } else { 5000 };
                if let Some(x) = p.msgs.get_mut(&m.queue_offset) {
                    x.reconsume_times += 1;
                }
                self.suspend(cx, me, pq, wait, format!(
                    "orderly (C++): the message is put back and retried after {} ({} failure #{}); it never goes to the DLQ, so the queue stays blocked until it succeeds",
                    format_ms(wait),
                    if times <= 15 { "1 s for the first 16 failures," } else { "5 s from the 17th failure on," },
                    times + 1
                ));
            }
            Flavor::Java4 => {
                let max = match self.spec.max_reconsume_times {
                    Some(m) if m >= 0 => m as u32,
                    _ => u32::MAX,
                };
                if times < max {
                    if let Some(x) = p.msgs.get_mut(&m.queue_offset) {
                        x.reconsume_times += 1;
                    }
                    self.suspend(cx, me, pq, 1000, format!("orderly (Java): SUSPEND_CURRENT_QUEUE_A_MOMENT: retry the same queue after 1 s (reconsume #{})", times + 1));
                } else {
                    let node = p.node;
                    let req = self.new_req();
                    let pkt = Packet::SendBack(Box::new(SendBack {
                        req,
                        group: self.group.clone(),
                        msg: m.clone(),
                        delay_level: 0,
                        max_reconsume_times: max,
                    }));
                    // The consume thread waits for the send-back (it is synchronous in Java);
                    // the queue stays busy until the broker answers.
                    self.pqs[pq as usize].consuming = true;
                    self.request(
                        cx,
                        me,
                        node,
                        Pending::OrderlySendBack { msg: m.queue_offset | ((pq as u64) << 40) },
                        pkt,
                        self.rules.send_back_timeout_ms,
                    );
                }
            }
        }
    }

    /// The broker answered an orderly consumer's send-back: on success the message is done and
    /// the queue moves on; on failure it is retried after the suspend time, counted once more.
    fn on_orderly_send_back(&mut self, cx: &mut Core, me: NodeId, key: u64, ok: bool) {
        let (pq, offset) = ((key >> 40) as u32, key & ((1 << 40) - 1));
        let Some(p) = self.pqs.get_mut(pq as usize) else { return };
        p.consuming = false;
        if p.dropped {
            return;
        }
        if ok {
            self.finish(cx, pq, offset);
            self.kick_orderly(cx, me, pq);
            return;
        }
        if let Some(x) = p.msgs.get_mut(&offset) {
            x.reconsume_times += 1;
        }
        self.suspend(
            cx,
            me,
            pq,
            1000,
            "orderly (Java): the send-back to the DLQ failed, so the message is retried on this queue after 1 s".into(),
        );
    }

    fn suspend(&mut self, cx: &mut Core, me: NodeId, pq: u32, wait: u64, why: String) {
        if cx.tracing() {
            let p = &self.pqs[pq as usize];
            let queue = p.label(&cx.topics);
            let blocked = p.msgs.first().map(|m| m.content.sim.0);
            let rec = Record::new(cx.now, "queue_suspended")
                .f("consumer", cx.name(me))
                .f("queue", queue)
                .f("msg", blocked)
                .f("wait_ms", wait)
                .f("why", why);
            cx.emit(rec);
        }
        self.pqs[pq as usize].consuming = true;
        self.next_task += 1;
        self.tasks.insert(self.next_task, Task { pq, msgs: Vec::new(), next: 0, failed: false, orderly: true, ask: 0 });
        cx.timer(me, wait, Timer::LocalRetry(self.next_task));
    }

    // ---------------------------------------------------------------- offsets

    fn persist_pq(&mut self, cx: &mut Core, me: NodeId, pq: u32, force: bool) {
        let clustering = self.clustering();
        let p = &self.pqs[pq as usize];
        if p.dropped {
            return;
        }
        let Some(o) = p.commit_offset() else { return };
        if p.reported == Some(o) && !force {
            return;
        }
        let before = p.reported;
        let (b_name, q_id, t_id) = (p.broker.clone(), p.queue_id, p.topic);
        cx.check(before.is_none_or(|b| o >= b), "a consumer's committed offset never moves backwards", || {
            format!("{} after {} on {b_name}:{}:{q_id}", o, before.unwrap_or(0), t_id.0)
        });
        let (node, topic, qid, broker) = (p.node, p.topic, p.queue_id, p.broker.clone());
        self.pqs[pq as usize].reported = Some(o);
        if clustering {
            cx.send(me, node, Packet::UpdateOffset { group: self.group.clone(), topic, queue_id: qid, offset: o });
        } else {
            self.local_offsets.insert((topic, broker.clone(), qid), o);
        }
        if cx.tracing() {
            let queue = format!("{broker}:{}:{qid}", cx.topics.name(topic));
            let why = if clustering {
                format!("every {} the consumer reports its commit point (smallest offset still in flight, else one past the last pulled) to the broker", format_ms(PERSIST_OFFSET_MS))
            } else {
                "BROADCASTING: the offset is written to the consumer's local file".to_string()
            };
            let rec = Record::new(cx.now, "offset_committed")
                .f("consumer", cx.name(me))
                .f("group", &self.group)
                .f("queue", queue)
                .f("offset", o)
                .f("why", why);
            cx.emit(rec);
        }
    }

    fn persist_offsets(&mut self, cx: &mut Core, me: NodeId, force: bool) {
        for i in 0..self.pqs.len() {
            self.persist_pq(cx, me, i as u32, force);
        }
    }

    // ---------------------------------------------------------------- events

    pub fn on_packet(&mut self, cx: &mut Core, me: NodeId, _from: NodeId, pkt: Packet) {
        let req = match &pkt {
            Packet::RouteReply { req, .. }
            | Packet::ConsumerIds { req, .. }
            | Packet::OffsetReply { req, .. }
            | Packet::SendBackReply { req, .. }
            | Packet::LockReply { req, .. }
            | Packet::Failed { req, .. } => Some(*req),
            Packet::PullReply(r) => Some(r.req),
            Packet::SendReply(r) => Some(r.req),
            _ => None,
        };
        if let Packet::NotifyConsumerIdsChanged { .. } = pkt {
            if cx.tracing() {
                let why = "the broker says the group's members changed: rebalance at once".to_string();
                let rec = Record::new(cx.now, "rebalance_triggered")
                    .f("consumer", cx.name(me))
                    .f("group", &self.group)
                    .f("why", why);
                cx.emit(rec);
            }
            self.rebalance_all(cx, me);
            return;
        }
        let Some(req) = req else { return };
        self.deadlines.remove(req);
        let Some(pending) = self.pending.remove(&req) else { return };
        match (pending, pkt) {
            (Pending::Route(t), Packet::RouteReply { route, .. }) => self.on_route(cx, me, t, route),
            (Pending::Ids(t), Packet::ConsumerIds { ids, .. }) => self.on_consumer_ids(cx, me, t, &ids),
            (Pending::Offset(pq), Packet::OffsetReply { offset, min_offset, max_offset, young_queue, .. }) => {
                self.on_offset_reply(cx, me, pq, offset, (min_offset, max_offset), young_queue)
            }
            (Pending::Pull(pq), Packet::PullReply(r)) => self.on_pull_reply(cx, me, pq, r),
            (Pending::OrderlySendBack { msg }, Packet::SendBackReply { code, .. }) => {
                self.on_orderly_send_back(cx, me, msg, code == Code::Success)
            }
            (Pending::RetrySend { msg }, Packet::SendReply(r)) => {
                self.on_retry_send_reply(cx, me, msg, r.code.is_stored())
            }
            (Pending::SendBack { msg, .. }, Packet::SendBackReply { code, .. }) => {
                self.on_send_back_reply(cx, me, msg, code == Code::Success)
            }
            (Pending::Lock(node), Packet::LockReply { locked, .. }) => self.on_lock_reply(cx, me, node, &locked),
            (p, Packet::Failed { .. }) => self.request_failed(cx, me, p),
            _ => {}
        }
    }

    fn request_failed(&mut self, cx: &mut Core, me: NodeId, p: Pending) {
        match p {
            Pending::Route(_) => self.ns_index += 1,
            Pending::Pull(pq) => {
                if let Some(q) = self.pqs.get_mut(pq as usize) {
                    q.pulling = false;
                }
                cx.timer(me, PULL_DELAY_ON_EXCEPTION_MS, Timer::PullLater(pq));
            }
            Pending::Offset(pq) => cx.timer(me, PULL_DELAY_ON_EXCEPTION_MS, Timer::PullLater(pq)),
            Pending::SendBack { msg, .. } => self.on_send_back_reply(cx, me, msg, false),
            Pending::RetrySend { msg } => self.on_retry_send_reply(cx, me, msg, false),
            Pending::OrderlySendBack { msg } => self.on_orderly_send_back(cx, me, msg, false),
            Pending::Ids(_) | Pending::Lock(_) => {}
        }
    }

    pub fn on_timer(&mut self, cx: &mut Core, me: NodeId, timer: Timer) {
        match timer {
            Timer::RoutePoll => {
                for s in self.subs.clone() {
                    self.ask_route(cx, me, s.topic);
                }
                cx.timer(me, 30_000, Timer::RoutePoll);
            }
            Timer::Heartbeat => {
                self.heartbeat(cx, me);
                cx.timer(me, 30_000, Timer::Heartbeat);
            }
            Timer::Rebalance => {
                self.rebalance_all(cx, me);
                cx.timer(me, self.rules.rebalance_period_ms, Timer::Rebalance);
            }
            Timer::PersistOffsets => {
                self.persist_offsets(cx, me, false);
                cx.timer(me, PERSIST_OFFSET_MS, Timer::PersistOffsets);
            }
            Timer::LockRenew => {
                for b in self.broker_nodes() {
                    self.lock_broker(cx, me, b);
                }
                cx.timer(me, LOCK_RENEW_MS, Timer::LockRenew);
            }
            Timer::Deadline(at) => {
                for req in self.deadlines.fire(cx, me, at) {
                    if let Some(p) = self.pending.remove(&req) {
                        self.request_failed(cx, me, p);
                    }
                }
            }
            Timer::LockRetry(pq) => {
                if let Some(p) = self.pqs.get_mut(pq as usize) {
                    p.lock_wait = false;
                }
                self.kick_orderly(cx, me, pq);
            }
            Timer::PullLater(pq) => {
                let needs_offset = self.pqs.get(pq as usize).is_some_and(|p| !p.dropped && p.next_offset.is_none());
                if needs_offset {
                    self.query_start_offset(cx, me, pq);
                } else {
                    self.pull(cx, me, pq);
                    self.kick_orderly(cx, me, pq);
                }
            }
            Timer::ConsumeDone(id) => self.consume_done(cx, me, id),
            Timer::LocalRetry(id) => self.local_retry(cx, me, id),
            _ => {}
        }
    }

    fn local_retry(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        let Some(task) = self.tasks.remove(&id) else { return };
        if task.orderly {
            if let Some(p) = self.pqs.get_mut(task.pq as usize) {
                p.consuming = false;
            }
            self.kick_orderly(cx, me, task.pq);
            return;
        }
        self.tasks.insert(id, task);
        self.ready.push_back(id);
        self.run_ready(cx, me);
    }

    pub fn on_channel_closed(&mut self, cx: &mut Core, me: NodeId, peer: NodeId) {
        let lost: Vec<u64> = self
            .pending
            .iter()
            .filter(|(_, p)| match p {
                Pending::Pull(pq) | Pending::Offset(pq) => self.pqs.get(*pq as usize).is_some_and(|q| q.node == peer),
                _ => false,
            })
            .map(|(r, _)| *r)
            .collect();
        for r in lost {
            self.deadlines.remove(r);
            if let Some(p) = self.pending.remove(&r) {
                self.request_failed(cx, me, p);
            }
        }
    }
}

/// Every readable queue of a route, sorted by (broker, queue id) — `mqAll`.
pub fn readable_queues(route: &TopicRoute) -> Vec<(Rc<str>, u32)> {
    let mut all: Vec<(Rc<str>, u32)> = Vec::new();
    for qd in &route.queue_datas {
        if qd.perm & PERM_READ == 0 {
            continue;
        }
        for q in 0..qd.read_queues {
            all.push((qd.broker_name.clone(), q));
        }
    }
    crate::order::sort(&mut all);
    all
}

/// AllocateMessageQueueAveragely / AveragelyByCircle: which of `all` consumer `i` of `c` gets.
pub fn allocate(strategy: Allocation, all: &[(Rc<str>, u32)], c: usize, i: usize) -> (Vec<(Rc<str>, u32)>, String) {
    let n = all.len();
    if n == 0 || c == 0 {
        return (Vec::new(), "no queues to allocate".into());
    }
    match strategy {
        Allocation::Averagely => {
            let m = n % c;
            let avg = if n <= c {
                1
            } else if m > 0 && i < m {
                n / c + 1
            } else {
                n / c
            };
            let start = if m > 0 && i < m { i * avg } else { i * avg + m };
            let range = avg.min(n.saturating_sub(start));
            let mine: Vec<(Rc<str>, u32)> = (0..range).map(|k| all[(start + k) % n].clone()).collect();
            let why = format!(
                "allocate averagely: {n} queues / {c} consumers; I am #{i} → {} queue(s) from index {start}",
                mine.len()
            );
            (mine, why)
        }
        Allocation::AveragelyByCircle => {
            let mine: Vec<(Rc<str>, u32)> = (i..n).filter(|j| j % c == i).map(|j| all[j].clone()).collect();
            let why =
                format!("allocate by circle: {n} queues / {c} consumers; I am #{i} → every queue j with j % {c} = {i}");
            (mine, why)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qs(n: u32) -> Vec<(Rc<str>, u32)> {
        (0..n).map(|q| (Rc::from("a"), q)).collect()
    }

    #[test]
    fn averagely_matches_the_reference_examples() {
        // 4 queues, 3 consumers -> 2, 1, 1.
        let sizes: Vec<usize> = (0..3).map(|i| allocate(Allocation::Averagely, &qs(4), 3, i).0.len()).collect();
        assert_eq!(sizes, vec![2, 1, 1]);
        let first: Vec<u32> = allocate(Allocation::Averagely, &qs(4), 3, 0).0.iter().map(|q| q.1).collect();
        assert_eq!(first, vec![0, 1]);
        let last: Vec<u32> = allocate(Allocation::Averagely, &qs(4), 3, 2).0.iter().map(|q| q.1).collect();
        assert_eq!(last, vec![3]);
        // More consumers than queues: the extras get nothing.
        assert_eq!(allocate(Allocation::Averagely, &qs(2), 3, 2).0.len(), 0);
        // 8 queues, 3 consumers -> 3, 3, 2.
        let sizes: Vec<usize> = (0..3).map(|i| allocate(Allocation::Averagely, &qs(8), 3, i).0.len()).collect();
        assert_eq!(sizes, vec![3, 3, 2]);
    }

    #[test]
    fn by_circle_deals_round_robin() {
        let mine: Vec<u32> = allocate(Allocation::AveragelyByCircle, &qs(8), 3, 1).0.iter().map(|q| q.1).collect();
        assert_eq!(mine, vec![1, 4, 7]);
    }
}
