//! The driver: the only code that reads the wall clock. It owns the
//! [`Session`] (the engine and the learner's interventions), runs it from
//! `requestAnimationFrame`, and publishes an immutable [`Frame`] (a new `Rc`
//! each time) through a Yew callback.
//!
//! Each animation frame advances virtual time by `wall_dt × speed`, but
//! never spends more than a few milliseconds of wall time doing so
//! (`performance.now()` is checked every [`BUDGET_CHECK_EVENTS`] engine
//! events): when the engine cannot keep up, virtual time simply falls behind
//! and the frame says so. Seeking and "next event" run as tasks sliced the
//! same way, with progress in the frame and a Stop that keeps what was
//! computed, so the page never freezes.
//!
//! **Invariant:** nothing else in the app calls `performance.now()`,
//! `Date`, timers or `requestAnimationFrame`.
//!
//! [`BUDGET_CHECK_EVENTS`]: crate::session::BUDGET_CHECK_EVENTS

use crate::order::SortedMap;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use rmqsim::presets;
use rmqsim::scenario::Action;
use rmqsim::snapshot::Snapshot;
use rmqsim::{Record, Scenario};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::components::PacketCanvas;
use crate::session::{Advance, Budget, Session, Verifier, VerifyOutcome};
use crate::view_model::{format_clock, Frame, Notice, TaskKind, TaskProgress, DETAIL_MS};
use rmqsim::share::{Position, SessionDoc};

/// The preset loaded when the app opens.
pub const DEFAULT_PRESET: &str = "tutorial-basic";

/// The speed the app starts at (virtual seconds per wall second): slow
/// enough to watch a 2 ms packet cross a link.
pub const DEFAULT_SPEED: f64 = 0.02;

/// With "skip idle time" on, a stretch with no packet on the wire plays in
/// at most this much wall time before the next event.
const IDLE_LEAD_WALL_MS: f64 = 300.0;

/// Wall-clock milliseconds a playing frame may spend in the engine.
const PLAY_BUDGET_MS: f64 = 5.0;

/// Wall-clock milliseconds a seek or search frame may spend in the engine
/// (more than when playing: nothing moves on screen while it runs).
const TASK_BUDGET_MS: f64 = 12.0;

/// With dense traffic on the canvas, a detail refresh (Yew, style, layout,
/// paint) may cost more than a frame on a slow machine; the refreshes are
/// then spaced so the frames they lengthen stay about this share of all
/// frames (1 / 40: 2.5%), up to [`MAX_DETAIL_MS`] apart.
const REFRESH_SPACING: f64 = 40.0;

/// Frames after a refresh counted as its cost.
const REFRESH_SPILL_FRAMES: u32 = 4;

/// Details are never older than this while playing.
const MAX_DETAIL_MS: f64 = 1_000.0;

/// A frame's wall-clock step is capped, so a tab that was hidden for a
/// minute does not jump a minute × speed ahead when it comes back.
const MAX_WALL_STEP_MS: f64 = 100.0;

/// Budget checks per slice before giving up even if the clock says
/// otherwise (a browser without `performance` must not freeze either).
const MAX_CHECKS_PER_SLICE: u32 = 2_000;

/// A scenario handed to the driver as a value (a tutorial step's, or a
/// preset with the listener's return value switched), with the name and
/// one-line summary the toolbar shows for it.
#[derive(Clone, Debug)]
pub struct ScenarioLoad {
    /// Shown as the scenario's name (usually the preset it came from).
    pub name: String,
    /// Its one-line summary.
    pub summary: String,
    pub scenario: Scenario,
}

/// What the UI asks the driver to do.
#[derive(Clone, Debug)]
pub enum Command {
    /// Load a preset by name (paused at t = 0).
    Load(String),
    /// Load a scenario value (paused at t = 0).
    LoadScenario(Box<ScenarioLoad>),
    /// Play, or pause, or stop a running seek.
    TogglePlay,
    Play,
    /// Play at the current speed and pause on reaching this virtual time
    /// (a tutorial step replayed up to its pause point).
    PlayUntil(u64),
    Pause,
    /// Process one engine event.
    Step,
    /// Run until the next trace record, skipping idle time.
    NextEvent,
    /// Go to a virtual time (backwards replays from t = 0).
    Seek(u64),
    /// Go back this many milliseconds.
    Back(u64),
    /// Set the speed (virtual seconds per wall second).
    SetSpeed(f64),
    /// Hurry through stretches where no packet is on the wire (or not).
    SetSkipIdle(bool),
    /// Apply an intervention now (and record it for replays).
    Intervene(Box<Action>),
    /// Stop a seek or search where it got to.
    Stop,
    /// Load a shared or imported session (scenario + interventions) and
    /// replay to its position, paused there.
    LoadSession(Box<SessionLoad>),
    /// Replay the run from scratch, independently, to where it is now and
    /// compare (the verdict comes in the frame's `verify`).
    Verify,
}

/// A session document handed to the driver, with the name and summary the
/// toolbar shows for it.
#[derive(Clone, Debug)]
pub struct SessionLoad {
    pub name: String,
    pub summary: String,
    pub doc: SessionDoc,
}

/// A handle on the driver; clones share it. Equal when they are the same driver.
#[derive(Clone)]
pub struct Driver {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Driver {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

/// What the frame says about the loaded scenario.
struct Loaded {
    name: Rc<str>,
    summary: Rc<str>,
    scenario: Rc<Scenario>,
}

struct Task {
    kind: TaskKind,
    from: u64,
    target: u64,
    /// Play again when the task finishes.
    resume: bool,
    /// Stop the seek once this many engine events have run (a shared position).
    cap: Option<u64>,
}

struct Inner {
    session: Option<Session>,
    /// The loaded scenario's name, summary and definition.
    loaded: Option<Loaded>,
    speed: f64,
    playing: bool,
    /// Where playing pauses by itself ([`Command::PlayUntil`]).
    stop_at: Option<u64>,
    skip_idle: bool,
    task: Option<Task>,
    /// Virtual time the animation has reached (fractional milliseconds).
    virtual_pos: f64,
    last_wall: Option<f64>,
    behind: bool,
    seq: u64,
    notice: Option<Rc<Notice>>,
    notice_id: u64,
    publish: Callback<Rc<Frame>>,
    raf: Option<Closure<dyn FnMut(f64)>>,
    raf_id: Option<i32>,
    stopped: bool,
    /// Whether the last command was refused (it set a new notice).
    refused: bool,
    /// "Replay and verify identical" in progress.
    verifier: Option<Verifier>,
    /// Its state or verdict, as published.
    verify: Option<Rc<VerifyOutcome>>,
    /// The last published details, reused between refreshes during play.
    detail: Option<Detail>,
    /// Where dense traffic is painted between detail refreshes.
    canvas: PacketCanvas,
    /// The time bar's clock readout, which the driver sets itself in the
    /// frames it paints without publishing (the clock keeps running between
    /// detail refreshes).
    clock: yew::NodeRef,
    /// Packets taken for a frame the canvas did not paint (they go in the
    /// next published frame).
    pending_ghosts: Vec<rmqsim::snapshot::FlightSnap>,
    /// The engine fell behind in a frame that was painted but not published.
    behind_unshown: bool,
    /// How far apart detail refreshes are in smooth play with dense traffic.
    pacer: Pacer,
    /// The wall time the current animation frame started at: every
    /// decision of the frame (engine or details, paint only or publish)
    /// is taken against it, so a refresh never lands in a frame that
    /// already ran the engine.
    frame_wall: Option<f64>,
}

/// Spaces the detail refreshes of smooth play with dense traffic by what the
/// last one cost: the wall time its frame and the few after it took beyond
/// painted-only frames, times [`REFRESH_SPACING`], between [`DETAIL_MS`] and
/// [`MAX_DETAIL_MS`].
#[derive(Clone, Debug)]
struct Pacer {
    /// How often details are refreshed during smooth play (at least
    /// [`DETAIL_MS`]; more while refreshes cost more than a frame).
    detail_every: f64,
    /// The previous animation frame's wall time, and whether it refreshed
    /// the details with dense traffic on the canvas.
    last_frame: Option<(f64, bool)>,
    /// Since the last such refresh: frames seen, and the wall time they
    /// took beyond painted-only frames (a refresh's work spills over a few
    /// frames: Yew yields every 16 ms, the browser lays out after).
    since_refresh: Option<(u32, f64)>,
    /// Wall milliseconds between two painted-only frames (a moving average).
    motion_gap: f64,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer { detail_every: DETAIL_MS, last_frame: None, since_refresh: None, motion_gap: 1000.0 / 60.0 }
    }
}

impl Pacer {
    /// At the start of an animation frame at `wall`: accounts for the gap
    /// since the previous one.
    fn pace(&mut self, wall: f64) {
        let Some((last, refreshed)) = self.last_frame else { return };
        let gap = wall - last;
        if !(0.0..=MAX_WALL_STEP_MS * 5.0).contains(&gap) {
            return;
        }
        if refreshed {
            self.since_refresh = Some((0, 0.0));
        }
        if let Some((frames, excess)) = self.since_refresh {
            let excess = excess + (gap - self.motion_gap).max(0.0);
            if frames + 1 < REFRESH_SPILL_FRAMES {
                self.since_refresh = Some((frames + 1, excess));
            } else {
                self.since_refresh = None;
                self.detail_every = (excess * REFRESH_SPACING).clamp(DETAIL_MS, MAX_DETAIL_MS);
            }
        } else {
            self.motion_gap += (gap.min(MAX_WALL_STEP_MS) - self.motion_gap) * 0.1;
        }
    }

    /// At the end of a frame: its wall time and whether it refreshed the
    /// details, or `None` outside smooth play (the next gap is not counted).
    fn frame_done(&mut self, frame: Option<(f64, bool)>) {
        self.last_frame = frame;
    }
}

/// The parts of a frame that are refreshed at most every [`DETAIL_MS`]
/// while playing (everything but the packets and the clock).
struct Detail {
    at: f64,
    events: u64,
    snapshot: Rc<Snapshot>,
    records: Rc<Vec<Record>>,
    first_record: u64,
    older: Rc<SortedMap<&'static str, u64>>,
}

/// Milliseconds on the page's monotonic clock.
fn wall_now() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Sets the text of a clock readout in place (its one text node, the one
/// Yew rendered, so the next render still finds its own node).
pub fn set_clock_text(readout: &yew::NodeRef, text: &str) {
    let Some(node) = readout.get().and_then(|r| r.first_child()) else { return };
    if node.node_value().as_deref() != Some(text) {
        node.set_node_value(Some(text));
    }
}

/// Stops a slice of work when the wall clock passes a deadline.
struct WallBudget {
    deadline: f64,
    checks: u32,
}

impl WallBudget {
    fn for_ms(ms: f64) -> WallBudget {
        WallBudget { deadline: wall_now() + ms, checks: 0 }
    }
}

impl Budget for WallBudget {
    fn exhausted(&mut self) -> bool {
        self.checks += 1;
        self.checks >= MAX_CHECKS_PER_SLICE || wall_now() >= self.deadline
    }
}

impl Driver {
    /// A driver with nothing loaded; frames go to `publish`.
    pub fn new(publish: Callback<Rc<Frame>>) -> Driver {
        let inner = Rc::new(RefCell::new(Inner {
            session: None,
            loaded: None,
            speed: DEFAULT_SPEED,
            playing: false,
            stop_at: None,
            skip_idle: true,
            task: None,
            virtual_pos: 0.0,
            last_wall: None,
            behind: false,
            seq: 0,
            notice: None,
            notice_id: 0,
            publish,
            raf: None,
            raf_id: None,
            stopped: false,
            refused: false,
            verifier: None,
            verify: None,
            detail: None,
            canvas: PacketCanvas::default(),
            clock: yew::NodeRef::default(),
            pending_ghosts: Vec::new(),
            behind_unshown: false,
            pacer: Pacer::default(),
            frame_wall: None,
        }));
        let weak: Weak<RefCell<Inner>> = Rc::downgrade(&inner);
        let closure = Closure::<dyn FnMut(f64)>::new(move |_timestamp: f64| {
            if let Some(inner) = weak.upgrade() {
                Driver::on_animation_frame(&inner);
            }
        });
        inner.borrow_mut().raf = Some(closure);
        Driver { inner }
    }

    /// Carries out a command and publishes the resulting frame.
    pub fn command(&self, command: Command) {
        let (frame, publish) = {
            let Ok(mut inner) = self.inner.try_borrow_mut() else { return };
            if inner.stopped {
                return;
            }
            inner.refused = false;
            inner.apply(command);
            inner.ensure_scheduled();
            (inner.frame(), inner.publish.clone())
        };
        publish.emit(frame);
    }

    /// The canvas the cluster view paints dense traffic on; the driver
    /// paints it too, in the frames it does not publish.
    pub fn packet_canvas(&self) -> PacketCanvas {
        self.inner.borrow().canvas.clone()
    }

    /// The element the time bar shows the virtual clock in; the driver
    /// writes its text in the frames it does not publish.
    pub fn clock_ref(&self) -> yew::NodeRef {
        self.inner.borrow().clock.clone()
    }

    /// Whether the engine refused the last command (its reason is the
    /// frame's notice).
    pub fn refused_last(&self) -> bool {
        self.inner.try_borrow().map(|inner| inner.refused).unwrap_or(false)
    }

    /// Stops the animation loop for good (the app is unmounting).
    pub fn shutdown(&self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            inner.stopped = true;
            inner.cancel_frame();
            inner.session = None;
        }
    }

    /// The loaded run as a session document (scenario, every recorded
    /// intervention, where it is now and its fingerprint there).
    pub fn document(&self) -> Option<SessionDoc> {
        let inner = self.inner.try_borrow().ok()?;
        inner.session.as_ref().map(Session::document)
    }

    /// The trace records of the loaded run as JSON lines (newest window).
    pub fn trace_lines(&self) -> Vec<String> {
        let Ok(mut inner) = self.inner.try_borrow_mut() else { return Vec::new() };
        inner.session.as_mut().map(|s| s.log().window().iter().map(|r| r.json()).collect()).unwrap_or_default()
    }

    fn on_animation_frame(cell: &Rc<RefCell<Inner>>) {
        let (frame, publish) = {
            let Ok(mut inner) = cell.try_borrow_mut() else { return };
            inner.raf_id = None;
            if inner.stopped {
                return;
            }
            let wall = wall_now();
            inner.frame_wall = Some(wall);
            inner.pacer.pace(wall);
            // A frame that refreshes the details with dense traffic on the
            // canvas leaves the engine out: the refresh needs the frame.
            let refresh = inner.canvas.is_dense() && inner.smooth() && inner.refresh_due(wall);
            inner.tick(wall, !refresh);
            inner.ensure_scheduled();
            if inner.paint_only() {
                inner.pacer.frame_done(Some((wall, false)));
                inner.frame_wall = None;
                return;
            }
            let smooth = inner.smooth();
            inner.pacer.frame_done(smooth.then_some((wall, refresh)));
            let frame = inner.frame();
            inner.frame_wall = None;
            (frame, inner.publish.clone())
        };
        publish.emit(frame);
    }
}

impl Inner {
    fn apply(&mut self, command: Command) {
        // Whatever a command changes shows in full in the next frame.
        self.detail = None;
        match command {
            Command::Load(name) => self.load(&name),
            Command::LoadScenario(load) => {
                let ScenarioLoad { name, summary, scenario } = *load;
                self.load_scenario(Rc::from(name.as_str()), Rc::from(summary.as_str()), scenario);
            }
            Command::TogglePlay => {
                self.stop_at = None;
                if self.task.is_some() {
                    self.stop_task();
                } else if self.playing {
                    self.playing = false;
                } else {
                    self.play();
                }
            }
            Command::Play => {
                self.stop_at = None;
                if self.task.is_none() {
                    self.play();
                }
            }
            Command::PlayUntil(t) => {
                self.stop_at = Some(t);
                if let Some(task) = self.task.as_mut() {
                    // A seek in progress (the replay's start) plays on when done.
                    task.resume = true;
                } else if self.session.as_ref().is_some_and(|s| s.now() < t) {
                    self.play();
                }
                if !self.playing && self.task.is_none() {
                    self.stop_at = None;
                }
            }
            Command::Pause => {
                self.playing = false;
                self.stop_at = None;
                if let Some(task) = self.task.as_mut() {
                    task.resume = false;
                }
            }
            Command::Step => {
                self.stop_task();
                self.playing = false;
                self.stop_at = None;
                if let Some(session) = self.session.as_mut() {
                    session.step();
                }
                self.sync_pos();
            }
            Command::NextEvent => {
                self.stop_task();
                let resume = std::mem::replace(&mut self.playing, false);
                self.start_task(TaskKind::NextEvent, u64::MAX, resume);
            }
            Command::Seek(t) => {
                self.stop_at = None;
                let resume = self.playing || self.task.as_ref().is_some_and(|task| task.resume);
                self.stop_task();
                self.playing = false;
                self.seek(t, resume);
            }
            Command::Back(ms) => {
                let now = self.session.as_ref().map(Session::now).unwrap_or(0);
                self.apply(Command::Seek(now.saturating_sub(ms)));
            }
            Command::SetSpeed(speed) => {
                if speed.is_finite() {
                    self.speed = speed.clamp(0.001, 100_000.0);
                }
            }
            Command::SetSkipIdle(on) => self.skip_idle = on,
            Command::Intervene(action) => {
                self.stop_task();
                self.intervene(*action);
            }
            Command::Stop => self.stop_task(),
            Command::LoadSession(load) => self.load_session(*load),
            Command::Verify => self.start_verify(),
        }
    }

    fn load_session(&mut self, load: SessionLoad) {
        let SessionLoad { name, summary, doc } = load;
        let position = doc.position;
        self.load_scenario(Rc::from(name.as_str()), Rc::from(summary.as_str()), doc.scenario.clone());
        if self.refused {
            return;
        }
        match Session::from_doc(doc) {
            Ok(session) => self.session = Some(session),
            Err(err) => return self.refuse(&err.field, err.message),
        }
        if let Some(Position { t, events }) = position {
            self.task = Some(Task { kind: TaskKind::Seek, from: 0, target: t, resume: false, cap: Some(events) });
            self.run_task();
        }
    }

    fn start_verify(&mut self) {
        self.stop_task();
        let Some(session) = self.session.as_ref() else { return };
        match session.verifier() {
            Ok(verifier) => {
                self.verify = Some(Rc::new(verifier.outcome()));
                self.verifier = Some(verifier);
                self.run_verify();
            }
            Err(err) => self.refuse(&err.field, err.message),
        }
    }

    /// Runs one slice of the verification; publishes its state.
    fn run_verify(&mut self) {
        let (Some(verifier), Some(session)) = (self.verifier.as_mut(), self.session.as_ref()) else { return };
        let done = verifier.run(session, &mut WallBudget::for_ms(TASK_BUDGET_MS));
        self.verify = Some(Rc::new(verifier.outcome()));
        if done {
            self.verifier = None;
        }
    }

    /// Forgets a verification (the run it was about changed).
    fn forget_verify(&mut self) {
        self.verifier = None;
        self.verify = None;
    }

    fn load(&mut self, name: &str) {
        let Some(preset) = presets::find(name) else {
            self.task = None;
            self.playing = false;
            self.refuse("preset", format!("no built-in scenario is called \"{name}\""));
            return;
        };
        match preset.scenario() {
            Ok(scenario) => self.load_scenario(Rc::from(preset.name), Rc::from(preset.summary), scenario),
            Err(err) => {
                self.task = None;
                self.playing = false;
                self.refuse(&err.field, err.message)
            }
        }
    }

    fn load_scenario(&mut self, name: Rc<str>, summary: Rc<str>, scenario: Scenario) {
        self.forget_verify();
        self.task = None;
        self.playing = false;
        self.stop_at = None;
        self.behind = false;
        let definition = Rc::new(scenario.clone());
        match Session::new(scenario) {
            Ok(session) => {
                self.session = Some(session);
                self.loaded = Some(Loaded { name, summary, scenario: definition });
                self.virtual_pos = 0.0;
                self.notice = None;
            }
            Err(err) => self.refuse(&err.field, err.message),
        }
    }

    fn play(&mut self) {
        let Some(session) = self.session.as_ref() else { return };
        if session.ended() {
            // At the end, Play starts the run again from the beginning.
            self.seek(0, true);
            return;
        }
        self.playing = true;
        self.last_wall = None;
        self.sync_pos();
    }

    fn seek(&mut self, target: u64, resume: bool) {
        let Some(session) = self.session.as_mut() else { return };
        let target = target.min(session.until());
        let from = if target < session.now() {
            session.rewind();
            self.verifier = None;
            self.verify = None;
            0
        } else {
            session.now()
        };
        self.task = Some(Task { kind: TaskKind::Seek, from, target, resume, cap: None });
        // Short seeks finish at once, within this click.
        self.run_task();
    }

    fn start_task(&mut self, kind: TaskKind, target: u64, resume: bool) {
        let Some(session) = self.session.as_ref() else { return };
        let from = session.now();
        let target = target.min(session.until());
        self.task = Some(Task { kind, from, target, resume, cap: None });
        self.run_task();
    }

    fn stop_task(&mut self) {
        if self.task.take().is_some() {
            if let Some(session) = self.session.as_mut() {
                session.set_collect_flights(true);
            }
            self.sync_pos();
        }
    }

    /// Runs one slice of the current task; finishes it when done.
    fn run_task(&mut self) {
        let (Some(task), Some(session)) = (self.task.as_ref(), self.session.as_mut()) else { return };
        let mut budget = WallBudget::for_ms(TASK_BUDGET_MS);
        let outcome = match task.kind {
            TaskKind::Seek => {
                session.set_collect_flights(false);
                match task.cap {
                    Some(events) => session.advance_to_point(Position { t: task.target, events }, &mut budget),
                    None => session.advance_to(task.target, &mut budget),
                }
            }
            TaskKind::NextEvent => session.next_record(&mut budget),
        };
        if outcome != Advance::OutOfBudget {
            session.set_collect_flights(true);
            let resume = task.resume && !session.ended();
            self.task = None;
            self.playing = resume;
            self.last_wall = None;
            self.sync_pos();
        }
    }

    fn intervene(&mut self, action: Action) {
        self.forget_verify();
        let Some(session) = self.session.as_mut() else { return };
        match session.intervene(action) {
            Ok(()) => self.sync_pos(),
            Err(err) => self.refuse(&err.field, err.message),
        }
    }

    fn refuse(&mut self, field: &str, message: String) {
        self.refused = true;
        self.notice_id += 1;
        self.notice = Some(Rc::new(Notice { id: self.notice_id, field: field.to_string(), message }));
    }

    /// Puts the animation's clock where the engine is.
    fn sync_pos(&mut self) {
        if let Some(session) = self.session.as_ref() {
            self.virtual_pos = session.now() as f64;
        }
    }

    /// Playing, with nothing else running.
    fn smooth(&self) -> bool {
        self.playing && self.task.is_none() && self.verifier.is_none()
    }

    /// Whether this frame refreshes the details (see [`Inner::frame`]).
    fn refresh_due(&self, wall: f64) -> bool {
        let events = self.session.as_ref().map_or(0, Session::events);
        Inner::details_due(self.detail.as_ref(), self.smooth(), wall, events, self.detail_spacing())
    }

    /// Wall milliseconds between detail refreshes in smooth play.
    fn detail_spacing(&self) -> f64 {
        if self.canvas.is_dense() {
            self.pacer.detail_every
        } else {
            DETAIL_MS
        }
    }

    /// The wall time decisions of this frame are taken against.
    fn decision_wall(&self) -> f64 {
        self.frame_wall.unwrap_or_else(wall_now)
    }

    /// Advances by one animation frame (the engine only if `engine`).
    fn tick(&mut self, wall: f64, engine: bool) {
        let step = self.last_wall.map(|last| (wall - last).clamp(0.0, MAX_WALL_STEP_MS)).unwrap_or(0.0);
        self.last_wall = Some(wall);
        if self.verifier.is_some() {
            self.run_verify();
        }
        if self.task.is_some() {
            self.run_task();
            return;
        }
        if !self.playing {
            return;
        }
        let Some(session) = self.session.as_mut() else { return };
        let until = self.stop_at.map_or(session.until(), |t| t.min(session.until())) as f64;
        self.virtual_pos = (self.virtual_pos.max(session.now() as f64) + step * self.speed).min(until);
        if self.skip_idle && session.in_flight() == 0 {
            // Nothing on the wire: jump to shortly before the next event.
            let lead = IDLE_LEAD_WALL_MS * self.speed;
            if let Some(next) = session.next_event_time() {
                let next = (next as f64).min(until);
                if next - self.virtual_pos > lead {
                    self.virtual_pos = next - lead;
                }
            }
        }
        let target = self.virtual_pos.floor() as u64;
        if !engine {
            // The frame goes to the details; the next ones catch up.
            return;
        }
        let outcome = session.advance_to(target, &mut WallBudget::for_ms(PLAY_BUDGET_MS));
        self.behind = outcome == Advance::OutOfBudget;
        if self.behind {
            // Drop the debt: falling further behind every frame helps nobody.
            self.virtual_pos = session.now() as f64;
        }
        if outcome == Advance::Ended || session.ended() || self.stop_at.is_some_and(|t| session.now() >= t) {
            self.playing = false;
            self.stop_at = None;
            self.virtual_pos = session.now() as f64;
        }
    }

    fn active(&self) -> bool {
        !self.stopped && (self.playing || self.task.is_some() || self.verifier.is_some())
    }

    fn ensure_scheduled(&mut self) {
        if !self.active() || self.raf_id.is_some() {
            return;
        }
        let (Some(window), Some(closure)) = (web_sys::window(), self.raf.as_ref()) else { return };
        self.raf_id = window.request_animation_frame(closure.as_ref().unchecked_ref()).ok();
    }

    fn cancel_frame(&mut self) {
        if let (Some(id), Some(window)) = (self.raf_id.take(), web_sys::window()) {
            let _ = window.cancel_animation_frame(id);
        }
    }

    /// Whether the details are to be rebuilt now (see [`Inner::frame`]).
    fn details_due(detail: Option<&Detail>, smooth: bool, wall: f64, events: u64, every: f64) -> bool {
        detail.is_none_or(|d| !smooth || d.events > events || wall - d.at >= every || wall < d.at)
    }

    /// In smooth play between detail refreshes, with dense traffic on the
    /// canvas: paints the packets there and publishes nothing, so Yew and
    /// the page's layout and SVG stay untouched, but for the clock readout,
    /// whose text it sets in place (counters and details follow at the next
    /// refresh, at most [`MAX_DETAIL_MS`] later).
    /// Returns whether it did; if not, the frame is to be published.
    fn paint_only(&mut self) -> bool {
        let (wall, every) = (self.decision_wall(), self.detail_spacing());
        let Some(session) = self.session.as_mut() else { return false };
        let smooth = self.playing && self.task.is_none() && self.verifier.is_none();
        if Inner::details_due(self.detail.as_ref(), smooth, wall, session.events(), every) {
            return false;
        }
        let flights = session.flights();
        self.pending_ghosts.extend(session.take_ghosts());
        let now = self.virtual_pos.max(session.now() as f64);
        if !self.canvas.paint_motion(&flights, &self.pending_ghosts, now) {
            return false;
        }
        self.pending_ghosts.clear();
        self.behind_unshown |= self.behind;
        set_clock_text(&self.clock, &format_clock(session.now()));
        if let Some(loaded) = self.loaded.as_ref() {
            crate::last_good::remember(&loaded.name, &loaded.summary, session, wall_now());
        }
        true
    }

    /// The frame to publish now.
    fn frame(&mut self) -> Rc<Frame> {
        let (wall, every) = (self.decision_wall(), self.detail_spacing());
        self.seq += 1;
        let mut frame = Frame::empty();
        frame.seq = self.seq;
        frame.speed = self.speed;
        frame.playing = self.playing;
        frame.skip_idle = self.skip_idle;
        frame.notice = self.notice.clone();
        frame.behind = (self.behind || std::mem::take(&mut self.behind_unshown)) && self.playing;
        let (Some(session), Some(loaded)) = (self.session.as_mut(), self.loaded.as_ref()) else {
            return Rc::new(frame);
        };
        let now = session.now();
        frame.scenario = loaded.name.clone();
        frame.summary = loaded.summary.clone();
        frame.definition = Some(loaded.scenario.clone());
        frame.seed = session.scenario().seed;
        frame.now = now;
        frame.now_f = if self.playing { self.virtual_pos.max(now as f64) } else { now as f64 };
        frame.until = session.until();
        frame.events = session.events();
        frame.ended = session.ended();
        frame.task = self.task.as_ref().map(|task| TaskProgress {
            kind: task.kind,
            from: task.from,
            target: task.target,
            reached: now,
        });
        // Details are rebuilt when anything but smooth play moved the run
        // (paused, stepping, seeking, a fault) or every DETAIL_MS of play.
        let events = session.events();
        if Inner::details_due(self.detail.as_ref(), self.playing && self.task.is_none(), wall, events, every) {
            self.detail = Some(Detail {
                at: wall,
                events,
                snapshot: Rc::new(session.snapshot()),
                records: session.log().shared(),
                first_record: session.log().first(),
                older: session.log().shared_older(),
            });
        }
        if let Some(d) = &self.detail {
            frame.snapshot = d.snapshot.clone();
            frame.records = d.records.clone();
            frame.first_record = d.first_record;
            frame.older = d.older.clone();
        }
        frame.flights = Rc::new(session.flights());
        frame.marks = session.marks();
        frame.furthest = session.furthest();
        let mut ghosts = std::mem::take(&mut self.pending_ghosts);
        ghosts.extend(session.take_ghosts());
        frame.ghosts = Rc::new(ghosts);
        frame.down = session.down();
        frame.interventions_applied = session.applied();
        frame.interventions_ahead = session.ahead();
        frame.fingerprint = session.fingerprint();
        frame.verify = self.verify.clone();
        frame.lab = session.lab().cloned();
        crate::last_good::remember(&loaded.name, &loaded.summary, session, wall_now());
        Rc::new(frame)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.cancel_frame();
    }
}

#[cfg(test)]
mod tests {
    use super::{Pacer, DETAIL_MS, MAX_DETAIL_MS, REFRESH_SPACING};

    const VSYNC: f64 = 1000.0 / 60.0;

    /// Plays a frame that refreshes the details, then six more a vsync apart,
    /// the first two lengthened by `cost` ms in all; returns the pacer's
    /// spacing after them.
    fn after_refresh(pacer: &mut Pacer, wall: &mut f64, cost: f64) -> f64 {
        *wall += VSYNC;
        pacer.pace(*wall);
        pacer.frame_done(Some((*wall, true)));
        for k in 0..6 {
            *wall += VSYNC + if k < 2 { cost / 2.0 } else { 0.0 };
            pacer.pace(*wall);
            pacer.frame_done(Some((*wall, false)));
        }
        pacer.detail_every
    }

    fn warmed_up() -> (Pacer, f64) {
        let mut pacer = Pacer::default();
        let mut wall = 0.0;
        for _ in 0..100 {
            wall += VSYNC;
            pacer.pace(wall);
            pacer.frame_done(Some((wall, false)));
        }
        (pacer, wall)
    }

    #[test]
    fn painted_only_frames_learn_the_frame_gap_and_keep_the_fastest_refresh() {
        let (pacer, _) = warmed_up();
        assert!((pacer.motion_gap - VSYNC).abs() < 0.01, "{}", pacer.motion_gap);
        assert_eq!(pacer.detail_every, DETAIL_MS);
    }

    #[test]
    fn a_refresh_is_spaced_by_its_cost_within_the_bounds() {
        let (mut pacer, mut wall) = warmed_up();
        // 5 ms over a frame: refreshes 5 × 40 = 200 ms apart.
        let every = after_refresh(&mut pacer, &mut wall, 5.0);
        assert!((every - 5.0 * REFRESH_SPACING).abs() < 0.5, "{every}");
        // 60 ms over: capped, details are never older than a second.
        assert_eq!(after_refresh(&mut pacer, &mut wall, 60.0), MAX_DETAIL_MS);
        // Free again: back to the fastest spacing.
        assert_eq!(after_refresh(&mut pacer, &mut wall, 0.0), DETAIL_MS);
    }

    #[test]
    fn a_long_pause_or_a_stop_is_not_counted_as_cost() {
        let (mut pacer, mut wall) = warmed_up();
        // A hidden tab: the next frame comes 10 s later.
        pacer.frame_done(Some((wall, true)));
        wall += 10_000.0;
        pacer.pace(wall);
        pacer.frame_done(Some((wall, false)));
        for _ in 0..6 {
            wall += VSYNC;
            pacer.pace(wall);
            pacer.frame_done(Some((wall, false)));
        }
        assert_eq!(pacer.detail_every, DETAIL_MS);
        // Outside smooth play the next gap is not measured at all.
        pacer.frame_done(None);
        pacer.pace(wall + 300.0);
        assert!((pacer.motion_gap - VSYNC).abs() < 0.01);
    }
}
