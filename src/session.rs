//! One learner's run of a scenario: the engine, the interventions the
//! learner made (kill, partition, send, …) and what the UI keeps of the
//! trace. It is wall-clock-free: every long operation takes a [`Budget`]
//! that says when to stop, so the driver can slice work across animation
//! frames and tests can drive it with an event count.
//!
//! **Invariant:** a run is `(scenario, seed, interventions)`. Each
//! intervention is stored with the number of engine events processed and the
//! virtual time when it was applied; seeking backwards rebuilds the engine
//! and replays, re-applying each intervention at exactly that point, so the
//! replay is identical. Intervening while earlier than the newest recorded
//! intervention discards the later ones (fork-on-intervene).
//!
//! The session also keeps the run's **fingerprint**: a running FNV-1a hash
//! of every trace record it drains, the same hash the engine's trace reports
//! (`rmqsim run`'s `end` line, `rmqsim::share::replay`), with a checkpoint
//! every [`CHECKPOINT_RECORDS`] records. A [`Verifier`] rebuilds the run
//! from scratch (scenario + interventions), replays it to the same point and
//! compares, naming the first record that differs if one does.

use crate::order::SortedMap;
use std::rc::Rc;

use rmqsim::hashing::Fnv64;
use rmqsim::scenario::Action;
use rmqsim::share::{Position, SessionDoc};
use rmqsim::snapshot::{FlightSnap, Snapshot};
use rmqsim::{Record, Scenario, ScenarioError, Sim, TraceMode};

/// Sets an action's `at` to `t` (interventions happen "now").
pub use rmqsim::share::set_at;
/// An intervention and the exact point of the run where it was applied
/// (the engine's type: the share format writes it as is).
pub use rmqsim::share::Intervention;

use crate::view_model::{RecordLog, Timeline, MAX_GHOSTS, RECORD_WINDOW};

/// How often (in engine events) a long operation asks its budget whether to go on.
pub const BUDGET_CHECK_EVENTS: u32 = 256;

/// Most events processed at one instant right after an intervention.
const SETTLE_EVENTS: u64 = 20_000;

/// Says when a slice of work must stop.
pub trait Budget {
    /// Called every [`BUDGET_CHECK_EVENTS`] events; true stops the work.
    fn exhausted(&mut self) -> bool;
}

/// A budget of engine events (for tests and the headless paths).
#[derive(Clone, Copy, Debug)]
pub struct EventBudget(pub u64);

impl Budget for EventBudget {
    fn exhausted(&mut self) -> bool {
        if self.0 <= u64::from(BUDGET_CHECK_EVENTS) {
            return true;
        }
        self.0 -= u64::from(BUDGET_CHECK_EVENTS);
        false
    }
}

/// A budget that never runs out.
#[derive(Clone, Copy, Debug)]
pub struct Unlimited;

impl Budget for Unlimited {
    fn exhausted(&mut self) -> bool {
        false
    }
}

/// How a slice of work ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advance {
    /// The target was reached.
    Reached,
    /// The budget ran out first; call again to continue.
    OutOfBudget,
    /// The run ended (its `until`, event budget or nothing left to do).
    Ended,
}

/// Records between two fingerprint checkpoints.
pub const CHECKPOINT_RECORDS: u64 = 1024;

/// The running hash of the records drained so far.
#[derive(Clone, Debug, Default)]
struct Fingerprint {
    hasher: Fnv64,
    records: u64,
    /// The hash after every [`CHECKPOINT_RECORDS`] records.
    checkpoints: Vec<u64>,
}

impl Fingerprint {
    fn add(&mut self, rec: &Record) {
        self.hasher.write(rec.json().as_bytes());
        self.hasher.write(b"\n");
        self.records += 1;
        if self.records.is_multiple_of(CHECKPOINT_RECORDS) {
            self.checkpoints.push(self.hasher.finish());
        }
    }
}

/// One run of one scenario, with its interventions.
pub struct Session {
    scenario: Scenario,
    sim: Sim,
    interventions: Vec<Intervention>,
    applied: usize,
    log: RecordLog,
    marks: Timeline,
    marks_published: Option<Rc<Timeline>>,
    furthest: u64,
    down: SortedMap<String, &'static str>,
    down_published: Option<Rc<SortedMap<String, &'static str>>>,
    flight_key: u64,
    fresh_flights: Vec<FlightSnap>,
    collect_flights: bool,
    fingerprint: Fingerprint,
    /// The code lab's programs and console, while the run is still theirs
    /// (an intervention by hand forgets it: the run is no longer the code's).
    lab: Option<Rc<serde_json::Value>>,
}

impl Session {
    /// Builds the cluster of `scenario`, paused at t = 0.
    pub fn new(scenario: Scenario) -> Result<Session, ScenarioError> {
        let sim = build_sim(&scenario)?;
        let until = sim.until();
        let mut session = Session {
            scenario,
            sim,
            interventions: Vec::new(),
            applied: 0,
            log: RecordLog::new(RECORD_WINDOW),
            marks: Timeline::new(until),
            marks_published: None,
            furthest: 0,
            down: SortedMap::new(),
            down_published: None,
            flight_key: 0,
            fresh_flights: Vec::new(),
            collect_flights: true,
            fingerprint: Fingerprint::default(),
            lab: None,
        };
        session.drain();
        Ok(session)
    }

    /// A session of a shared document: its scenario, with its interventions
    /// recorded ahead (they replay as the run advances), paused at t = 0.
    pub fn from_doc(doc: SessionDoc) -> Result<Session, ScenarioError> {
        let mut session = Session::new(doc.scenario)?;
        session.interventions = doc.interventions;
        session.lab = doc.lab.map(Rc::new);
        Ok(session)
    }

    /// The run as a document: scenario, interventions, where it is now and
    /// its fingerprint here.
    pub fn document(&self) -> SessionDoc {
        SessionDoc {
            scenario: self.scenario.clone(),
            interventions: self.interventions.clone(),
            position: Some(self.position()),
            fingerprint: Some(self.fingerprint_hex()),
            lab: self.lab.as_deref().cloned(),
        }
    }

    /// The code lab's record of this run, if the run is a lab run.
    pub fn lab(&self) -> Option<&Rc<serde_json::Value>> {
        self.lab.as_ref()
    }

    /// Where the run is: virtual time and engine events.
    pub fn position(&self) -> Position {
        Position { t: self.now(), events: self.events() }
    }

    /// The hash of every trace record so far (FNV-1a of their JSON lines,
    /// as the engine's trace hash).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint.hasher.finish()
    }

    /// [`Session::fingerprint`] as 16 hex digits.
    pub fn fingerprint_hex(&self) -> String {
        self.fingerprint.hasher.hex()
    }

    /// Trace records hashed so far.
    pub fn records_hashed(&self) -> u64 {
        self.fingerprint.records
    }

    /// Record number `index` (0-based since t = 0) as its JSON line, if the
    /// log still keeps it.
    pub fn record_line(&self, index: u64) -> Option<String> {
        let first = self.log.first();
        let i = usize::try_from(index.checked_sub(first)?).ok()?;
        self.log.window().get(i).map(Record::json)
    }

    /// Starts an independent replay of this run up to where it is now.
    pub fn verifier(&self) -> Result<Verifier, ScenarioError> {
        Verifier::new(
            &self.scenario,
            self.interventions.clone(),
            self.position(),
            Expected {
                hash: self.fingerprint(),
                records: self.fingerprint.records,
                checkpoints: self.fingerprint.checkpoints.clone(),
            },
        )
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn now(&self) -> u64 {
        self.sim.now()
    }

    pub fn until(&self) -> u64 {
        self.sim.until()
    }

    pub fn events(&self) -> u64 {
        self.sim.events()
    }

    /// Whether the run has ended and no recorded intervention can restart it.
    pub fn ended(&self) -> bool {
        self.sim.ended().is_some() && self.due_intervention(u64::MAX).is_none()
    }

    /// When the next engine event happens.
    pub fn next_event_time(&self) -> Option<u64> {
        self.sim.next_event_time()
    }

    /// How many packets are on the wire now.
    pub fn in_flight(&self) -> usize {
        self.sim.core.flights.len()
    }

    /// The furthest virtual time this run has been computed to.
    pub fn furthest(&self) -> u64 {
        self.furthest.max(self.now())
    }

    /// The cluster now.
    pub fn snapshot(&self) -> Snapshot {
        self.sim.snapshot()
    }

    /// The packets on the wire (cheaper than a whole snapshot).
    pub fn flights(&self) -> Vec<FlightSnap> {
        self.sim.flight_snaps()
    }

    /// The record log (newest window plus counts of older records).
    pub fn log(&mut self) -> &mut RecordLog {
        &mut self.log
    }

    /// The timeline marks, shared (a new `Rc` only after a change).
    pub fn marks(&mut self) -> Rc<Timeline> {
        self.marks_published.get_or_insert_with(|| Rc::new(self.marks.clone())).clone()
    }

    /// Why each node that is down went down.
    pub fn down(&mut self) -> Rc<SortedMap<String, &'static str>> {
        self.down_published.get_or_insert_with(|| Rc::new(self.down.clone())).clone()
    }

    /// Interventions applied in this run so far.
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Recorded interventions that will replay further on.
    pub fn ahead(&self) -> usize {
        self.interventions.len() - self.applied
    }

    /// Every recorded intervention, in order.
    pub fn interventions(&self) -> &[Intervention] {
        &self.interventions
    }

    /// Takes the packets that were sent since the last call and have
    /// already arrived (they never show up in a snapshot).
    pub fn take_ghosts(&mut self) -> Vec<FlightSnap> {
        let now = self.now();
        let mut ghosts: Vec<FlightSnap> =
            std::mem::take(&mut self.fresh_flights).into_iter().filter(|f| f.arrive <= now).collect();
        if ghosts.len() > MAX_GHOSTS {
            ghosts.drain(..ghosts.len() - MAX_GHOSTS);
        }
        ghosts
    }

    /// Runs until virtual time `target` (or the end of the run), re-applying
    /// recorded interventions on the way.
    pub fn advance_to(&mut self, target: u64, budget: &mut dyn Budget) -> Advance {
        self.advance(target, u64::MAX, budget)
    }

    /// Runs to a point of the run: virtual time `t`, stopping early once
    /// `events` engine events have run (a shared link's position). Same
    /// loop as `rmqsim::share::replay`, so the fingerprint there matches.
    pub fn advance_to_point(&mut self, point: Position, budget: &mut dyn Budget) -> Advance {
        let result = self.advance(point.t, point.events, budget);
        if result == Advance::Reached
            && self.sim.now() < point.t
            && self.sim.next_event_time().is_none_or(|n| n > point.t)
        {
            self.sim.run_until(point.t, 1);
            self.drain();
        }
        result
    }

    fn advance(&mut self, target: u64, max_events: u64, budget: &mut dyn Budget) -> Advance {
        let mut count: u32 = 0;
        let result = loop {
            if self.apply_due(target) {
                continue;
            }
            if self.sim.events() >= max_events {
                break Advance::Reached;
            }
            if self.sim.ended().is_some() {
                break Advance::Ended;
            }
            let before = self.sim.events();
            self.sim.run_until(target, 1);
            if self.sim.events() == before {
                break if self.sim.ended().is_some() { Advance::Ended } else { Advance::Reached };
            }
            self.after_event();
            count += 1;
            if count.is_multiple_of(BUDGET_CHECK_EVENTS) {
                self.drain();
                if budget.exhausted() {
                    break Advance::OutOfBudget;
                }
            }
        };
        self.drain();
        result
    }

    /// Processes exactly one engine event (after any intervention recorded
    /// at this point). Returns false when the run has ended.
    pub fn step(&mut self) -> bool {
        while self.apply_due(u64::MAX) {}
        let stepped = self.sim.step();
        if stepped {
            self.after_event();
        }
        self.drain();
        stepped
    }

    /// Runs until at least one new trace record appears (the next thing the
    /// feed shows), skipping idle virtual time. Returns `Reached` when one did.
    pub fn next_record(&mut self, budget: &mut dyn Budget) -> Advance {
        let mut count: u32 = 0;
        let start = self.log.total();
        loop {
            while self.apply_due(u64::MAX) {}
            if !self.sim.step() {
                self.drain();
                return if self.log.total() > start { Advance::Reached } else { Advance::Ended };
            }
            self.after_event();
            self.drain();
            if self.log.total() > start {
                // Finish the instant, so everything that happened at it shows.
                let now = self.now();
                while self.sim.next_event_time() == Some(now) && self.due_intervention(now).is_none() {
                    if !self.sim.step() {
                        break;
                    }
                    self.after_event();
                }
                self.drain();
                return Advance::Reached;
            }
            count += 1;
            if count.is_multiple_of(BUDGET_CHECK_EVENTS) && budget.exhausted() {
                return Advance::OutOfBudget;
            }
        }
    }

    /// Applies an intervention now and records it. If later interventions
    /// were recorded (the learner seeked back), they are discarded: the
    /// future is forked. The engine then processes the events at this
    /// instant, so the fault shows at once.
    pub fn intervene(&mut self, mut action: Action) -> Result<(), ScenarioError> {
        while self.apply_due(self.now()) {}
        set_at(&mut action, self.now());
        let (events, t) = (self.sim.events(), self.sim.now());
        self.sim.apply_now(action.clone())?;
        self.lab = None;
        if self.applied < self.interventions.len() {
            self.interventions.truncate(self.applied);
            self.marks.forget_after(t);
            self.marks_published = None;
            self.furthest = t;
        }
        self.interventions.push(Intervention { events, t, action });
        self.applied += 1;
        self.settle();
        Ok(())
    }

    /// Rebuilds the engine at t = 0, keeping the recorded interventions (they
    /// replay as the run advances). The marks are kept: the replay finds the
    /// same ones.
    pub fn rewind(&mut self) {
        // The scenario was valid when the session was built; if rebuilding
        // fails anyway, keep the current run rather than lose it.
        let Ok(sim) = build_sim(&self.scenario) else { return };
        self.furthest = self.furthest();
        self.sim = sim;
        self.applied = 0;
        self.log = RecordLog::new(RECORD_WINDOW);
        self.down.clear();
        self.down_published = None;
        self.flight_key = 0;
        self.fresh_flights.clear();
        self.fingerprint = Fingerprint::default();
        self.drain();
    }

    /// Turns collecting packets for the "drawn once" animation on or off
    /// (off while replaying a seek, when nothing is drawn).
    pub fn set_collect_flights(&mut self, on: bool) {
        self.collect_flights = on;
        if !on {
            self.fresh_flights.clear();
        }
    }

    /// Processes everything at the current instant (bounded).
    fn settle(&mut self) {
        let now = self.now();
        let mut count = 0;
        while count < SETTLE_EVENTS && self.sim.next_event_time() == Some(now) && self.due_intervention(now).is_none() {
            if !self.sim.step() {
                break;
            }
            self.after_event();
            count += 1;
        }
        self.drain();
    }

    /// The next recorded intervention, if it is due at this point of the run
    /// and no later than `limit`.
    fn due_intervention(&self, limit: u64) -> Option<&Intervention> {
        self.interventions.get(self.applied).filter(|iv| iv.events == self.sim.events() && iv.t <= limit)
    }

    /// Re-applies the next recorded intervention if it is due. Returns
    /// whether it did.
    fn apply_due(&mut self, limit: u64) -> bool {
        let Some(iv) = self.due_intervention(limit) else { return false };
        let (t, action) = (iv.t, iv.action.clone());
        if self.sim.now() < t {
            // The original run had moved its clock to t without an event in
            // between (the next event lies after t), so this only moves the clock.
            self.sim.run_until(t, 1);
        }
        self.applied += 1;
        // It was accepted when first applied to this same scenario.
        let _ = self.sim.apply_now(action);
        true
    }

    fn after_event(&mut self) {
        if !self.collect_flights {
            return;
        }
        let flights = &self.sim.core.flights;
        let Some((&last, _)) = flights.last_key_value() else { return };
        if last <= self.flight_key {
            return;
        }
        for (_, f) in flights.range(self.flight_key + 1..) {
            if self.fresh_flights.len() >= 4 * MAX_GHOSTS {
                self.fresh_flights.drain(..2 * MAX_GHOSTS);
            }
            self.fresh_flights.push(FlightSnap {
                from: self.sim.core.name(f.from).to_string(),
                to: self.sim.core.name(f.to).to_string(),
                kind: f.kind,
                sent: f.sent,
                arrive: f.arrive,
                msg: f.msg.map(|m| m.0),
            });
        }
        self.flight_key = last;
    }

    /// Moves new trace records into the log, the marks and the down list.
    fn drain(&mut self) {
        let records = self.sim.drain_records();
        if records.is_empty() {
            return;
        }
        if self.marks.add(&records) {
            self.marks_published = None;
        }
        for rec in &records {
            self.fingerprint.add(rec);
            if rec.event == "fault" && note_down(&mut self.down, rec) {
                self.down_published = None;
            }
        }
        self.log.extend(records);
        self.furthest = self.furthest.max(self.sim.now());
    }
}

/// What the original run had at the point being verified.
#[derive(Clone, Debug, Default)]
pub struct Expected {
    pub hash: u64,
    pub records: u64,
    /// The hash after every [`CHECKPOINT_RECORDS`] records.
    pub checkpoints: Vec<u64>,
}

/// Where a verification stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// Still replaying: engine events done, of how many.
    Running { events: u64, target: u64 },
    /// The replay produced the same records: same fingerprint at the same point.
    Identical { fingerprint: String, t: u64, events: u64, records: u64 },
    /// A record differs. `index` is its number in the trace (0-based);
    /// `exact` is false when the original record is no longer kept and the
    /// difference is only known to lie in the checkpoint block from `index`.
    Differs {
        index: u64,
        exact: bool,
        replay: Option<String>,
        original: Option<String>,
        replay_fingerprint: String,
        original_fingerprint: String,
    },
}

/// An independent replay of a run to a point, compared with the original
/// record by record (by checkpoint hashes, then line by line).
pub struct Verifier {
    sim: Sim,
    interventions: Vec<Intervention>,
    applied: usize,
    target: Position,
    expected: Expected,
    hasher: Fnv64,
    records: u64,
    /// The replay's lines since the last checkpoint.
    block: Vec<String>,
    outcome: Option<VerifyOutcome>,
}

impl Verifier {
    /// A replay of `scenario` with `interventions`, up to `target`, to compare with `expected`.
    pub fn new(
        scenario: &Scenario,
        interventions: Vec<Intervention>,
        target: Position,
        expected: Expected,
    ) -> Result<Verifier, ScenarioError> {
        Ok(Verifier {
            sim: Sim::new(scenario.clone(), TraceMode::Keep)?,
            interventions,
            applied: 0,
            target,
            expected,
            hasher: Fnv64::default(),
            records: 0,
            block: Vec::new(),
            outcome: None,
        })
    }

    /// Where it stands.
    pub fn outcome(&self) -> VerifyOutcome {
        self.outcome.clone().unwrap_or(VerifyOutcome::Running { events: self.sim.events(), target: self.target.events })
    }

    /// Runs a slice of the replay; `original` supplies the original's
    /// records still kept. Returns true when the verdict is in.
    pub fn run(&mut self, original: &Session, budget: &mut dyn Budget) -> bool {
        if self.outcome.is_some() {
            return true;
        }
        let mut count: u32 = 0;
        // The loop of `Session::advance_to_point` and `rmqsim::share::replay`.
        loop {
            let due = self
                .interventions
                .get(self.applied)
                .filter(|iv| iv.events == self.sim.events() && iv.t <= self.target.t);
            if let Some(iv) = due {
                let (t, action) = (iv.t, iv.action.clone());
                if self.sim.now() < t {
                    self.sim.run_until(t, 1);
                }
                self.applied += 1;
                let _ = self.sim.apply_now(action);
                continue;
            }
            if self.sim.events() >= self.target.events || self.sim.ended().is_some() {
                break;
            }
            let before = self.sim.events();
            self.sim.run_until(self.target.t, 1);
            if self.sim.events() == before {
                break;
            }
            count += 1;
            if count.is_multiple_of(BUDGET_CHECK_EVENTS) {
                if self.absorb(original) {
                    return true;
                }
                if budget.exhausted() {
                    return false;
                }
            }
        }
        if self.absorb(original) {
            return true;
        }
        self.outcome = Some(if self.hasher.finish() == self.expected.hash && self.records == self.expected.records {
            VerifyOutcome::Identical {
                fingerprint: self.hasher.hex(),
                t: self.target.t,
                events: self.sim.events(),
                records: self.records,
            }
        } else {
            self.difference(original)
        });
        true
    }

    /// Hashes the new records; true when a checkpoint differs (the verdict is in).
    fn absorb(&mut self, original: &Session) -> bool {
        for rec in self.sim.drain_records() {
            let line = rec.json();
            self.hasher.write(line.as_bytes());
            self.hasher.write(b"\n");
            self.records += 1;
            self.block.push(line);
            if self.records.is_multiple_of(CHECKPOINT_RECORDS) {
                let k = (self.records / CHECKPOINT_RECORDS - 1) as usize;
                if self.expected.checkpoints.get(k) == Some(&self.hasher.finish()) {
                    self.block.clear();
                } else {
                    self.outcome = Some(self.difference(original));
                    return true;
                }
            }
        }
        false
    }

    /// The first record of the current block that differs from the original.
    fn difference(&self, original: &Session) -> VerifyOutcome {
        let base = self.records - self.block.len() as u64;
        let differs =
            |index: u64, exact: bool, replay: Option<String>, original: Option<String>| VerifyOutcome::Differs {
                index,
                exact,
                replay,
                original,
                replay_fingerprint: self.hasher.hex(),
                original_fingerprint: format!("{:016x}", self.expected.hash),
            };
        let mut unknown = None;
        for (i, line) in self.block.iter().enumerate() {
            let index = base + i as u64;
            if index >= self.expected.records {
                return differs(index, true, Some(line.clone()), None);
            }
            match original.record_line(index) {
                Some(o) if o == *line => {}
                Some(o) => return differs(index, true, Some(line.clone()), Some(o)),
                None => {
                    unknown.get_or_insert(index);
                }
            }
        }
        if let Some(index) = unknown {
            return differs(index, false, self.block.get((index - base) as usize).cloned(), None);
        }
        // Every replayed line matched: the replay stopped short of the original.
        let index = self.records;
        differs(index, original.record_line(index).is_some(), None, original.record_line(index))
    }
}

fn build_sim(scenario: &Scenario) -> Result<Sim, ScenarioError> {
    let mut sim = Sim::new(scenario.clone(), TraceMode::Keep)?;
    sim.track_flights(true);
    // The engine's invariants run in the browser too (the Checkers tab counts them); a
    // violation panics, which brings up the panic panel with the repro line.
    sim.check_invariants(true);
    Ok(sim)
}

/// Updates why nodes are down from one fault record; true if it changed.
fn note_down(down: &mut SortedMap<String, &'static str>, rec: &Record) -> bool {
    let (Some(kind), Some(node)) = (rec.str("kind"), rec.str("node")) else { return false };
    match kind {
        "kill" if down.contains_key(node) => false,
        "kill" => down.insert(node.to_string(), "kill").is_none(),
        "power_off" => down.insert(node.to_string(), "power_off") != Some("power_off"),
        "shutdown" => down.insert(node.to_string(), "shutdown") != Some("shutdown"),
        "restart" | "start" => down.remove(node).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rmqsim::presets;
    use rmqsim::scenario::Dur;
    use rmqsim::share::{self, ReplayTo};

    fn session(name: &str) -> Session {
        let preset = presets::find(name).expect("preset exists");
        Session::new(preset.scenario().expect("preset is valid")).expect("session builds")
    }

    fn kill(node: &str) -> Action {
        Action::Kill { at: Dur(0), node: node.to_string() }
    }

    fn alive(session: &Session, node: &str) -> bool {
        session.snapshot().nodes.iter().find(|n| n.name == node).map(|n| n.alive).expect("node exists")
    }

    fn trace(session: &mut Session) -> Vec<String> {
        session.log().window().iter().map(Record::json).collect()
    }

    #[test]
    fn starts_paused_at_zero_with_every_node_up() {
        let s = session("tutorial-basic");
        assert_eq!(s.now(), 0);
        assert!(!s.ended());
        let snap = s.snapshot();
        assert!(snap.nodes.iter().any(|n| n.kind == "broker" && n.alive));
        assert!(snap.nodes.iter().any(|n| n.kind == "nameserver"));
    }

    #[test]
    fn advance_reaches_the_target_and_the_end() {
        let mut s = session("tutorial-basic");
        assert_eq!(s.advance_to(1_500, &mut Unlimited), Advance::Reached);
        assert_eq!(s.now(), 1_500);
        assert!(s.log().window().iter().any(|r| r.event == "send_result"));
        assert_eq!(s.advance_to(u64::MAX, &mut Unlimited), Advance::Ended);
        assert_eq!(s.now(), s.until());
        assert!(s.ended());
    }

    #[test]
    fn a_small_budget_slices_the_work_without_changing_it() {
        let mut sliced = session("retry-to-dlq");
        let mut slices = 0;
        while sliced.advance_to(1_200_000, &mut EventBudget(1)) == Advance::OutOfBudget {
            slices += 1;
            assert!(slices < 10_000, "progress is made");
        }
        assert!(slices > 1, "the work was cut into slices");
        let mut whole = session("retry-to-dlq");
        whole.advance_to(1_200_000, &mut Unlimited);
        assert_eq!(trace(&mut sliced), trace(&mut whole));
    }

    #[test]
    fn step_processes_one_event_and_next_record_skips_idle_time() {
        let mut s = session("tutorial-basic");
        assert!(s.step());
        assert_eq!(s.events(), 1);
        s.advance_to(100, &mut Unlimited);
        let before = s.log().total();
        assert_eq!(s.next_record(&mut Unlimited), Advance::Reached);
        assert!(s.log().total() > before);
        assert!(s.now() >= 1_000, "the idle second before the first send was skipped: {}", s.now());
    }

    #[test]
    fn an_intervention_applies_at_once_and_shows_in_the_trace() {
        let mut s = session("tutorial-basic");
        s.advance_to(2_000, &mut Unlimited);
        s.intervene(kill("broker-a")).expect("kill is accepted");
        assert!(!alive(&s, "broker-a"));
        assert_eq!(s.now(), 2_000, "the clock did not move");
        let last = s.log().window().iter().rev().find(|r| r.event == "fault").cloned().expect("a fault record");
        assert_eq!(last.str("node"), Some("broker-a"));
        assert_eq!(s.down().get("broker-a"), Some(&"kill"));
    }

    #[test]
    fn a_refused_intervention_is_an_error_and_not_recorded() {
        let mut s = session("tutorial-basic");
        let err = s.intervene(kill("no-such-node")).expect_err("unknown node");
        assert!(!err.message.is_empty());
        assert!(s.interventions().is_empty());
    }

    #[test]
    fn seeking_back_replays_identically_with_interventions() {
        let mut s = session("sync-retry-killed-broker");
        s.advance_to(3_000, &mut Unlimited);
        s.intervene(kill("c1")).expect("kill");
        s.advance_to(6_000, &mut Unlimited);
        s.intervene(Action::Restart { at: Dur(0), node: "c1".into() }).expect("restart");
        s.advance_to(20_000, &mut Unlimited);
        let original = trace(&mut s);
        let snapshot = s.snapshot();

        s.rewind();
        assert_eq!(s.now(), 0);
        assert!(alive(&s, "c1"));
        assert_eq!(s.advance_to(4_000, &mut Unlimited), Advance::Reached);
        assert!(!alive(&s, "c1"), "the kill at 3 s was re-applied");
        assert_eq!(s.ahead(), 1);
        s.advance_to(20_000, &mut EventBudget(u64::MAX));
        assert_eq!(trace(&mut s), original, "same records after the replay");
        assert_eq!(s.snapshot(), snapshot);
        assert_eq!(s.ahead(), 0);
    }

    #[test]
    fn seeking_back_exactly_to_an_intervention_replays_it() {
        let mut s = session("tutorial-basic");
        s.advance_to(1_010, &mut Unlimited);
        s.intervene(kill("broker-a")).expect("kill");
        s.advance_to(5_000, &mut Unlimited);
        s.rewind();
        s.advance_to(1_010, &mut Unlimited);
        assert!(!alive(&s, "broker-a"));
    }

    #[test]
    fn intervening_in_the_past_forks_the_future() {
        let mut s = session("tutorial-basic");
        s.advance_to(5_000, &mut Unlimited);
        s.intervene(kill("broker-a")).expect("kill");
        s.advance_to(8_000, &mut Unlimited);
        s.rewind();
        s.advance_to(2_000, &mut Unlimited);
        assert_eq!(s.ahead(), 1);
        s.intervene(kill("producer")).expect("kill producer");
        assert_eq!(s.ahead(), 0, "the later kill of broker-a was discarded");
        assert_eq!(s.interventions().len(), 1);
        s.advance_to(8_000, &mut Unlimited);
        assert!(alive(&s, "broker-a"));
        assert!(!alive(&s, "producer"));
        assert_eq!(s.furthest(), 8_000);
    }

    #[test]
    fn stepping_replays_an_intervention_before_the_next_event() {
        let mut s = session("tutorial-basic");
        s.advance_to(1_000, &mut Unlimited);
        let events = s.events();
        s.intervene(kill("broker-a")).expect("kill");
        s.rewind();
        while s.events() < events {
            assert!(s.step());
        }
        s.step();
        assert!(!alive(&s, "broker-a"));
    }

    #[test]
    fn sends_from_the_palette_reach_the_broker() {
        let mut s = session("tutorial-basic");
        s.advance_to(2_000, &mut Unlimited);
        let send = crate::faults::SendForm {
            producer: "producer".into(),
            topic: "TopicTest".into(),
            count: 3,
            ..Default::default()
        }
        .to_action();
        s.intervene(send).expect("send is accepted");
        s.advance_to(3_000, &mut Unlimited);
        let results = s.log().window().iter().filter(|r| r.event == "send_result" && r.t > 2_000).count();
        assert_eq!(results, 3);
    }

    #[test]
    fn quick_packets_are_kept_for_one_frame() {
        let mut s = session("tutorial-basic");
        s.advance_to(1_100, &mut Unlimited);
        let ghosts = s.take_ghosts();
        assert!(!ghosts.is_empty());
        assert!(ghosts.iter().all(|f| f.arrive <= 1_100));
        assert!(ghosts.len() <= MAX_GHOSTS);
        assert!(s.take_ghosts().is_empty(), "taken once");
    }

    #[test]
    fn down_reasons_follow_faults() {
        let mut down = SortedMap::new();
        let fault = |kind: &str, node: &str| Record::new(1, "fault").f("kind", kind).f("node", node);
        assert!(note_down(&mut down, &fault("kill", "b")));
        assert!(!note_down(&mut down, &fault("kill", "b")), "already down");
        assert!(note_down(&mut down, &fault("restart", "b")));
        assert!(down.is_empty());
        assert!(note_down(&mut down, &fault("shutdown", "p")));
        assert!(!note_down(&mut down, &fault("slow_disk", "p")));
    }

    fn verify(s: &Session) -> VerifyOutcome {
        let mut v = s.verifier().expect("rebuilds");
        let mut slices = 0;
        while !v.run(s, &mut EventBudget(1)) {
            slices += 1;
            assert!(slices < 100_000);
        }
        v.outcome()
    }

    #[test]
    fn the_fingerprint_is_the_engine_trace_hash_and_survives_a_rewind() {
        let mut s = session("sync-retry-killed-broker");
        s.advance_to(3_000, &mut Unlimited);
        s.intervene(kill("c1")).expect("kill");
        s.advance_to(20_000, &mut Unlimited);
        let doc = s.document();
        let native = share::replay(&doc, ReplayTo::Position).expect("replays");
        assert_eq!(native.fingerprint, s.fingerprint_hex(), "same hash natively");
        assert_eq!(native.records, s.records_hashed());
        assert_eq!((native.t, native.events), (s.now(), s.events()));
        // Through a share token and back into a new session.
        let back = share::decode(&doc.encode()).expect("decodes");
        let mut t = Session::from_doc(back.clone()).expect("builds");
        assert_eq!(t.advance_to_point(back.position.unwrap(), &mut EventBudget(1 << 20)), Advance::Reached);
        assert_eq!((t.now(), t.events(), t.fingerprint_hex()), (s.now(), s.events(), s.fingerprint_hex()));
        let fp = s.fingerprint_hex();
        s.rewind();
        s.advance_to(20_000, &mut Unlimited);
        assert_eq!(s.fingerprint_hex(), fp, "a replay after seeking back hashes the same");
    }

    #[test]
    fn a_point_reached_by_stepping_is_shared_exactly() {
        let mut s = session("tutorial-basic");
        s.advance_to(1_000, &mut Unlimited);
        for _ in 0..3 {
            s.step();
        }
        let doc = s.document();
        let mut t = Session::from_doc(doc.clone()).expect("builds");
        t.advance_to_point(doc.position.unwrap(), &mut Unlimited);
        assert_eq!((t.now(), t.events(), t.fingerprint_hex()), (s.now(), s.events(), s.fingerprint_hex()));
    }

    #[test]
    fn verify_says_identical_after_interventions() {
        let mut s = session("tutorial-basic");
        s.advance_to(2_000, &mut Unlimited);
        let send = crate::faults::SendForm {
            producer: "producer".into(),
            topic: "TopicTest".into(),
            count: 400,
            ..Default::default()
        };
        s.intervene(send.to_action()).expect("send");
        s.advance_to(3_000, &mut Unlimited);
        s.intervene(kill("broker-a")).expect("kill");
        s.advance_to(9_000, &mut Unlimited);
        s.intervene(Action::Restart { at: Dur(0), node: "broker-a".into() }).expect("restart");
        s.advance_to(20_000, &mut Unlimited);
        assert!(s.records_hashed() > CHECKPOINT_RECORDS, "crosses checkpoints ({})", s.records_hashed());
        match verify(&s) {
            VerifyOutcome::Identical { fingerprint, t, events, .. } => {
                assert_eq!((fingerprint, t, events), (s.fingerprint_hex(), s.now(), s.events()));
            }
            other => panic!("not identical: {other:?}"),
        }
    }

    #[test]
    fn verify_names_the_first_differing_record() {
        let mut s = session("tutorial-basic");
        s.advance_to(2_000, &mut Unlimited);
        s.intervene(kill("broker-a")).expect("kill");
        s.advance_to(6_000, &mut Unlimited);
        // A replay without the kill: it differs at the kill's fault record.
        let expected = Expected {
            hash: s.fingerprint(),
            records: s.records_hashed(),
            checkpoints: s.fingerprint.checkpoints.clone(),
        };
        let mut v = Verifier::new(s.scenario(), Vec::new(), s.position(), expected).expect("builds");
        while !v.run(&s, &mut Unlimited) {}
        let fault = s.log().window().iter().position(|r| r.event == "fault").expect("a fault") as u64 + s.log().first();
        match v.outcome() {
            VerifyOutcome::Differs { index, exact, original, .. } => {
                assert_eq!(index, fault);
                assert!(exact);
                assert!(original.expect("kept").contains("\"kind\":\"kill\""));
            }
            other => panic!("expected a difference: {other:?}"),
        }
    }
}
