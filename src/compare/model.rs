//! The A/B comparison's pure half: which settings of a scenario can be
//! changed ([`Knob`]), the scenario with one changed ([`apply`]), a headless
//! run of each ([`run`], the real engine with `TraceMode::Keep`), the key
//! outcomes of a trace lined up for two columns ([`Outcome`], [`rows`]) and
//! the **first divergence**: the first trace record where the runs differ,
//! compared by time, event and fields (the `why` text aside), never by hash.
//!
//! Everything here is deterministic and wall-clock-free, so it is tested
//! natively; `view.rs` only draws it.

use crate::order::SortedMap;

use rmqsim::conf::BrokerRole;
use rmqsim::scenario::{Action, ListenerKind};
use rmqsim::{Flavor, Record, Scenario, ScenarioError, Sim, TraceMode, Val};

/// Most engine events one side of a comparison may process (both sides get
/// the same cap, so a capped comparison is still like for like).
pub const COMPARE_EVENT_BUDGET: u64 = 3_000_000;

/// A setting the comparison can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Knob {
    /// The client flavor (`python-cpp` / `java4`).
    Flavor,
    /// Every consumer's listener (concurrent / orderly).
    Listener,
    /// The delay level of the `n`-th action (a send).
    DelayLevel { action: usize },
    /// The role of the `n`-th broker (SYNC_MASTER / ASYNC_MASTER).
    Role { broker: usize },
}

/// A value of a [`Knob`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    Flavor(Flavor),
    Listener(ListenerKind),
    DelayLevel(i64),
    Role(BrokerRole),
}

impl Setting {
    /// The value as RocketMQ (or the scenario format) writes it.
    pub fn label(&self) -> String {
        match self {
            Setting::Flavor(f) => f.name().to_string(),
            Setting::Listener(ListenerKind::Concurrently) => "CONCURRENTLY".into(),
            Setting::Listener(ListenerKind::Orderly) => "ORDERLY".into(),
            Setting::DelayLevel(0) => "0".into(),
            Setting::DelayLevel(n) => n.to_string(),
            Setting::Role(r) => r.name().to_string(),
        }
    }
}

/// The knobs `sc` offers: the flavor always; the listener when it has
/// consumers; the delay level of each send; the role of each broker.
pub fn knobs(sc: &Scenario) -> Vec<Knob> {
    let mut out = vec![Knob::Flavor];
    if !sc.consumers.is_empty() {
        out.push(Knob::Listener);
    }
    for (i, a) in sc.actions.iter().enumerate() {
        if matches!(a, Action::Send(_)) {
            out.push(Knob::DelayLevel { action: i });
        }
    }
    out.extend((0..sc.cluster.brokers.len()).map(|broker| Knob::Role { broker }));
    out
}

/// The knob's value in `sc` (side A). `None` when `sc` lacks it.
pub fn current(sc: &Scenario, knob: Knob) -> Option<Setting> {
    Some(match knob {
        Knob::Flavor => Setting::Flavor(sc.client),
        Knob::Listener => Setting::Listener(sc.consumers.first()?.listener),
        Knob::DelayLevel { action } => match sc.actions.get(action)? {
            Action::Send(s) => Setting::DelayLevel(s.delay_level),
            _ => return None,
        },
        Knob::Role { broker } => {
            sc.cluster.brokers.get(broker)?;
            Setting::Role(sc.broker_conf(broker).ok()?.broker_role)
        }
    })
}

/// The values side B may take: every value of the knob except A's.
pub fn alternatives(sc: &Scenario, knob: Knob) -> Vec<Setting> {
    let Some(a) = current(sc, knob) else { return Vec::new() };
    let all: Vec<Setting> = match knob {
        Knob::Flavor => vec![Setting::Flavor(Flavor::PythonCpp), Setting::Flavor(Flavor::Java4)],
        Knob::Listener => vec![Setting::Listener(ListenerKind::Concurrently), Setting::Listener(ListenerKind::Orderly)],
        Knob::DelayLevel { .. } => {
            let levels = sc.broker_conf(0).map(|c| c.max_delay_level()).unwrap_or(18);
            (0..=i64::from(levels)).map(Setting::DelayLevel).collect()
        }
        Knob::Role { .. } => vec![Setting::Role(BrokerRole::SyncMaster), Setting::Role(BrokerRole::AsyncMaster)],
    };
    all.into_iter().filter(|s| *s != a).collect()
}

/// A sensible B for a knob: the other flavor, listener or role; for a delay
/// level, the next level (level 1 when there was none).
pub fn default_alternative(sc: &Scenario, knob: Knob) -> Option<Setting> {
    let options = alternatives(sc, knob);
    match current(sc, knob)? {
        Setting::DelayLevel(n) => options.iter().copied().find(|s| *s == Setting::DelayLevel(n + 1)),
        _ => None,
    }
    .or_else(|| options.first().copied())
}

/// `sc` with `knob` set to `value`, validated again as a loaded file would be.
pub fn apply(sc: &Scenario, knob: Knob, value: Setting) -> Result<Scenario, ScenarioError> {
    let mut next = sc.clone();
    match (knob, value) {
        (Knob::Flavor, Setting::Flavor(f)) => next.client = f,
        (Knob::Listener, Setting::Listener(l)) => next.consumers.iter_mut().for_each(|c| c.listener = l),
        (Knob::DelayLevel { action }, Setting::DelayLevel(level)) => match next.actions.get_mut(action) {
            Some(Action::Send(s)) => s.delay_level = level,
            _ => return Err(ScenarioError::new(format!("actions[{action}]"), "is not a send")),
        },
        (Knob::Role { broker }, Setting::Role(role)) => match next.cluster.brokers.get_mut(broker) {
            Some(b) => b.role = Some(role.name().to_string()),
            None => return Err(ScenarioError::new(format!("cluster.brokers[{broker}]"), "no such broker")),
        },
        _ => return Err(ScenarioError::new("", "the value does not fit the setting")),
    }
    let json = rmqsim::share::scenario_json(&next).map_err(|e| ScenarioError::new("", e.to_string()))?;
    Scenario::from_json(&json)
}

/// One side's run, to its end (or the event budget).
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Every trace record, without the closing `end` line.
    pub records: Vec<Record>,
    /// The trace hash (FNV-1a over the JSON lines), as the headless runner prints it.
    pub hash: String,
    pub end_ms: u64,
    /// `until`, `budget` or `idle`.
    pub reason: &'static str,
    pub events: u64,
}

/// Runs `sc` headlessly with the trace kept, at most [`COMPARE_EVENT_BUDGET`] events.
pub fn run(mut sc: Scenario) -> Result<RunResult, ScenarioError> {
    sc.max_events = Some(sc.max_events.map_or(COMPARE_EVENT_BUDGET, |m| m.min(COMPARE_EVENT_BUDGET)));
    let mut sim = Sim::new(sc, TraceMode::Keep)?;
    while sim.step() {}
    let records = sim.core.trace.drain();
    let out = sim.finish();
    Ok(RunResult { records, hash: out.hash, end_ms: out.end_ms, reason: out.reason.name(), events: out.events })
}

/// How one message's send ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendLine {
    /// `SEND_OK`, another SendStatus, `FAILED`, `CALLBACK_LOST`, or `NO_RESULT` (oneway, or still waiting).
    pub status: String,
    pub attempts: u64,
    /// When the result (or failure) arrived; the last attempt's time if none did.
    pub at_ms: u64,
}

/// The key outcomes of one trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Sends by message number.
    pub sends: SortedMap<u64, SendLine>,
    pub deliveries: u64,
    pub first_delivery_ms: Option<u64>,
    pub last_delivery_ms: Option<u64>,
    pub consumed_ok: u64,
    pub retries: u64,
    pub dead_lettered: u64,
}

impl Outcome {
    /// Reads the outcomes off a trace.
    pub fn of(records: &[Record]) -> Outcome {
        let mut o = Outcome::default();
        for r in records {
            let msg = r.u("msg");
            match (r.event, msg) {
                ("send_attempt", Some(m)) => {
                    let line =
                        o.sends.or_insert_with(m, || SendLine { status: "NO_RESULT".into(), attempts: 0, at_ms: r.t });
                    line.attempts += 1;
                    if line.status == "NO_RESULT" {
                        line.at_ms = r.t;
                    }
                }
                ("send_result", Some(m)) => {
                    let line =
                        o.sends.or_insert_with(m, || SendLine { status: String::new(), attempts: 0, at_ms: r.t });
                    line.status = r.str("status").unwrap_or("?").to_string();
                    line.at_ms = r.t;
                    if let Some(n) = r.u("attempts") {
                        line.attempts = n;
                    }
                }
                ("send_failed" | "callback_lost", Some(m)) => {
                    let line =
                        o.sends.or_insert_with(m, || SendLine { status: String::new(), attempts: 0, at_ms: r.t });
                    line.status = if r.event == "send_failed" { "FAILED" } else { "CALLBACK_LOST" }.into();
                    line.at_ms = r.t;
                }
                ("delivered", _) => {
                    o.deliveries += 1;
                    o.first_delivery_ms.get_or_insert(r.t);
                    o.last_delivery_ms = Some(r.t);
                }
                ("consumed", _) if r.str("result") == Some("CONSUME_SUCCESS") => o.consumed_ok += 1,
                ("retry_scheduled", _) => o.retries += 1,
                ("dead_lettered", _) => o.dead_lettered += 1,
                _ => {}
            }
        }
        o
    }

    /// How many sends ended with SEND_OK.
    pub fn send_ok(&self) -> usize {
        self.sends.values().filter(|s| s.status == "SEND_OK").count()
    }
}

/// One field that differs between two records (`t` and `event` included);
/// `None` where the record lacks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    pub name: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// Where two traces first part.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// Index of the first differing record (= the number of identical records before it).
    pub index: usize,
    pub a: Option<Record>,
    pub b: Option<Record>,
    /// The differing fields (for two records); empty when one trace ended.
    pub fields: Vec<FieldDiff>,
    /// Records left on each side from `index` on.
    pub left_a: usize,
    pub left_b: usize,
}

impl Divergence {
    /// The virtual time of the divergence (the earlier of the two records).
    pub fn t(&self) -> u64 {
        match (&self.a, &self.b) {
            (Some(a), Some(b)) => a.t.min(b.t),
            (Some(r), None) | (None, Some(r)) => r.t,
            (None, None) => 0,
        }
    }
}

/// A field's value as text (lists joined with commas).
pub fn show(v: &Val) -> String {
    match v {
        Val::U(x) => x.to_string(),
        Val::I(x) => x.to_string(),
        Val::S(s) => s.to_string(),
        Val::B(b) => b.to_string(),
        Val::List(items) => items.iter().map(|s| &**s).collect::<Vec<_>>().join(", "),
        Val::Null => "null".into(),
    }
}

/// The engine's explanation, compared separately: two runs that make the
/// same decision in the same words would have the same `why` anyway, and a
/// wording difference alone is not a different run.
const WHY: &str = "why";

/// The fields in which `a` and `b` differ (time and event first, then each
/// field in `a`'s order, then those only `b` has). Empty when the records
/// are the same run step.
pub fn differing_fields(a: &Record, b: &Record) -> Vec<FieldDiff> {
    let mut out = Vec::new();
    if a.t != b.t {
        out.push(FieldDiff { name: "t".into(), a: Some(a.t.to_string()), b: Some(b.t.to_string()) });
    }
    if a.event != b.event {
        out.push(FieldDiff { name: "event".into(), a: Some(a.event.into()), b: Some(b.event.into()) });
    }
    for (k, v) in a.fields.iter().filter(|(k, _)| *k != WHY) {
        let other = b.get(k);
        if other != Some(v) {
            out.push(FieldDiff { name: k.to_string(), a: Some(show(v)), b: other.map(show) });
        }
    }
    for (k, v) in b.fields.iter().filter(|(k, _)| *k != WHY) {
        if a.get(k).is_none() {
            out.push(FieldDiff { name: k.to_string(), a: None, b: Some(show(v)) });
        }
    }
    out
}

/// The first record where the traces differ, or `None` when they are the same.
pub fn first_divergence(a: &[Record], b: &[Record]) -> Option<Divergence> {
    let common = a.len().min(b.len());
    let at = (0..common).find(|&i| !differing_fields(&a[i], &b[i]).is_empty());
    let index = match at {
        Some(i) => i,
        None if a.len() == b.len() => return None,
        None => common,
    };
    let (ra, rb) = (a.get(index).cloned(), b.get(index).cloned());
    let fields = match (&ra, &rb) {
        (Some(x), Some(y)) => differing_fields(x, y),
        _ => Vec::new(),
    };
    Some(Divergence { index, a: ra, b: rb, fields, left_a: a.len() - index, left_b: b.len() - index })
}

/// One line of the aligned outcome table: what, A's value, B's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub what: RowKind,
    pub a: String,
    pub b: String,
}

impl Row {
    pub fn differs(&self) -> bool {
        self.a != self.b
    }
}

/// What a [`Row`] is about (the view names it in the learner's language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Sends,
    Msg(u64),
    Deliveries,
    Consumed,
    Retries,
    Dlq,
    End,
    Hash,
}

/// A cell's text, in a language-neutral form the view fills into templates:
/// each row's values are the template arguments joined by `\u{1f}`.
pub const SEP: char = '\u{1f}';

fn cell(parts: &[String]) -> String {
    parts.join(&SEP.to_string())
}

/// The two runs' outcomes, row by row, aligned by what they describe
/// (message rows by message number, a message missing on one side is empty).
/// `time` formats a virtual time.
pub fn rows(a: &RunResult, b: &RunResult, time: &dyn Fn(u64) -> String) -> Vec<Row> {
    let (oa, ob) = (Outcome::of(&a.records), Outcome::of(&b.records));
    let mut out = Vec::new();
    let sends = |o: &Outcome| cell(&[o.send_ok().to_string(), o.sends.len().to_string()]);
    out.push(Row { what: RowKind::Sends, a: sends(&oa), b: sends(&ob) });
    let mut msgs: Vec<u64> = oa.sends.keys().chain(ob.sends.keys()).copied().collect();
    crate::order::sort(&mut msgs);
    msgs.dedup();
    let msg = |o: &Outcome, m: u64| {
        o.sends.get(&m).map(|s| cell(&[s.status.clone(), s.attempts.to_string(), time(s.at_ms)])).unwrap_or_default()
    };
    for m in msgs {
        out.push(Row { what: RowKind::Msg(m), a: msg(&oa, m), b: msg(&ob, m) });
    }
    let deliveries = |o: &Outcome| match (o.first_delivery_ms, o.last_delivery_ms) {
        (Some(f), Some(l)) => cell(&[o.deliveries.to_string(), time(f), time(l)]),
        _ => String::new(),
    };
    out.push(Row { what: RowKind::Deliveries, a: deliveries(&oa), b: deliveries(&ob) });
    out.push(Row { what: RowKind::Consumed, a: oa.consumed_ok.to_string(), b: ob.consumed_ok.to_string() });
    out.push(Row { what: RowKind::Retries, a: oa.retries.to_string(), b: ob.retries.to_string() });
    out.push(Row { what: RowKind::Dlq, a: oa.dead_lettered.to_string(), b: ob.dead_lettered.to_string() });
    let end = |r: &RunResult| cell(&[time(r.end_ms), r.reason.to_string(), r.events.to_string()]);
    out.push(Row { what: RowKind::End, a: end(a), b: end(b) });
    out.push(Row { what: RowKind::Hash, a: a.hash.clone(), b: b.hash.clone() });
    out
}

/// A whole comparison: the two scenarios' runs, the rows and the divergence.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub a: RunResult,
    pub b: RunResult,
    pub divergence: Option<Divergence>,
}

/// Runs `base` as A and `base` with `knob` = `value` as B, and compares them.
pub fn compare(base: &Scenario, knob: Knob, value: Setting) -> Result<Comparison, ScenarioError> {
    let b_scenario = apply(base, knob, value)?;
    let a = run(base.clone())?;
    let b = run(b_scenario)?;
    let divergence = first_divergence(&a.records, &b.records);
    Ok(Comparison { a, b, divergence })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::{step_index, STEPS};

    fn step_scenario(id: &str) -> Scenario {
        STEPS[step_index(id).unwrap()].scenario.build().unwrap()
    }

    fn preset(name: &str) -> Scenario {
        Scenario::from_json(rmqsim::presets::find(name).unwrap().json).unwrap()
    }

    fn ms(t: u64) -> String {
        format!("{t}ms")
    }

    #[test]
    fn python_cpp_makes_five_attempts_where_java4_makes_one() {
        let base = step_scenario("sync-five-attempts");
        assert_eq!(current(&base, Knob::Flavor), Some(Setting::Flavor(Flavor::PythonCpp)));
        let java = default_alternative(&base, Knob::Flavor).unwrap();
        assert_eq!(java, Setting::Flavor(Flavor::Java4));
        let c = compare(&base, Knob::Flavor, java).unwrap();
        let (oa, ob) = (Outcome::of(&c.a.records), Outcome::of(&c.b.records));
        assert_eq!((oa.sends[&1].status.as_str(), oa.sends[&1].attempts), ("FAILED", 5));
        assert!((20_000..20_100).contains(&oa.sends[&1].at_ms), "{:?}", oa.sends[&1]);
        assert_eq!(ob.sends[&1].status, "FAILED");
        assert_eq!(ob.sends[&1].attempts, 1, "java4's one 3 s budget leaves no time to retry");
        assert_ne!(c.a.hash, c.b.hash);
        // The first divergence is a real record, found by content: both runs are
        // identical until then, and it is no later than java4's failure.
        let d = c.divergence.unwrap();
        assert_eq!(c.a.records[..d.index], c.b.records[..d.index]);
        assert!(!d.fields.is_empty());
        assert!(d.t() <= ob.sends[&1].at_ms);
        // Aligned rows: message 1 on both sides, the attempts differ.
        let rows = rows(&c.a, &c.b, &ms);
        let m1 = rows.iter().find(|r| r.what == RowKind::Msg(1)).unwrap();
        assert!(m1.differs());
        assert_eq!(m1.a, format!("FAILED{SEP}5{SEP}{}ms", oa.sends[&1].at_ms));
        assert_eq!(rows.last().unwrap().what, RowKind::Hash);
    }

    #[test]
    fn the_same_setting_gives_the_same_trace_and_no_divergence() {
        let base = preset("tutorial-basic");
        let a = run(base.clone()).unwrap();
        let b = run(apply(&base, Knob::Flavor, Setting::Flavor(Flavor::PythonCpp)).unwrap()).unwrap();
        assert_eq!(a.hash, b.hash);
        assert_eq!(first_divergence(&a.records, &b.records), None);
        assert!(rows(&a, &b, &ms).iter().all(|r| !r.differs()));
        // The hash is the headless runner's: the same as a plain run.
        let mut sim = Sim::new(base, TraceMode::Hash).unwrap();
        assert_eq!(sim.run().hash, a.hash);
    }

    #[test]
    fn divergence_is_by_content_and_handles_a_trace_that_ends() {
        let r = |t: u64, ev: &'static str, n: u64| Record::new(t, ev).f("msg", n).f("why", format!("because {t}"));
        let a = vec![r(1, "x", 1), r(2, "y", 2), r(3, "z", 3)];
        let mut b = a.clone();
        b[1] = Record::new(2, "y").f("msg", 2u64).f("why", "other words");
        assert_eq!(first_divergence(&a, &b), None, "a different why alone is the same step");
        b[2] = r(4, "z", 3).f("extra", true);
        let d = first_divergence(&a, &b).unwrap();
        assert_eq!(d.index, 2);
        assert_eq!(d.t(), 3);
        let names: Vec<&str> = d.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["t", "extra"]);
        assert_eq!(d.fields[1], FieldDiff { name: "extra".into(), a: None, b: Some("true".into()) });
        let d = first_divergence(&a[..2], &a).unwrap();
        assert_eq!((d.index, d.a.is_none(), d.left_b), (2, true, 1));
        assert!(d.fields.is_empty());
    }

    #[test]
    fn every_knob_applies_and_changes_what_it_says() {
        let poison = preset("orderly-poison");
        assert!(knobs(&poison).contains(&Knob::Listener));
        let other = default_alternative(&poison, Knob::Listener).unwrap();
        let changed = apply(&poison, Knob::Listener, other).unwrap();
        assert_eq!(current(&changed, Knob::Listener), Some(other));
        assert_ne!(current(&poison, Knob::Listener), Some(other));

        let delay = preset("delay-tutorial");
        let send = knobs(&delay).into_iter().find(|k| matches!(k, Knob::DelayLevel { .. })).unwrap();
        assert_eq!(current(&delay, send), Some(Setting::DelayLevel(2)));
        assert_eq!(default_alternative(&delay, send), Some(Setting::DelayLevel(3)));
        assert_eq!(alternatives(&delay, send).len(), 18, "levels 0..=18 but A's");
        let c = compare(&delay, send, Setting::DelayLevel(3)).unwrap();
        let first = |r: &RunResult| r.records.iter().find(|x| x.event == "delivered").map(|x| x.t);
        let (da, db) = (first(&c.a).unwrap(), first(&c.b).unwrap());
        assert!(db >= da + 4_900, "level 3 (10 s) delivers about 5 s after level 2 (5 s): {da} vs {db}");

        let status = preset("send-status-slave-not-available");
        let role = Knob::Role { broker: 0 };
        assert_eq!(current(&status, role), Some(Setting::Role(BrokerRole::SyncMaster)));
        let c = compare(&status, role, Setting::Role(BrokerRole::AsyncMaster)).unwrap();
        let (oa, ob) = (Outcome::of(&c.a.records), Outcome::of(&c.b.records));
        assert_eq!(oa.sends[&1].status, "SLAVE_NOT_AVAILABLE");
        assert_eq!(ob.sends[&1].status, "SEND_OK");

        assert!(apply(&status, Knob::Flavor, Setting::DelayLevel(1)).is_err());
        assert!(apply(&status, Knob::DelayLevel { action: 99 }, Setting::DelayLevel(1)).is_err());
    }
}
