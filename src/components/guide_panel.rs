//! The left column. In the tutorial: the step's narration with Back / Next
//! and the chapter menu, its predict-then-observe question (with a note while
//! the run waits for the answer), and the client code of the running
//! scenario with the line the newest trace event executes. In the
//! playground: what the mode is for, a way back to the tutorial, and the
//! same code panel. It owns nothing: the step, the answers and the run come
//! in as props, every wish goes out through a callback (`app.rs` turns them
//! into driver commands).

use yew::prelude::*;

use crate::i18n::builder::{bt, BuildKey};
use crate::i18n::{use_lang, Key, LangContext, SimKey};
use crate::responsive::{disclose, use_narrow};
use crate::tutorial::chapters::step;
use crate::tutorial::{CodePanel, Narration, Predict, PredictAnswer, SharedScenario};
use crate::view_model::format_duration;

/// What the tutorial column shows.
#[derive(Properties, PartialEq)]
pub struct TutorialGuideProps {
    /// Index of the current step.
    pub step: usize,
    /// The choice saved for this step's question, if answered.
    #[prop_or_default]
    pub answered: Option<usize>,
    /// Whether the run is held before the outcome, waiting for the answer.
    #[prop_or_default]
    pub holding: bool,
    /// Where the step begins and pauses (for the replay button's hint).
    pub start_ms: u64,
    pub pause_ms: u64,
    /// The running scenario, once loaded.
    #[prop_or_default]
    pub scenario: Option<SharedScenario>,
    /// The newest trace event's key and node (the code panel's running line).
    #[prop_or_default]
    pub current_event: Option<String>,
    #[prop_or_default]
    pub current_node: Option<String>,
    pub on_step: Callback<usize>,
    pub on_answer: Callback<PredictAnswer>,
    /// Run to the pause point without answering.
    pub on_skip: Callback<()>,
    /// Replay the step from its beginning to its pause point.
    pub on_replay: Callback<()>,
    pub on_listener_result: Callback<String>,
    /// The narration check line (under the question, above the run controls).
    #[prop_or_default]
    pub check: Html,
    /// Step tools shown between the narration and the code (chapter 1's
    /// broker.conf editor, a link to the A/B comparison).
    #[prop_or_default]
    pub tools: Html,
}

/// The tutorial's left column.
#[function_component]
pub fn TutorialGuide(props: &TutorialGuideProps) -> Html {
    let i18n = use_lang();
    let narrow = use_narrow();
    let has_question = step(props.step).is_some_and(|s| s.predict.is_some());
    let actions = if props.holding {
        html! {
            <div class="guide-hold" role="status">
                <p class="guide-hold-text">{ i18n.s(SimKey::PredictHold) }</p>
                <button type="button" class="button button-small guide-skip" onclick={props.on_skip.reform(|_: MouseEvent| ())}>
                    { i18n.s(SimKey::SkipToOutcome) }
                </button>
            </div>
        }
    } else {
        let hint =
            i18n.f(SimKey::ReplayStepHint, &[&format_duration(props.start_ms), &format_duration(props.pause_ms)]);
        html! {
            <div class="guide-actions">
                <button type="button" class="button button-small guide-replay" title={hint}
                    onclick={props.on_replay.reform(|_: MouseEvent| ())}>
                    <svg class="guide-replay-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M3 8 a5 5 0 1 0 1.6 -3.7" />
                        <path d="M2.6 1.8 L4.6 4.6 L1.6 5.4" />
                    </svg>
                    { i18n.s(SimKey::ReplayStep) }
                </button>
            </div>
        }
    };
    // A new step starts reading from the top (the column scrolls on a wide
    // screen, the lesson's own box on a narrow one).
    let column = use_node_ref();
    {
        let column = column.clone();
        use_effect_with(props.step, move |_| {
            if let Some(element) = column.cast::<web_sys::Element>() {
                element.set_scroll_top(0);
                if let Ok(Some(lesson)) = element.query_selector(".narration") {
                    lesson.set_scroll_top(0);
                }
            }
        });
    }
    html! {
        <aside class="guide tutorial-guide" aria-label={i18n.t(Key::GuidePanelLabel)} ref={column}>
            <section class="panel narration">
                <Narration step={props.step} on_step={props.on_step.clone()}>
                    if has_question {
                        <Predict step={props.step} answered={props.answered} on_answer={props.on_answer.clone()} />
                    }
                    { props.check.clone() }
                    { actions }
                </Narration>
            </section>
            { props.tools.clone() }
            { disclose(narrow, "code-more", i18n.s(SimKey::CodeHeading).to_string(), code_section(&i18n, props.scenario.as_ref(), props.current_event.clone(), props.current_node.clone(), &props.on_listener_result)) }
        </aside>
    }
}

/// What the playground column shows.
#[derive(Properties, PartialEq)]
pub struct PlaygroundGuideProps {
    /// The tutorial step the learner left (for the way back).
    pub step: usize,
    #[prop_or_default]
    pub scenario: Option<SharedScenario>,
    #[prop_or_default]
    pub current_event: Option<String>,
    #[prop_or_default]
    pub current_node: Option<String>,
    pub on_tutorial: Callback<()>,
    pub on_listener_result: Callback<String>,
    /// Open the cluster builder.
    pub on_build: Callback<()>,
    /// Open this scenario's code in the code lab.
    #[prop_or_default]
    pub on_lab: Callback<()>,
}

/// The playground's left column.
#[function_component]
pub fn PlaygroundGuide(props: &PlaygroundGuideProps) -> Html {
    let i18n = use_lang();
    let narrow = use_narrow();
    let title = step(props.step).map(|s| s.title.get(i18n.lang)).unwrap_or_default();
    html! {
        <aside class="guide playground-guide" aria-label={i18n.t(Key::GuidePanelLabel)}>
            <section class="panel narration">
                <h2 class="panel-heading">{ i18n.s(SimKey::PlaygroundHeading) }</h2>
                <p class="guide-intro">{ i18n.s(SimKey::PlaygroundIntro) }</p>
                <div class="guide-build">
                    <button type="button" class="button button-primary" aria-describedby="build-hint"
                        onclick={props.on_build.reform(|_: MouseEvent| ())}>
                        { bt(i18n.lang, BuildKey::Open) }
                    </button>
                    <p id="build-hint" class="form-hint">{ bt(i18n.lang, BuildKey::OpenHint) }</p>
                </div>
                <button type="button" class="button button-small guide-back" onclick={props.on_tutorial.reform(|_: MouseEvent| ())}>
                    { i18n.f(SimKey::BackToTutorial, &[title]) }
                </button>
            </section>
            <div class="panel guide-lab">
                <button type="button" class="button button-small" onclick={props.on_lab.reform(|_: MouseEvent| ())}>
                    { i18n.s(SimKey::LabOpenIn) }
                </button>
            </div>
            { disclose(narrow, "code-more", i18n.s(SimKey::CodeHeading).to_string(), code_section(&i18n, props.scenario.as_ref(), props.current_event.clone(), props.current_node.clone(), &props.on_listener_result)) }
        </aside>
    }
}

fn code_section(
    i18n: &LangContext,
    scenario: Option<&SharedScenario>,
    current_event: Option<String>,
    current_node: Option<String>,
    on_listener_result: &Callback<String>,
) -> Html {
    html! {
        <section class="panel code" aria-labelledby="code-heading">
            <h2 id="code-heading" class="panel-heading">{ i18n.s(SimKey::CodeHeading) }</h2>
            if let Some(scenario) = scenario {
                <CodePanel
                    scenario={scenario.clone()}
                    {current_event}
                    {current_node}
                    on_listener_result={on_listener_result.clone()}
                />
            } else {
                <p class="empty-note">{ i18n.s(SimKey::CodeWaiting) }</p>
            }
        </section>
    }
}
