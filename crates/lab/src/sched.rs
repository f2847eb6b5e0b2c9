//! The code lab's coordinator: learners' programs drive one engine, in
//! virtual-time order, deterministically.
//!
//! Each program runs in its own Python interpreter (a Web Worker, see
//! `static/lab/PROTOCOL.md`). Every blocking call it makes (start, send,
//! sleep, shutdown) becomes a request here, and the program waits until this
//! coordinator answers. The coordinator is wall-clock free and web free: the
//! host (`host.rs`) feeds it the programs' messages and carries its answers.
//!
//! **The rule that makes it deterministic.** Nothing is decided while any
//! program is running Python. Once every program is waiting, the
//! coordinator takes the programs' pending requests in program order, then
//! the engine's questions (a listener to call, a transaction to execute or
//! check), then finished sends, and only then advances the engine, one event
//! at a time, until something wakes a program: the earliest `time.sleep`
//! ends (after the engine events of that millisecond), a send completes, or
//! the engine asks a question. Each answer lets exactly one program run. So
//! the order of everything depends on the programs and the seed, never on
//! how fast the workers run. Console output is stamped and ordered when the
//! request that follows it is taken, in that same order.
//!
//! **What it records.** Every send, start, shutdown and end of a program is
//! an intervention at the exact event count where it happened; every answer
//! a callback gave is a letter of the scenario's `answers`. The result is an
//! ordinary session document, which replays without Python.
//!
//! **Clients.** The engine's nodes exist from t = 0, so a run learns the
//! clients its programs start: a `start` of a client the run does not know
//! ends the run with [`Tick::Restart`], and the host runs everything again
//! from the start with that client declared (not started until the program
//! starts it). The same code and seed reach the same point again.

use std::collections::{BTreeMap, VecDeque};

use rmqsim::labdoc::{self, ConsoleLine, LabProgram, LabRecord, Mark};
use rmqsim::scenario::{
    Action, Allocation, Behavior, ConsumeFromWhere, ConsumerSpec, Dur, ListenerKind, MessageModel, ProducerSpec,
    SendAction, SendMode, Subscription,
};
use rmqsim::share::{Intervention, Position, SessionDoc};
use rmqsim::sim::{Ask, AskKind};
use rmqsim::{Record, Scenario, Sim, TraceMode};
use serde_json::{json, Value};

/// The address the lab's NameServer `i` listens at (the tutorial's broker
/// host, port 9876 and up).
pub fn namesrv_addr(i: usize) -> String {
    format!("192.168.2.57:{}", 9876 + i)
}

/// Most clients the programs of one lab may start.
pub const MAX_CLIENTS: usize = 32;

/// A client a program starts, as the run declares it.
#[derive(Clone, Debug, PartialEq)]
pub struct KnownClient {
    pub program: usize,
    pub handle: u32,
    /// The engine's node id.
    pub node: String,
    pub spec: ClientSpec,
}

/// What a program's `start()` asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientSpec {
    /// `producer`, `transaction_producer` or `push_consumer`.
    pub kind: String,
    pub group: String,
    pub namesrv: Option<String>,
    pub orderly: bool,
    pub model: Option<String>,
    pub threads: Option<u32>,
    pub timeout_ms: Option<u64>,
    pub max_message_size: Option<u64>,
    pub subscriptions: Vec<Sub>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sub {
    pub topic: String,
    pub expression: String,
}

impl ClientSpec {
    fn is_consumer(&self) -> bool {
        self.kind == "push_consumer"
    }
}

struct MsgReq {
    topic: String,
    tags: Option<String>,
    keys: Option<String>,
    body: String,
    properties: Vec<(String, String)>,
    delay_level: i64,
}

/// One request of a program (see `static/lab/PROTOCOL.md`).
enum Req {
    Start {
        line: u32,
        handle: u32,
        client: ClientSpec,
    },
    Shutdown {
        line: u32,
        handle: u32,
    },
    Send {
        line: u32,
        handle: u32,
        mode: String,
        msg: MsgReq,
        sharding_key: Option<String>,
    },
    /// Sleeps cause no trace record, so their line is not kept.
    Sleep {
        ms: f64,
    },
    CallbackDone {
        line: u32,
        result: String,
        traceback: Option<String>,
    },
}

// Requests are read through `serde_json::Value` by hand: the wasm already
// holds Value's parser, and derived deserializers (an internally tagged
// enum above all) would add tens of kilobytes to the first download.
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn whole(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn client_spec(c: &Value) -> Result<ClientSpec, String> {
    let subscriptions = match c.get("subscriptions") {
        Some(Value::Array(list)) => list
            .iter()
            .map(|s| {
                Ok(Sub {
                    topic: text(s, "topic").ok_or("a subscription without a topic")?,
                    expression: text(s, "expression").unwrap_or_else(|| "*".into()),
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        _ => Vec::new(),
    };
    Ok(ClientSpec {
        kind: text(c, "type").ok_or("a client without a type")?,
        group: text(c, "group").ok_or("a client without a group")?,
        namesrv: text(c, "namesrv"),
        orderly: c.get("orderly").and_then(Value::as_bool).unwrap_or(false),
        model: text(c, "model"),
        threads: whole(c, "threads").map(|n| n.min(u64::from(u32::MAX)) as u32),
        timeout_ms: whole(c, "timeout_ms"),
        max_message_size: whole(c, "max_message_size"),
        subscriptions,
    })
}

fn msg_req(m: &Value) -> Result<MsgReq, String> {
    let properties = match m.get("properties") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|kv| Some((kv.get(0)?.as_str()?.to_string(), kv.get(1)?.as_str()?.to_string())))
            .collect(),
        _ => Vec::new(),
    };
    Ok(MsgReq {
        topic: text(m, "topic").ok_or("a message without a topic")?,
        tags: text(m, "tags"),
        keys: text(m, "keys"),
        body: text(m, "body").unwrap_or_default(),
        properties,
        delay_level: m.get("delay_level").and_then(Value::as_i64).unwrap_or(0),
    })
}

fn parse_req(body: &str) -> Result<Req, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let line = whole(&v, "line").unwrap_or(0).min(u64::from(u32::MAX)) as u32;
    let handle = || whole(&v, "handle").map(|h| h.min(u64::from(u32::MAX)) as u32).ok_or("no handle");
    Ok(match v.get("op").and_then(Value::as_str) {
        Some("start") => {
            Req::Start { line, handle: handle()?, client: client_spec(v.get("client").ok_or("no client")?)? }
        }
        Some("shutdown") => Req::Shutdown { line, handle: handle()? },
        Some("send") => Req::Send {
            line,
            handle: handle()?,
            mode: text(&v, "mode").unwrap_or_else(|| "sync".into()),
            msg: msg_req(v.get("msg").ok_or("no msg")?)?,
            sharding_key: text(&v, "sharding_key"),
        },
        Some("sleep") => Req::Sleep { ms: v.get("ms").and_then(Value::as_f64).unwrap_or(0.0) },
        Some("callback_done") => Req::CallbackDone {
            line,
            result: text(&v, "result").unwrap_or_else(|| "T".into()),
            traceback: text(&v, "traceback"),
        },
        other => return Err(format!("unknown op {other:?}")),
    })
}

/// The message a callback receives, as the protocol writes it.
fn msg_value(m: &rmqsim::AskedMsg) -> Value {
    let mut o = serde_json::Map::new();
    for (k, v) in [("topic", &m.topic), ("tags", &m.tags), ("keys", &m.keys), ("body", &m.body), ("id", &m.id)] {
        o.insert(k.into(), Value::String(v.clone()));
    }
    let props = m.properties.iter().map(|(k, v)| Value::Array(vec![k.clone().into(), v.clone().into()])).collect();
    o.insert("properties".into(), Value::Array(props));
    for (k, v) in [
        ("queue_id", u64::from(m.queue_id)),
        ("queue_offset", m.queue_offset),
        ("reconsume_times", u64::from(m.reconsume_times)),
        ("born_timestamp", m.born_timestamp),
        ("store_timestamp", m.store_timestamp),
        ("commit_log_offset", m.commit_log_offset),
        ("delay_time_level", u64::from(m.delay_time_level)),
        ("store_size", u64::from(m.store_size)),
        ("prepared_transaction_offset", m.prepared_transaction_offset),
    ] {
        o.insert(k.into(), v.into());
    }
    Value::Object(o)
}

/// How a program ended, as its worker reports it.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    Ok,
    /// A syntax error: the run does not start.
    Syntax {
        message: String,
        line: u32,
        col: u32,
    },
    /// An exception (with its traceback), memory exhausted, or stopped.
    Failed {
        message: String,
        traceback: String,
        hint: Option<String>,
    },
}

enum Pending {
    Req(Req),
    Exit(Exit),
}

enum Block {
    Sleep { until: u64 },
    Send { node: String, mode: SendMode, after_msg: u64, msg: Option<u64>, half: Option<Value>, done: Option<Value> },
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum State {
    /// Running Python: the coordinator waits for its next message.
    Running,
    /// Waiting for an answer (or holding a request not yet taken).
    Waiting,
    Ended,
}

struct Prog {
    name: String,
    state: State,
    pending: Option<Pending>,
    block: Option<Block>,
    /// The ask its running callback answers.
    callback: Option<Ask>,
    out: Vec<(bool, String)>,
    /// Handles started and not shut down.
    live: Vec<u32>,
}

/// What the host does next.
#[derive(Debug, PartialEq)]
pub enum Tick {
    /// Send this answer (JSON) to this program; it runs again.
    Respond(usize, String),
    /// Some program is running Python: wait for its next message.
    Wait,
    /// This slice's event budget ran out: call again (the page paints in between).
    Busy,
    /// Programs started clients the run did not declare: run everything
    /// again from the start with these clients.
    Restart(Vec<KnownClient>),
    /// The run is over.
    Done,
}

/// Why a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    /// It reached the horizon.
    Horizon,
    /// The learner pressed Stop.
    Stopped,
    /// A program has a syntax error (nothing ran).
    Syntax { program: usize, message: String, line: u32, col: u32 },
    /// The engine refused the run (its event budget, an invalid scenario).
    Engine(String),
}

/// One lab run.
pub struct Run {
    sim: Sim,
    scenario: Scenario,
    programs: Vec<LabProgram>,
    progs: Vec<Prog>,
    known: Vec<KnownClient>,
    fresh: Vec<KnownClient>,
    horizon: u64,
    interventions: Vec<Intervention>,
    answers: String,
    asks: VecDeque<Ask>,
    console: Vec<ConsoleLine>,
    dropped: u64,
    marks: Vec<Mark>,
    /// Trace records drained so far.
    records: u64,
    max_msg: u64,
    /// (consumer node, sim msg) → the line its callback returned from.
    returned: BTreeMap<(String, u64), (u8, u32)>,
    end: Option<End>,
    /// The lab's own notes are written in Chinese (else English).
    zh: bool,
}

/// Builds the scenario a run uses: the lab's cluster, the known clients
/// (started by their programs), ending at the horizon.
pub fn lab_scenario(
    base: &Scenario,
    programs: &[LabProgram],
    known: &[KnownClient],
    horizon: u64,
) -> Result<Scenario, String> {
    let mut sc = base.clone();
    sc.until = Dur(horizon);
    sc.answers = String::new();
    sc.producers.retain(|p| p.program.is_none());
    sc.consumers.retain(|c| c.program.is_none());
    let namesrvs = sc.cluster.nameservers as usize;
    for k in known {
        let program = Some(programs.get(k.program).map_or("program.py", |p| p.name.as_str()).to_string());
        let nameservers = Some(resolve_namesrv(k.spec.namesrv.as_deref(), namesrvs).0);
        if k.spec.is_consumer() {
            sc.consumers.push(ConsumerSpec {
                id: k.node.clone(),
                group: k.spec.group.clone(),
                subscribe: k
                    .spec
                    .subscriptions
                    .iter()
                    .map(|s| Subscription { topic: s.topic.clone(), expression: s.expression.clone() })
                    .collect(),
                model: if k.spec.model.as_deref() == Some("BROADCASTING") {
                    MessageModel::Broadcasting
                } else {
                    MessageModel::Clustering
                },
                listener: if k.spec.orderly { ListenerKind::Orderly } else { ListenerKind::Concurrently },
                behavior: Behavior::default(),
                autostart: false,
                consume_threads: k.spec.threads.filter(|n| (1..=1000).contains(n)),
                allocate: Allocation::default(),
                consume_from_where: ConsumeFromWhere::default(),
                max_reconsume_times: None,
                pull_batch_size: None,
                program,
                nameservers,
            });
        } else {
            sc.producers.push(ProducerSpec {
                id: k.node.clone(),
                group: k.spec.group.clone(),
                autostart: false,
                send_timeout: k.spec.timeout_ms.filter(|ms| (1..=3_600_000).contains(ms)).map(Dur),
                retry_times: None,
                retry_another_broker_when_not_store_ok: false,
                send_latency_fault_enable: false,
                max_message_size: k.spec.max_message_size.filter(|n| (1..=(1 << 30)).contains(n)),
                check_results: Vec::new(),
                program,
                nameservers,
            });
        }
    }
    Ok(sc)
}

/// The NameServers an address string names (`a:9876;b:9876`), and the
/// addresses that name none.
pub fn resolve_namesrv(addr: Option<&str>, namesrvs: usize) -> (Vec<String>, Vec<String>) {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for a in addr.unwrap_or("").split(';').map(str::trim).filter(|a| !a.is_empty()) {
        match (0..namesrvs).find(|i| namesrv_addr(*i) == a) {
            Some(i) => {
                let name = format!("namesrv-{i}");
                if !found.contains(&name) {
                    found.push(name);
                }
            }
            None => unknown.push(a.to_string()),
        }
    }
    (found, unknown)
}

/// A node id for a new client: its group, made unique.
fn node_id(group: &str, taken: &[String]) -> String {
    let clean: String =
        group.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    let base = if clean.is_empty() { "client".to_string() } else { clean };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn send_mode(mode: &str) -> Option<SendMode> {
    Some(match mode {
        "sync" => SendMode::Sync,
        "oneway" => SendMode::Oneway,
        "orderly" => SendMode::Orderly,
        "transaction" => SendMode::Transaction,
        _ => return None,
    })
}

fn failure_type(mode: SendMode) -> &'static str {
    match mode {
        SendMode::Oneway => "ProducerSendOnewayFailed",
        SendMode::Orderly => "ProducerSendOrderlyFailed",
        _ => "ProducerSendSyncFailed",
    }
}

impl Run {
    /// A run of `programs` against `base`'s cluster, with the clients
    /// earlier runs learned.
    pub fn new(
        base: &Scenario,
        programs: &[LabProgram],
        known: &[KnownClient],
        horizon: u64,
        zh: bool,
    ) -> Result<Run, String> {
        labdoc::check_programs(programs).map_err(|(_, m)| m)?;
        let scenario = lab_scenario(base, programs, known, horizon)?;
        // Validated once, exactly as a loaded file is (the engine trusts a
        // scenario that passed `from_json`).
        let scenario = rmqsim::share::scenario_json(&scenario)
            .map_err(|e| e.to_string())
            .and_then(|text| Scenario::from_json(&text).map_err(|e| e.to_string()))?;
        let sim = Sim::new(scenario.clone(), TraceMode::Keep).map_err(|e| e.to_string())?;
        let progs = programs
            .iter()
            .map(|p| Prog {
                name: p.name.clone(),
                state: State::Running,
                pending: None,
                block: None,
                callback: None,
                out: Vec::new(),
                live: Vec::new(),
            })
            .collect();
        let mut run = Run {
            sim,
            scenario,
            programs: programs.to_vec(),
            progs,
            known: known.to_vec(),
            fresh: Vec::new(),
            horizon,
            interventions: Vec::new(),
            answers: String::new(),
            asks: VecDeque::new(),
            console: Vec::new(),
            dropped: 0,
            marks: Vec::new(),
            records: 0,
            max_msg: 0,
            returned: BTreeMap::new(),
            end: None,
            zh,
        };
        run.drain();
        Ok(run)
    }

    /// Virtual time now (ms).
    pub fn now(&self) -> u64 {
        self.sim.now()
    }

    pub fn horizon(&self) -> u64 {
        self.horizon
    }

    pub fn end(&self) -> Option<&End> {
        self.end.as_ref()
    }

    /// Whether program `p` is running Python now.
    pub fn running(&self, p: usize) -> bool {
        self.progs.get(p).is_some_and(|g| g.state == State::Running)
    }

    /// A line program `p` printed (stderr when `err`).
    pub fn output(&mut self, p: usize, err: bool, text: &str) {
        if let Some(g) = self.progs.get_mut(p) {
            if g.out.len() < labdoc::MAX_CONSOLE_LINES {
                g.out.push((err, labdoc::clip_line(text)));
            }
        }
    }

    /// Program `p` made a request (its JSON). A request that cannot be read
    /// ends the program with a message naming it.
    pub fn request(&mut self, p: usize, text: &str) {
        let Some(g) = self.progs.get_mut(p) else { return };
        if g.state != State::Running {
            return;
        }
        g.state = State::Waiting;
        match parse_req(text) {
            Ok(req) => g.pending = Some(Pending::Req(req)),
            Err(e) => {
                g.pending = Some(Pending::Exit(Exit::Failed {
                    message: format!("the lab could not read a request of {}: {e}", g.name),
                    traceback: String::new(),
                    hint: None,
                }))
            }
        }
    }

    /// Program `p` ended (or its worker was stopped).
    pub fn exited(&mut self, p: usize, exit: Exit) {
        let Some(g) = self.progs.get_mut(p) else { return };
        if g.state == State::Ended {
            return;
        }
        if let Exit::Syntax { message, line, col } = &exit {
            if self.end.is_none() {
                self.end = Some(End::Syntax { program: p, message: message.clone(), line: *line, col: *col });
            }
        }
        g.state = State::Waiting;
        g.pending = Some(Pending::Exit(exit));
    }

    /// The learner pressed Stop: the run ends where it is.
    pub fn stop(&mut self) {
        if self.end.is_none() {
            self.end = Some(End::Stopped);
        }
    }

    /// Takes one step of the protocol (at most `budget` engine events).
    pub fn advance(&mut self, budget: u64) -> Tick {
        if self.end.is_some() {
            return Tick::Done;
        }
        if self.progs.iter().any(|g| g.state == State::Running) {
            return Tick::Wait;
        }
        // Everyone is waiting: take pending requests in program order.
        for p in 0..self.progs.len() {
            // While clients are being learned, only starts go on (to learn
            // them all in one restart); everything else waits for the rerun.
            let learning = !self.fresh.is_empty();
            if learning && !matches!(self.progs[p].pending, Some(Pending::Req(Req::Start { .. }))) {
                continue;
            }
            if let Some(pending) = self.progs[p].pending.take() {
                if let Some(answer) = self.take(p, pending) {
                    return self.respond(p, answer);
                }
                if self.end.is_some() {
                    return Tick::Done;
                }
            }
        }
        if !self.fresh.is_empty() {
            let mut all = self.known.clone();
            all.append(&mut self.fresh);
            return Tick::Restart(all);
        }
        let mut stepped = 0;
        loop {
            // The engine's questions.
            while let Some(ask) = self.asks.pop_front() {
                let owner = self.owner(&ask.client);
                match owner {
                    Some(p) if self.progs[p].state == State::Waiting && self.progs[p].block.is_some() => {
                        let answer = json!({ "callback": {
                            "kind": match ask.kind { AskKind::Consume => "consume", AskKind::LocalExecute => "local_execute", AskKind::Check => "check" },
                            "handle": self.handle_of(&ask.client),
                            "sub_topic": ask.msg.sub.clone(),
                            "msg": msg_value(&ask.msg),
                        }});
                        self.progs[p].callback = Some(ask);
                        return self.respond(p, answer);
                    }
                    // Its program has ended (its clients were killed at the
                    // same instant): the engine's default answer stands.
                    _ => {
                        let letter = if ask.kind == AskKind::Consume { 'S' } else { 'U' };
                        self.answer(letter);
                    }
                }
            }
            // Finished sends, in program order.
            for p in 0..self.progs.len() {
                if let Some(Block::Send { done: Some(_), .. }) = &self.progs[p].block {
                    let Some(Block::Send { done: Some(answer), .. }) = self.progs[p].block.take() else { continue };
                    return self.respond(p, answer);
                }
            }
            if self.progs.iter().all(|g| g.state == State::Ended) && self.sim.next_event_time().is_none() {
                self.sim.run_until(self.horizon, 1);
            }
            // The engine, up to the earliest wake-up.
            let wake = self
                .progs
                .iter()
                .enumerate()
                .filter_map(|(p, g)| match g.block {
                    Some(Block::Sleep { until }) => Some((until, p)),
                    _ => None,
                })
                .min();
            let next = self.sim.next_event_time();
            match (next, wake) {
                (Some(te), w) if w.is_none_or(|(tw, _)| te <= tw) && te <= self.horizon => {
                    if stepped >= budget {
                        return Tick::Busy;
                    }
                    if !self.sim.step() {
                        if let Some(why) = self.sim_end() {
                            self.end = Some(why);
                            return Tick::Done;
                        }
                    }
                    stepped += 1;
                    self.drain();
                    if !self.asks.is_empty() {
                        continue;
                    }
                    if self.progs.iter().any(|g| matches!(g.block, Some(Block::Send { done: Some(_), .. }))) {
                        continue;
                    }
                }
                (_, Some((tw, p))) if tw <= self.horizon => {
                    if self.sim.now() < tw {
                        self.sim.run_until(tw, 1);
                    }
                    self.progs[p].block = None;
                    return self.respond(p, json!({ "ok": true }));
                }
                _ => {
                    // Nothing more before the horizon.
                    if self.sim.now() < self.horizon {
                        self.sim.run_until(self.horizon, 1);
                    }
                    self.end = Some(End::Horizon);
                    return Tick::Done;
                }
            }
        }
    }

    fn sim_end(&self) -> Option<End> {
        match self.sim.ended() {
            Some(rmqsim::sim::EndReason::Budget) => Some(End::Engine(format!(
                "the run reached the engine's event budget at {} ms; shorten the horizon or send less",
                self.sim.now()
            ))),
            _ => None,
        }
    }

    fn respond(&mut self, p: usize, mut answer: Value) -> Tick {
        answer["now_ms"] = self.sim.now().into();
        self.progs[p].state = State::Running;
        Tick::Respond(p, answer.to_string())
    }

    /// Takes program `p`'s pending request; returns the answer when it can be given at once.
    fn take(&mut self, p: usize, pending: Pending) -> Option<Value> {
        self.flush(p);
        let in_callback = self.progs[p].callback.is_some();
        if in_callback
            && matches!(
                pending,
                Pending::Req(Req::Sleep { .. } | Req::Send { .. } | Req::Start { .. } | Req::Shutdown { .. })
            )
        {
            let message = if self.zh {
                "本实验在虚拟时间的同一瞬间运行回调：回调里不能调用 time.sleep()、发送、start() 或 shutdown()"
            } else {
                "the lab runs a callback in one instant of virtual time: time.sleep(), sends, start() and shutdown() cannot be called inside it"
            };
            return Some(json!({ "error": { "type": "RuntimeError", "message": message } }));
        }
        match pending {
            Pending::Exit(exit) => {
                self.ended(p, exit);
                None
            }
            Pending::Req(Req::Sleep { ms, .. }) => {
                let ms = if ms.is_finite() && ms > 0.0 { ms.round().min(1e15) as u64 } else { 0 };
                let until = self.sim.now().saturating_add(ms);
                self.progs[p].block = Some(Block::Sleep { until });
                None
            }
            Pending::Req(Req::CallbackDone { line, result, traceback }) => {
                let Some(ask) = self.progs[p].callback.take() else {
                    return Some(json!({ "ok": true }));
                };
                // A raising callback has printed its traceback to stderr
                // already (as ctypes does), so `traceback` is not repeated.
                let _ = traceback;
                let letter = result.chars().next().unwrap_or('T');
                let fits = match ask.kind {
                    AskKind::Consume => matches!(letter, 'S' | 'L' | 'T'),
                    _ => matches!(letter, 'C' | 'R' | 'U'),
                };
                self.answer(if fits {
                    letter
                } else if ask.kind == AskKind::Consume {
                    'T'
                } else {
                    'U'
                });
                let mark = (p as u8, line);
                self.returned.insert((ask.client.clone(), ask.msg.sim_msg), mark);
                self.mark(self.records.saturating_sub(1), mark);
                None
            }
            Pending::Req(Req::Start { line, handle, client }) => self.start(p, line, handle, client),
            Pending::Req(Req::Shutdown { line, handle }) => {
                if let Some(k) = self.client(p, handle) {
                    let node = k.node.clone();
                    if self.progs[p].live.contains(&handle) {
                        self.progs[p].live.retain(|h| *h != handle);
                        let _ =
                            self.intervene(Action::Shutdown { at: Dur(self.sim.now()), node }, Some((p as u8, line)));
                    }
                }
                Some(json!({ "ok": true }))
            }
            Pending::Req(Req::Send { line, handle, mode, msg, sharding_key }) => {
                self.send(p, line, handle, &mode, msg, sharding_key)
            }
        }
    }

    fn start(&mut self, p: usize, line: u32, handle: u32, spec: ClientSpec) -> Option<Value> {
        // The client checks the group name before it starts (Validators.checkGroup).
        let legal = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '%' | '|');
        if spec.group.is_empty() || spec.group.len() > 255 || !spec.group.chars().all(legal) {
            let kind = if spec.is_consumer() { "PushConsumerStartFailed" } else { "ProducerStartFailed" };
            return Some(json!({ "error": { "type": kind, "message": format!(
                "the group name \"{}\" is not allowed: 1 to 255 characters from letters, digits, _ - % |", spec.group) } }));
        }
        let known = self.known.iter().find(|k| k.program == p && k.handle == handle).cloned();
        let Some(k) = known.filter(|k| k.spec == spec) else {
            if self.known.len() + self.fresh.len() >= MAX_CLIENTS {
                return Some(
                    json!({ "error": { "type": if spec.is_consumer() { "PushConsumerStartFailed" } else { "ProducerStartFailed" },
                    "message": format!("the lab runs at most {MAX_CLIENTS} clients") } }),
                );
            }
            // A client this run did not declare: learn it and run again.
            self.known.retain(|k| !(k.program == p && k.handle == handle));
            let mut taken: Vec<String> = self.scenario.node_names().into_iter().map(|(n, _)| n).collect();
            taken.extend(self.known.iter().chain(&self.fresh).map(|k| k.node.clone()));
            let node = node_id(&spec.group, &taken);
            self.fresh.push(KnownClient { program: p, handle, node, spec });
            // The program waits; the run restarts once everyone waits.
            self.progs[p].pending = None;
            return None;
        };
        if !self.progs[p].live.contains(&handle) {
            let namesrvs = self.scenario.cluster.nameservers as usize;
            let (found, unknown) = resolve_namesrv(k.spec.namesrv.as_deref(), namesrvs);
            let addrs: Vec<String> = (0..namesrvs).map(namesrv_addr).collect();
            let name = self.progs[p].name.clone();
            let addrs = addrs.join(", ");
            if k.spec.namesrv.as_deref().is_none_or(|a| a.trim().is_empty()) {
                self.note(if self.zh {
                    format!("{name}：{} 没有设置 NameServer 地址（未调用 set_name_server_address）；本实验的 NameServer 地址是 {addrs}", k.node)
                } else {
                    format!("{name}: {} has no NameServer address (set_name_server_address was not called); the lab's NameServers listen at {addrs}", k.node)
                });
            } else if !unknown.is_empty() {
                let unknown = unknown.join(", ");
                self.note(match (self.zh, found.is_empty()) {
                    (true, none) => format!(
                        "{name}：这个集群里没有 NameServer 监听 {unknown}{}；本实验的 NameServer 地址是 {addrs}",
                        if none { "，客户端拿不到路由" } else { "" }
                    ),
                    (false, none) => format!(
                        "{name}: no NameServer listens at {unknown} in this cluster{}; the lab's NameServers listen at {addrs}",
                        if none { ", so the client finds no route" } else { "" }
                    ),
                });
            }
            if let Err(e) =
                self.intervene(Action::Start { at: Dur(self.sim.now()), node: k.node.clone() }, Some((p as u8, line)))
            {
                let kind = if k.spec.is_consumer() { "PushConsumerStartFailed" } else { "ProducerStartFailed" };
                return Some(json!({ "error": { "type": kind, "message": e } }));
            }
            self.progs[p].live.push(handle);
        }
        Some(json!({ "ok": true }))
    }

    fn send(
        &mut self,
        p: usize,
        line: u32,
        handle: u32,
        mode: &str,
        msg: MsgReq,
        sharding_key: Option<String>,
    ) -> Option<Value> {
        let Some(mode) = send_mode(mode) else {
            return Some(
                json!({ "error": { "type": "ProducerSendSyncFailed", "message": format!("unknown send mode {mode}") } }),
            );
        };
        let fail = |message: String| Some(json!({ "error": { "type": failure_type(mode), "message": message } }));
        let Some(k) = self.client(p, handle).cloned() else {
            return fail("the producer was never started (call start() first)".into());
        };
        if !self.progs[p].live.contains(&handle) {
            return fail(format!(
                "producer {} is not running (start() it first; it cannot send after shutdown())",
                k.node
            ));
        }
        let declared = self.scenario.topics.iter().any(|t| t.name == msg.topic);
        let action = Action::Send(SendAction {
            at: Dur(self.sim.now()),
            producer: k.node.clone(),
            mode,
            topic: msg.topic,
            count: 1,
            interval: Dur(0),
            tags: msg.tags.filter(|t| !t.is_empty()),
            keys: msg.keys.filter(|t| !t.is_empty()),
            properties: msg.properties.into_iter().collect(),
            body: msg.body,
            body_size: None,
            delay_level: msg.delay_level,
            sharding_key,
            auto_create_topic: !declared,
            local_result: None,
            check_results: Vec::new(),
        });
        let after_msg = self.max_msg;
        if let Err(e) = self.intervene(action, Some((p as u8, line))) {
            return fail(e);
        }
        self.progs[p].block = Some(Block::Send { node: k.node, mode, after_msg, msg: None, half: None, done: None });
        None
    }

    fn intervene(&mut self, mut action: Action, mark: Option<(u8, u32)>) -> Result<(), String> {
        let (events, t) = (self.sim.events(), self.sim.now());
        rmqsim::share::set_at(&mut action, t);
        self.sim.apply_now(action.clone()).map_err(|e| e.message.clone())?;
        if let Some(m) = mark {
            self.mark(self.records, m);
        }
        self.interventions.push(Intervention { events, t, action });
        Ok(())
    }

    fn mark(&mut self, r: u64, (p, line): (u8, u32)) {
        let r = r.max(self.marks.last().map_or(0, |m| m.r));
        self.marks.push(Mark { r, p, line });
    }

    fn answer(&mut self, letter: char) {
        self.answers.push(letter);
        let _ = self.sim.push_answer(letter);
    }

    fn ended(&mut self, p: usize, exit: Exit) {
        match &exit {
            Exit::Ok => {}
            Exit::Syntax { .. } => return,
            Exit::Failed { message, traceback, hint } => {
                for l in traceback.lines() {
                    self.say(Some(p), true, l.to_string());
                }
                if traceback.is_empty() {
                    self.say(Some(p), true, message.clone());
                }
                if hint.as_deref() == Some("send_async") {
                    let name = self.progs[p].name.clone();
                    self.note(if self.zh {
                        format!("{name}：rocketmq-client-python 2.x 没有 send_async（2019 年 11 月、2.0.0 之前就删掉了）；原因见教程「异步发送」一章")
                    } else {
                        format!("{name}: rocketmq-client-python 2.x has no send_async (it was removed in November 2019, before 2.0.0); the tutorial's chapter Async send says why")
                    });
                }
            }
        }
        // A process that ends takes its clients with it.
        let live = std::mem::take(&mut self.progs[p].live);
        for h in live {
            if let Some(node) = self.client(p, h).map(|k| k.node.clone()) {
                let _ = self.intervene(Action::Kill { at: Dur(self.sim.now()), node }, None);
            }
        }
        self.progs[p].state = State::Ended;
        self.progs[p].block = None;
        self.progs[p].callback = None;
    }

    fn client(&self, p: usize, handle: u32) -> Option<&KnownClient> {
        self.known.iter().find(|k| k.program == p && k.handle == handle)
    }

    fn owner(&self, node: &str) -> Option<usize> {
        self.known.iter().find(|k| k.node == node).map(|k| k.program)
    }

    fn handle_of(&self, node: &str) -> u32 {
        self.known.iter().find(|k| k.node == node).map_or(0, |k| k.handle)
    }

    fn flush(&mut self, p: usize) {
        let out = std::mem::take(&mut self.progs[p].out);
        for (err, text) in out {
            self.say(Some(p), err, text);
        }
    }

    fn say(&mut self, p: Option<usize>, err: bool, text: String) {
        if self.console.len() >= labdoc::MAX_CONSOLE_LINES {
            self.dropped += 1;
            return;
        }
        self.console.push(ConsoleLine {
            t: self.sim.now(),
            p: p.map(|p| p as u8),
            err,
            text: labdoc::clip_line(&text),
        });
    }

    /// A note of the lab's own (not a program's output).
    fn note(&mut self, text: String) {
        self.say(None, true, text);
    }

    /// Takes the engine's new records: sends that finished, questions asked.
    fn drain(&mut self) {
        let records = self.sim.drain_records();
        for rec in &records {
            self.seen(rec);
            self.records += 1;
        }
        self.asks.extend(self.sim.take_asks());
    }

    fn seen(&mut self, rec: &Record) {
        let msg = rec.u("msg");
        if let Some(m) = msg {
            self.max_msg = self.max_msg.max(m);
        }
        if rec.event == "consumed" || rec.event == "delivered" {
            if let (Some(c), Some(m)) = (rec.str("consumer"), msg) {
                if let Some(mark) = self.returned.get(&(c.to_string(), m)).copied() {
                    self.mark(self.records, mark);
                }
            }
            return;
        }
        let Some(producer) = rec.str("producer") else { return };
        let Some(p) = self.owner(producer) else { return };
        let Some(Block::Send { node, mode, after_msg, msg: want, half, done }) = &mut self.progs[p].block else {
            return;
        };
        if node != producer || done.is_some() {
            return;
        }
        let Some(m) = msg else { return };
        if want.is_none() && m > *after_msg {
            *want = Some(m);
        }
        if *want != Some(m) {
            return;
        }
        let result = || {
            json!({ "result": {
                "status": rec.str("status").unwrap_or("SEND_OK"),
                "msg_id": rec.str("msg_id").unwrap_or(""),
                "offset": rec.u("queue_offset").unwrap_or(0),
            }})
        };
        match (rec.event, *mode) {
            ("send_failed", mode) => {
                let reason = rec.str("reason").unwrap_or("the send failed").to_string();
                *done = Some(json!({ "error": { "type": failure_type(mode), "message": reason } }));
            }
            ("send_attempt", SendMode::Oneway) => *done = Some(json!({ "ok": true })),
            ("send_result", SendMode::Transaction) => *half = Some(result()),
            ("send_result", _) => *done = Some(result()),
            ("txn_local", SendMode::Transaction) => *done = half.take().or_else(|| Some(result())),
            _ => {}
        }
    }

    /// The run as a session document with its lab record.
    pub fn document(&self) -> SessionDoc {
        let mut scenario = self.scenario.clone();
        scenario.answers = self.answers.clone();
        let mut doc = SessionDoc::new(scenario);
        doc.interventions = self.interventions.clone();
        doc.position = Some(Position { t: self.sim.now(), events: self.sim.events() });
        doc.fingerprint = Some(self.sim.core.trace.hash_hex());
        doc.lab = serde_json::to_value(self.record()).ok();
        doc
    }

    /// The lab's record of the run (programs, console, marks).
    pub fn record(&self) -> LabRecord {
        let mut console = self.console.clone();
        let mut dropped = self.dropped;
        // Output still buffered (a program stopped mid-turn) comes last.
        for (p, g) in self.progs.iter().enumerate() {
            for (err, text) in &g.out {
                if console.len() < labdoc::MAX_CONSOLE_LINES {
                    console.push(ConsoleLine { t: self.sim.now(), p: Some(p as u8), err: *err, text: text.clone() });
                } else {
                    dropped += 1;
                }
            }
        }
        LabRecord {
            programs: self.programs.clone(),
            horizon: self.horizon,
            code_hash: labdoc::code_hash(&self.programs),
            console,
            dropped,
            marks: self.marks.clone(),
            fingerprint: self.sim.core.trace.hash_hex(),
            end_t: self.sim.now(),
            end_events: self.sim.events(),
        }
    }
}
