//! The kernel: one event queue in virtual time, the network, faults, and the run loop.
//!
//! Nodes never see each other; they see a [`Core`] through which they send
//! packets and arm timers, and only the kernel delivers them. Events are
//! ordered by `(time, seq)`, so simultaneous events run in the order they were
//! scheduled. A run ends at the scenario's `until`, at its event budget, or
//! when nothing is left to happen, and says which.

pub use crate::lab::{Answer, Ask, AskKind, AskedMsg};
use crate::names::{MsgRef, NodeId, Topics};
use crate::net::{Fate, Net};
use crate::nodes::{broker::Broker, consumer::Consumer, name_server::NameServer, producer::Producer, Node};
use crate::protocol::{NetError, Packet};
use crate::rng::{Rng, Stream};
use crate::scenario::{Action, Flavor, NodeKind, Rules, Scenario, ScenarioError};
use crate::trace::{Record, Trace, TraceMode};
use crate::vecmap::SortedMap;
use crate::wheel::Wheel;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Default event budget when the scenario gives none.
pub const DEFAULT_MAX_EVENTS: u64 = 200_000_000;

impl Timer {
    /// A short name for the inspector.
    pub fn name(self) -> &'static str {
        match self {
            Timer::ScanBrokers => "scan_not_active_broker",
            Timer::BrokerIdle(_) => "broker_channel_idle",
            Timer::Register => "register_broker",
            Timer::FlushTick => "flush_commit_log",
            Timer::DiskFlushed(_) => "disk_flush_done",
            Timer::ReplicaAck(_) => "slave_ack",
            Timer::SyncWaitExpire(_) => "sync_wait_timeout",
            Timer::ScheduleDue(_) => "delay_level_timer",
            Timer::PersistDelayOffsets => "persist_delay_offsets",
            Timer::FlushConsumerOffsets => "flush_consumer_offsets",
            Timer::ScanClients => "scan_clients",
            Timer::HoldScan => "long_poll_hold_check",
            Timer::TxnCheck => "transaction_check",
            Timer::RoutePoll => "route_poll",
            Timer::Heartbeat => "heartbeat",
            Timer::Rebalance => "rebalance",
            Timer::PersistOffsets => "persist_offsets",
            Timer::Deadline(_) => "request_timeout",
            Timer::SendJob(_) => "next_send",
            Timer::PullLater(_) => "pull_later",
            Timer::LockRetry(_) => "orderly_lock_retry",
            Timer::ConsumeDone(_) => "listener_returns",
            Timer::LocalRetry(_) => "local_retry",
            Timer::LockRenew => "lock_renew",
            Timer::ProgramAnswer(_) => "program_answers",
        }
    }
}

/// A timer a node arms for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    // NameServer
    ScanBrokers,
    BrokerIdle(NodeId),
    // Broker
    Register,
    FlushTick,
    DiskFlushed(u64),
    ReplicaAck(u64),
    SyncWaitExpire(u64),
    ScheduleDue(u32),
    PersistDelayOffsets,
    FlushConsumerOffsets,
    ScanClients,
    HoldScan,
    TxnCheck,
    // Clients
    RoutePoll,
    Heartbeat,
    Rebalance,
    PersistOffsets,
    Deadline(u64),
    SendJob(u32),
    PullLater(u32),
    /// An orderly consume found no valid lock: try again (one armed per process queue).
    LockRetry(u32),
    ConsumeDone(u64),
    LocalRetry(u64),
    LockRenew,
    /// A program-driven producer reads the answer to this ask (local_execute or checker).
    ProgramAnswer(u64),
}

enum EventKind {
    Packet { from: NodeId, to: NodeId, to_epoch: u32, pkt: Packet, flight: u64 },
    Timer { node: NodeId, epoch: u32, timer: Timer },
    Action(u32),
    ChannelClosed { node: NodeId, epoch: u32, peer: NodeId },
}

/// What the kernel knows about a node.
#[derive(Clone, Debug)]
pub struct NodeMeta {
    pub name: Rc<str>,
    pub kind: NodeKind,
    pub alive: bool,
    /// Incremented at every death, so timers and packets of an old life are dropped.
    pub epoch: u32,
    /// Stopped cleanly (as opposed to killed).
    pub shut_down: bool,
}

/// A packet on the wire, for the UI's animation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flight {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    pub sent: u64,
    pub arrive: u64,
    pub msg: Option<MsgRef>,
}

/// Counters the kernel keeps about the network.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetStats {
    pub delivered: u64,
    pub blocked: u64,
    pub lost: u64,
    pub refused: u64,
    pub dropped_dead: u64,
}

/// Everything a node may touch while it handles an event.
pub struct Core {
    pub now: u64,
    seq: u64,
    /// Pending events by (time, seq).
    queue: Wheel<EventKind>,
    pub net: Net,
    rng_latency: Rng,
    rng_loss: Rng,
    pub rng_ident: Rng,
    pub rng_broker: Rng,
    pub trace: Trace,
    pub topics: Topics,
    pub meta: Vec<NodeMeta>,
    pub nameservers: Vec<NodeId>,
    pub brokers: SortedMap<Rc<str>, NodeId>,
    pub flavor: Flavor,
    pub rules: Rules,
    next_msg: u64,
    pub net_stats: NetStats,
    track_flights: bool,
    pub flights: BTreeMap<u64, Flight>,
    held: Vec<(NodeId, NodeId, Packet)>,
    /// Whether invariants are checked (tests, the swarm, the UI's checker panel).
    pub invariants: bool,
    /// How many invariant checks ran.
    pub checks: u64,
    /// The consumption ledger behind "counters balance" (kept only while invariants are on).
    pub ledger: crate::ledger::Ledger,
    /// Liveness counters (request rates, busy instants, message tags), when watched.
    pub watch: Option<Box<crate::liveness::Watch>>,
    /// Asks of program-driven clients and their answers.
    pub lab: crate::lab::Lab,
}

impl Core {
    /// Checks an invariant when checking is on; a violation is a bug, so it panics with the
    /// invariant's name (the swarm runner catches it and prints the one-line repro).
    #[inline]
    pub fn check(&mut self, ok: bool, invariant: &str, detail: impl FnOnce() -> String) {
        if self.invariants {
            self.checks += 1;
            if !ok {
                panic!("invariant violated: {invariant}: {} (t = {} ms)", detail(), self.now);
            }
        }
    }

    /// Whether trace records should be built.
    #[inline]
    pub fn tracing(&self) -> bool {
        self.trace.on()
    }

    pub fn emit(&mut self, rec: Record) {
        self.trace.push(rec);
    }

    pub fn name(&self, node: NodeId) -> &Rc<str> {
        &self.meta[node.0 as usize].name
    }

    pub fn alive(&self, node: NodeId) -> bool {
        self.meta[node.0 as usize].alive
    }

    pub fn new_msg_ref(&mut self) -> MsgRef {
        self.next_msg += 1;
        MsgRef(self.next_msg)
    }

    fn push(&mut self, time: u64, kind: EventKind) {
        let now = self.now;
        self.check(time >= now, "no event happens before its cause", || format!("scheduled at {time} ms"));
        self.seq += 1;
        self.queue.push(time, self.seq, kind);
    }

    /// Arms `timer` on `node` to fire `after_ms` from now.
    pub fn timer(&mut self, node: NodeId, after_ms: u64, timer: Timer) {
        let epoch = self.meta[node.0 as usize].epoch;
        self.push(self.now + after_ms, EventKind::Timer { node, epoch, timer });
    }

    /// Sends a packet from one node to another through the network.
    pub fn send(&mut self, from: NodeId, to: NodeId, pkt: Packet) {
        if let Some(w) = &mut self.watch {
            w.packet(self.now, from, to, &pkt);
        }
        if self.net.plain() && self.alive(to) {
            // The common case, with the same draws as below: latency only.
            let (lo, hi) = self.net.default_latency();
            let latency = self.rng_latency.range(lo, hi);
            let at = self.net.schedule(from, to, self.now, latency);
            self.deliver_at(from, to, at, pkt);
            return;
        }
        let (lo, hi) = self.net.latency(from, to);
        let latency = self.rng_latency.range(lo, hi);
        let loss_draw = if self.net.loss_ppm(from, to) > 0 { self.rng_loss.next_u32() % 1_000_000 } else { u32::MAX };
        if self.net.is_blocked(from, to) {
            self.net_stats.blocked += 1;
            return;
        }
        if !self.alive(to) {
            self.net_stats.refused += 1;
            if let Some(req) = pkt.request_id() {
                // Connection refused: the error comes back after one round trip.
                let back = self.now + 2 * latency;
                let pkt = Packet::Failed { req, error: NetError::Refused };
                let to_epoch = self.meta[from.0 as usize].epoch;
                self.push(back, EventKind::Packet { from: to, to: from, to_epoch, pkt, flight: 0 });
            }
            return;
        }
        match self.net.offer(from, to, self.now, latency, loss_draw) {
            Fate::Blocked => self.net_stats.blocked += 1,
            Fate::Lost => self.net_stats.lost += 1,
            Fate::Held => self.held.push((from, to, pkt)),
            Fate::Arrive(at) => self.deliver_at(from, to, at, pkt),
        }
    }

    fn deliver_at(&mut self, from: NodeId, to: NodeId, at: u64, pkt: Packet) {
        let to_epoch = self.meta[to.0 as usize].epoch;
        let flight = if self.track_flights {
            let msg = packet_msg(&pkt);
            self.flights.insert(self.seq + 1, Flight { from, to, kind: pkt.kind(), sent: self.now, arrive: at, msg });
            self.seq + 1
        } else {
            0
        };
        self.push(at, EventKind::Packet { from, to, to_epoch, pkt, flight });
    }

    /// Releases packets held on the link a↔b, in their original order.
    fn release_held(&mut self, a: NodeId, b: NodeId) {
        let held = std::mem::take(&mut self.held);
        for (from, to, pkt) in held {
            if (from == a && to == b) || (from == b && to == a) {
                let (lo, hi) = self.net.latency(from, to);
                let latency = self.rng_latency.range(lo, hi);
                let at = self.net.schedule(from, to, self.now, latency);
                self.deliver_at(from, to, at, pkt);
            } else {
                self.held.push((from, to, pkt));
            }
        }
    }

    /// Tells every peer connected to `node` that its connection closed.
    fn close_channels(&mut self, node: NodeId) {
        for i in 0..self.meta.len() {
            let peer = NodeId(i as u32);
            if peer != node && self.alive(peer) && self.net.connected(node, peer) {
                let (lo, hi) = self.net.latency(node, peer);
                let latency = self.rng_latency.range(lo, hi);
                let at = self.net.schedule(node, peer, self.now, latency);
                let epoch = self.meta[i].epoch;
                self.push(at, EventKind::ChannelClosed { node: peer, epoch, peer: node });
            }
        }
        self.net.disconnect_all(node);
    }

    /// Every armed timer of a live node: (node, timer, when), earliest first.
    pub fn armed_timers(&self) -> Vec<(NodeId, Timer, u64)> {
        let mut out: Vec<(u64, u64, NodeId, Timer)> = Vec::new();
        for (time, seq, kind) in self.queue.iter() {
            if let EventKind::Timer { node, epoch, timer } = kind {
                let m = &self.meta[node.0 as usize];
                if m.alive && m.epoch == *epoch {
                    out.push((time, seq, *node, *timer));
                }
            }
        }
        crate::order::sort_by_key(&mut out, |(t, s, _, _)| (*t, *s));
        out.into_iter().map(|(t, _, n, timer)| (n, timer, t)).collect()
    }

    /// Packets parked on the link a↔b (both directions).
    pub fn held_between(&self, a: NodeId, b: NodeId) -> usize {
        self.held.iter().filter(|(f, t, _)| (*f == a && *t == b) || (*f == b && *t == a)).count()
    }

    pub fn packets_held(&self) -> usize {
        self.held.len()
    }

    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// The time of the next event, if any.
    pub fn next_time(&self) -> Option<u64> {
        self.queue.peek_time()
    }
}

fn packet_msg(pkt: &Packet) -> Option<MsgRef> {
    match pkt {
        Packet::Send(s) => Some(s.content.sim),
        Packet::SendBack(s) => Some(s.msg.content.sim),
        Packet::PullReply(p) => p.msgs.first().map(|m| m.content.sim),
        _ => None,
    }
}

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// Virtual time reached the scenario's `until`.
    Until,
    /// The event budget ran out first.
    Budget,
    /// Nothing was left to happen.
    Idle,
}

impl EndReason {
    pub fn name(self) -> &'static str {
        match self {
            EndReason::Until => "until",
            EndReason::Budget => "budget",
            EndReason::Idle => "idle",
        }
    }
}

/// The result of a whole run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    pub reason: EndReason,
    pub end_ms: u64,
    pub events: u64,
    pub trace_lines: u64,
    pub hash: String,
}

/// A simulation of one scenario.
pub struct Sim {
    pub core: Core,
    pub nodes: Vec<Node>,
    scenario: Rc<Scenario>,
    until: u64,
    max_events: u64,
    events: u64,
    ended: Option<EndReason>,
    extra_actions: Vec<Action>,
}

impl Sim {
    /// Builds the cluster of a validated scenario and schedules its actions.
    pub fn new(scenario: Scenario, mode: TraceMode) -> Result<Sim, ScenarioError> {
        Sim::with_trace(scenario, Trace::new(mode))
    }

    pub fn with_trace(scenario: Scenario, trace: Trace) -> Result<Sim, ScenarioError> {
        let names = scenario.node_names();
        let n = names.len();
        let lat = (scenario.network.latency[0].0, scenario.network.latency[1].0);
        let loss_ppm = (scenario.network.loss * 1_000_000.0).round() as u32;
        let seed = scenario.seed;
        let meta: Vec<NodeMeta> = names
            .iter()
            .map(|(name, kind)| NodeMeta {
                name: Rc::from(name.as_str()),
                kind: *kind,
                alive: false,
                epoch: 0,
                shut_down: false,
            })
            .collect();
        let mut core = Core {
            now: 0,
            seq: 0,
            queue: Wheel::default(),
            net: Net::new(n, lat, loss_ppm),
            rng_latency: Rng::new(seed, Stream::Latency),
            rng_loss: Rng::new(seed, Stream::Loss),
            rng_ident: Rng::new(seed, Stream::Identity),
            rng_broker: Rng::new(seed, Stream::Broker),
            trace,
            topics: Topics::default(),
            meta,
            nameservers: Vec::new(),
            brokers: SortedMap::new(),
            flavor: scenario.client,
            rules: scenario.client.rules(),
            next_msg: 0,
            net_stats: NetStats::default(),
            track_flights: false,
            flights: BTreeMap::new(),
            held: Vec::new(),
            invariants: false,
            checks: 0,
            ledger: Default::default(),
            watch: None,
            lab: crate::lab::Lab::new(&scenario.answers),
        };
        let nodes = build_nodes(&scenario, &mut core)?;
        let until = scenario.until.0;
        let max_events = scenario.max_events.unwrap_or(DEFAULT_MAX_EVENTS);
        let mut sim = Sim {
            core,
            nodes,
            scenario: Rc::new(scenario),
            until,
            max_events,
            events: 0,
            ended: None,
            extra_actions: Vec::new(),
        };
        sim.boot();
        Ok(sim)
    }

    fn boot(&mut self) {
        let mut order: Vec<(u64, u32)> =
            self.scenario.actions.iter().enumerate().map(|(i, a)| (a.at(), i as u32)).collect();
        crate::order::sort(&mut order);
        for (i, node) in self.nodes.iter().enumerate() {
            if node.autostart() {
                self.core.meta[i].alive = true;
            }
        }
        for i in 0..self.nodes.len() {
            if self.core.meta[i].alive {
                self.nodes[i].start(&mut self.core, NodeId(i as u32));
            }
        }
        for (at, i) in order {
            self.core.push(at, EventKind::Action(i));
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn now(&self) -> u64 {
        self.core.now
    }

    pub fn events(&self) -> u64 {
        self.events
    }

    /// When the next event happens (None when nothing is scheduled).
    pub fn next_event_time(&self) -> Option<u64> {
        self.core.next_time()
    }

    /// Takes the trace records produced since the last call (TraceMode::Keep).
    pub fn drain_records(&mut self) -> Vec<crate::trace::Record> {
        self.core.trace.drain()
    }

    /// The interventions applied with [`Sim::apply_now`], in order.
    pub fn interventions(&self) -> &[Action] {
        &self.extra_actions
    }

    pub fn until(&self) -> u64 {
        self.until
    }

    pub fn ended(&self) -> Option<EndReason> {
        self.ended
    }

    /// Turns invariant checking on or off (off by default; tests and the swarm turn it on).
    pub fn check_invariants(&mut self, on: bool) {
        self.core.invariants = on;
    }

    /// How many invariant checks have run.
    pub fn invariant_checks(&self) -> u64 {
        self.core.checks
    }

    /// Keeps a record of packets on the wire for the UI (off by default).
    pub fn track_flights(&mut self, on: bool) {
        self.core.track_flights = on;
        if !on {
            self.core.flights.clear();
        }
    }

    /// Changes where the run ends (the runner's `--until`).
    pub fn set_until(&mut self, until_ms: u64) {
        self.until = until_ms;
    }

    pub fn set_max_events(&mut self, n: u64) {
        self.max_events = n;
    }

    /// Processes one event. Returns false when the run has ended.
    pub fn step(&mut self) -> bool {
        if self.ended.is_some() {
            return false;
        }
        if self.events >= self.max_events {
            self.ended = Some(EndReason::Budget);
            return false;
        }
        let Some(next) = self.core.queue.peek_time() else {
            self.ended = Some(EndReason::Idle);
            return false;
        };
        if next > self.until {
            self.core.now = self.until;
            self.ended = Some(EndReason::Until);
            return false;
        }
        let (time, _, kind) = self.core.queue.take(next);
        debug_assert!(time >= self.core.now, "invariant: no event happens before its cause");
        self.core.now = time;
        self.events += 1;
        if let Some(w) = &mut self.core.watch {
            w.event(time);
        }
        self.dispatch(kind);
        true
    }

    /// Switches on the liveness counters (see [`crate::liveness`]); call before running.
    pub fn watch_liveness(&mut self) {
        self.core.watch = Some(Box::default());
    }

    /// The liveness checks over a finished, watched run whose records are `records`.
    pub fn liveness_report(&self, records: &[crate::trace::Record]) -> crate::liveness::Report {
        let watch = self.core.watch.as_deref().cloned().unwrap_or_default();
        let mut report = crate::liveness::Report {
            end: self.ended.unwrap_or(EndReason::Until).name(),
            end_ms: self.core.now,
            worst_requests: watch.worst_requests,
            worst_control: watch.worst_control,
            worst_instant: watch.worst_instant,
            names: self.core.meta.iter().map(|m| m.name.clone()).collect(),
            ..Default::default()
        };
        let topics = &self.core.topics;
        let topic_id = |name: &str| topics.find(name);
        crate::liveness::check_delivery(&self.scenario, records, &watch, &topic_id, &mut report);
        report
    }

    /// Runs until virtual time `t` (inclusive) or the end of the run, at most `budget` events.
    /// Returns the number of events processed.
    pub fn run_until(&mut self, t: u64, budget: u64) -> u64 {
        let start = self.events;
        while self.events - start < budget {
            match self.core.queue.peek_time() {
                Some(time) if time <= t && time <= self.until => {}
                _ => {
                    if self.ended.is_none() && t >= self.until {
                        self.step();
                    } else if self.ended.is_none() && self.core.now < t.min(self.until) {
                        self.core.now = t.min(self.until);
                    }
                    break;
                }
            }
            if !self.step() {
                break;
            }
        }
        self.events - start
    }

    /// Runs to the end and writes the trace's closing line.
    pub fn run(&mut self) -> RunOutcome {
        while self.step() {}
        self.finish()
    }

    /// Closes the trace (call once, after the run ended).
    pub fn finish(&mut self) -> RunOutcome {
        let reason = self.ended.unwrap_or(EndReason::Until);
        let lines = self.core.trace.lines();
        let hash = self.core.trace.hash_hex();
        self.core.trace.finish(self.core.now, reason.name());
        RunOutcome { reason, end_ms: self.core.now, events: self.events, trace_lines: lines, hash }
    }

    /// Applies an intervention now (after the events already processed at this time).
    /// Returns an error naming the problem if the action refers to unknown nodes.
    pub fn apply_now(&mut self, action: Action) -> Result<(), ScenarioError> {
        self.check_action_nodes(&action)?;
        let idx = (self.scenario.actions.len() + self.extra_actions.len()) as u32;
        self.extra_actions.push(action);
        self.ended = None;
        self.core.push(self.core.now, EventKind::Action(idx));
        Ok(())
    }

    /// The asks raised by program-driven clients since the last call, in order
    /// (at most [`crate::lab::MAX_PENDING_ASKS`] are kept between calls).
    /// Always empty unless the engine is built with the `asks` feature.
    pub fn take_asks(&mut self) -> Vec<crate::lab::Ask> {
        self.core.lab.take()
    }

    /// Appends one answer (a letter `S`, `L`, `T`, `C`, `R` or `U`) to the answers the run
    /// uses: ask k reads the k-th answer, whether given in the scenario's `answers` or here.
    pub fn push_answer(&mut self, a: char) -> Result<(), ScenarioError> {
        let answer = crate::lab::Answer::from_letter(a).ok_or_else(|| {
            ScenarioError::new("answers", format!("{a:?} is not one of S, L, T (consume) or C, R, U (transaction)"))
        })?;
        self.core.lab.push(answer);
        Ok(())
    }

    /// How many asks were answered by a fitting answer.
    pub fn answers_used(&self) -> u64 {
        self.core.lab.used
    }

    /// How many asks found no answer (or one of the wrong kind) and took the default
    /// (CONSUME_SUCCESS for a listener, UNKNOW for a transaction callback).
    pub fn missing_answers(&self) -> u64 {
        self.core.lab.missing
    }

    fn check_action_nodes(&self, action: &Action) -> Result<(), ScenarioError> {
        let mut sc = (*self.scenario).clone();
        sc.actions = vec![action.clone()];
        sc.answers.clear();
        let text = serde_json::to_string(&sc).map_err(|e| ScenarioError::new("action", e.to_string()))?;
        Scenario::from_json(&text)
            .map(|_| ())
            .map_err(|e| ScenarioError::new(e.field.replace("actions[0]", "action"), e.message))
    }

    pub fn node_id(&self, name: &str) -> Option<NodeId> {
        self.core.meta.iter().position(|m| &*m.name == name).map(|i| NodeId(i as u32))
    }

    fn action(&self, i: u32) -> Action {
        let i = i as usize;
        let n = self.scenario.actions.len();
        if i < n {
            self.scenario.actions[i].clone()
        } else {
            self.extra_actions[i - n].clone()
        }
    }

    fn dispatch(&mut self, kind: EventKind) {
        match kind {
            EventKind::Packet { from, to, to_epoch, pkt, flight } => {
                if flight != 0 {
                    self.core.flights.remove(&flight);
                }
                let m = &self.core.meta[to.0 as usize];
                if !m.alive || m.epoch != to_epoch {
                    self.core.net_stats.dropped_dead += 1;
                    return;
                }
                self.core.net_stats.delivered += 1;
                self.nodes[to.0 as usize].on_packet(&mut self.core, to, from, pkt);
            }
            EventKind::Timer { node, epoch, timer } => {
                let m = &self.core.meta[node.0 as usize];
                if m.alive && m.epoch == epoch {
                    self.nodes[node.0 as usize].on_timer(&mut self.core, node, timer);
                }
            }
            EventKind::ChannelClosed { node, epoch, peer } => {
                let m = &self.core.meta[node.0 as usize];
                if m.alive && m.epoch == epoch {
                    self.nodes[node.0 as usize].on_channel_closed(&mut self.core, node, peer);
                }
            }
            EventKind::Action(i) => {
                let action = self.action(i);
                self.apply(&action);
            }
        }
    }

    fn id(&self, name: &str) -> NodeId {
        self.node_id(name).expect("validated node name")
    }

    fn fault(
        &mut self,
        kind: &'static str,
        node: Option<&str>,
        why: String,
        extra: Vec<(&'static str, crate::trace::Val)>,
    ) {
        if self.core.tracing() {
            let mut r = Record::new(self.core.now, "fault").f("kind", kind);
            // Network faults name their first node as `node` (the contract's field) and keep a/b.
            let first = extra.iter().find(|(k, v)| *k == "a" && *v != crate::trace::Val::Null).map(|(_, v)| v.clone());
            match (node, first) {
                (Some(n), _) => r = r.f("node", n),
                (None, Some(a)) => r.fields.push(("node", a)),
                (None, None) => {}
            }
            r.fields.extend(extra);
            self.core.emit(r.f("why", why));
        }
    }

    fn apply(&mut self, action: &Action) {
        use crate::trace::Val;
        match action {
            Action::Send(s) => {
                let p = self.id(&s.producer);
                if let Node::Producer(prod) = &mut self.nodes[p.0 as usize] {
                    prod.add_job(&mut self.core, p, s);
                }
            }
            Action::Kill { node, .. } | Action::PowerOff { node, .. } => {
                let id = self.id(node);
                let power = matches!(action, Action::PowerOff { .. });
                if self.core.alive(id) {
                    let why = if power {
                        format!("{node} loses power: memory and the OS page cache are gone; only data flushed to disk survives")
                    } else {
                        format!("{node}'s process dies: its memory is lost; files it wrote (even unflushed, in the page cache) survive; its TCP connections close")
                    };
                    self.fault(action.kind(), Some(node), why, vec![]);
                    self.kill(id, power);
                } else {
                    self.fault(action.kind(), Some(node), format!("{node} is already down; nothing happens"), vec![]);
                }
            }
            Action::Restart { node, .. } => {
                let id = self.id(node);
                if self.core.alive(id) {
                    self.fault("restart", Some(node), format!("{node} is killed and started again at once"), vec![]);
                    self.kill(id, false);
                } else {
                    self.fault(
                        "restart",
                        Some(node),
                        format!("{node} starts again and recovers what it had flushed"),
                        vec![],
                    );
                }
                self.revive(id);
            }
            Action::Partition { a, b, oneway, .. } => {
                let (x, y) = (self.id(a), self.id(b));
                self.core.net.partition(x, y, *oneway);
                let why = if *oneway {
                    format!("packets from {a} to {b} are dropped silently (one way); requests time out instead of failing fast")
                } else {
                    format!("{a} and {b} cannot reach each other; requests between them time out")
                };
                self.fault(
                    "partition",
                    None,
                    why,
                    vec![("a", Val::from(a.as_str())), ("b", Val::from(b.as_str())), ("oneway", Val::B(*oneway))],
                );
            }
            Action::Heal { a, b, .. } => {
                let (x, y) = (a.as_deref().map(|n| self.id(n)), b.as_deref().map(|n| self.id(n)));
                self.core.net.heal(x, y);
                self.fault(
                    "heal",
                    None,
                    "partitions are repaired".into(),
                    vec![("a", Val::from(a.clone())), ("b", Val::from(b.clone()))],
                );
            }
            Action::SetLatency { a, b, latency, .. } => {
                let (x, y) = (a.as_deref().map(|n| self.id(n)), b.as_deref().map(|n| self.id(n)));
                self.core.net.set_latency(x, y, (latency[0].0, latency[1].0));
                let why = format!("one-way latency now {}–{} ms", latency[0].0, latency[1].0);
                let extra = vec![
                    ("a", Val::from(a.clone())),
                    ("b", Val::from(b.clone())),
                    ("min_ms", Val::U(latency[0].0)),
                    ("max_ms", Val::U(latency[1].0)),
                ];
                self.fault("set_latency", None, why, extra);
            }
            Action::SetLoss { a, b, loss, .. } => {
                let (x, y) = (a.as_deref().map(|n| self.id(n)), b.as_deref().map(|n| self.id(n)));
                self.core.net.set_loss(x, y, (loss * 1_000_000.0).round() as u32);
                let why = format!("{:.1}% of packets are now lost", loss * 100.0);
                let ppm = (loss * 1_000_000.0).round() as u64;
                let extra = vec![("a", Val::from(a.clone())), ("b", Val::from(b.clone())), ("loss_ppm", Val::U(ppm))];
                self.fault("set_loss", None, why, extra);
            }
            Action::Hold { a, b, .. } => {
                let (x, y) = (self.id(a), self.id(b));
                self.core.net.hold(x, y);
                self.fault(
                    "hold",
                    None,
                    format!("packets between {a} and {b} are held until released"),
                    vec![("a", Val::from(a.as_str())), ("b", Val::from(b.as_str()))],
                );
            }
            Action::Release { a, b, .. } => {
                let (x, y) = (self.id(a), self.id(b));
                self.core.net.release(x, y);
                self.core.release_held(x, y);
                self.fault(
                    "release",
                    None,
                    format!("held packets between {a} and {b} go on their way, in order"),
                    vec![("a", Val::from(a.as_str())), ("b", Val::from(b.as_str()))],
                );
            }
            Action::SlowDisk { node, delay, .. } => {
                let id = self.id(node);
                if let Node::Broker(b) = &mut self.nodes[id.0 as usize] {
                    b.set_disk_delay(delay.0);
                }
                self.fault(
                    "slow_disk",
                    Some(node),
                    format!("every flush of {node}'s commit log now takes {} ms", delay.0),
                    vec![("delay_ms", Val::U(delay.0))],
                );
            }
            Action::SlowSlave { node, delay, .. } => {
                let id = self.id(node);
                if let Node::Broker(b) = &mut self.nodes[id.0 as usize] {
                    b.slave_delay_ms = delay.0;
                }
                self.fault(
                    "slow_slave",
                    Some(node),
                    format!("{node}'s slave now needs {} ms to confirm each write", delay.0),
                    vec![("delay_ms", Val::U(delay.0))],
                );
            }
            Action::SlaveDown { node, .. } | Action::SlaveUp { node, .. } => {
                let up = matches!(action, Action::SlaveUp { .. });
                let id = self.id(node);
                if let Node::Broker(b) = &mut self.nodes[id.0 as usize] {
                    b.set_slave_up(&mut self.core, id, up);
                }
                let why = if up {
                    format!("{node}'s slave reconnects and catches up")
                } else {
                    format!("{node}'s slave disconnects; a SYNC_MASTER now answers SLAVE_NOT_AVAILABLE")
                };
                self.fault(if up { "slave_up" } else { "slave_down" }, Some(node), why, vec![]);
            }
            Action::Shutdown { node, .. } => {
                let id = self.id(node);
                if self.core.alive(id) {
                    self.fault(
                        "shutdown",
                        Some(node),
                        format!("{node} shuts down cleanly: it unregisters and persists what it can"),
                        vec![],
                    );
                    self.nodes[id.0 as usize].shutdown(&mut self.core, id);
                    self.stop(id, true);
                }
            }
            Action::Start { node, .. } => {
                let id = self.id(node);
                if !self.core.alive(id) {
                    self.fault("start", Some(node), format!("{node} starts"), vec![]);
                    self.revive(id);
                }
            }
        }
    }

    fn kill(&mut self, id: NodeId, power_loss: bool) {
        self.nodes[id.0 as usize].crash(&mut self.core, id, power_loss);
        self.stop(id, false);
    }

    fn stop(&mut self, id: NodeId, clean: bool) {
        let m = &mut self.core.meta[id.0 as usize];
        m.alive = false;
        m.epoch += 1;
        m.shut_down = clean;
        self.core.close_channels(id);
    }

    fn revive(&mut self, id: NodeId) {
        let m = &mut self.core.meta[id.0 as usize];
        m.alive = true;
        m.shut_down = false;
        self.nodes[id.0 as usize].start(&mut self.core, id);
    }
}

fn build_nodes(sc: &Scenario, core: &mut Core) -> Result<Vec<Node>, ScenarioError> {
    let mut nodes = Vec::new();
    let mut idx = 0u32;
    for _ in 0..sc.cluster.nameservers {
        core.nameservers.push(NodeId(idx));
        nodes.push(Node::NameServer(NameServer::new()));
        idx += 1;
    }
    for (i, b) in sc.cluster.brokers.iter().enumerate() {
        core.brokers.insert(Rc::from(b.name.as_str()), NodeId(idx));
        idx += 1;
        let conf = sc.broker_conf(i)?;
        nodes.push(Node::Broker(Box::new(Broker::new(sc, i, conf, core))));
    }
    for (i, p) in sc.producers.iter().enumerate() {
        nodes.push(Node::Producer(Box::new(Producer::new(sc, i, p, core))));
        idx += 1;
    }
    for (i, c) in sc.consumers.iter().enumerate() {
        nodes.push(Node::Consumer(Box::new(Consumer::new(sc, i, c, core))));
        idx += 1;
    }
    debug_assert_eq!(idx as usize, nodes.len());
    Ok(nodes)
}
