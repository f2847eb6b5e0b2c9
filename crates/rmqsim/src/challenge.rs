//! Challenges: a goal in a running cluster, judged from the run's trace.
//!
//! A challenge is a JSON document (format `rmqsim-challenge/1`, described in
//! `docs/challenge-format.md`): its starting scenario, the goal in Chinese and
//! English, the tools the learner may use, named checks over the trace, hints,
//! a reference solution and recorded wrong attempts. A solution is the
//! learner's interventions: actions at virtual times (the send form, the fault
//! palette) and, when the cluster builder is allowed, edits to the cluster.
//! The engine judges the run, never the text of anything the learner wrote.
//! Where luck could pass a goal, the solution is run again under three seeds
//! derived from the challenge's name, and every run must pass.

use crate::names::retry_topic;
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::{format_ms, parse_duration};
use crate::trace::{Record, TraceMode, Val};
use crate::vecmap::{SortedMap, SortedSet};
use serde_json::Value;
use std::collections::BTreeMap;

/// The format tag every challenge document carries.
pub const FORMAT: &str = "rmqsim-challenge/1";
/// The largest challenge or solution document accepted.
pub const MAX_BYTES: usize = 1 << 20;
/// The most engine events one judged run may take (a few hundred milliseconds in wasm;
/// the built-in challenges need a few thousand).
pub const JUDGE_MAX_EVENTS: u64 = 1_000_000;
/// How many extra seeds a luck-sensitive challenge runs.
pub const HIDDEN_SEEDS: usize = 3;

/// Text in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

/// A tool the learner may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tool {
    SendForm,
    FaultPalette,
    ClusterBuilder,
    CodeLab,
}

/// Picks trace records: an event kind and fields that must equal the given values.
/// The field `tags` is looked up through the message's send when the record lacks it.
#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    pub event: String,
    pub fields: BTreeMap<String, Value>,
}

/// One named check: an id, a label in both languages, and a rule (`kind` and its fields).
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub id: String,
    pub label: Bilingual,
    pub rule: Rule,
}

impl Check {
    fn read(v: &Value, at: &str) -> Result<Check, ChallengeError> {
        let o = object(v, at)?;
        let id = text_field(o, "id").map_err(|m| err(at, m))?;
        let label = Bilingual::read(o.get("label"), &format!("{at}.label"))?;
        let mut rest = o.clone();
        rest.remove("id");
        rest.remove("label");
        let rule = Rule::read(&rest).map_err(|m| err(at, format!("check \"{id}\": {m}")))?;
        Ok(Check { id, label, rule })
    }
}

/// The kinds of check and the fields each takes (besides `kind`).
const RULE_FIELDS: [(&str, &[&str]); 8] = [
    ("count", &["event", "where", "within", "min", "max"]),
    ("gap", &["from", "to", "min", "max", "all"]),
    ("order", &["group", "by"]),
    ("duplicates", &["group", "min", "max"]),
    ("lost", &["min", "max"]),
    ("stuck", &["times", "min", "max"]),
    ("latest", &["event", "where", "key", "list", "expect"]),
    ("final_offset", &["group", "queue", "min", "max"]),
];

type Obj = serde_json::Map<String, Value>;

fn text_field(o: &Obj, k: &str) -> Result<String, String> {
    match o.get(k) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{k}: expected a string")),
        None => Err(format!("missing field `{k}`")),
    }
}

fn count_field(o: &Obj, k: &str) -> Result<Option<u64>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("{k}: expected a non-negative whole number")),
    }
}

fn value_field(o: &Obj, k: &str) -> Result<Value, String> {
    o.get(k).cloned().ok_or_else(|| format!("missing field `{k}`"))
}

fn where_field(o: &Obj) -> Result<BTreeMap<String, Value>, String> {
    match o.get("where") {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(m)) => Ok(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(_) => Err("where: expected an object of field: value".into()),
    }
}

fn select_field(o: &Obj, k: &str) -> Result<Select, String> {
    let Some(Value::Object(m)) = o.get(k) else { return Err(format!("{k}: expected an object with event and where")) };
    if let Some(bad) = m.keys().find(|x| *x != "event" && *x != "where") {
        return Err(format!("{k}: unknown field `{bad}`, expected `event` or `where`"));
    }
    Ok(Select { event: text_field(m, "event").map_err(|e| format!("{k}.{e}"))?, fields: where_field(m)? })
}

impl Rule {
    /// Reads a rule from a check object (read by hand: a derived internally tagged
    /// enum costs tens of kilobytes of wasm).
    fn read(o: &Obj) -> Result<Rule, String> {
        let kinds: Vec<&str> = RULE_FIELDS.iter().map(|(k, _)| *k).collect();
        let kind = match o.get("kind") {
            Some(Value::String(k)) => k.as_str(),
            _ => return Err(format!("missing field `kind` (one of {})", kinds.join(", "))),
        };
        let Some((_, fields)) = RULE_FIELDS.iter().find(|(k, _)| *k == kind) else {
            return Err(format!("unknown variant `{kind}`, expected one of {}", kinds.join(", ")));
        };
        if let Some(bad) = o.keys().find(|k| *k != "kind" && !fields.contains(&k.as_str())) {
            return Err(format!("unknown field `{bad}`, expected one of {}", fields.join(", ")));
        }
        let (min, max) = (count_field(o, "min"), count_field(o, "max"));
        Ok(match kind {
            "count" => {
                let within = match o.get("within") {
                    None | Some(Value::Null) => None,
                    Some(Value::Array(a)) if a.len() == 2 => Some([a[0].clone(), a[1].clone()]),
                    Some(_) => return Err("within: expected [from, to]".into()),
                };
                Rule::Count { event: text_field(o, "event")?, fields: where_field(o)?, within, min: min?, max: max? }
            }
            "gap" => Rule::Gap {
                from: select_field(o, "from")?,
                to: select_field(o, "to")?,
                min: value_field(o, "min")?,
                max: value_field(o, "max")?,
                all: o.get("all").and_then(Value::as_bool).unwrap_or(false),
            },
            "order" => Rule::Order { group: text_field(o, "group")?, by: text_field(o, "by")? },
            "duplicates" => Rule::Duplicates { group: text_field(o, "group")?, min: min?, max: max? },
            "lost" => Rule::Lost { min: min?, max: max? },
            "stuck" => Rule::Stuck { times: count_field(o, "times")?.unwrap_or(10), min: min?, max: max? },
            "latest" => {
                let Some(Value::Object(e)) = o.get("expect") else {
                    return Err("expect: expected an object of key: length".into());
                };
                let mut expect = BTreeMap::new();
                for (k, v) in e {
                    expect.insert(k.clone(), v.as_u64().ok_or_else(|| format!("expect.{k}: expected a whole number"))?);
                }
                Rule::Latest {
                    event: text_field(o, "event")?,
                    fields: where_field(o)?,
                    key: text_field(o, "key")?,
                    list: text_field(o, "list")?,
                    expect,
                }
            }
            _ => Rule::FinalOffset {
                group: text_field(o, "group")?,
                queue: text_field(o, "queue")?,
                min: min?,
                max: max?,
            },
        })
    }
}

/// The check vocabulary (`docs/challenge-format.md` describes each kind).
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// How many records of `event` match `where`, optionally only at virtual times within `within`.
    Count {
        event: String,
        fields: BTreeMap<String, Value>,
        within: Option<[Value; 2]>,
        min: Option<u64>,
        max: Option<u64>,
    },
    /// For some message (`all`: every message) matching `from`, the first `to` record of
    /// the same message after it comes between `min` and `max` later.
    Gap { from: Select, to: Select, min: Value, max: Value, all: bool },
    /// The group's first deliveries of the messages that share a value of `by`
    /// (for example each customer's tag) come in the order they were sent.
    Order { group: String, by: String },
    /// At least `min` (at most `max`) messages reached the group twice as fresh deliveries
    /// (same reconsume count): at-least-once made visible.
    Duplicates { group: String, min: Option<u64>, max: Option<u64> },
    /// Messages lost: sent oneway and never stored, or wiped by a power loss and never delivered.
    Lost { min: Option<u64>, max: Option<u64> },
    /// Stuck queues: queues where one message was suspended (orderly, retried in place)
    /// `times` times or more, so everything behind it waits.
    Stuck { times: u64, min: Option<u64>, max: Option<u64> },
    /// The latest record of `event` matching `where`, for each value of its field `key`, has a
    /// list field `list` of the expected length (the queues each consumer holds after a rebalance).
    Latest { event: String, fields: BTreeMap<String, Value>, key: String, list: String, expect: BTreeMap<String, u64> },
    /// The group's last committed offset of `queue` (from `offset_committed`).
    FinalOffset { group: String, queue: String, min: Option<u64>, max: Option<u64> },
}

/// A learner's solution: edits to the starting cluster and interventions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Solution {
    /// The challenge it is for (checked when given).
    pub challenge: Option<String>,
    /// Cluster builder edits: JSON pointers into the scenario with their new values.
    pub patches: Vec<Patch>,
    /// Actions at virtual times, in scenario syntax.
    pub actions: Vec<Value>,
}

/// One cluster edit.
#[derive(Clone, Debug, PartialEq)]
pub struct Patch {
    pub path: String,
    pub value: Value,
}

/// A recorded wrong attempt and the check it must fail.
#[derive(Clone, Debug, PartialEq)]
pub struct WrongAttempt {
    pub note: String,
    pub solution: Solution,
    pub fails: String,
}

/// A challenge document.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub format: String,
    pub name: String,
    /// The tutorial chapter it belongs to (a chapter id such as `retry`).
    pub chapter: String,
    pub title: Bilingual,
    pub goal: Bilingual,
    pub tools: Vec<Tool>,
    pub scenario: Value,
    pub checks: Vec<Check>,
    /// Whether chance timing could pass it: then hidden seeds run too.
    pub luck: bool,
    pub hints: Vec<Bilingual>,
    pub solution: Solution,
    pub wrong: Vec<WrongAttempt>,
}

/// Bad input: the field at fault and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for ChallengeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn err(field: impl Into<String>, message: impl Into<String>) -> ChallengeError {
    ChallengeError { field: field.into(), message: message.into() }
}

const CHAPTERS: [&str; 11] =
    ["setup", "concepts", "sync", "async", "oneway", "normal", "orderly", "delay", "transaction", "retry", "usage"];

/// Every event kind a check may select (the trace contract's and this engine's extras).
pub const EVENT_KINDS: &[&str] = &[
    "broker_expired",
    "broker_registered",
    "callback_lost",
    "consume_dropped",
    "consume_from",
    "consumed",
    "consumer_registered",
    "consumer_unregistered",
    "data_lost",
    "dead_lettered",
    "delay_scheduled",
    "delivered",
    "fault",
    "local_retry",
    "offset_committed",
    "offset_moved",
    "pull_refused",
    "queue_locked",
    "queue_suspended",
    "rebalance",
    "rebalance_triggered",
    "retry_resend",
    "retry_scheduled",
    "route_failed",
    "route_updated",
    "schedule_discarded",
    "send_attempt",
    "send_error",
    "send_failed",
    "send_rejected",
    "send_result",
    "send_skipped",
    "store_status",
    "stored",
    "subscription_changed",
    "subscriptions_differ",
    "topic_created",
    "txn_check",
    "txn_check_unanswered",
    "txn_discarded",
    "txn_end",
    "txn_local",
];

/// The fields whose values name nodes, groups or topics of the scenario.
const NAMED_FIELDS: [&str; 7] = ["consumer", "producer", "broker", "node", "group", "topic", "client"];

impl Challenge {
    /// Parses and validates a challenge document.
    pub fn from_json(text: &str) -> Result<Challenge, ChallengeError> {
        if text.len() > MAX_BYTES {
            return Err(err("file", format!("{} bytes is over the 1 MB limit for a challenge", text.len())));
        }
        let v: Value = serde_json::from_str(text).map_err(|e| err("challenge", format!("invalid JSON: {e}")))?;
        let c = Challenge::read(&v)?;
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), ChallengeError> {
        if self.format != FORMAT {
            return Err(err("format", format!("expected \"{FORMAT}\", found \"{}\"", self.format)));
        }
        if self.name.is_empty() || !self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(err("name", "use letters, digits and '-' only"));
        }
        if !CHAPTERS.contains(&self.chapter.as_str()) {
            return Err(err(
                "chapter",
                format!("unknown chapter \"{}\"; one of {}", self.chapter, CHAPTERS.join(", ")),
            ));
        }
        for (field, text) in [("title", &self.title), ("goal", &self.goal)] {
            bilingual(field, text)?;
        }
        for (i, h) in self.hints.iter().enumerate() {
            bilingual(&format!("hints[{i}]"), h)?;
        }
        if self.tools.is_empty() {
            return Err(err("tools", "name at least one tool the learner may use"));
        }
        if self.checks.is_empty() {
            return Err(err("checks", "a challenge needs at least one check"));
        }
        let sc = self.start()?;
        let names = scenario_names(&sc);
        let mut ids = SortedSet::new();
        for (i, c) in self.checks.iter().enumerate() {
            let at = format!("checks[{i}]");
            if c.id.is_empty() || !ids.insert(c.id.clone()) {
                return Err(err(format!("{at}.id"), format!("check ids must be present and unique (\"{}\")", c.id)));
            }
            bilingual(&format!("{at}.label"), &c.label)?;
            c.rule.validate(&at, &names)?;
        }
        self.build(&self.solution).map_err(|e| err(format!("solution.{}", e.field), e.message))?;
        for (i, w) in self.wrong.iter().enumerate() {
            if !ids.contains(&w.fails) {
                return Err(err(format!("wrong[{i}].fails"), format!("no check has the id \"{}\"", w.fails)));
            }
            self.build(&w.solution).map_err(|e| err(format!("wrong[{i}].solution.{}", e.field), e.message))?;
        }
        Ok(())
    }

    /// The starting scenario.
    pub fn start(&self) -> Result<Scenario, ChallengeError> {
        Scenario::from_json(&self.scenario.to_string()).map_err(|e| err(format!("scenario.{}", e.field), e.message))
    }

    /// The scenario the learner's solution makes of the starting one.
    pub fn build(&self, solution: &Solution) -> Result<Value, ChallengeError> {
        if let Some(name) = &solution.challenge {
            if *name != self.name {
                return Err(err("challenge", format!("this solution is for \"{name}\", not \"{}\"", self.name)));
            }
        }
        let mut sc = self.scenario.clone();
        for (i, p) in solution.patches.iter().enumerate() {
            let at = format!("patches[{i}]");
            if !self.tools.contains(&Tool::ClusterBuilder) {
                return Err(err(at, "this challenge does not allow the cluster builder"));
            }
            let editable = ["/cluster", "/topics", "/consumers", "/producers"].iter().any(|p2| p.path.starts_with(p2));
            if !editable {
                return Err(err(format!("{at}.path"), format!("\"{}\" is not part of the cluster", p.path)));
            }
            if let Some(slot) = sc.pointer_mut(&p.path) {
                *slot = p.value.clone();
                continue;
            }
            // A field the starting cluster leaves at its default: set it on its object.
            let (parent, key) = p.path.rsplit_once('/').unwrap_or(("", ""));
            match sc.pointer_mut(parent).and_then(Value::as_object_mut) {
                Some(obj) if !key.is_empty() => {
                    obj.insert(key.to_string(), p.value.clone());
                }
                _ => {
                    return Err(err(
                        format!("{at}.path"),
                        format!("\"{}\" names nothing in the starting cluster", p.path),
                    ))
                }
            }
        }
        let actions = sc.get_mut("actions").and_then(Value::as_array_mut);
        let mut list = actions.map(std::mem::take).unwrap_or_default();
        for (i, a) in solution.actions.iter().enumerate() {
            let kind = a.get("do").and_then(Value::as_str).unwrap_or("");
            let tool = if kind == "send" { Tool::SendForm } else { Tool::FaultPalette };
            if !self.tools.contains(&tool) {
                let name = if tool == Tool::SendForm { "the send form" } else { "the fault palette" };
                return Err(err(
                    format!("actions[{i}]"),
                    format!("\"{kind}\" needs {name}, which this challenge does not allow"),
                ));
            }
            list.push(a.clone());
        }
        sc["actions"] = Value::Array(list);
        Scenario::from_json(&sc.to_string()).map_err(|e| err(e.field, e.message))?;
        Ok(sc)
    }

    /// The hidden seeds of a luck-sensitive challenge (derived from its name, never shown).
    pub fn hidden_seeds(&self, seed: u64) -> Vec<u64> {
        let mut fnv = crate::hashing::Fnv64::default();
        fnv.write(self.name.as_bytes());
        let h = fnv.finish();
        (1..=HIDDEN_SEEDS as u64).map(|i| seed ^ h.rotate_left(i as u32 * 17) ^ i).collect()
    }

    /// Runs a solution (and the hidden seeds when the challenge asks) and judges it.
    pub fn judge(&self, solution: &Solution) -> Result<Verdict, ChallengeError> {
        let sc = self.build(solution)?;
        let (checks, records) = self.run_once(&sc)?;
        let mut verdict = Verdict { checks, hidden: Vec::new(), records };
        if self.luck {
            let seed = sc.get("seed").and_then(Value::as_u64).unwrap_or(1);
            for s in self.hidden_seeds(seed) {
                let mut other = sc.clone();
                other["seed"] = Value::from(s);
                let (checks, _) = self.run_once(&other)?;
                verdict.hidden.push(checks.iter().filter(|c| !c.pass).map(|c| c.id.clone()).collect());
            }
        }
        Ok(verdict)
    }

    fn run_once(&self, sc: &Value) -> Result<(Vec<Outcome>, Vec<Record>), ChallengeError> {
        let scenario = Scenario::from_json(&sc.to_string()).map_err(|e| err(e.field, e.message))?;
        let mut sim = Sim::new(scenario, TraceMode::Keep).map_err(|e| err(e.field, e.message))?;
        // The app judges on the page's thread: a run this long would freeze it for seconds.
        sim.set_max_events(JUDGE_MAX_EVENTS);
        sim.run();
        if sim.ended() == Some(crate::sim::EndReason::Budget) {
            return Err(err(
                "scenario",
                format!("the run needs more than {JUDGE_MAX_EVENTS} engine events to judge; shorten its until"),
            ));
        }
        let records = sim.drain_records();
        let outcomes = self.checks.iter().map(|c| c.evaluate(&records)).collect();
        Ok((outcomes, records))
    }
}

fn bilingual(field: &str, text: &Bilingual) -> Result<(), ChallengeError> {
    if text.zh.trim().is_empty() {
        return Err(err(format!("{field}.zh"), "the Chinese text is missing"));
    }
    if text.en.trim().is_empty() {
        return Err(err(format!("{field}.en"), "the English text is missing"));
    }
    Ok(())
}

/// Every name a check may refer to: nodes, groups (with their retry topics), topics.
fn scenario_names(sc: &Scenario) -> SortedSet<String> {
    let mut names = SortedSet::new();
    for i in 0..sc.cluster.nameservers {
        names.insert(format!("namesrv-{i}"));
    }
    for b in &sc.cluster.brokers {
        names.insert(b.name.clone());
    }
    for p in &sc.producers {
        names.insert(p.id.clone());
        names.insert(p.group.clone());
    }
    for c in &sc.consumers {
        names.insert(c.id.clone());
        names.insert(c.group.clone());
        names.insert(retry_topic(&c.group));
        for s in &c.subscribe {
            names.insert(s.topic.clone());
        }
    }
    for t in &sc.topics {
        names.insert(t.name.clone());
    }
    names
}

impl Rule {
    fn validate(&self, at: &str, names: &SortedSet<String>) -> Result<(), ChallengeError> {
        let named = |field: &str, value: &str| -> Result<(), ChallengeError> {
            if names.contains(value) {
                Ok(())
            } else {
                Err(err(format!("{at}.{field}"), format!("\"{value}\" is not a node, group or topic of the scenario")))
            }
        };
        let select = |s: &Select, at2: &str| -> Result<(), ChallengeError> {
            if !EVENT_KINDS.contains(&s.event.as_str()) {
                return Err(err(format!("{at}.{at2}event"), format!("unknown event kind \"{}\"", s.event)));
            }
            for (k, v) in s.fields.iter() {
                if NAMED_FIELDS.contains(&k.as_str()) {
                    named(&format!("{at2}where.{k}"), v.as_str().unwrap_or(""))?;
                }
            }
            Ok(())
        };
        let dur = |field: &str, v: &Value| -> Result<u64, ChallengeError> {
            duration(v).map_err(|m| err(format!("{at}.{field}"), m))
        };
        match self {
            Rule::Count { event, fields, within, min, max } => {
                select(&Select { event: event.clone(), fields: fields.clone() }, "")?;
                if let Some([a, b]) = within {
                    if dur("within[0]", a)? > dur("within[1]", b)? {
                        return Err(err(format!("{at}.within"), "the range ends before it starts"));
                    }
                }
                bounds(at, *min, *max)
            }
            Rule::Gap { from, to, min, max, .. } => {
                select(from, "from.")?;
                select(to, "to.")?;
                if dur("min", min)? > dur("max", max)? {
                    return Err(err(format!("{at}.max"), "max is below min"));
                }
                Ok(())
            }
            Rule::Order { group, by } => {
                named("group", group)?;
                if by.is_empty() {
                    return Err(err(format!("{at}.by"), "name the field that groups the messages (e.g. tags)"));
                }
                Ok(())
            }
            Rule::Duplicates { group, min, max } => {
                named("group", group)?;
                bounds(at, *min, *max)
            }
            Rule::Lost { min, max } | Rule::Stuck { min, max, .. } => bounds(at, *min, *max),
            Rule::Latest { event, fields, expect, .. } => {
                select(&Select { event: event.clone(), fields: fields.clone() }, "")?;
                for k in expect.keys() {
                    named(&format!("expect.{k}"), k)?;
                }
                Ok(())
            }
            Rule::FinalOffset { group, queue, min, max } => {
                named("group", group)?;
                let broker = queue.split(':').next().unwrap_or("");
                named("queue", broker)?;
                bounds(at, *min, *max)
            }
        }
    }
}

fn bounds(at: &str, min: Option<u64>, max: Option<u64>) -> Result<(), ChallengeError> {
    match (min, max) {
        (None, None) => Err(err(at, "give min, max or both")),
        (Some(a), Some(b)) if a > b => Err(err(format!("{at}.max"), "max is below min")),
        _ => Ok(()),
    }
}

/// A duration written as "30s" or a number of milliseconds.
fn duration(v: &Value) -> Result<u64, String> {
    match v {
        Value::Number(n) => n.as_u64().ok_or_else(|| "expected a non-negative duration".to_string()),
        Value::String(s) => parse_duration(s),
        _ => Err("expected a duration such as \"30s\" or milliseconds".into()),
    }
}

/// One check's result on one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub id: String,
    pub pass: bool,
    /// What the check found, in English (the CLI prints it; the app builds its own text).
    pub detail: String,
    /// The record that broke the check (or showed it met): index into the run's records.
    pub record: Option<usize>,
    /// The message concerned, when there is one.
    pub msg: Option<u64>,
}

/// A solution's result: the visible run's checks, and which checks each hidden run failed.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub checks: Vec<Outcome>,
    pub hidden: Vec<Vec<String>>,
    pub records: Vec<Record>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.pass) && self.hidden.iter().all(Vec::is_empty)
    }
}

fn val_eq(v: &Val, want: &Value) -> bool {
    match (v, want) {
        (Val::S(s), Value::String(w)) => **s == *w,
        (Val::U(u), Value::Number(n)) => n.as_u64() == Some(*u),
        (Val::I(i), Value::Number(n)) => n.as_i64() == Some(*i),
        (Val::B(b), Value::Bool(w)) => b == w,
        (_, Value::String(w)) => val_text(v) == *w,
        _ => false,
    }
}

/// A field value as plain text.
fn val_text(v: &Val) -> String {
    match v {
        Val::U(u) => u.to_string(),
        Val::I(i) => i.to_string(),
        Val::S(s) => s.to_string(),
        Val::B(b) => b.to_string(),
        Val::List(l) => l.join(","),
        Val::Null => String::new(),
    }
}

/// Each message's tag, from its sends.
fn tags_of(records: &[Record]) -> SortedMap<u64, String> {
    let mut out = SortedMap::new();
    for r in records.iter().filter(|r| r.event == "send_attempt") {
        if let Some(m) = r.u("msg") {
            out.insert(m, r.str("tags").unwrap_or("").to_string());
        }
    }
    out
}

fn matches(r: &Record, s: &Select, tags: &SortedMap<u64, String>) -> bool {
    r.event == s.event
        && s.fields.iter().all(|(k, want)| match r.get(k) {
            Some(v) => val_eq(v, want),
            None if k == "tags" => {
                r.u("msg").and_then(|m| tags.get(&m)).is_some_and(|t| Some(t.as_str()) == want.as_str())
            }
            None => false,
        })
}

fn in_bounds(n: u64, min: Option<u64>, max: Option<u64>) -> bool {
    min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
}

fn bounds_text(min: Option<u64>, max: Option<u64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any number".into(),
    }
}

impl Check {
    /// Judges this check over a finished run's records.
    pub fn evaluate(&self, records: &[Record]) -> Outcome {
        let tags = tags_of(records);
        let mut out = Outcome { id: self.id.clone(), pass: false, detail: String::new(), record: None, msg: None };
        match &self.rule {
            Rule::Count { event, fields, within, min, max } => {
                let select = &Select { event: event.clone(), fields: fields.clone() };
                let range = within.as_ref().map(|[a, b]| (duration(a).unwrap_or(0), duration(b).unwrap_or(u64::MAX)));
                let hits: Vec<usize> = (0..records.len())
                    .filter(|&i| matches(&records[i], select, &tags))
                    .filter(|&i| range.is_none_or(|(a, b)| (a..=b).contains(&records[i].t)))
                    .collect();
                let n = hits.len() as u64;
                out.pass = in_bounds(n, *min, *max);
                out.detail = format!("{n} `{}` record(s), wanted {}", select.event, bounds_text(*min, *max));
                // The record that broke a maximum, else the first one seen.
                let pick = match max {
                    Some(m) if n > *m => hits.get(*m as usize),
                    _ => hits.first(),
                };
                out.record = pick.copied();
                out.msg = pick.and_then(|i| records[*i].u("msg"));
            }
            Rule::Gap { from, to, min, max, all } => {
                let (lo, hi) = (duration(min).unwrap_or(0), duration(max).unwrap_or(u64::MAX));
                let mut seen: SortedSet<u64> = SortedSet::new();
                let mut any_ok = None;
                let mut first_bad = None;
                for (i, r) in records.iter().enumerate() {
                    if !matches(r, from, &tags) {
                        continue;
                    }
                    let Some(m) = r.u("msg") else { continue };
                    if !seen.insert(m) {
                        continue;
                    }
                    let later = records[i..].iter().position(|x| x.u("msg") == Some(m) && matches(x, to, &tags));
                    let gap = later.map(|j| records[i + j].t - r.t);
                    let ok = gap.is_some_and(|g| (lo..=hi).contains(&g));
                    let at = later.map_or(i, |j| i + j);
                    if ok && any_ok.is_none() {
                        any_ok = Some((at, m, gap.unwrap_or(0)));
                    }
                    if !ok && first_bad.is_none() {
                        first_bad = Some((at, m, gap));
                    }
                }
                let want = format!("{} to {}", format_ms(lo), format_ms(hi));
                let bad = |(at, m, gap): (usize, u64, Option<u64>)| {
                    let what =
                        gap.map_or(format!("no `{}` followed", to.event), |g| format!("came {} later", format_ms(g)));
                    (at, m, format!("msg {m}: `{}` {what}; wanted {want}", to.event))
                };
                if *all {
                    out.pass = first_bad.is_none() && !seen.is_empty();
                    if let Some(b) = first_bad {
                        let (at, m, d) = bad(b);
                        (out.record, out.msg, out.detail) = (Some(at), Some(m), d);
                    } else {
                        out.detail = format!("{} message(s), each within {want}", seen.len());
                    }
                } else if let Some((at, m, g)) = any_ok {
                    out.pass = true;
                    (out.record, out.msg) = (Some(at), Some(m));
                    out.detail = format!("msg {m}: `{}` {} after `{}`", to.event, format_ms(g), from.event);
                } else if let Some(b) = first_bad {
                    let (at, m, d) = bad(b);
                    (out.record, out.msg, out.detail) = (Some(at), Some(m), d);
                } else {
                    out.detail = format!("no `{}` record matched", from.event);
                }
            }
            Rule::Order { group, by } => {
                let key_of = |m: u64| -> String {
                    if by == "tags" {
                        tags.get(&m).cloned().unwrap_or_default()
                    } else {
                        records
                            .iter()
                            .find(|r| r.event == "send_attempt" && r.u("msg") == Some(m))
                            .and_then(|r| r.get(by))
                            .map(val_text)
                            .unwrap_or_default()
                    }
                };
                let mut last: SortedMap<String, u64> = SortedMap::new();
                let mut firsts: SortedSet<u64> = SortedSet::new();
                let mut delivered = 0;
                out.pass = true;
                for (i, r) in records.iter().enumerate() {
                    if r.event != "delivered" || r.str("group") != Some(group.as_str()) {
                        continue;
                    }
                    let Some(m) = r.u("msg") else { continue };
                    if !firsts.insert(m) {
                        continue;
                    }
                    delivered += 1;
                    let k = key_of(m);
                    if let Some(prev) = last.get(&k) {
                        if m < *prev {
                            out.pass = false;
                            (out.record, out.msg) = (Some(i), Some(m));
                            out.detail =
                                format!("group {group}: msg {m} ({by} {k}) was consumed after msg {prev}, sent later");
                            break;
                        }
                    }
                    last.insert(k, m);
                }
                if out.pass {
                    out.pass = delivered > 0;
                    out.detail = format!("group {group}: {delivered} message(s), in send order for each {by} value");
                }
            }
            Rule::Duplicates { group, min, max } => {
                let mut seen: SortedMap<(u64, u64), usize> = SortedMap::new();
                let mut dups = Vec::new();
                for (i, r) in records.iter().enumerate() {
                    if r.event != "delivered" || r.str("group") != Some(group.as_str()) {
                        continue;
                    }
                    let (Some(m), Some(rt)) = (r.u("msg"), r.u("reconsume_times")) else { continue };
                    if seen.get(&(m, rt)).is_some() {
                        dups.push((i, m));
                    } else {
                        seen.insert((m, rt), i);
                    }
                }
                let n = dups.iter().map(|d| d.1).collect::<SortedSet<u64>>().len() as u64;
                out.pass = in_bounds(n, *min, *max);
                out.detail =
                    format!("group {group}: {n} message(s) delivered twice afresh, wanted {}", bounds_text(*min, *max));
                if let Some((i, m)) = dups.first() {
                    (out.record, out.msg) = (Some(*i), Some(*m));
                }
            }
            Rule::Lost { min, max } => {
                let mut lost: Vec<(usize, u64)> = Vec::new();
                let stored: SortedSet<u64> =
                    records.iter().filter(|r| r.event == "stored").filter_map(|r| r.u("msg")).collect();
                let delivered: SortedSet<u64> =
                    records.iter().filter(|r| r.event == "delivered").filter_map(|r| r.u("msg")).collect();
                let mut attempted = SortedSet::new();
                for (i, r) in records.iter().enumerate() {
                    if r.event == "send_attempt" && r.str("mode") == Some("oneway") {
                        if let Some(m) = r.u("msg") {
                            if attempted.insert(m) && !stored.contains(&m) {
                                lost.push((i, m));
                            }
                        }
                    }
                }
                for (m, idx) in crate::liveness::messages_lost_in_crashes(records) {
                    if !delivered.contains(&m) && !lost.iter().any(|l| l.1 == m) {
                        lost.push((idx, m));
                    }
                }
                let n = lost.len() as u64;
                out.pass = in_bounds(n, *min, *max);
                out.detail = format!("{n} message(s) lost, wanted {}", bounds_text(*min, *max));
                if let Some((i, m)) = lost.first() {
                    (out.record, out.msg) = (Some(*i), Some(*m));
                }
            }
            Rule::Stuck { times, min, max } => {
                let mut per: SortedMap<(String, u64), (u64, usize)> = SortedMap::new();
                for (i, r) in records.iter().enumerate().filter(|(_, r)| r.event == "queue_suspended") {
                    let (Some(q), Some(m)) = (r.str("queue"), r.u("msg")) else { continue };
                    let slot = per.or_default((q.to_string(), m));
                    slot.0 += 1;
                    if slot.0 == *times {
                        slot.1 = i;
                    }
                }
                let stuck: Vec<(&(String, u64), &(u64, usize))> = per.iter().filter(|(_, v)| v.0 >= *times).collect();
                let n = stuck.iter().map(|(k, _)| k.0.clone()).collect::<SortedSet<String>>().len() as u64;
                out.pass = in_bounds(n, *min, *max);
                out.detail = format!(
                    "{n} queue(s) stuck behind a message suspended {times}+ times, wanted {}",
                    bounds_text(*min, *max)
                );
                if let Some(((_, m), (_, i))) = stuck.first() {
                    (out.record, out.msg) = (Some(*i), Some(*m));
                }
            }
            Rule::Latest { event, fields, key, list, expect } => {
                let select = &Select { event: event.clone(), fields: fields.clone() };
                let mut latest: SortedMap<String, (usize, u64)> = SortedMap::new();
                for (i, r) in records.iter().enumerate().filter(|(_, r)| matches(r, select, &tags)) {
                    let (Some(k), Some(Val::List(items))) = (r.str(key), r.get(list)) else { continue };
                    latest.insert(k.to_string(), (i, items.len() as u64));
                }
                out.pass = true;
                let mut parts = Vec::new();
                for (k, want) in expect.iter() {
                    let got = latest.get(k).map(|x| x.1);
                    parts.push(format!("{k}: {} (wanted {want})", got.map_or("none".into(), |g| g.to_string())));
                    if got != Some(*want) && out.pass {
                        out.pass = false;
                        out.record = latest.get(k).map(|x| x.0);
                    }
                }
                out.detail = format!("latest `{}` {list}: {}", select.event, parts.join(", "));
            }
            Rule::FinalOffset { group, queue, min, max } => {
                let last = records.iter().enumerate().rev().find(|(_, r)| {
                    r.event == "offset_committed"
                        && r.str("group") == Some(group.as_str())
                        && r.str("queue") == Some(queue.as_str())
                });
                let got = last.and_then(|(_, r)| r.u("offset"));
                out.pass = got.is_some_and(|o| in_bounds(o, *min, *max));
                out.record = last.map(|(i, _)| i);
                out.detail = format!(
                    "group {group} {queue}: last committed offset {}, wanted {}",
                    got.map_or("none".into(), |o| o.to_string()),
                    bounds_text(*min, *max)
                );
            }
        }
        out
    }
}

/// The built-in challenges' names, in the order the list shows them.
pub const BUILT_IN_NAMES: &[&str] = &[
    "expire-a-live-broker",
    "third-gets-two",
    "flush-slave-timeout",
    "retry-on-another-broker",
    "flush-disk-timeout",
    "ack-then-lose",
    "keep-async-callbacks",
    "silent-oneway-loss",
    "never-tag-b",
    "duplicate-after-crash",
    "broadcast-and-cluster",
    "orders-survive-broker-death",
    "poison-one-queue",
    "arrive-after-30s",
    "checkback-commits",
    "into-the-dlq",
    "second-delivery",
];

/// The built-in challenges, as shipped JSON documents.
#[cfg(feature = "builtin-challenges")]
pub const BUILT_IN: &[(&str, &str)] = &[
    ("expire-a-live-broker", include_str!("../challenges/expire-a-live-broker.json")),
    ("third-gets-two", include_str!("../challenges/third-gets-two.json")),
    ("flush-slave-timeout", include_str!("../challenges/flush-slave-timeout.json")),
    ("retry-on-another-broker", include_str!("../challenges/retry-on-another-broker.json")),
    ("flush-disk-timeout", include_str!("../challenges/flush-disk-timeout.json")),
    ("ack-then-lose", include_str!("../challenges/ack-then-lose.json")),
    ("keep-async-callbacks", include_str!("../challenges/keep-async-callbacks.json")),
    ("silent-oneway-loss", include_str!("../challenges/silent-oneway-loss.json")),
    ("never-tag-b", include_str!("../challenges/never-tag-b.json")),
    ("duplicate-after-crash", include_str!("../challenges/duplicate-after-crash.json")),
    ("broadcast-and-cluster", include_str!("../challenges/broadcast-and-cluster.json")),
    ("orders-survive-broker-death", include_str!("../challenges/orders-survive-broker-death.json")),
    ("poison-one-queue", include_str!("../challenges/poison-one-queue.json")),
    ("arrive-after-30s", include_str!("../challenges/arrive-after-30s.json")),
    ("checkback-commits", include_str!("../challenges/checkback-commits.json")),
    ("into-the-dlq", include_str!("../challenges/into-the-dlq.json")),
    ("second-delivery", include_str!("../challenges/second-delivery.json")),
];

/// Every built-in challenge, parsed (a broken built-in is a bug: it panics with its name).
#[cfg(feature = "builtin-challenges")]
pub fn all() -> Vec<Challenge> {
    BUILT_IN
        .iter()
        .map(|(name, text)| Challenge::from_json(text).unwrap_or_else(|e| panic!("built-in challenge {name}: {e}")))
        .collect()
}

/// A built-in challenge by name.
#[cfg(feature = "builtin-challenges")]
pub fn find(name: &str) -> Option<Challenge> {
    BUILT_IN.iter().find(|(n, _)| *n == name).and_then(|(_, text)| Challenge::from_json(text).ok())
}

/// Parses a solution document.
pub fn solution_from_json(text: &str) -> Result<Solution, ChallengeError> {
    if text.len() > MAX_BYTES {
        return Err(err("file", format!("{} bytes is over the 1 MB limit for a solution", text.len())));
    }
    let v: Value = serde_json::from_str(text).map_err(|e| err("solution", format!("invalid JSON: {e}")))?;
    Solution::read(&v, "solution")
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Obj, ChallengeError> {
    v.as_object().ok_or_else(|| err(at, "expected an object"))
}

/// Refuses fields other than `known`.
fn only(o: &Obj, at: &str, known: &[&str]) -> Result<(), ChallengeError> {
    match o.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(err(at, format!("unknown field `{k}`, expected one of {}", known.join(", ")))),
        None => Ok(()),
    }
}

fn list<'a>(o: &'a Obj, k: &str, at: &str) -> Result<&'a [Value], ChallengeError> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(err(format!("{at}{k}"), "expected a list")),
    }
}

fn sub(at: &str, k: &str) -> String {
    if at.is_empty() {
        k.to_string()
    } else {
        format!("{at}.{k}")
    }
}

impl Bilingual {
    fn read(v: Option<&Value>, at: &str) -> Result<Bilingual, ChallengeError> {
        let Some(v) = v else { return Err(err(at, "missing (give zh and en)")) };
        let o = object(v, at)?;
        only(o, at, &["zh", "en"])?;
        let text = |k: &str| match o.get(k) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(err(format!("{at}.{k}"), "expected a string")),
            None => Err(err(
                format!("{at}.{k}"),
                if k == "zh" { "the Chinese text is missing" } else { "the English text is missing" },
            )),
        };
        Ok(Bilingual { zh: text("zh")?, en: text("en")? })
    }
}

impl Tool {
    fn read(v: &Value, at: &str) -> Result<Tool, ChallengeError> {
        match v.as_str() {
            Some("send_form") => Ok(Tool::SendForm),
            Some("fault_palette") => Ok(Tool::FaultPalette),
            Some("cluster_builder") => Ok(Tool::ClusterBuilder),
            Some("code_lab") => Ok(Tool::CodeLab),
            _ => Err(err(at, format!("unknown tool {v}; one of send_form, fault_palette, cluster_builder, code_lab"))),
        }
    }
}

impl Solution {
    fn read(v: &Value, at: &str) -> Result<Solution, ChallengeError> {
        let o = object(v, at)?;
        only(o, at, &["challenge", "patches", "actions"])?;
        let challenge = match o.get("challenge") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(err(sub(at, "challenge"), "expected a string")),
        };
        let mut patches = Vec::new();
        for (i, p) in list(o, "patches", &format!("{at}."))?.iter().enumerate() {
            let pat = format!("{at}.patches[{i}]");
            let po = object(p, &pat)?;
            only(po, &pat, &["path", "value"])?;
            let path = text_field(po, "path").map_err(|m| err(&pat, m))?;
            let value = po.get("value").cloned().ok_or_else(|| err(&pat, "missing field `value`"))?;
            patches.push(Patch { path, value });
        }
        let actions = list(o, "actions", &format!("{at}."))?.to_vec();
        Ok(Solution { challenge, patches, actions })
    }
}

impl Challenge {
    fn read(v: &Value) -> Result<Challenge, ChallengeError> {
        let o = object(v, "challenge")?;
        only(
            o,
            "challenge",
            &[
                "format", "name", "chapter", "title", "goal", "tools", "scenario", "checks", "luck", "hints",
                "solution", "wrong",
            ],
        )?;
        let text = |k: &str| text_field(o, k).map_err(|m| err(k, m));
        let tools = list(o, "tools", "")?
            .iter()
            .enumerate()
            .map(|(i, t)| Tool::read(t, &format!("tools[{i}]")))
            .collect::<Result<_, _>>()?;
        let checks = list(o, "checks", "")?
            .iter()
            .enumerate()
            .map(|(i, c)| Check::read(c, &format!("checks[{i}]")))
            .collect::<Result<_, _>>()?;
        let hints = list(o, "hints", "")?
            .iter()
            .enumerate()
            .map(|(i, h)| Bilingual::read(Some(h), &format!("hints[{i}]")))
            .collect::<Result<_, _>>()?;
        let mut wrong = Vec::new();
        for (i, w) in list(o, "wrong", "")?.iter().enumerate() {
            let at = format!("wrong[{i}]");
            let wo = object(w, &at)?;
            only(wo, &at, &["note", "solution", "fails"])?;
            wrong.push(WrongAttempt {
                note: text_field(wo, "note").map_err(|m| err(&at, m))?,
                solution: Solution::read(wo.get("solution").unwrap_or(&Value::Null), &format!("{at}.solution"))?,
                fails: text_field(wo, "fails").map_err(|m| err(&at, m))?,
            });
        }
        let luck = match o.get("luck") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(err("luck", "expected true or false")),
        };
        Ok(Challenge {
            format: text("format")?,
            name: text("name")?,
            chapter: text("chapter")?,
            title: Bilingual::read(o.get("title"), "title")?,
            goal: Bilingual::read(o.get("goal"), "goal")?,
            tools,
            scenario: o.get("scenario").cloned().ok_or_else(|| err("scenario", "missing (the starting scenario)"))?,
            checks,
            luck,
            hints,
            solution: Solution::read(
                o.get("solution").ok_or_else(|| err("solution", "missing (the reference solution)"))?,
                "solution",
            )?,
            wrong,
        })
    }
}

impl Challenge {
    /// The solution a learner's run amounts to: the sections of the cluster the run
    /// changed (cluster builder) as patches, and every intervention as an action.
    pub fn solution_from_run(&self, running: &Scenario, interventions: &[crate::scenario::Action]) -> Solution {
        // Through text: the app already writes scenarios as JSON text and reads values from it.
        let as_value = |s: &Scenario| serde_json::from_str::<Value>(&serde_json::to_string(s).unwrap_or_default());
        let start = self.start().ok().and_then(|s| as_value(&s).ok()).unwrap_or(Value::Null);
        let now = as_value(running).unwrap_or(Value::Null);
        let patches = ["cluster", "topics", "producers", "consumers"]
            .iter()
            .filter(|k| start.get(**k) != now.get(**k))
            .filter_map(|k| now.get(*k).map(|v| Patch { path: format!("/{k}"), value: v.clone() }))
            .collect();
        let actions = interventions
            .iter()
            .filter_map(|a| serde_json::from_str::<Value>(&serde_json::to_string(a).ok()?).ok())
            .collect();
        Solution { challenge: Some(self.name.clone()), patches, actions }
    }

    /// This challenge as a link token (URL-safe base64 of its document).
    pub fn link_token(text: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    /// A challenge from a link token; errors name what is wrong.
    pub fn from_link_token(token: &str) -> Result<Challenge, ChallengeError> {
        Challenge::from_json(&Challenge::link_text(token)?)
    }

    /// The document a link token carries.
    pub fn link_text(token: &str) -> Result<String, ChallengeError> {
        use base64::Engine;
        if token.len() > MAX_BYTES * 4 / 3 + 4 {
            return Err(err("link", "the challenge in this link is over the 1 MB limit"));
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|_| err("link", "the challenge in this link is damaged (not URL-safe base64)"))?;
        String::from_utf8(bytes).map_err(|_| err("link", "the challenge in this link is not text"))
    }
}
