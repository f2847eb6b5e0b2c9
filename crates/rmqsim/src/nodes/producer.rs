//! The producer: route lookup, queue selection, and the send modes with each
//! client flavor's retry rules (design/rocketmq-reference.md §2).
//!
//! python-cpp (the tutorial's client) makes 5 sync attempts of 3 s each and
//! retries every non-SEND_OK status; java4 makes 3 attempts inside one 3 s
//! budget and returns non-OK statuses. Async sends retry only under java4;
//! oneway never retries. Every decision is traced with its reason.

use crate::deadlines::Deadlines;
use crate::hashing::{java_string_hash, std_hash};
use crate::names::{NodeId, TopicId, TBW102};
use crate::protocol::*;
use crate::scenario::{Flavor, ProducerSpec, Rules, Scenario, SendAction, SendMode, TxnState};
use crate::sim::{Core, Timer};
use crate::time::format_ms;
use crate::trace::Record;
use crate::vecmap::{SortedMap, VecMap};
use std::rc::Rc;

pub const ROUTE_POLL_MS: u64 = 30_000;
pub const HEARTBEAT_MS: u64 = 30_000;
const ROUTE_TIMEOUT_MS: u64 = 3000;
/// The client asks for this many queues when a topic is auto-created.
pub const CLIENT_DEFAULT_TOPIC_QUEUE_NUMS: u32 = 4;
/// Java's latency fault tolerance table (4.9): latency thresholds and the isolation they cause.
const LATENCY_MAX: [u64; 7] = [50, 100, 550, 1000, 2000, 3000, 15000];
const NOT_AVAILABLE: [u64; 7] = [0, 0, 30_000, 60_000, 120_000, 180_000, 600_000];

/// One queue a producer can write to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PubQueue {
    pub broker: Rc<str>,
    pub node: NodeId,
    pub queue_id: u32,
}

/// A producer's view of a topic (TopicPublishInfo): the publish list and its round-robin counter.
#[derive(Clone, Debug)]
pub struct PublishInfo {
    pub queues: Vec<PubQueue>,
    pub counter: u64,
    pub route: Rc<TopicRoute>,
}

/// A scheduled batch of sends from one `send` action.
#[derive(Clone, Debug)]
struct Job {
    spec: Rc<SendAction>,
    /// The message fields every message of the job shares.
    shared: Rc<SharedFields>,
    topic: TopicId,
    sent: u64,
    busy: bool,
    next_at: u64,
}

/// Message fields built once per job instead of once per message.
#[derive(Debug)]
struct SharedFields {
    tags: Option<Rc<str>>,
    tags_code: i32,
    keys: Option<Rc<str>>,
    body: Rc<str>,
    properties: Rc<[(Rc<str>, Rc<str>)]>,
    sharding_key: Option<Rc<str>>,
}

/// Where one message's send stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    AwaitingRoute,
    AwaitingReply { req: u64, queue: PubQueue, sent_at: u64 },
}

#[derive(Clone, Debug)]
struct SendCtx {
    job: u32,
    content: Rc<MsgContent>,
    topic: TopicId,
    mode: SendMode,
    attempt: u32,
    max_attempts: u32,
    started: u64,
    last: Option<(Rc<str>, usize)>,
    msg_id: u128,
    stage: Stage,
    asked_default_route: bool,
}

/// One route lookup in flight: which topic, whether it asks for TBW102's
/// route on the topic's behalf, and how many NameServers it has tried.
#[derive(Clone, Copy, Debug)]
struct RouteAsk {
    topic: TopicId,
    default: bool,
    tried: usize,
}

/// A producer client.
pub struct Producer {
    pub id: Rc<str>,
    pub group: Rc<str>,
    spec: ProducerSpec,
    flavor: Flavor,
    rules: Rules,
    autostart: bool,
    pub client_ip: u32,
    pid: u16,
    id_salt: u32,
    // Volatile.
    pub routes: SortedMap<TopicId, PublishInfo>,
    sends: VecMap<SendCtx>,
    by_req: VecMap<u64>,
    route_reqs: VecMap<RouteAsk>,
    jobs: Vec<Job>,
    next_req: u64,
    next_ctx: u64,
    id_counter: u16,
    ns_index: usize,
    fault_until: SortedMap<Rc<str>, (u64, u64)>,
    deadlines: Deadlines,
    /// Transaction checker answers still to give, per message (the last one repeats).
    txn_answers: SortedMap<u64, (Rc<[TxnState]>, usize)>,
    pub stats: ProducerStats,
    /// The learner's program that answers local_execute and checker_callback, if any.
    program: Option<Rc<str>>,
    /// Transaction callbacks waiting for the program's answer, by ask index.
    txn_asks: VecMap<TxnAsk>,
    /// The NameServers this client knows.
    ns: Vec<NodeId>,
}

/// A transaction callback asked of the program: where its END_TRANSACTION goes.
#[derive(Clone, Debug)]
struct TxnAsk {
    to: NodeId,
    commitlog_offset: u64,
    half_offset: u64,
    sim: crate::names::MsgRef,
    /// Some(check times) for a checker_callback; None for local_execute.
    check: Option<u32>,
    born_ms: u64,
    /// The send job that waits for local_execute.
    job: Option<u32>,
}

/// What a producer has done, for the inspector and the checkers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProducerStats {
    pub attempts: u64,
    pub ok: u64,
    pub failed: u64,
    pub callbacks_lost: u64,
}

impl Producer {
    pub fn new(sc: &Scenario, i: usize, spec: &ProducerSpec, cx: &mut Core) -> Producer {
        let pid = 1000 + cx.rng_ident.range(0, 60_000) as u16;
        let id_salt = cx.rng_ident.next_u32();
        Producer {
            id: Rc::from(spec.id.as_str()),
            group: Rc::from(spec.group.as_str()),
            spec: spec.clone(),
            flavor: sc.client,
            rules: sc.client.rules(),
            autostart: spec.autostart,
            client_ip: ipv4_u32(&format!("192.168.3.{}", 10 + i)),
            pid,
            id_salt,
            routes: SortedMap::new(),
            sends: VecMap::default(),
            by_req: VecMap::default(),
            route_reqs: VecMap::default(),
            jobs: Vec::new(),
            next_req: 0,
            next_ctx: 0,
            id_counter: 0,
            ns_index: i,
            fault_until: SortedMap::new(),
            deadlines: Deadlines::default(),
            txn_answers: SortedMap::new(),
            stats: ProducerStats::default(),
            program: spec.program.as_deref().map(Rc::from),
            txn_asks: VecMap::default(),
            ns: crate::nodes::known_nameservers(cx, &spec.nameservers),
        }
    }

    pub fn autostart(&self) -> bool {
        self.autostart
    }

    fn timeout_ms(&self) -> u64 {
        self.spec.send_timeout.map(|d| d.0).unwrap_or(self.rules.send_timeout_ms)
    }

    fn sync_attempts(&self) -> u32 {
        match (self.flavor, self.spec.retry_times) {
            (Flavor::PythonCpp, Some(n)) => n,
            (Flavor::Java4, Some(n)) => n + 1,
            (_, None) => self.rules.sync_attempts,
        }
    }

    fn max_size(&self) -> u64 {
        self.spec.max_message_size.unwrap_or(self.rules.max_message_size)
    }

    pub fn start(&mut self, cx: &mut Core, me: NodeId) {
        self.volatile_reset();
        cx.timer(me, self.rules.route_poll_first_ms, Timer::RoutePoll);
        cx.timer(me, self.rules.heartbeat_first_ms, Timer::Heartbeat);
    }

    fn volatile_reset(&mut self) {
        self.routes.clear();
        self.sends.clear();
        self.by_req.clear();
        self.route_reqs.clear();
        self.jobs.clear();
        self.fault_until.clear();
        self.deadlines.clear();
        self.txn_answers.clear();
        self.txn_asks.clear();
    }

    pub fn crash(&mut self, cx: &mut Core, me: NodeId) {
        self.lose_callbacks(cx, me, "the producer process died");
        self.volatile_reset();
    }

    /// `producer.shutdown()`: async callbacks still pending can never run.
    pub fn shutdown(&mut self, cx: &mut Core, me: NodeId) {
        self.lose_callbacks(cx, me, "shutdown() closed the connections before the reply arrived");
        self.volatile_reset();
    }

    fn lose_callbacks(&mut self, cx: &mut Core, me: NodeId, reason: &str) {
        let pending: Vec<SendCtx> = self.sends.values().filter(|s| s.mode == SendMode::Async).cloned().collect();
        for s in pending {
            self.stats.callbacks_lost += 1;
            if cx.tracing() {
                let why = format!("async send of msg {} was still waiting for its reply: {reason}, so neither on_success nor on_exception will ever run", s.content.sim.0);
                let rec = Record::new(cx.now, "callback_lost")
                    .f("producer", cx.name(me))
                    .f("msg", s.content.sim.0)
                    .f("why", why);
                cx.emit(rec);
            }
        }
    }

    // ---------------------------------------------------------------- jobs

    /// Starts a `send` action: `count` messages, `interval` apart.
    pub fn add_job(&mut self, cx: &mut Core, me: NodeId, spec: &SendAction) {
        if !cx.alive(me) {
            if cx.tracing() {
                let why = format!("{} is not running, so the send action is ignored (start it first)", self.id);
                let rec = Record::new(cx.now, "send_skipped").f("producer", cx.name(me)).f("why", why);
                cx.emit(rec);
            }
            return;
        }
        let topic = cx.topics.intern(&spec.topic);
        let tags: Option<Rc<str>> = spec.tags.as_deref().filter(|t| !t.is_empty()).map(Rc::from);
        let shared = Rc::new(SharedFields {
            tags_code: tags.as_deref().map(java_string_hash).unwrap_or(0),
            tags,
            keys: spec.keys.as_deref().filter(|k| !k.is_empty()).map(Rc::from),
            body: Rc::from(spec.body.as_str()),
            properties: spec.properties.iter().map(|(k, v)| (Rc::from(k.as_str()), Rc::from(v.as_str()))).collect(),
            sharding_key: spec.sharding_key.as_deref().map(Rc::from),
        });
        self.jobs.push(Job { spec: Rc::new(spec.clone()), shared, topic, sent: 0, busy: false, next_at: cx.now });
        let j = (self.jobs.len() - 1) as u32;
        cx.timer(me, 0, Timer::SendJob(j));
    }

    fn run_job(&mut self, cx: &mut Core, me: NodeId, j: u32) {
        let Some(job) = self.jobs.get(j as usize) else { return };
        if job.busy || job.sent >= job.spec.count || cx.now < job.next_at {
            return;
        }
        let spec = job.spec.clone();
        let shared = job.shared.clone();
        let topic = job.topic;
        let sync_like = matches!(spec.mode, SendMode::Sync | SendMode::Orderly | SendMode::Transaction);
        {
            let job = &mut self.jobs[j as usize];
            job.sent += 1;
            job.busy = sync_like;
            job.next_at = cx.now + spec.interval.0;
        }
        let content = self.make_content(cx, me, &spec, &shared, topic);
        self.begin(cx, me, j, content, spec.mode);
        let job = &self.jobs[j as usize];
        if !sync_like && job.sent < job.spec.count {
            cx.timer(me, spec.interval.0, Timer::SendJob(j));
        }
    }

    fn job_step_done(&mut self, cx: &mut Core, me: NodeId, j: u32) {
        let Some(job) = self.jobs.get_mut(j as usize) else { return };
        if !job.busy {
            return;
        }
        job.busy = false;
        if job.sent < job.spec.count {
            let wait = job.next_at.saturating_sub(cx.now);
            if wait == 0 {
                self.run_job(cx, me, j);
            } else {
                cx.timer(me, wait, Timer::SendJob(j));
            }
        }
    }

    fn make_content(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        spec: &SendAction,
        f: &SharedFields,
        topic: TopicId,
    ) -> Rc<MsgContent> {
        let sim = cx.new_msg_ref();
        let now = cx.now;
        if let Some(w) = &mut cx.watch {
            w.message(now, me, sim.0, topic, f.tags.clone());
        }
        Rc::new(MsgContent {
            sim,
            topic,
            tags: f.tags.clone(),
            tags_code: f.tags_code,
            keys: f.keys.clone(),
            body: f.body.clone(),
            body_len: spec.body_size.unwrap_or(spec.body.len() as u64),
            properties: f.properties.clone(),
            // Java's sendMessageInTransaction clears the delay level; the C++ client keeps it.
            delay_level: if spec.mode == SendMode::Transaction && self.flavor == Flavor::Java4 {
                0
            } else {
                spec.delay_level.max(0) as u32
            },
            sharding_key: f.sharding_key.clone(),
            born_ms: cx.now,
            producer_group: self.group.clone(),
            transactional: spec.mode == SendMode::Transaction,
        })
    }

    /// A new msgId (UNIQ_KEY): IPv4 + pid + a per-process random + ms since month start + counter.
    fn new_msg_id(&mut self, now: u64) -> u128 {
        self.id_counter = self.id_counter.wrapping_add(1);
        let month_ms = (now + 9 * 86_400_000 + 36_000_000) as u32;
        ((self.client_ip as u128) << 96)
            | ((self.pid as u128) << 80)
            | ((self.id_salt as u128) << 48)
            | ((month_ms as u128) << 16)
            | self.id_counter as u128
    }

    // ---------------------------------------------------------------- sending

    fn begin(&mut self, cx: &mut Core, me: NodeId, job: u32, content: Rc<MsgContent>, mode: SendMode) {
        if let Err(reason) = self.validate(&content) {
            self.fail(cx, me, &content, mode, reason, Some(job));
            return;
        }
        let max_attempts = match mode {
            SendMode::Sync | SendMode::Transaction => self.sync_attempts(),
            SendMode::Async => 1 + if self.flavor == Flavor::Java4 { self.rules.async_retries } else { 0 },
            SendMode::Oneway => 1,
            SendMode::Orderly => self.rules.orderly_send_attempts,
        };
        self.next_ctx += 1;
        let msg_id = self.new_msg_id(cx.now);
        let ctx = SendCtx {
            job,
            topic: content.topic,
            content,
            mode,
            attempt: 0,
            max_attempts,
            started: cx.now,
            last: None,
            msg_id,
            stage: Stage::AwaitingRoute,
            asked_default_route: false,
        };
        let id = self.next_ctx;
        self.sends.insert(id, ctx);
        self.next_attempt(cx, me, id);
    }

    fn validate(&self, c: &MsgContent) -> Result<(), String> {
        if c.body_len == 0 {
            return Err("the body is empty: the client rejects it before sending (MESSAGE_ILLEGAL)".into());
        }
        let max = self.max_size();
        if c.body_len > max {
            return Err(format!(
                "body of {} bytes is over the client's maxMessageSize {} ({}): rejected before sending",
                c.body_len,
                max,
                if self.flavor == Flavor::PythonCpp { "C++ default 128 KiB" } else { "Java default 4 MiB" }
            ));
        }
        Ok(())
    }

    fn fail(
        &mut self,
        cx: &mut Core,
        me: NodeId,
        content: &MsgContent,
        mode: SendMode,
        reason: String,
        job: Option<u32>,
    ) {
        self.stats.failed += 1;
        if cx.tracing() {
            let rec = Record::new(cx.now, "send_failed")
                .f("producer", cx.name(me))
                .f("msg", content.sim.0)
                .f("mode", mode.name())
                .f("reason", reason.clone())
                .f("why", reason);
            cx.emit(rec);
        }
        if let Some(j) = job {
            self.job_step_done(cx, me, j);
        }
    }

    /// Starts the next attempt of send `id`, or fails it when attempts or budget run out.
    fn next_attempt(&mut self, cx: &mut Core, me: NodeId, id: u64) {
        loop {
            let Some(ctx) = self.sends.get(&id) else { return };
            if ctx.attempt >= ctx.max_attempts {
                let reason = self.exhausted_reason(cx, ctx);
                self.finish_failed(cx, me, id, reason);
                return;
            }
            if self.rules.timeout_is_total_budget && ctx.mode != SendMode::Oneway {
                let elapsed = cx.now - ctx.started;
                if ctx.attempt > 0 && elapsed >= self.timeout_ms() {
                    let reason = format!("sendDefaultImpl call timeout: {elapsed} ms of the {} ms budget are used up, so no attempt is left (Java's timeout covers all attempts)", self.timeout_ms());
                    self.finish_failed(cx, me, id, reason);
                    return;
                }
            }
            let topic = ctx.topic;
            if self.routes.get(&topic).is_none_or(|r| r.queues.is_empty()) {
                self.sends.get_mut(&id).expect("send").stage = Stage::AwaitingRoute;
                self.ask_route(cx, me, topic, false);
                return;
            }
            let ctx = self.sends.get_mut(&id).expect("send");
            ctx.attempt += 1;
            match self.select(cx, id) {
                Some((pos, why)) => {
                    self.send_attempt(cx, me, id, pos, why);
                    return;
                }
                None => {
                    // Every queue is on the last broker: C++ skips this attempt and forgets the last queue.
                    let ctx = self.sends.get_mut(&id).expect("send");
                    let attempt = ctx.attempt;
                    let sim = ctx.content.sim.0;
                    ctx.last = None;
                    if cx.tracing() {
                        let why = "every queue is on the broker that just failed, so the C++ client skips this attempt (it still counts) and the next attempt picks freely";
                        let rec = Record::new(cx.now, "send_error")
                            .f("producer", cx.name(me))
                            .f("msg", sim)
                            .f("attempt", attempt)
                            .f("reason", "no other broker")
                            .f("why", why);
                        cx.emit(rec);
                    }
                }
            }
        }
    }

    fn exhausted_reason(&self, cx: &Core, ctx: &SendCtx) -> String {
        let topic = cx.topics.name(ctx.topic);
        match (self.flavor, ctx.mode) {
            (_, SendMode::Async) => format!("async send failed after {} attempt(s): on_exception is called", ctx.attempt),
            (Flavor::PythonCpp, _) => format!("all {} attempts failed; the C++ client reports \"No route info of this topic: {topic}\" (ProducerSendSyncFailed in Python)", ctx.attempt),
            (Flavor::Java4, _) => format!("Send [{}] times, still failed (MQClientException)", ctx.attempt),
        }
    }

    /// Chooses a queue for the current attempt. None = skip (no other broker).
    fn select(&mut self, cx: &Core, id: u64) -> Option<(usize, String)> {
        let tracing = cx.tracing();
        let ctx = self.sends.get(&id).expect("send");
        let (topic, mode, last) = (ctx.topic, ctx.mode, ctx.last.clone());
        let n = self.routes[&topic].queues.len();
        if mode == SendMode::Orderly && last.is_none() {
            let key = ctx.content.sharding_key.as_deref().unwrap_or("");
            let (pos, why) = select_by_key(self.flavor, key, n);
            return Some((pos, if tracing { why } else { String::new() }));
        }
        if self.spec.send_latency_fault_enable {
            return Some(self.select_fault_aware(cx.now, topic));
        }
        let info = self.routes.get_mut(&topic).expect("route");
        let why = |f: &dyn Fn() -> String| if tracing { f() } else { String::new() };
        match &last {
            None => {
                let v = info.counter;
                info.counter += 1;
                let pos = (v % n as u64) as usize;
                Some((pos, why(&|| format!("round robin: counter {v} % {n} queues = {pos}"))))
            }
            Some((last_broker, last_pos)) => match self.flavor {
                Flavor::PythonCpp => {
                    for i in 1..=n {
                        let pos = (last_pos + i) % n;
                        info.counter += 1;
                        if info.queues[pos].broker != *last_broker {
                            return Some((
                                pos,
                                why(&|| {
                                    if mode == SendMode::Orderly {
                                        format!("orderly retry (send_orderly_with_sharding_key retries up to 3 times): the C++ client moves the message to the first queue not on {last_broker}, so this key's messages now sit in two queues and per-key order is broken")
                                    } else {
                                        format!("retry: the C++ client scans on from the failed queue and takes the first queue not on {last_broker}")
                                    }
                                }),
                            ));
                        }
                    }
                    None
                }
                Flavor::Java4 => {
                    for _ in 0..n {
                        let v = info.counter;
                        info.counter += 1;
                        let pos = (v % n as u64) as usize;
                        if info.queues[pos].broker != *last_broker {
                            return Some((
                                pos,
                                why(&|| {
                                    format!("retry: counter {v} % {n} = {pos}, the first queue not on {last_broker}")
                                }),
                            ));
                        }
                    }
                    let v = info.counter;
                    info.counter += 1;
                    let pos = (v % n as u64) as usize;
                    Some((
                        pos,
                        why(&|| {
                            format!("retry: every queue is on {last_broker}, so the Java client falls back to plain round robin ({pos})")
                        }),
                    ))
                }
            },
        }
    }

    fn select_fault_aware(&mut self, now: u64, topic: TopicId) -> (usize, String) {
        let info = self.routes.get_mut(&topic).expect("route");
        let n = info.queues.len();
        let idx = info.counter;
        info.counter += 1;
        for i in 0..n as u64 {
            let pos = ((idx + i) % n as u64) as usize;
            let b = &info.queues[pos].broker;
            if self.fault_until.get(b).is_none_or(|(until, _)| *until <= now) {
                return (pos, format!("latency fault tolerance: {b} is available (counter {idx} + {i})"));
            }
        }
        // pickOneAtLeast: the broker that becomes available first.
        let best = self.fault_until.iter().min_by_key(|(b, (until, _))| (*until, (*b).clone())).map(|(b, _)| b.clone());
        let info = self.routes.get_mut(&topic).expect("route");
        if let Some(b) = best {
            let qs: Vec<usize> = (0..n).filter(|p| info.queues[*p].broker == b).collect();
            if !qs.is_empty() {
                let v = info.counter;
                info.counter += 1;
                let pos = qs[(v % qs.len() as u64) as usize];
                return (
                    pos,
                    format!(
                        "latency fault tolerance: no broker is available; {b} recovers first, so it is used anyway"
                    ),
                );
            }
        }
        let v = info.counter;
        info.counter += 1;
        ((v % n as u64) as usize, "plain round robin".into())
    }

    fn send_attempt(&mut self, cx: &mut Core, me: NodeId, id: u64, pos: usize, why: String) {
        let timeout = self.timeout_ms();
        let budget = self.rules.timeout_is_total_budget;
        let new_id_each = self.rules.new_msg_id_per_attempt;
        let ctx = self.sends.get(&id).expect("send");
        let mut queue = self.routes[&ctx.topic].queues[pos].clone();
        let attempt = ctx.attempt;
        let mut why = why;
        if let (Flavor::Java4, SendMode::Async, Stage::AwaitingReply { queue: prev, .. }) =
            (self.flavor, ctx.mode, &ctx.stage)
        {
            // Java's async retry re-sends the same request object: only the broker changes.
            if attempt > 1 && prev.queue_id != queue.queue_id {
                queue.queue_id = prev.queue_id;
                if cx.tracing() {
                    why.push_str(&format!("; Java re-sends the same request, so the queueId stays {}", prev.queue_id));
                }
            }
        }
        if attempt > 1 && new_id_each {
            let fresh = self.new_msg_id(cx.now);
            self.sends.get_mut(&id).expect("send").msg_id = fresh;
        }
        let ctx = self.sends.get_mut(&id).expect("send");
        ctx.last = Some((queue.broker.clone(), pos));
        self.next_req += 1;
        let req = self.next_req;
        let oneway = ctx.mode == SendMode::Oneway;
        let wait = if budget { timeout.saturating_sub(cx.now - ctx.started) } else { timeout };
        ctx.stage = Stage::AwaitingReply { req, queue: queue.clone(), sent_at: cx.now };
        let content = ctx.content.clone();
        let mode = ctx.mode;
        let msg_id = ctx.msg_id;
        self.stats.attempts += 1;
        if cx.tracing() {
            let qname = format!("{}:{}:{}", queue.broker, cx.topics.name(content.topic), queue.queue_id);
            let rec = Record::new(cx.now, "send_attempt")
                .f("producer", cx.name(me))
                .f("msg", content.sim.0)
                .f("attempt", attempt)
                .f("mode", mode.name())
                .f("queue", qname)
                .f("msg_id", msg_id_hex(msg_id))
                .f("topic", cx.topics.name(content.topic))
                .f("tags", content.tags.clone())
                .f("keys", content.keys.clone())
                .f("why", why);
            cx.emit(rec);
        }
        let request = SendRequest {
            req,
            content: content.clone(),
            msg_id,
            topic: content.topic,
            queue_id: queue.queue_id,
            oneway,
            kind: if mode == SendMode::Transaction { SendKind::Half } else { SendKind::Normal },
            default_topic_queue_nums: CLIENT_DEFAULT_TOPIC_QUEUE_NUMS,
            retry: None,
        };
        cx.send(me, queue.node, Packet::Send(Box::new(request)));
        if oneway {
            let job = self.sends.remove(&id).map(|c| c.job);
            if let Some(j) = job {
                self.job_step_done(cx, me, j);
            }
            return;
        }
        self.by_req.insert(req, id);
        self.deadlines.add(cx, me, req, cx.now + wait);
    }

    fn on_send_reply(&mut self, cx: &mut Core, me: NodeId, r: Box<SendReply>) {
        self.deadlines.remove(r.req);
        let Some(id) = self.by_req.remove(&r.req) else { return };
        let Some(ctx) = self.sends.get(&id) else { return };
        let Stage::AwaitingReply { queue, sent_at, .. } = &ctx.stage else { return };
        let mode = ctx.mode;
        if self.spec.send_latency_fault_enable {
            let (broker, took) = (queue.broker.clone(), cx.now - sent_at);
            self.record_latency(broker, took, false, cx.now);
        }
        if r.code == Code::Success {
            self.finish_ok(cx, me, id, &r);
            return;
        }
        if r.code.is_stored() {
            self.on_not_ok(cx, me, id, &r);
            return;
        }
        let retry = match (self.flavor, mode) {
            (Flavor::PythonCpp, _) => mode != SendMode::Async,
            (Flavor::Java4, SendMode::Async) => false,
            (Flavor::Java4, _) => r.code.java_retries() && mode != SendMode::Orderly,
        };
        let reason =
            format!("broker answered {} ({}): {}", r.code.name(), r.code as u32, r.remark.as_deref().unwrap_or(""));
        self.attempt_failed(cx, me, id, reason, retry);
    }

    fn on_not_ok(&mut self, cx: &mut Core, me: NodeId, id: u64, r: &SendReply) {
        let retry = self.rules.retry_on_non_ok || self.spec.retry_another_broker_when_not_store_ok;
        let ctx = self.sends.get(&id).expect("send").clone();
        if retry && ctx.attempt < ctx.max_attempts && ctx.mode != SendMode::Async {
            if cx.tracing() {
                let why = match self.flavor {
                    Flavor::PythonCpp => format!("{}: the message IS stored, but the C++ client retries every status other than SEND_OK, so the next attempt writes a duplicate", r.code.name()),
                    Flavor::Java4 => format!("{}: retryAnotherBrokerWhenNotStoreOK=true, so Java tries another broker (the stored copy stays: a duplicate)", r.code.name()),
                };
                let rec = Record::new(cx.now, "send_error")
                    .f("producer", cx.name(me))
                    .f("msg", ctx.content.sim.0)
                    .f("attempt", ctx.attempt)
                    .f("reason", r.code.name())
                    .f("why", why);
                cx.emit(rec);
            }
            self.next_attempt(cx, me, id);
            return;
        }
        if self.flavor == Flavor::PythonCpp && ctx.mode != SendMode::Async {
            let reason = self.exhausted_reason(cx, &ctx);
            self.finish_failed(cx, me, id, reason);
            return;
        }
        self.finish_ok(cx, me, id, r);
    }

    fn attempt_failed(&mut self, cx: &mut Core, me: NodeId, id: u64, reason: String, retry: bool) {
        let Some(ctx) = self.sends.get(&id).cloned() else { return };
        if cx.tracing() {
            let more = retry && ctx.attempt < ctx.max_attempts;
            let why = if more {
                format!(
                    "{reason}; attempt {} of {} failed, so the {} client tries again",
                    ctx.attempt,
                    ctx.max_attempts,
                    self.flavor.name()
                )
            } else if ctx.mode == SendMode::Async && self.flavor == Flavor::PythonCpp {
                format!("{reason}; the C++ client never retries async sends (retryTimes4Async = 1 means one attempt)")
            } else {
                format!("{reason}; no retry")
            };
            let rec = Record::new(cx.now, "send_error")
                .f("producer", cx.name(me))
                .f("msg", ctx.content.sim.0)
                .f("attempt", ctx.attempt)
                .f("reason", reason.clone())
                .f("why", why);
            cx.emit(rec);
        }
        if retry {
            self.next_attempt(cx, me, id);
        } else {
            let reason = if ctx.mode == SendMode::Async { format!("{reason}: on_exception is called") } else { reason };
            self.finish_failed(cx, me, id, reason);
        }
    }

    fn finish_ok(&mut self, cx: &mut Core, me: NodeId, id: u64, r: &SendReply) {
        let Some(ctx) = self.sends.remove(&id) else { return };
        self.stats.ok += 1;
        if cx.tracing() {
            let Stage::AwaitingReply { queue, .. } = &ctx.stage else { return };
            let qname = format!("{}:{}:{}", queue.broker, cx.topics.name(ctx.topic), r.queue_id);
            let delayed = ctx.content.delay_level > 0;
            let mut why = match (ctx.mode, r.code) {
                (SendMode::Async, _) => format!("on_success callback runs after {} ms", cx.now - ctx.started),
                (_, Code::Success) => format!("SEND_OK after {} attempt(s), {} ms", ctx.attempt, cx.now - ctx.started),
                (_, c) => format!("{} is returned to the caller: Java does not retry it (retryAnotherBrokerWhenNotStoreOK=false); the message is stored, so check SendStatus", c.name()),
            };
            if delayed {
                why.push_str("; queue_offset is the offset in SCHEDULE_TOPIC_XXXX, as RocketMQ reports it");
            }
            let rec = Record::new(cx.now, "send_result")
                .f("producer", cx.name(me))
                .f("msg", ctx.content.sim.0)
                .f("status", r.code.name())
                .f("queue", qname)
                .f("queue_offset", r.queue_offset)
                .f("msg_id", msg_id_hex(ctx.msg_id))
                .f("offset_msg_id", offset_msg_id(r.store_host, r.store_port, r.commitlog_offset))
                .f("attempts", ctx.attempt)
                .f("why", why);
            cx.emit(rec);
        }
        if ctx.mode == SendMode::Transaction && self.local_transaction(cx, me, &ctx, r) {
            // send_message_in_transaction returns after the program's local_execute.
            return;
        }
        self.job_step_done(cx, me, ctx.job);
    }

    /// `executeLocalTransaction` after the half message is stored, then END_TRANSACTION (oneway).
    /// Returns true when a program was asked (it answers at a later event).
    fn local_transaction(&mut self, cx: &mut Core, me: NodeId, ctx: &SendCtx, r: &SendReply) -> bool {
        let Stage::AwaitingReply { queue, .. } = &ctx.stage else { return false };
        let Some(job) = self.jobs.get(ctx.job as usize) else { return false };
        let spec = job.spec.clone();
        if let (Some(program), Code::Success) = (self.program.clone(), r.code) {
            let c = &ctx.content;
            let msg = crate::lab::RECORDING.then(|| {
                self.asked_msg(cx, c, msg_id_hex(ctx.msg_id), (r.queue_id, r.queue_offset, r.commitlog_offset), 0)
            });
            let ask = cx.lab.ask(crate::lab::AskKind::LocalExecute, &self.id, &program, cx.now, msg);
            let pending = TxnAsk {
                to: queue.node,
                commitlog_offset: r.commitlog_offset,
                half_offset: r.queue_offset,
                sim: c.sim,
                check: None,
                born_ms: c.born_ms,
                job: Some(ctx.job),
            };
            self.txn_asks.insert(ask, pending);
            cx.timer(me, 0, Timer::ProgramAnswer(ask));
            return true;
        }
        let local = spec.local_result.unwrap_or(TxnState::Unknown);
        let (state, forced) = if r.code == Code::Success { (local, false) } else { (TxnState::Rollback, true) };
        let answers: Rc<[TxnState]> = if spec.check_results.is_empty() {
            self.spec.check_results.iter().copied().collect()
        } else {
            spec.check_results.iter().copied().collect()
        };
        self.txn_answers.insert(ctx.content.sim.0, (answers, 0));
        if cx.tracing() {
            let why = if forced {
                format!("the half message was stored with {} (not SEND_OK), so the client rolls back without running the local transaction", r.code.name())
            } else {
                match state {
                    TxnState::Commit => "the half message is stored (invisible to consumers); the local transaction succeeded: COMMIT_MESSAGE".to_string(),
                    TxnState::Rollback => "the local transaction failed: ROLLBACK_MESSAGE, the half message will never be delivered".to_string(),
                    TxnState::Unknown => "the local transaction cannot decide yet: UNKNOW, so the broker will ask the producer's checker later".to_string(),
                }
            };
            let rec = Record::new(cx.now, "txn_local")
                .f("producer", cx.name(me))
                .f("msg", ctx.content.sim.0)
                .f("state", state.name())
                .f("why", why);
            cx.emit(rec);
        }
        let pkt = Packet::EndTransaction {
            group: self.group.clone(),
            commitlog_offset: r.commitlog_offset,
            half_offset: r.queue_offset,
            state,
            from_check: false,
            sim: ctx.content.sim,
        };
        cx.send(me, queue.node, pkt);
        false
    }

    /// CHECK_TRANSACTION_STATE from a broker: the checker callback answers.
    fn on_check(&mut self, cx: &mut Core, me: NodeId, from: NodeId, msg: &StoredMsg) {
        let sim = msg.content.sim.0;
        if let Some(program) = self.program.clone() {
            let place = (msg.real_qid, msg.queue_offset, msg.commitlog_offset);
            let asked = crate::lab::RECORDING.then(|| {
                let mut asked = self.asked_msg(cx, &msg.content, msg_id_hex(msg.msg_id), place, msg.commitlog_offset);
                asked.store_timestamp = msg.store_ms;
                asked.store_size = msg.size;
                asked
            });
            let ask = cx.lab.ask(crate::lab::AskKind::Check, &self.id, &program, cx.now, asked);
            let pending = TxnAsk {
                to: from,
                commitlog_offset: msg.commitlog_offset,
                half_offset: msg.queue_offset,
                sim: msg.content.sim,
                check: Some(msg.check_times),
                born_ms: msg.content.born_ms,
                job: None,
            };
            self.txn_asks.insert(ask, pending);
            cx.timer(me, 0, Timer::ProgramAnswer(ask));
            return;
        }
        let state = match self.txn_answers.get_mut(&sim) {
            Some((answers, i)) if !answers.is_empty() => {
                let s = answers[(*i).min(answers.len() - 1)];
                *i += 1;
                s
            }
            _ => self.spec.check_results.last().copied().unwrap_or(TxnState::Unknown),
        };
        if cx.tracing() {
            let why = format!(
                "the broker asks about half message {sim} (check #{}, it was stored {} ago); checker_callback answers {}",
                msg.check_times,
                format_ms(cx.now.saturating_sub(msg.content.born_ms)),
                state.name()
            );
            let rec = Record::new(cx.now, "txn_check")
                .f("producer", cx.name(me))
                .f("msg", sim)
                .f("state", state.name())
                .f("check", msg.check_times)
                .f("why", why);
            cx.emit(rec);
        }
        let pkt = Packet::EndTransaction {
            group: self.group.clone(),
            commitlog_offset: msg.commitlog_offset,
            half_offset: msg.queue_offset,
            state,
            from_check: true,
            sim: msg.content.sim,
        };
        cx.send(me, from, pkt);
    }

    /// A transaction message as the program's callback sees it.
    fn asked_msg(
        &self,
        cx: &Core,
        c: &MsgContent,
        id: String,
        (queue_id, queue_offset, commit_log_offset): (u32, u64, u64),
        prepared: u64,
    ) -> crate::lab::AskedMsg {
        let (keys, tags) = (c.keys.as_deref().unwrap_or(""), c.tags.as_deref().unwrap_or(""));
        let mut properties = crate::lab::properties(&c.properties, keys, tags, &id);
        properties.push(("TRAN_MSG".into(), "true".into()));
        properties.push(("PGROUP".into(), self.group.to_string()));
        crate::lab::AskedMsg {
            topic: cx.topics.name(c.topic).to_string(),
            tags: tags.into(),
            keys: keys.into(),
            body: c.body.to_string(),
            id,
            properties,
            queue_id,
            queue_offset,
            born_timestamp: c.born_ms,
            commit_log_offset,
            delay_time_level: c.delay_level,
            prepared_transaction_offset: prepared,
            sim_msg: c.sim.0,
            ..Default::default()
        }
    }

    /// The program's answer to a transaction callback: trace it and END_TRANSACTION (oneway).
    fn program_answers(&mut self, cx: &mut Core, me: NodeId, ask: u64) {
        use crate::lab::{Answer, AskKind};
        let Some(t) = self.txn_asks.remove(&ask) else { return };
        let kind = if t.check.is_some() { AskKind::Check } else { AskKind::LocalExecute };
        let answer = cx.lab.answer(ask, kind);
        let state = match answer {
            Some(Answer::Commit) => TxnState::Commit,
            Some(Answer::Rollback) => TxnState::Rollback,
            _ => TxnState::Unknown,
        };
        if cx.tracing() {
            let program = self.program.as_deref().unwrap_or("");
            let what = if t.check.is_some() { "checker_callback" } else { "local_execute" };
            let mut why = match answer {
                Some(_) => format!("{program}'s {what} returned {}", state.name()),
                None => format!("no answer from {program}'s {what} for ask #{ask}: UNKNOW by default"),
            };
            let rec = match t.check {
                None => {
                    if state == TxnState::Unknown {
                        why.push_str(", so the broker will ask the checker later");
                    }
                    Record::new(cx.now, "txn_local")
                }
                Some(_) => {
                    why = format!(
                        "the broker asks about half message {} (it was stored {} ago); {why}",
                        t.sim.0,
                        format_ms(cx.now.saturating_sub(t.born_ms))
                    );
                    Record::new(cx.now, "txn_check")
                }
            };
            let mut rec = rec.f("producer", cx.name(me)).f("msg", t.sim.0).f("state", state.name());
            if let Some(n) = t.check {
                rec = rec.f("check", n);
            }
            cx.emit(rec.f("why", why));
        }
        let pkt = Packet::EndTransaction {
            group: self.group.clone(),
            commitlog_offset: t.commitlog_offset,
            half_offset: t.half_offset,
            state,
            from_check: t.check.is_some(),
            sim: t.sim,
        };
        cx.send(me, t.to, pkt);
        if let Some(j) = t.job {
            self.job_step_done(cx, me, j);
        }
    }

    fn finish_failed(&mut self, cx: &mut Core, me: NodeId, id: u64, reason: String) {
        let Some(ctx) = self.sends.remove(&id) else { return };
        self.fail(cx, me, &ctx.content, ctx.mode, reason, Some(ctx.job));
    }

    fn on_request_timeout(&mut self, cx: &mut Core, me: NodeId, req: u64) {
        if let Some(ask) = self.route_reqs.remove(&req) {
            // A lookup that timed out fails as a whole (the client's invokeSync throws);
            // the next lookup starts at the next NameServer.
            self.ns_index += 1;
            if self.ns.is_empty() {
                let reason = "no NameServer listens at the address the client was given (connection refused)";
                self.route_lookup_failed(cx, me, ask, 0, reason);
                return;
            }
            let reason = format!("the route request timed out after {ROUTE_TIMEOUT_MS} ms");
            self.route_lookup_failed(cx, me, ask, ask.tried, &reason);
            return;
        }
        let Some(id) = self.by_req.remove(&req) else { return };
        let Some(ctx) = self.sends.get(&id).cloned() else { return };
        let Stage::AwaitingReply { queue, sent_at, .. } = &ctx.stage else { return };
        self.record_latency(queue.broker.clone(), cx.now - sent_at, true, cx.now);
        let waited = cx.now - sent_at;
        let retry = match (self.flavor, ctx.mode) {
            (Flavor::PythonCpp, SendMode::Async) => false,
            (Flavor::PythonCpp, _) => true,
            (Flavor::Java4, SendMode::Orderly) => false,
            (Flavor::Java4, _) => true,
        };
        let reason = format!("no reply from {} within {waited} ms (timeout)", queue.broker);
        self.attempt_failed(cx, me, id, reason, retry);
    }

    fn on_failed(&mut self, cx: &mut Core, me: NodeId, req: u64) {
        self.deadlines.remove(req);
        if let Some(ask) = self.route_reqs.remove(&req) {
            // Connection refused: the client connects to the next NameServer in
            // its list, once per lookup; when every one refused, the lookup fails.
            self.ns_index += 1;
            if ask.tried < self.ns.len() {
                self.send_route_request(cx, me, RouteAsk { tried: ask.tried + 1, ..ask });
            } else {
                let reason = "every NameServer refused the connection";
                self.route_lookup_failed(cx, me, ask, ask.tried, reason);
            }
            return;
        }
        let Some(id) = self.by_req.remove(&req) else { return };
        let Some(ctx) = self.sends.get(&id).cloned() else { return };
        let Stage::AwaitingReply { queue, sent_at, .. } = &ctx.stage else { return };
        self.record_latency(queue.broker.clone(), cx.now - sent_at, true, cx.now);
        let retry = self.retries_transport_errors(ctx.mode);
        let reason = format!("connection to {} refused (its process is down)", queue.broker);
        self.attempt_failed(cx, me, id, reason, retry);
    }

    /// Whether a timeout or a broken connection is retried in this mode.
    fn retries_transport_errors(&self, mode: SendMode) -> bool {
        !matches!((mode, self.flavor), (SendMode::Async, Flavor::PythonCpp) | (SendMode::Orderly, Flavor::Java4))
    }

    /// Java latency fault tolerance bookkeeping (only when enabled).
    fn record_latency(&mut self, broker: Rc<str>, latency: u64, isolation: bool, now: u64) {
        if !self.spec.send_latency_fault_enable {
            return;
        }
        let latency = if isolation { 30_000 } else { latency };
        let i = LATENCY_MAX.iter().rposition(|m| latency >= *m);
        let duration = i.map(|i| NOT_AVAILABLE[i]).unwrap_or(0);
        self.fault_until.insert(broker, (now + duration, latency));
    }

    // ---------------------------------------------------------------- routes

    /// Starts a route lookup for `topic` unless one is already in flight.
    fn ask_route(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, default: bool) {
        if self.route_reqs.values().any(|a| a.topic == topic) {
            return;
        }
        self.send_route_request(cx, me, RouteAsk { topic, default, tried: 1 });
    }

    fn send_route_request(&mut self, cx: &mut Core, me: NodeId, ask: RouteAsk) {
        self.next_req += 1;
        let req = self.next_req;
        self.route_reqs.insert(req, ask);
        let Some(&ns) = self.ns.get(self.ns_index % self.ns.len().max(1)) else {
            // No NameServer listens at the address the client was given: the C++ client's
            // connect is refused (its 3 s connect timeout is for silent hosts), invokeSync
            // returns no route, and the send fails with "No route info of this topic". The
            // engine has no node there to time the refusal by, so it fails at once (a 0 ms
            // deadline: a separate event, so a send job never recurses).
            self.deadlines.add(cx, me, req, cx.now);
            return;
        };
        let topic = if ask.default { cx.topics.intern(TBW102) } else { ask.topic };
        cx.send(me, ns, Packet::GetRoute { req, topic });
        self.deadlines.add(cx, me, req, cx.now + ROUTE_TIMEOUT_MS);
    }

    /// A lookup got no answer from any NameServer. RocketMQ's rule: the cached
    /// route stays as it was and the next poll tries again (no retry storm);
    /// a send that has no route to use fails at once with "No route info of
    /// this topic", without any attempt.
    fn route_lookup_failed(&mut self, cx: &mut Core, me: NodeId, ask: RouteAsk, tried: usize, reason: &str) {
        if cx.tracing() {
            let kept = match self.routes.get(&ask.topic) {
                Some(r) if !r.queues.is_empty() => "the cached route stays in use until the next poll",
                _ => "the client has no usable route for this topic",
            };
            let why = format!("route lookup failed: {reason} ({tried} NameServer(s) tried); {kept}; the next lookup is at the next route poll (every {} s) or the next send", ROUTE_POLL_MS / 1000);
            let rec = Record::new(cx.now, "route_failed")
                .f("client", cx.name(me))
                .f("topic", cx.topics.name(ask.topic))
                .f("reason", reason)
                .f("why", why);
            cx.emit(rec);
        }
        let ids: Vec<u64> = self
            .sends
            .iter()
            .filter(|(_, s)| s.topic == ask.topic && s.stage == Stage::AwaitingRoute)
            .map(|(k, _)| *k)
            .collect();
        for id in ids {
            let topic = cx.topics.name(ask.topic);
            let reason = match self.flavor {
                Flavor::PythonCpp => format!("No route info of this topic: {topic} (the route lookup failed: {reason}; the C++ client makes no attempt, and Python raises ProducerSendSyncFailed)"),
                Flavor::Java4 => format!("IllegalStateException from the route lookup ({reason}): the Java client has no route for {topic} and makes no attempt (\"No route info of this topic\" is only for a NameServer that answers without a route)"),
            };
            self.finish_failed(cx, me, id, reason);
        }
    }

    fn on_route(&mut self, cx: &mut Core, me: NodeId, req: u64, route: Option<Rc<TopicRoute>>) {
        self.deadlines.remove(req);
        let Some(RouteAsk { topic, default, .. }) = self.route_reqs.remove(&req) else { return };
        match route {
            Some(route) => {
                let route = if default { Rc::new(default_route(&route)) } else { route };
                self.update_route(cx, me, topic, route, default);
            }
            None if !default && !self.routes.contains_key(&topic) => {
                let waiting = self
                    .sends
                    .values()
                    .any(|s| s.topic == topic && s.stage == Stage::AwaitingRoute && !s.asked_default_route);
                if waiting {
                    for s in self.sends.values_mut().filter(|s| s.topic == topic) {
                        s.asked_default_route = true;
                    }
                    self.ask_route(cx, me, topic, true);
                    return;
                }
                self.fail_waiting(cx, me, topic);
            }
            None => {
                if !self.routes.contains_key(&topic) {
                    self.fail_waiting(cx, me, topic);
                }
            }
        }
        self.resume_waiting(cx, me, topic);
    }

    fn fail_waiting(&mut self, cx: &mut Core, me: NodeId, topic: TopicId) {
        let ids: Vec<u64> = self
            .sends
            .iter()
            .filter(|(_, s)| s.topic == topic && s.stage == Stage::AwaitingRoute)
            .map(|(k, _)| *k)
            .collect();
        for id in ids {
            let reason = format!(
                "No route info of this topic: {} (the NameServer knows no broker for it)",
                cx.topics.name(topic)
            );
            self.finish_failed(cx, me, id, reason);
        }
    }

    fn resume_waiting(&mut self, cx: &mut Core, me: NodeId, topic: TopicId) {
        match self.routes.get(&topic) {
            None => return,
            // A route with no writeable queue (read-only topic, no live master): nothing to send to.
            Some(r) if r.queues.is_empty() => return self.fail_waiting(cx, me, topic),
            Some(_) => {}
        }
        let ids: Vec<u64> = self
            .sends
            .iter()
            .filter(|(_, s)| s.topic == topic && s.stage == Stage::AwaitingRoute)
            .map(|(k, _)| *k)
            .collect();
        for id in ids {
            self.next_attempt(cx, me, id);
        }
    }

    fn update_route(&mut self, cx: &mut Core, me: NodeId, topic: TopicId, route: Rc<TopicRoute>, default: bool) {
        if self.routes.get(&topic).is_some_and(|r| *r.route == *route) {
            return;
        }
        let queues = publish_list(&route);
        if cx.tracing() {
            let tname = cx.topics.name(topic).clone();
            let list: Vec<Rc<str>> =
                queues.iter().map(|q| Rc::from(format!("{}:{}:{}", q.broker, tname, q.queue_id))).collect();
            let why = if default {
                format!("{tname} has no route yet: the client borrows TBW102's route with min(4, readQueueNums) queues per broker; the broker creates the topic on first send")
            } else {
                format!("new route from the NameServer: writeable queues of brokers with a live master, sorted by broker name ({} queues); the round-robin counter restarts at 0", list.len())
            };
            let rec = Record::new(cx.now, "route_updated")
                .f("client", cx.name(me))
                .f("topic", tname)
                .f("write_queues", list)
                .f("why", why);
            cx.emit(rec);
        }
        self.routes.insert(topic, PublishInfo { queues, counter: 0, route });
    }

    // ---------------------------------------------------------------- events

    pub fn on_packet(&mut self, cx: &mut Core, me: NodeId, from: NodeId, pkt: Packet) {
        match pkt {
            Packet::CheckTransaction { msg } => self.on_check(cx, me, from, &msg),
            Packet::SendReply(r) => self.on_send_reply(cx, me, r),
            Packet::RouteReply { req, route, .. } => self.on_route(cx, me, req, route),
            Packet::Failed { req, .. } => self.on_failed(cx, me, req),
            _ => {}
        }
    }

    pub fn on_timer(&mut self, cx: &mut Core, me: NodeId, timer: Timer) {
        match timer {
            Timer::SendJob(j) => self.run_job(cx, me, j),
            Timer::ProgramAnswer(ask) => self.program_answers(cx, me, ask),
            Timer::Deadline(at) => {
                for req in self.deadlines.fire(cx, me, at) {
                    self.on_request_timeout(cx, me, req);
                }
            }
            Timer::RoutePoll => {
                let topics: Vec<TopicId> = self.routes.keys().copied().collect();
                for t in topics {
                    self.ask_route(cx, me, t, false);
                }
                cx.timer(me, ROUTE_POLL_MS, Timer::RoutePoll);
            }
            Timer::Heartbeat => {
                let hb = Rc::new(Heartbeat {
                    client_id: self.client_id(),
                    group: self.group.clone(),
                    consumer: false,
                    model: Default::default(),
                    subscriptions: Vec::new(),
                });
                let mut brokers: Vec<NodeId> =
                    self.routes.values().flat_map(|r| r.queues.iter().map(|q| q.node)).collect();
                crate::order::sort(&mut brokers);
                brokers.dedup();
                for b in brokers {
                    cx.send(me, b, Packet::Heartbeat(hb.clone()));
                }
                cx.timer(me, HEARTBEAT_MS, Timer::Heartbeat);
            }
            _ => {}
        }
    }

    pub fn on_channel_closed(&mut self, cx: &mut Core, me: NodeId, peer: NodeId) {
        // Requests in flight to the dead peer fail with "connection closed".
        let reqs: Vec<u64> = self
            .by_req
            .iter()
            .filter(|(_, id)| matches!(self.sends.get(id).map(|s| &s.stage), Some(Stage::AwaitingReply { queue, .. }) if queue.node == peer))
            .map(|(r, _)| *r)
            .collect();
        for req in reqs {
            self.deadlines.remove(req);
            let Some(id) = self.by_req.remove(&req) else { continue };
            let Some(ctx) = self.sends.get(&id).cloned() else { continue };
            let retry = self.retries_transport_errors(ctx.mode);
            self.attempt_failed(cx, me, id, format!("connection to {} closed before the reply", cx.name(peer)), retry);
        }
    }

    /// Sends waiting for a reply or a route: (msg, mode, attempt, (broker, topic, queue), since).
    pub fn in_flight(&self) -> Vec<(u64, &'static str, u32, Option<(Rc<str>, TopicId, u32)>, u64)> {
        self.sends
            .values()
            .map(|s| {
                let (queue, since) = match &s.stage {
                    Stage::AwaitingReply { queue, sent_at, .. } => {
                        (Some((queue.broker.clone(), s.topic, queue.queue_id)), *sent_at)
                    }
                    Stage::AwaitingRoute => (None, s.started),
                };
                (s.content.sim.0, s.mode.name(), s.attempt, queue, since)
            })
            .collect()
    }

    pub fn client_id(&self) -> Rc<str> {
        let ip = self.client_ip;
        Rc::from(format!("{}.{}.{}.{}@{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, self.pid))
    }

    /// The format of a duration, for the UI.
    pub fn describe_timeout(&self) -> String {
        format_ms(self.timeout_ms())
    }
}

/// Builds the publish list: writeable queue data of brokers with a master, in route order.
pub fn publish_list(route: &TopicRoute) -> Vec<PubQueue> {
    let mut out = Vec::new();
    for qd in &route.queue_datas {
        if qd.perm & PERM_WRITE == 0 {
            continue;
        }
        let Some(node) = route.master_of(&qd.broker_name) else { continue };
        for q in 0..qd.write_queues {
            out.push(PubQueue { broker: qd.broker_name.clone(), node, queue_id: q });
        }
    }
    out
}

/// TBW102's route reshaped for a new topic: `min(4, readQueueNums)` queues per broker.
fn default_route(tbw: &TopicRoute) -> TopicRoute {
    let mut r = tbw.clone();
    for qd in &mut r.queue_datas {
        let n = CLIENT_DEFAULT_TOPIC_QUEUE_NUMS.min(qd.read_queues);
        qd.read_queues = n;
        qd.write_queues = n;
        qd.perm &= !PERM_INHERIT;
    }
    r
}

/// The orderly selector: python-cpp `std::hash(key) % n`; java4 `SelectMessageQueueByHash`.
pub fn select_by_key(flavor: Flavor, key: &str, n: usize) -> (usize, String) {
    match flavor {
        Flavor::PythonCpp => {
            let h = std_hash(key);
            let pos = (h % n as u64) as usize;
            (pos, format!("sharding key \"{key}\": std::hash = {h}, % {n} queues = {pos}"))
        }
        Flavor::Java4 => {
            let h = java_string_hash(key);
            let mut v = h % n as i32;
            if v < 0 {
                v = -v;
            }
            (v as usize, format!("SelectMessageQueueByHash: \"{key}\".hashCode() = {h}, % {n} = {v}"))
        }
    }
}
