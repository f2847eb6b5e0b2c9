//! The app shell: the screen's grid (header with the Tutorial / Playground
//! switch; narration, predict and code on the left; the live cluster in the
//! centre with a dock of views under it: event feed, queues, delay levels,
//! retry & DLQ, checkers; the inspector or a message's passport on the right
//! when something is picked; time controls at the bottom), the language state
//! every component reads through [`LangContext`], and the wiring between the
//! driver (which owns the simulation and publishes frames), the UI reducer,
//! the tutorial's progress and the components.
//!
//! The tutorial opens by default. Each step becomes driver commands as
//! `tutorial::flow` describes: load the step's scenario (skipped when the
//! same run is already loaded and untouched), then seek to the pause point,
//! or, while the step's question is unanswered, to where the step begins.
//! The learner's step and answers are saved to `localStorage` on every
//! change and restored when the app opens.

use std::cell::RefCell;
use std::rc::Rc;

use rmqsim::scenario::Action;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::compare::model::Knob;
use crate::compare::{step_link, CompareDialog, CompareLink};
use crate::components::{
    Announcer, ChallengeGuide, ClusterBuilder, ClusterToolbar, ClusterView, DebugPanic, Dock, DockTab, EventFeed,
    FaultMenu, Header, Inspector, Legend, LinkMenu, NoticeBanner, ParamForm, PickingBanner, PlaygroundGuide,
    SendDialog, ShareBar, ShareNoteBanner, ShortcutSheet, TimeBar, TutorialGuide, CLUSTER_ID,
};
use crate::debug::DebugFlags;
use crate::driver::{Command, Driver, ScenarioLoad, DEFAULT_PRESET};
use crate::faults::{heal_all, Fault, LinkFacts, ParamKind, Params, SendForm};
use crate::i18n::{Key, Lang, LangContext, SimKey};
use crate::prefs;
use crate::sharing::ShareNote;
use crate::state::{
    shortcut, FocusKind, Mode, Picking, Point, Popup, Shortcut, UiAction, UiState, TAB_CHECKERS, TAB_DELAY, TAB_EVENTS,
    TAB_QUEUES, TAB_RETRY,
};
use crate::tutorial::chapters::step;
use crate::tutorial::code::{event_key, event_node, with_listener_result};
use crate::tutorial::model::{Highlight, ScenarioRef};
use crate::tutorial::progress::{self, Progress};
use crate::tutorial::{conf_editor, flow, BrokerConfEditor, PredictAnswer, SharedScenario, StepCheckLine};
use crate::view_model::Frame;
use crate::views::common::Same;
use crate::views::{checkers_model, Checkers, DelayView, Passport, QueueView, RetryFlow};

/// What the shell is started with.
#[derive(Clone, Debug, Default, PartialEq, Properties)]
pub struct AppProps {
    /// Debug switches from the page address.
    #[prop_or_default]
    pub debug: DebugFlags,
    /// The mode to open in (the tutorial unless the address says
    /// `?mode=playground`).
    #[prop_or_default]
    pub mode: Mode,
    /// A share link (`#s=`) or the embedded player (`?embed`) from the page
    /// address (`crate::sharing`).
    #[prop_or_default]
    pub link: crate::sharing::LinkRequest,
}

/// The callbacks every view of the running cluster gets.
#[derive(Clone, PartialEq)]
pub struct ViewCallbacks {
    /// Follow a message (opens its panel; the passport view listens too).
    pub on_select_msg: Callback<u64>,
    /// Inspect a node.
    pub on_select_node: Callback<String>,
}

/// The views mounted in the dock after the event feed: queue lanes, delay
/// levels, the retry flow and the guarantee checkers (whose tab carries the
/// number of warnings). Each gets the frame's shared snapshot and trace.
fn view_tabs(
    frame: &Rc<Frame>,
    ui: &UiState,
    callbacks: &ViewCallbacks,
    i18n: &LangContext,
    warnings: usize,
) -> Vec<DockTab> {
    let tab = |id: &'static str, key: SimKey, content: Html| DockTab {
        id: AttrValue::from(id),
        label: AttrValue::from(i18n.s(key)),
        badge: None,
        badge_label: None,
        content,
    };
    let props = view_props(frame, ui, callbacks);
    let mut checkers = tab(TAB_CHECKERS, SimKey::TabCheckers, html! { <Checkers ..props.clone() /> });
    if warnings > 0 {
        let count = warnings.to_string();
        checkers.badge = Some(AttrValue::from(count.clone()));
        checkers.badge_label = Some(AttrValue::from(i18n.f(SimKey::WarningsBadge, &[&count])));
    }
    vec![
        tab(TAB_QUEUES, SimKey::TabQueues, html! { <QueueView ..props.clone() /> }),
        tab(TAB_DELAY, SimKey::TabDelay, html! { <DelayView ..props.clone() /> }),
        tab(TAB_RETRY, SimKey::TabRetry, html! { <RetryFlow ..props /> }),
        checkers,
    ]
}

/// The props every analysis view takes, from the frame's shared data.
fn view_props(frame: &Rc<Frame>, ui: &UiState, callbacks: &ViewCallbacks) -> crate::views::ViewProps {
    crate::views::ViewProps {
        snapshot: frame.snapshot.clone(),
        records: frame.records.clone(),
        now: frame.snapshot.t,
        selected_msg: ui.selected_msg,
        on_select_msg: callbacks.on_select_msg.clone(),
        on_select_node: callbacks.on_select_node.clone(),
    }
}

/// The number of guarantee-checker findings in the frame (the checkers tab's
/// badge). Paused, recomputed when the trace changes or time moves on by a
/// quarter second; while playing, only when virtual time moves on by about
/// two wall seconds' worth (speed × 2 s), since the checks go over the whole
/// record window and a detail refresh must fit in an animation frame.
#[hook]
fn use_warnings(frame: &Rc<Frame>) -> usize {
    let (snapshot, records, now) = (frame.snapshot.clone(), frame.records.clone(), frame.now);
    let (exact, quantum) = if frame.playing {
        (None, (frame.speed * 2_000.0).max(250.0) as u64)
    } else {
        (Some(Same(records.clone())), 250)
    };
    let count = use_memo((exact, now / quantum), move |_| {
        let report = checkers_model::check(&snapshot, &records, now);
        report.count()
    });
    *count
}

/// What the driver is running, as far as the tutorial cares: a step's
/// scenario (with the listener switched, or not), or something else.
#[derive(Clone, Debug, PartialEq)]
enum Run {
    Nothing,
    Step { scenario: ScenarioRef, listener: Option<String> },
    Other,
}

/// Turns tutorial moves into driver commands and keeps the progress.
#[derive(Clone)]
struct Tutor {
    driver: Rc<Driver>,
    run: Rc<RefCell<Run>>,
    progress: UseStateHandle<Progress>,
    dispatch: UseReducerDispatcher<UiState>,
    /// Whether the loaded run carries the learner's interventions (then a
    /// step is reloaded rather than seeked, to show exactly its own state).
    touched: bool,
}

impl Tutor {
    /// Makes the driver run step `index`'s scenario: loads it unless the same
    /// run is already loaded and untouched. Returns false if it cannot be built.
    fn load(&self, index: usize) -> bool {
        let Some(s) = step(index) else { return false };
        let wanted = Run::Step { scenario: s.scenario, listener: None };
        if !self.touched && *self.run.borrow() == wanted {
            return true;
        }
        // Curriculum tests build every step; keep whatever runs if one ever fails.
        let Ok(scenario) = s.scenario.build() else { return false };
        let summary = rmqsim::presets::find(s.scenario.preset).map(|p| p.summary).unwrap_or_default();
        self.driver.command(Command::LoadScenario(Box::new(ScenarioLoad {
            name: s.scenario.preset.to_string(),
            summary: summary.to_string(),
            scenario,
        })));
        *self.run.borrow_mut() = wanted;
        self.dispatch.dispatch(UiAction::Reset);
        true
    }

    /// Shows step `index`: its run, sought to its pause point (or its hold
    /// point while its question is unanswered).
    fn show(&self, index: usize, answered: bool) {
        if self.load(index) {
            self.driver.command(Command::Seek(flow::target_ms(index, answered)));
        }
    }

    /// Replays step `index` from where it begins, pausing at its pause point.
    fn replay(&self, index: usize) {
        let Some(s) = step(index) else { return };
        if !self.load(index) {
            return;
        }
        let start = flow::start_ms(index);
        self.driver.command(Command::Seek(start));
        self.driver.command(Command::SetSpeed(flow::replay_speed(s.pause_ms - start, REPLAY_WALL_MS)));
        self.driver.command(Command::PlayUntil(s.pause_ms));
    }

    /// Moves to step `index` (Back, Next, the chapter menu) and remembers it.
    fn go(&self, index: usize) {
        let index = flow::clamp_index(index);
        let mut next = (*self.progress).clone();
        next.step = index;
        progress::save(&next);
        let answered = next.answers.contains_key(&index);
        self.progress.set(next);
        self.dispatch.dispatch(UiAction::ClearSelection);
        self.show(index, answered);
    }

    /// Records an answer; the run goes on to the pause point.
    fn answer(&self, answer: PredictAnswer) {
        let mut next = (*self.progress).clone();
        next.answer(answer.step, answer.choice);
        progress::save(&next);
        self.progress.set(next);
        if answer.step == self.progress.step {
            if let Some(s) = step(answer.step) {
                self.driver.command(Command::Seek(s.pause_ms));
            }
        }
    }
}

/// Reloads the running scenario with every listener returning `result` and
/// replays to the same virtual time.
fn switch_listener(driver: &Driver, run: &RefCell<Run>, frame: &Frame, result: &str) {
    let Some(definition) = frame.definition.as_ref() else { return };
    let now = frame.now;
    driver.command(Command::LoadScenario(Box::new(ScenarioLoad {
        name: frame.scenario.to_string(),
        summary: frame.summary.to_string(),
        scenario: with_listener_result(definition, result),
    })));
    driver.command(Command::Seek(now));
    let next = match &*run.borrow() {
        Run::Step { scenario, .. } => Run::Step { scenario: *scenario, listener: Some(result.to_string()) },
        _ => Run::Other,
    };
    *run.borrow_mut() = next;
}

/// Sends driver commands from the UI.
#[derive(Clone, PartialEq)]
struct Wiring {
    /// Opens the A/B comparison, optionally on one setting.
    compare: Callback<Option<Knob>>,
    driver: Rc<Driver>,
    dispatch: UseReducerDispatcher<UiState>,
}

impl Wiring {
    fn command(&self) -> Callback<Command> {
        let driver = self.driver.clone();
        Callback::from(move |command| driver.command(command))
    }

    fn ui<T: 'static>(&self, make: impl Fn(T) -> UiAction + 'static) -> Callback<T> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |value| dispatch.dispatch(make(value)))
    }

    /// Applies an intervention and closes popups.
    fn intervene(&self) -> Callback<Action> {
        let (driver, dispatch) = (self.driver.clone(), self.dispatch.clone());
        Callback::from(move |action| {
            driver.command(Command::Intervene(Box::new(action)));
            dispatch.dispatch(UiAction::Dismiss);
        })
    }

    /// A fault chosen in a menu or the inspector: applied at once, or its
    /// form opened (forgetting older refusals, so the form shows only its own).
    fn choose_fault(&self, frame: &Frame) -> Callback<(String, Fault, Point)> {
        let (intervene, dispatch) = (self.intervene(), self.dispatch.clone());
        let notice = frame.notice.as_ref().map_or(0, |n| n.id);
        Callback::from(move |(node, fault, at): (String, Fault, Point)| {
            dispatch.dispatch(UiAction::DismissNotice(notice));
            if fault.param() == ParamKind::None {
                if let Some(action) = fault.action(&node, &Params::default()) {
                    intervene.emit(action);
                }
            } else {
                dispatch.dispatch(UiAction::ChooseFault { node, fault, at });
            }
        })
    }
}

/// The whole app.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let lang = use_state(prefs::initial_lang);
    use_effect_with(*lang, |lang| prefs::apply_document_lang(*lang));
    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |next: Lang| {
            prefs::remember_lang(next);
            lang.set(next);
        })
    };
    let context = LangContext { lang: *lang, set_lang };

    let frame = use_state(|| Rc::new(Frame::empty()));
    let driver = use_driver(&frame);
    let start_mode = props.mode;
    let ui = use_reducer(move || UiState { mode: start_mode, ..UiState::default() });
    let compare = use_state(|| None::<Option<Knob>>);
    let compare_open = compare.setter();
    let wiring =
        Wiring { compare: Callback::from(move |knob| compare_open.set(Some(knob))), driver, dispatch: ui.dispatcher() };
    use_shortcuts(&wiring);

    let progress = use_state(progress::load);
    let run = use_mut_ref(|| Run::Nothing);
    let frame = (*frame).clone();
    let tutor = Tutor {
        driver: wiring.driver.clone(),
        run: run.clone(),
        progress: progress.clone(),
        dispatch: wiring.dispatch.clone(),
        touched: frame.interventions_applied + frame.interventions_ahead > 0,
    };
    use_first_load(&tutor, start_mode, props.debug.flights);
    let share_note = use_state(|| None::<Rc<ShareNote>>);
    use_share_link(&tutor, &props.link, &share_note);
    let share_bar = share_bar(&frame, &wiring, &share_note, &run);

    let warnings = use_warnings(&frame);
    let announced_step = (ui.mode == Mode::Tutorial).then(|| flow::clamp_index(tutor.progress.step));
    let step_holding = announced_step.and_then(step).is_some_and(|s| {
        s.predict.is_some()
            && !tutor.progress.answers.contains_key(&flow::clamp_index(tutor.progress.step))
            && frame.loaded()
            && frame.now < s.pause_ms
    });
    let differs = crate::components::use_step_differs(
        announced_step,
        step_holding,
        frame.now,
        &frame.records,
        frame.first_record,
    );
    let announcer = html! {
        <Announcer step={announced_step} ended={(frame.loaded() && frame.ended).then_some(frame.now)}
            {warnings} {differs} />
    };
    let callbacks = ViewCallbacks {
        on_select_msg: wiring.ui(UiAction::SelectMsg),
        on_select_node: wiring.ui(UiAction::SelectNode),
    };
    let highlight = match ui.mode {
        Mode::Tutorial => step_nodes(&frame, progress.step),
        Mode::Playground | Mode::Challenges | Mode::Lab => Rc::new(Vec::new()),
    };
    let on_mode = {
        let (tutor, dispatch) = (tutor.clone(), wiring.dispatch.clone());
        let current = ui.mode;
        Callback::from(move |mode: Mode| {
            if mode == current {
                return;
            }
            dispatch.dispatch(UiAction::SetMode(mode));
            if mode == Mode::Tutorial {
                let index = tutor.progress.step;
                tutor.show(index, tutor.progress.answers.contains_key(&index));
            }
        })
    };
    let (lab_node, lab_note) = crate::lab_mount::use_lab(
        &frame,
        ui.mode == Mode::Lab && props.link.embed.is_none(),
        wiring.command(),
        wiring.ui(|_: ()| UiAction::OpenBuilder),
        context.lang,
    );
    let narrow = crate::responsive::use_narrow();
    let guide = if ui.mode == Mode::Lab {
        html! {
            <aside class="guide lab-host" aria-label={context.s(SimKey::ModeLab)}>
                { lab_note }
                <div ref={lab_node} class="lab-root" />
            </aside>
        }
    } else {
        guide(&frame, &ui, &tutor, &wiring, context.lang, narrow)
    };
    if props.link.embed.is_some() {
        let notes = share_notes(&frame, &share_note, &wiring.driver);
        return html! {
            <ContextProvider<LangContext> context={context.clone()}>
                { embed_view(&frame, &ui, &wiring, &callbacks, &context, warnings, notes) }
            </ContextProvider<LangContext>>
        };
    }
    let centre = centre(&frame, &ui, &wiring, &callbacks, &context, &run, warnings, highlight, share_bar);
    let side = side_panel(&frame, &ui, &wiring, &callbacks, &context);
    let popup = popup(&frame, &ui, &wiring, &context);
    let has_side = side.is_some();
    let dock_tall = ui.tab != TAB_EVENTS;
    let mode_class = match ui.mode {
        Mode::Tutorial => "mode-tutorial",
        Mode::Playground => "mode-playground",
        Mode::Challenges => "mode-playground mode-challenges",
        Mode::Lab => "mode-playground mode-lab",
    };

    html! {
        <ContextProvider<LangContext> context={context.clone()}>
            <div class={classes!("shell", "sim-shell", mode_class, has_side.then_some("has-side"), dock_tall.then_some("dock-tall"))}>
                <a class="skip-link" href={format!("#{CLUSTER_ID}")}>{ context.t(Key::SkipToCluster) }</a>
                <Header mode={ui.mode} {on_mode} />
                // The optional parts sit in fragments that are always there, so opening a popup or
                // the side panel does not shift the siblings Yew matches them against (which
                // would remount the guide and lose its state).
                { guide }
                { centre }
                <>{ for side }</>
                <TimeBar frame={frame.clone()} on_command={wiring.command()} clock={wiring.driver.clock_ref()} />
                <>{ for popup }</>
                if let Some(knob) = *compare {
                    <CompareDialog running={frame.definition.clone().map(SharedScenario)} {knob}
                        on_close={{ let compare = compare.setter(); Callback::from(move |_: ()| compare.set(None)) }} />
                }
                if props.debug.panic {
                    <DebugPanic />
                }
                { announcer }
            </div>
        </ContextProvider<LangContext>>
    }
}

/// Creates the driver and stops it when the app unmounts.
#[hook]
fn use_driver(frame: &UseStateHandle<Rc<Frame>>) -> Rc<Driver> {
    let setter = frame.setter();
    let driver = use_memo((), move |_| Driver::new(Callback::from(move |next: Rc<Frame>| setter.set(next))));
    {
        let driver = driver.clone();
        use_effect_with((), move |_| move || driver.shutdown());
    }
    driver
}

/// Loads the first run once mounted: the saved tutorial step, or the default
/// preset in the playground.
#[hook]
fn use_first_load(tutor: &Tutor, mode: Mode, flights: bool) {
    let tutor = tutor.clone();
    use_effect_with((), move |_| match mode {
        // `?mode=playground&debug=flights`: the frame benchmark (scripts/bench-browser.mjs).
        Mode::Playground if flights => {
            *tutor.run.borrow_mut() = Run::Other;
            let scenario = rmqsim::bench::flights_workload();
            let (name, summary) = (scenario.name.clone(), "~1,100 messages in flight".to_string());
            tutor.driver.command(Command::LoadScenario(Box::new(ScenarioLoad { name, summary, scenario })));
            tutor.driver.command(Command::SetSpeed(1000.0));
            tutor.driver.command(Command::Play);
        }
        Mode::Tutorial => {
            let index = flow::clamp_index(tutor.progress.step);
            tutor.show(index, tutor.progress.answers.contains_key(&index));
        }
        // The challenges column loads a challenge's cluster when one is chosen (or named by the link).
        Mode::Challenges => {
            *tutor.run.borrow_mut() = Run::Other;
            let location = web_sys::window().map(|w| w.location());
            let address = location.map(|l| l.search().unwrap_or_default() + &l.hash().unwrap_or_default());
            if !address.unwrap_or_default().contains("challenge=") {
                tutor.driver.command(Command::Load(DEFAULT_PRESET.to_string()));
            }
        }
        // The lab column loads its own cluster when it shows.
        Mode::Lab => *tutor.run.borrow_mut() = Run::Other,
        Mode::Playground => {
            *tutor.run.borrow_mut() = Run::Other;
            // `?restore=last` (the panic panel's way back): the last good state, paused.
            match crate::last_good::take_restore() {
                Some(load) => tutor.driver.command(Command::LoadSession(Box::new(load))),
                None => tutor.driver.command(Command::Load(DEFAULT_PRESET.to_string())),
            }
        }
    });
}

/// The nodes the current step points at that the running cluster has.
fn step_nodes(frame: &Frame, index: usize) -> Rc<Vec<String>> {
    let Some(s) = step(index) else { return Rc::new(Vec::new()) };
    let names = s.highlight.iter().filter_map(|h| match h {
        Highlight::Node(name) if frame.snapshot.nodes.iter().any(|n| n.name == *name) => Some(name.to_string()),
        _ => None,
    });
    Rc::new(names.collect())
}

/// The left column for the mode in force.
fn guide(
    frame: &Rc<Frame>,
    ui: &UiState,
    tutor: &Tutor,
    wiring: &Wiring,
    lang: crate::i18n::Lang,
    narrow: bool,
) -> Html {
    let newest = frame.records.last();
    let current_event = newest.map(event_key);
    let current_node = newest.and_then(event_node).map(str::to_string);
    let on_listener_result = {
        let (driver, run, frame) = (wiring.driver.clone(), tutor.run.clone(), frame.clone());
        Callback::from(move |result: String| switch_listener(&driver, &run, &frame, &result))
    };
    let index = flow::clamp_index(tutor.progress.step);
    if ui.mode == Mode::Challenges {
        let driver = wiring.driver.clone();
        return html! {
            <ChallengeGuide records={frame.records.clone()} first_record={frame.first_record}
                on_command={wiring.command()} document={Callback::from(move |_: ()| driver.document())}
                on_select_msg={wiring.ui(UiAction::SelectMsg)} on_tools={wiring.ui(UiAction::SetTools)}
                on_build={wiring.ui(|_: ()| UiAction::OpenBuilder)} />
        };
    }
    if ui.mode == Mode::Playground {
        let on_tutorial = {
            let dispatch = wiring.dispatch.clone();
            let tutor = tutor.clone();
            Callback::from(move |_: ()| {
                dispatch.dispatch(UiAction::SetMode(Mode::Tutorial));
                tutor.show(index, tutor.progress.answers.contains_key(&index));
            })
        };
        let on_lab = {
            let (dispatch, definition) = (wiring.dispatch.clone(), frame.definition.clone());
            Callback::from(move |_: ()| {
                if let Some(sc) = definition.as_deref() {
                    crate::lab_mount::open_scenario(sc, lang);
                }
                dispatch.dispatch(UiAction::SetMode(Mode::Lab));
            })
        };
        return html! {
            <PlaygroundGuide step={index} scenario={frame.definition.clone().map(SharedScenario)} {current_event} {current_node}
                {on_tutorial} {on_listener_result} on_build={wiring.ui(|_: ()| UiAction::OpenBuilder)} {on_lab} />
        };
    }
    let Some(s) = step(index) else { return Html::default() };
    let answered = tutor.progress.answers.get(&index).copied();
    let holding = s.predict.is_some() && answered.is_none() && frame.loaded() && frame.now < s.pause_ms;
    let start_ms = flow::start_ms(index);
    let pause_ms = s.pause_ms;
    let on_step = {
        let tutor = tutor.clone();
        Callback::from(move |target: usize| tutor.go(target))
    };
    let on_answer = {
        let tutor = tutor.clone();
        Callback::from(move |answer: PredictAnswer| tutor.answer(answer))
    };
    let on_skip = {
        let driver = wiring.driver.clone();
        Callback::from(move |_: ()| driver.command(Command::Seek(pause_ms)))
    };
    let on_replay = {
        let tutor = tutor.clone();
        Callback::from(move |_: ()| tutor.replay(index))
    };
    html! {
        <TutorialGuide
            step={index}
            {answered}
            {holding}
            {start_ms}
            {pause_ms}
            scenario={frame.definition.clone().map(SharedScenario)}
            {current_event}
            {current_node}
            {on_step}
            {on_answer}
            {on_skip}
            {on_replay}
            {on_listener_result}
            check={html! { <StepCheckLine step={index} {holding} now={frame.now} records={frame.records.clone()} first_record={frame.first_record} /> }}
            tools={step_tools(frame, tutor, wiring, index, lang, narrow)}
        />
    }
}

/// A step's tools under its narration: chapter 1's broker.conf editor (a
/// valid file rebuilds the run at the same moment; the step is then reloaded
/// when shown again) and the link to the A/B comparison. On a narrow screen
/// the editor sits behind a disclosure.
fn step_tools(
    frame: &Rc<Frame>,
    tutor: &Tutor,
    wiring: &Wiring,
    index: usize,
    lang: crate::i18n::Lang,
    narrow: bool,
) -> Html {
    let editor = frame.definition.clone().filter(|_| conf_editor::shows_editor(index)).map(|running| {
        let (driver, run, now, name, summary) =
            (wiring.driver.clone(), tutor.run.clone(), frame.now, frame.scenario.to_string(), frame.summary.to_string());
        let on_apply = Callback::from(move |scenario: rmqsim::Scenario| {
            driver.command(Command::LoadScenario(Box::new(ScenarioLoad { name: name.clone(), summary: summary.clone(), scenario })));
            driver.command(Command::Seek(now));
            *run.borrow_mut() = Run::Other;
        });
        let original = conf_editor::step_conf(index).unwrap_or_default();
        let editor =
            html! { <BrokerConfEditor scenario={SharedScenario(running)} original={AttrValue::from(original)} {on_apply} /> };
        let summary = crate::i18n::tools::tt(lang, crate::i18n::tools::ToolKey::ConfHeading).to_string();
        crate::responsive::disclose(narrow, "conf-more", summary, editor)
    });
    let link = step_link(index).map(|knob| {
        let open = wiring.compare.reform(move |_: MouseEvent| Some(knob));
        html! { <CompareLink {open} {knob} scenario={frame.definition.clone().map(SharedScenario)} /> }
    });
    let lab = crate::tutorial::chapters::in_usage_chapter(index).then(|| {
        let dispatch = wiring.dispatch.clone();
        let delay = frame.definition.as_deref().is_some_and(|d| d.name.contains("delay"));
        let open = Callback::from(move |_: MouseEvent| {
            crate::lab_mount::open_preset(if delay { "delay" } else { "tutorial" });
            dispatch.dispatch(UiAction::SetMode(Mode::Lab));
        });
        html! {
            <div class="panel step-lab">
                <button type="button" class="button button-primary" onclick={open}>{ crate::i18n::st(lang, SimKey::LabOpenIn) }</button>
            </div>
        }
    });
    html! { <>{ for editor }{ for link }{ for lab }</> }
}

/// About how long (wall time) replaying a step takes, idle time skipped on top.
const REPLAY_WALL_MS: u64 = 6_000;

/// The cluster (toolbar, drawing, banners, colour key) and the dock.
#[allow(clippy::too_many_arguments)]
fn centre(
    frame: &Rc<Frame>,
    ui: &UseReducerHandle<UiState>,
    wiring: &Wiring,
    callbacks: &ViewCallbacks,
    i18n: &LangContext,
    run: &Rc<RefCell<Run>>,
    warnings: usize,
    highlight: Rc<Vec<String>>,
    share_bar: Html,
) -> Html {
    let on_node_click = {
        let (picking, intervene, dispatch) = (ui.picking.clone(), wiring.intervene(), wiring.dispatch.clone());
        Callback::from(move |node: String| match &picking {
            Some(Picking { from, link: Some(at), .. }) if *from != node => {
                dispatch.dispatch(UiAction::OpenLinkMenu { a: from.clone(), b: node, at: *at });
            }
            Some(p) if p.from != node => {
                let params = Params { other: Some(node), oneway: p.oneway, ..Params::default() };
                if let Some(action) = Fault::Partition.action(&p.from, &params) {
                    intervene.emit(action);
                }
                dispatch.dispatch(UiAction::EndPicking);
            }
            Some(_) => {}
            None => dispatch.dispatch(UiAction::SelectNode(node)),
        })
    };
    let notice = frame.notice.as_ref().filter(|n| n.id > ui.dismissed_notice).map(|n| {
        let id = n.id;
        html! {
            <NoticeBanner field={n.field.clone()} message={n.message.clone()}
                on_dismiss={wiring.ui(move |_: ()| UiAction::DismissNotice(id))} />
        }
    });
    let picking = ui.picking.clone().map(|picking| {
        html! {
            <PickingBanner {picking} on_oneway={wiring.ui(UiAction::SetOneway)} on_cancel={wiring.ui(|_: ()| UiAction::EndPicking)} />
        }
    });
    let on_send = {
        let dispatch = wiring.dispatch.clone();
        let producer = ui
            .selected_node
            .clone()
            .filter(|n| frame.snapshot.nodes.iter().any(|s| &s.name == n && s.kind == "producer"));
        let notice = frame.notice.as_ref().map_or(0, |n| n.id);
        Callback::from(move |_: ()| {
            dispatch.dispatch(UiAction::DismissNotice(notice));
            dispatch.dispatch(UiAction::OpenSend(SendForm {
                producer: producer.clone().unwrap_or_default(),
                ..SendForm::default()
            }))
        })
    };
    let on_pick = {
        // Picking a preset is free driving: it leaves the tutorial.
        let (command, dispatch, run) = (wiring.command(), wiring.dispatch.clone(), run.clone());
        Callback::from(move |name: String| {
            dispatch.dispatch(UiAction::Reset);
            dispatch.dispatch(UiAction::SetMode(Mode::Playground));
            *run.borrow_mut() = Run::Other;
            command.emit(Command::Load(name));
        })
    };
    let on_heal_all = {
        let intervene = wiring.intervene();
        Callback::from(move |_: ()| intervene.emit(heal_all()))
    };

    let feed = event_feed(frame, ui, wiring, callbacks, callbacks.on_select_node.clone());
    let mut tabs = vec![DockTab {
        id: AttrValue::from(TAB_EVENTS),
        label: AttrValue::from(i18n.s(SimKey::TabEvents)),
        badge: None,
        badge_label: None,
        content: feed,
    }];
    tabs.extend(view_tabs(frame, ui, callbacks, i18n, warnings));

    html! {
        <>
            <main id={CLUSTER_ID} class="cluster sim-cluster" tabindex="-1" aria-label={i18n.t(Key::ClusterRegionLabel)}>
                <ClusterToolbar
                    frame={frame.clone()}
                    scenarios_open={ui.scenarios_open}
                    on_toggle_scenarios={wiring.ui(|_: ()| UiAction::ToggleScenarios)}
                    {on_pick}
                    {on_heal_all}
                    {on_send}
                    can_send={ui.allows(rmqsim::challenge::Tool::SendForm)}
                    on_shortcuts={wiring.ui(|_: ()| UiAction::ToggleShortcuts)}
                    on_compare={Some(wiring.compare.reform(|_: ()| None))}
                />
                { share_bar }
                <div class="stage-wrap">
                    if frame.loaded() {
                        <ClusterView
                            frame={frame.clone()}
                            selected_node={ui.selected_node.clone()}
                            selected_msg={ui.selected_msg}
                            picking={ui.picking.clone()}
                            {highlight}
                            {on_node_click}
                            on_node_menu={wiring.ui(|(node, at): (String, Point)| UiAction::OpenMenu { node, at })}
                            on_link_menu={wiring.ui(|(a, b, at): (String, String, Point)| UiAction::OpenLinkMenu { a, b, at })}
                            on_select_msg={callbacks.on_select_msg.clone()}
                            canvas={wiring.driver.packet_canvas()}
                        />
                    } else {
                        <p class="stage-loading" role="status">{ i18n.s(SimKey::Loading) }</p>
                    }
                    <div class="stage-banners">
                        { for notice }
                        { for picking }
                    </div>
                </div>
                <div class="legend-row">
                    <Legend />
                    <p class="legend-extra">{ format!("{} · {}", i18n.s(SimKey::CellsHint), i18n.s(SimKey::FaultHint)) }</p>
                </div>
            </main>
            <Dock {tabs} active={AttrValue::from(ui.tab.clone())} on_select={wiring.ui(UiAction::ShowTab)} />
        </>
    }
}

/// The inspector, or a message's passport, when something is picked.
fn side_panel(
    frame: &Rc<Frame>,
    ui: &UiState,
    wiring: &Wiring,
    callbacks: &ViewCallbacks,
    i18n: &LangContext,
) -> Option<Html> {
    let on_close = wiring.ui(|_: ()| UiAction::ClearSelection);
    if let Some(msg) = ui.selected_msg {
        let label = i18n.f(SimKey::PassportPanel, &[&msg.to_string()]);
        return Some(html! {
            <aside class="inspector passport-panel" aria-label={label}>
                <button type="button" class="icon-button passport-close" aria-label={i18n.s(SimKey::Close)}
                    title={i18n.s(SimKey::Close)} onclick={on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
                <Passport ..view_props(frame, ui, callbacks) />
            </aside>
        });
    }
    let node = ui.selected_node.clone()?;
    Some(html! {
        <Inspector
            frame={frame.clone()}
            {node}
            {on_close}
            on_choose_fault={wiring.choose_fault(frame)}
            on_intervene={wiring.intervene()}
        />
    })
}

/// The open popup, if any.
fn popup(frame: &Rc<Frame>, ui: &UiState, wiring: &Wiring, i18n: &LangContext) -> Option<Html> {
    let on_close = wiring.ui(|_: ()| UiAction::Dismiss);
    Some(match ui.popup.clone()? {
        Popup::Menu { node, at } => {
            let node = frame.snapshot.nodes.iter().find(|n| n.name == node)?.clone();
            html! {
                <FaultMenu {node} partitions={frame.snapshot.partitions.clone()} {at} on_choose={wiring.choose_fault(frame)} {on_close} />
            }
        }
        Popup::Param { node, peer, fault, at } => html! {
            <ParamForm {node} {peer} {fault} {at} on_apply={wiring.intervene()} {on_close} />
        },
        Popup::LinkMenu { a, b, at } => {
            let facts = LinkFacts::of(&a, &b, &frame.snapshot);
            let on_choose = {
                let (intervene, dispatch, a, b) = (wiring.intervene(), wiring.dispatch.clone(), a.clone(), b.clone());
                Callback::from(move |(fault, at): (Fault, Point)| {
                    if fault.link_needs_form() {
                        dispatch.dispatch(UiAction::LinkParam { a: a.clone(), b: b.clone(), fault, at });
                    } else if let Some(action) =
                        fault.action(&a, &Params { other: Some(b.clone()), ..Params::default() })
                    {
                        intervene.emit(action);
                    }
                })
            };
            html! { <LinkMenu {a} {b} {facts} {at} {on_choose} {on_close} /> }
        }
        Popup::Send(form) => {
            let producers: Vec<String> =
                frame.snapshot.nodes.iter().filter(|n| n.kind == "producer").map(|n| n.name.clone()).collect();
            let topics = frame_topics(frame);
            let on_send = {
                let (driver, dispatch) = (wiring.driver.clone(), wiring.dispatch.clone());
                Callback::from(move |action: Action| {
                    driver.command(Command::Intervene(Box::new(action)));
                    if !driver.refused_last() {
                        dispatch.dispatch(UiAction::Dismiss);
                    }
                })
            };
            let refusal = frame
                .notice
                .as_ref()
                .filter(|n| n.id > ui.dismissed_notice)
                .map(|n| i18n.f(SimKey::Refused, &[&n.field, &n.message]));
            html! {
                <SendDialog {form} {producers} {topics} on_edit={wiring.ui(UiAction::EditSend)} {on_send} {on_close} {refusal} />
            }
        }
        Popup::Shortcuts => html! { <ShortcutSheet {on_close} /> },
        Popup::Builder => {
            let on_build = {
                let (driver, dispatch) = (wiring.driver.clone(), wiring.dispatch.clone());
                let summary = crate::i18n::builder::bt(i18n.lang, crate::i18n::builder::BuildKey::Title).to_string();
                Callback::from(move |scenario: rmqsim::Scenario| {
                    driver.command(Command::LoadScenario(Box::new(ScenarioLoad {
                        name: scenario.name.clone(),
                        summary: summary.clone(),
                        scenario,
                    })));
                    dispatch.dispatch(UiAction::Reset);
                    dispatch.dispatch(UiAction::Dismiss);
                })
            };
            html! { <ClusterBuilder base={frame.definition.clone().map(SharedScenario)} {on_build} {on_close} /> }
        }
    })
}

/// The topics a producer can send to: those declared in the scenario, then
/// any other user topic a broker hosts.
fn frame_topics(frame: &Frame) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for node in &frame.snapshot.nodes {
        if let rmqsim::snapshot::NodeDetail::Broker(b) = &node.detail {
            for t in &b.topics {
                if !crate::view_model::is_system_topic(&t.name) && !topics.contains(&t.name) {
                    topics.push(t.name.clone());
                }
            }
        }
    }
    topics
}

/// Listens to the keyboard shortcuts on the whole document.
#[hook]
fn use_shortcuts(wiring: &Wiring) {
    let wiring = wiring.clone();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.default_prevented() {
                return;
            }
            let modifier = e.ctrl_key() || e.meta_key() || e.alt_key();
            let Some(action) = shortcut(&e.key(), e.shift_key(), modifier, focus_kind(e.target())) else { return };
            let command = |c: Command| wiring.driver.command(c);
            match action {
                Shortcut::TogglePlay => command(Command::TogglePlay),
                Shortcut::Step => command(Command::Step),
                Shortcut::NextEvent => command(Command::NextEvent),
                Shortcut::BackOneSecond => command(Command::Back(1_000)),
                Shortcut::Help => wiring.dispatch.dispatch(UiAction::ToggleShortcuts),
                Shortcut::Escape => {
                    wiring.dispatch.dispatch(UiAction::Dismiss);
                    return;
                }
            }
            e.prevent_default();
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = document {
                let _ = document.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// What kind of element a key event comes from.
fn focus_kind(target: Option<web_sys::EventTarget>) -> FocusKind {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return FocusKind::Other };
    let role = element.get_attribute("role").unwrap_or_default();
    match element.tag_name().to_ascii_lowercase().as_str() {
        "input" => match element.get_attribute("type").unwrap_or_default().as_str() {
            "range" => FocusKind::Slider,
            "checkbox" | "radio" | "button" | "submit" => FocusKind::Button,
            _ => FocusKind::Text,
        },
        "select" | "textarea" => FocusKind::Text,
        "button" | "a" | "summary" => FocusKind::Button,
        _ if role == "slider" => FocusKind::Slider,
        _ if matches!(role.as_str(), "button" | "tab" | "menuitem" | "option") => FocusKind::Button,
        _ if element.get_attribute("contenteditable").is_some() => FocusKind::Text,
        _ => FocusKind::Other,
    }
}

// ---------------------------------------------------------------------------
// Sharing: the share link on opening, the fingerprint strip, the embedded player

/// Opens the page's share link (`#s=`) or embedded preset (`?embed=NAME`)
/// once mounted, after the first load (which put the playground's default
/// preset up, so a damaged link leaves the normal app with a message).
#[hook]
fn use_share_link(tutor: &Tutor, link: &crate::sharing::LinkRequest, note: &UseStateHandle<Option<Rc<ShareNote>>>) {
    let (tutor, link, note) = (tutor.clone(), link.clone(), note.clone());
    use_effect_with((), move |_| {
        if let Some(token) = &link.token {
            match crate::sharing::read_token(token) {
                Ok(doc) => {
                    let expected = doc.position.zip(doc.fingerprint.clone());
                    let lab = doc.lab.is_some();
                    let load = crate::sharing::session_load(doc);
                    let name = load.name.clone();
                    *tutor.run.borrow_mut() = Run::Other;
                    tutor.driver.command(Command::LoadSession(Box::new(load)));
                    if lab {
                        // A code lab run opens in the lab: the code in the editor, the run replayed.
                        tutor.dispatch.dispatch(UiAction::SetMode(Mode::Lab));
                    }
                    note.set(Some(Rc::new(ShareNote::LinkOpened { name, expected })));
                }
                Err(error) => note.set(Some(Rc::new(ShareNote::LinkRefused(error)))),
            }
        } else if let Some(name) = link.embed.as_ref().filter(|n| !n.is_empty()) {
            tutor.driver.command(Command::Load(name.clone()));
            if tutor.driver.refused_last() {
                note.set(Some(Rc::new(ShareNote::EmbedUnknown(name.clone()))));
            }
        }
    });
}

/// The sharing messages, if any.
fn share_notes(frame: &Rc<Frame>, note: &UseStateHandle<Option<Rc<ShareNote>>>, driver: &Rc<Driver>) -> Html {
    let on_dismiss = {
        let note = note.clone();
        Callback::from(move |_: ()| note.set(None))
    };
    let on_undo = {
        let (note, driver) = (note.clone(), driver.clone());
        Callback::from(move |previous: crate::sharing::PreviousRun| {
            let load = crate::sharing::session_load((*previous.0).clone());
            let name = load.name.clone();
            driver.command(Command::LoadSession(Box::new(load)));
            note.set(Some(Rc::new(ShareNote::ImportUndone(name))));
        })
    };
    html! {
        <div class="share-notes">
            <ShareNoteBanner note={(**note).clone()} frame={frame.clone()} {on_dismiss} {on_undo} />
        </div>
    }
}

/// The fingerprint strip with its panel, and the sharing messages.
fn share_bar(
    frame: &Rc<Frame>,
    wiring: &Wiring,
    note: &UseStateHandle<Option<Rc<ShareNote>>>,
    run: &Rc<RefCell<Run>>,
) -> Html {
    let on_note = {
        let note = note.clone();
        Callback::from(move |next: Option<ShareNote>| note.set(next.map(Rc::new)))
    };
    let on_loaded = {
        // An imported session is free driving: it leaves the tutorial.
        let (dispatch, run) = (wiring.dispatch.clone(), run.clone());
        Callback::from(move |_: ()| {
            dispatch.dispatch(UiAction::Reset);
            dispatch.dispatch(UiAction::SetMode(Mode::Playground));
            *run.borrow_mut() = Run::Other;
        })
    };
    html! {
        <>
            <ShareBar frame={frame.clone()} driver={wiring.driver.clone()} {on_note} {on_loaded} />
            { share_notes(frame, note, &wiring.driver) }
        </>
    }
}

/// The event feed of the dock's first tab (the embed passes a node
/// callback that does nothing).
fn event_feed(
    frame: &Rc<Frame>,
    ui: &UiState,
    wiring: &Wiring,
    callbacks: &ViewCallbacks,
    on_select_node: Callback<String>,
) -> Html {
    let nodes: Rc<Vec<(String, &'static str)>> =
        Rc::new(frame.snapshot.nodes.iter().map(|n| (n.name.clone(), n.kind)).collect());
    html! {
        <EventFeed
            records={frame.records.clone()}
            first_record={frame.first_record}
            older={frame.older.clone()}
            {nodes}
            filter_node={ui.feed_node.clone()}
            filter_category={ui.feed_category}
            selected_msg={ui.selected_msg}
            live={frame.playing}
            on_filter_node={wiring.ui(UiAction::FilterNode)}
            on_filter_category={wiring.ui(UiAction::FilterCategory)}
            on_select_msg={callbacks.on_select_msg.clone()}
            {on_select_node}
        />
    }
}

/// The embeddable player (`?embed=PRESET`, `?embed#s=TOKEN`): read-only and
/// chapter-free: the cluster, the dock of views and the time bar, with a
/// small link that opens the same run in the full simulator. No tutorial,
/// no mode switch, no fault menus and no send form.
fn embed_view(
    frame: &Rc<Frame>,
    ui: &UseReducerHandle<UiState>,
    wiring: &Wiring,
    callbacks: &ViewCallbacks,
    i18n: &LangContext,
    warnings: usize,
    notes: Html,
) -> Html {
    use crate::i18n::share::{ts, ShareKey};
    let lang = i18n.lang;
    let open_href = wiring
        .driver
        .document()
        .map(|doc| crate::sharing::simulator_url(&crate::sharing::page_base(), &doc))
        .unwrap_or_else(|| "?mode=playground".to_string());
    // Read-only: a node in the feed selects nothing.
    let feed = event_feed(frame, ui, wiring, callbacks, Callback::noop());
    let mut tabs = vec![DockTab {
        id: AttrValue::from(TAB_EVENTS),
        label: AttrValue::from(i18n.s(SimKey::TabEvents)),
        badge: None,
        badge_label: None,
        content: feed,
    }];
    let read_only = ViewCallbacks { on_select_msg: callbacks.on_select_msg.clone(), on_select_node: Callback::noop() };
    tabs.extend(view_tabs(frame, ui, &read_only, i18n, warnings));
    let summary = crate::i18n::presets::summary(lang, &frame.summary);
    html! {
        <div class="shell sim-shell embed-shell" aria-label={ts(lang, ShareKey::EmbedLabel)}>
            <header class="embed-head">
                <strong class="embed-title">{ frame.scenario.to_string() }</strong>
                <span class="embed-summary" title={summary.clone()}>{ summary }</span>
                <span class="embed-badge">{ i18n.t(Key::SimulatedBadge) }</span>
                <a class="embed-open" href={open_href} target="_blank" rel="noopener">{ ts(lang, ShareKey::OpenInSimulator) }</a>
            </header>
            { notes }
            <main id={CLUSTER_ID} class="cluster sim-cluster" tabindex="-1" aria-label={i18n.t(Key::ClusterRegionLabel)}>
                <div class="stage-wrap">
                    if frame.loaded() {
                        <ClusterView
                            frame={frame.clone()}
                            selected_node={None::<String>}
                            selected_msg={ui.selected_msg}
                            picking={None::<Picking>}
                            highlight={Rc::new(Vec::new())}
                            on_node_click={Callback::noop()}
                            on_node_menu={Callback::noop()}
                            on_link_menu={Callback::noop()}
                            on_select_msg={callbacks.on_select_msg.clone()}
                            canvas={wiring.driver.packet_canvas()}
                            stack={false}
                        />
                    } else {
                        <p class="stage-loading" role="status">{ i18n.s(SimKey::Loading) }</p>
                    }
                </div>
            </main>
            <Dock {tabs} active={AttrValue::from(ui.tab.clone())} on_select={wiring.ui(UiAction::ShowTab)} />
            <TimeBar frame={frame.clone()} on_command={wiring.command()} clock={wiring.driver.clock_ref()} />
        </div>
    }
}
