//! The A/B comparison dialog: pick a base scenario (the running one or an
//! example), a setting and B's value; both runs are computed headlessly by
//! `model::compare` and shown as two aligned columns of key outcomes, the
//! trace hashes, and the first divergence with both records, the fields that
//! differ and the engine's reason for each.

use std::rc::Rc;

use rmqsim::conf::BrokerRole;
use rmqsim::scenario::ListenerKind;
use rmqsim::{Flavor, Record, Scenario};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::model::{
    alternatives, compare, current, default_alternative, knobs, rows, Comparison, Divergence, Knob, Row, RowKind,
    Setting, SEP,
};
use crate::components::fault_palette::use_focus_first;
use crate::i18n::feed::summary;
use crate::i18n::tools::{tf, tt, ToolKey};
use crate::i18n::why::localize;
use crate::i18n::{use_lang, Lang, SimKey};
use crate::tutorial::chapters::{step_index, STEPS};
use crate::tutorial::ui_text::format_time;
use crate::tutorial::SharedScenario;

/// A ready-made comparison the dialog offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Example {
    pub label: ToolKey,
    /// A tutorial step's scenario (by step id) or a preset (by name).
    pub source: ExampleSource,
    pub knob: Knob,
    pub value: Setting,
}

/// Where an example's scenario comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleSource {
    Step(&'static str),
    Preset(&'static str),
}

impl Example {
    /// The example's base scenario.
    pub fn scenario(&self) -> Option<Scenario> {
        match self.source {
            ExampleSource::Step(id) => STEPS.get(step_index(id)?)?.scenario.build().ok(),
            ExampleSource::Preset(name) => Scenario::from_json(rmqsim::presets::find(name)?.json).ok(),
        }
    }

    /// The example's name (its preset).
    pub fn name(&self) -> &'static str {
        match self.source {
            ExampleSource::Step(id) => step_index(id).map(|i| STEPS[i].scenario.preset).unwrap_or(id),
            ExampleSource::Preset(name) => name,
        }
    }
}

/// The examples, one per kind of setting.
pub const EXAMPLES: &[Example] = &[
    Example {
        label: ToolKey::ExampleFlavor,
        source: ExampleSource::Step("sync-five-attempts"),
        knob: Knob::Flavor,
        value: Setting::Flavor(Flavor::Java4),
    },
    Example {
        label: ToolKey::ExampleListener,
        source: ExampleSource::Preset("orderly-poison"),
        knob: Knob::Listener,
        value: Setting::Listener(ListenerKind::Concurrently),
    },
    Example {
        label: ToolKey::ExampleDelay,
        source: ExampleSource::Preset("delay-tutorial"),
        knob: Knob::DelayLevel { action: 0 },
        value: Setting::DelayLevel(3),
    },
    Example {
        label: ToolKey::ExampleRole,
        source: ExampleSource::Preset("send-status-slave-not-available"),
        knob: Knob::Role { broker: 0 },
        value: Setting::Role(BrokerRole::AsyncMaster),
    },
];

/// The tutorial steps that link to a comparison, with the knob it changes.
pub const STEP_LINKS: &[(&str, Knob)] = &[
    ("sync-five-attempts", Knob::Flavor),
    ("sync-java-budget", Knob::Flavor),
    ("sync-status-python", Knob::Role { broker: 0 }),
    ("orderly-never-dlq", Knob::Listener),
    ("delay-level-2", Knob::DelayLevel { action: 0 }),
];

/// The knob a tutorial step's comparison link changes, if it has one.
pub fn step_link(index: usize) -> Option<Knob> {
    let id = STEPS.get(index)?.id;
    STEP_LINKS.iter().find(|(s, _)| *s == id).map(|(_, k)| *k)
}

/// What the dialog starts with.
#[derive(Properties, PartialEq)]
pub struct CompareDialogProps {
    /// The scenario running in the simulator (A's base unless an example is picked).
    #[prop_or_default]
    pub running: Option<SharedScenario>,
    /// The setting to change first (e.g. from a tutorial step's link).
    #[prop_or_default]
    pub knob: Option<Knob>,
    /// Start with this example instead of the running scenario.
    #[prop_or_default]
    pub example: Option<usize>,
    pub on_close: Callback<()>,
}

/// What the dialog compares: its base scenario and the change.
#[derive(Clone, PartialEq)]
struct Choice {
    /// 0 = the running scenario, n = example n − 1.
    source: usize,
    base: SharedScenario,
    knob: Knob,
    value: Setting,
}

impl Choice {
    fn new(source: usize, base: Rc<Scenario>, knob: Option<Knob>, value: Option<Setting>) -> Option<Choice> {
        let offered = knobs(&base);
        let knob = knob.filter(|k| offered.contains(k)).or_else(|| offered.first().copied())?;
        let value =
            value.filter(|v| alternatives(&base, knob).contains(v)).or_else(|| default_alternative(&base, knob))?;
        Some(Choice { source, base: SharedScenario(base), knob, value })
    }
}

fn knob_label(lang: Lang, sc: &Scenario, knob: Knob) -> String {
    match knob {
        Knob::Flavor => tt(lang, ToolKey::KnobFlavor).to_string(),
        Knob::Listener => tt(lang, ToolKey::KnobListener).to_string(),
        Knob::DelayLevel { action } => tf(lang, ToolKey::KnobDelay, &[&(action + 1).to_string()]),
        Knob::Role { broker } => {
            let name = sc.cluster.brokers.get(broker).map(|b| b.name.as_str()).unwrap_or("?");
            tf(lang, ToolKey::KnobRole, &[name])
        }
    }
}

/// A setting's value for the learner: RocketMQ's constants as they are, a
/// delay level named as one.
fn value_label(lang: Lang, value: Setting) -> String {
    match value {
        Setting::DelayLevel(0) => tt(lang, ToolKey::LevelNone).to_string(),
        Setting::DelayLevel(n) => tf(lang, ToolKey::LevelValue, &[&n.to_string()]),
        other => other.label(),
    }
}

fn select_index(e: &Event) -> Option<usize> {
    e.target_dyn_into::<HtmlSelectElement>().and_then(|s| s.value().parse().ok())
}

/// The A/B comparison, as a modal dialog.
#[function_component]
pub fn CompareDialog(props: &CompareDialogProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let dialog = use_node_ref();
    use_focus_first(&dialog, "select");
    let initial = {
        let (running, knob, example) = (props.running.clone(), props.knob, props.example);
        move || {
            let from_example = |i: usize| {
                let ex = EXAMPLES.get(i)?;
                Choice::new(i + 1, Rc::new(ex.scenario()?), Some(ex.knob), Some(ex.value))
            };
            match (example, running) {
                (Some(i), _) => from_example(i),
                (None, Some(r)) => Choice::new(0, r.0, knob, None).or_else(|| from_example(0)),
                (None, None) => from_example(0),
            }
        }
    };
    let choice = use_state(initial);
    let result =
        use_memo((*choice).clone(), |choice| choice.as_ref().map(|c| compare(&c.base.0, c.knob, c.value).map(Rc::new)));

    let close = props.on_close.reform(|_: MouseEvent| ());
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    let head = html! {
        <div class="sheet-head">
            <h2 id="compare-title" class="compare-title">{ tt(lang, ToolKey::CompareTitle) }</h2>
            <button type="button" class="icon-button" aria-label={i18n.s(SimKey::Close)} title={i18n.s(SimKey::Close)}
                onclick={close.clone()}>{ "×" }</button>
        </div>
    };
    let Some(current_choice) = (*choice).clone() else {
        return html! {
            <div class="popup-backdrop is-modal" onclick={close}>
                <div class="compare-dialog popup is-placed is-centered" role="dialog" aria-modal="true" aria-labelledby="compare-title"
                    ref={dialog} onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                    { head }
                </div>
            </div>
        };
    };
    let base = current_choice.base.0.clone();

    // Controls: the base, the setting, B's value.
    let on_source = {
        let (choice, running) = (choice.clone(), props.running.clone());
        Callback::from(move |e: Event| {
            let Some(i) = select_index(&e) else { return };
            let next = if i == 0 {
                running.as_ref().and_then(|r| Choice::new(0, r.0.clone(), None, None))
            } else {
                EXAMPLES
                    .get(i - 1)
                    .and_then(|ex| Choice::new(i, Rc::new(ex.scenario()?), Some(ex.knob), Some(ex.value)))
            };
            if next.is_some() {
                choice.set(next);
            }
        })
    };
    let on_knob = {
        let (choice, current_choice) = (choice.clone(), current_choice.clone());
        let offered = knobs(&base);
        Callback::from(move |e: Event| {
            let Some(knob) = select_index(&e).and_then(|i| offered.get(i).copied()) else { return };
            choice.set(Choice::new(current_choice.source, current_choice.base.0.clone(), Some(knob), None));
        })
    };
    let options = alternatives(&base, current_choice.knob);
    let on_value = {
        let (choice, current_choice, options) = (choice.clone(), current_choice.clone(), options.clone());
        Callback::from(move |e: Event| {
            let Some(value) = select_index(&e).and_then(|i| options.get(i).copied()) else { return };
            choice.set(Some(Choice { value, ..current_choice.clone() }));
        })
    };
    let running_name = props.running.as_ref().map(|r| r.0.name.clone());
    let sources = running_name
        .iter()
        .map(|name| (0, tf(lang, ToolKey::CompareRunning, &[name])))
        .chain(EXAMPLES.iter().enumerate().map(|(i, ex)| (i + 1, tt(lang, ex.label).to_string())))
        .map(|(i, label)| {
            html! { <option value={i.to_string()} selected={i == current_choice.source}>{ label }</option> }
        });
    let knob_options = knobs(&base).into_iter().enumerate().map(|(i, k)| {
        html! { <option value={i.to_string()} selected={k == current_choice.knob}>{ knob_label(lang, &base, k) }</option> }
    });
    let value_options = options.iter().enumerate().map(|(i, v)| {
        html! { <option value={i.to_string()} selected={*v == current_choice.value}>{ value_label(lang, *v) }</option> }
    });
    let a_value = current(&base, current_choice.knob).map(|s| value_label(lang, s)).unwrap_or_default();
    let b_value = value_label(lang, current_choice.value);
    let setting_name = knob_label(lang, &base, current_choice.knob);

    let body = match (*result).clone() {
        None => Html::default(),
        Some(Err(e)) => html! {
            <p class="compare-refused" role="alert">{ tf(lang, ToolKey::CompareRefused, &[&e.field, &e.message]) }</p>
        },
        Some(Ok(c)) => results(lang, &c, &a_value, &b_value, &setting_name),
    };

    html! {
        <div class="popup-backdrop is-modal" onclick={close}>
            <div class="compare-dialog popup is-placed is-centered" role="dialog" aria-modal="true" aria-labelledby="compare-title"
                ref={dialog} {onkeydown} onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                { head }
                <p class="compare-intro">{ tt(lang, ToolKey::CompareIntro) }</p>
                <div class="compare-controls">
                    <label class="compare-field">
                        <span>{ tt(lang, ToolKey::CompareBase) }</span>
                        <select onchange={on_source}>{ for sources }</select>
                    </label>
                    <label class="compare-field">
                        <span>{ tt(lang, ToolKey::CompareSetting) }</span>
                        <select onchange={on_knob}>{ for knob_options }</select>
                    </label>
                    <label class="compare-field">
                        <span>{ tt(lang, ToolKey::CompareValue) }</span>
                        <select onchange={on_value}>{ for value_options }</select>
                    </label>
                </div>
                <p class="compare-same">
                    { tf(lang, ToolKey::CompareSameRun, &[&base.name, &base.seed.to_string()]) }
                    if current_choice.source == 0 {
                        { " · " }{ tt(lang, ToolKey::CompareNoInterventions) }
                    }
                </p>
                { body }
            </div>
        </div>
    }
}

/// The outcome table and the divergence panel.
fn results(lang: Lang, c: &Comparison, a_value: &str, b_value: &str, setting: &str) -> Html {
    let time = |t: u64| format_time(t);
    let table = rows(&c.a, &c.b, &time);
    let divergent_msg = c.divergence.as_ref().and_then(|d| d.a.as_ref().or(d.b.as_ref())).and_then(|r| r.u("msg"));
    let body = table.iter().map(|row| {
        let marked = matches!(row.what, RowKind::Msg(m) if Some(m) == divergent_msg);
        html! {
            <tr class={classes!(row.differs().then_some("is-diff"), marked.then_some("is-divergent"))}
                data-differs={row.differs().to_string()}>
                <th scope="row">{ row_label(lang, row) }</th>
                <td class={classes!(matches!(row.what, RowKind::Hash).then_some("mono"))}>{ cell_text(lang, row.what, &row.a) }</td>
                <td class={classes!(matches!(row.what, RowKind::Hash).then_some("mono"))}>{ cell_text(lang, row.what, &row.b) }</td>
            </tr>
        }
    });
    let hashes = if c.a.hash == c.b.hash { ToolKey::HashesSame } else { ToolKey::HashesDiffer };
    let budget = [("A", &c.a), ("B", &c.b)].into_iter().filter(|(_, r)| r.reason == "budget").map(|(side, _)| {
        html! { <p class="compare-budget">{ tf(lang, ToolKey::CompareBudget, &[side]) }</p> }
    });
    html! {
        <>
            { for budget }
            <table class="compare-table" aria-label={tt(lang, ToolKey::OutcomesLabel)}>
                <thead>
                    <tr>
                        <th scope="col">{ tt(lang, ToolKey::RowWhat) }</th>
                        <th scope="col" class="col-a">{ tf(lang, ToolKey::CompareColumn, &["A", a_value]) }</th>
                        <th scope="col" class="col-b">{ tf(lang, ToolKey::CompareColumn, &["B", b_value]) }</th>
                    </tr>
                </thead>
                <tbody>{ for body }</tbody>
            </table>
            <p class={classes!("compare-hashes", (c.a.hash == c.b.hash).then_some("is-same"))} data-hash-a={c.a.hash.clone()}
                data-hash-b={c.b.hash.clone()}>
                { tt(lang, hashes) }
            </p>
            { divergence(lang, c, a_value, b_value, setting) }
        </>
    }
}

fn row_label(lang: Lang, row: &Row) -> String {
    let key = match row.what {
        RowKind::Sends => ToolKey::RowSends,
        RowKind::Msg(m) => return tf(lang, ToolKey::RowMsg, &[&m.to_string()]),
        RowKind::Deliveries => ToolKey::RowDeliveries,
        RowKind::Consumed => ToolKey::RowConsumed,
        RowKind::Retries => ToolKey::RowRetries,
        RowKind::Dlq => ToolKey::RowDlq,
        RowKind::End => ToolKey::RowEnd,
        RowKind::Hash => ToolKey::RowHash,
    };
    tt(lang, key).to_string()
}

fn cell_text(lang: Lang, what: RowKind, value: &str) -> String {
    if value.is_empty() {
        return tt(lang, ToolKey::Nothing).to_string();
    }
    let parts: Vec<&str> = value.split(SEP).collect();
    match what {
        RowKind::Sends => tf(lang, ToolKey::SendsCell, &parts),
        RowKind::Msg(_) => tf(lang, ToolKey::MsgCell, &parts),
        RowKind::Deliveries => tf(lang, ToolKey::DeliveriesCell, &parts),
        RowKind::End => tf(lang, ToolKey::EndCell, &parts),
        _ => value.to_string(),
    }
}

fn side(lang: Lang, name: &str, rec: Option<&Record>) -> Html {
    let Some(rec) = rec else { return Html::default() };
    let what = format!("{} · {} — {}", format_time(rec.t), rec.event, summary(lang, rec));
    html! {
        <div class={classes!("compare-side", format!("side-{}", name.to_ascii_lowercase()))}>
            <p class="compare-side-what">{ tf(lang, ToolKey::DivergenceSide, &[name, &what]) }</p>
            if let Some(why) = rec.str("why") {
                <p class="compare-side-why">{ tf(lang, ToolKey::DivergenceWhy, &[&localize(lang, why)]) }</p>
            }
        </div>
    }
}

fn divergence(lang: Lang, c: &Comparison, a_value: &str, b_value: &str, setting: &str) -> Html {
    let content = match &c.divergence {
        None => {
            html! { <p class="compare-identical">{ tf(lang, ToolKey::DivergenceNone, &[&c.a.records.len().to_string()]) }</p> }
        }
        Some(d) => divergence_detail(lang, d, a_value, b_value, setting),
    };
    html! {
        <section class="compare-divergence" aria-labelledby="divergence-title" data-index={c.divergence.as_ref().map(|d| d.index.to_string())}>
            <h3 id="divergence-title" class="compare-subtitle">{ tt(lang, ToolKey::DivergenceTitle) }</h3>
            { content }
        </section>
    }
}

fn divergence_detail(lang: Lang, d: &Divergence, a_value: &str, b_value: &str, setting: &str) -> Html {
    let lead =
        tf(lang, ToolKey::DivergenceAt, &[&d.index.to_string(), &(d.index + 1).to_string(), &format_time(d.t())]);
    let ended = match (&d.a, &d.b) {
        (None, Some(_)) => Some(tf(lang, ToolKey::DivergenceEnded, &["A", &d.left_b.to_string()])),
        (Some(_), None) => Some(tf(lang, ToolKey::DivergenceEnded, &["B", &d.left_a.to_string()])),
        _ => None,
    };
    let nothing = tt(lang, ToolKey::Nothing);
    let fields = d.fields.iter().map(|f| {
        html! {
            <tr>
                <th scope="row" class="mono">{ f.name.clone() }</th>
                <td class="mono">{ f.a.clone().unwrap_or_else(|| nothing.to_string()) }</td>
                <td class="mono">{ f.b.clone().unwrap_or_else(|| nothing.to_string()) }</td>
            </tr>
        }
    });
    html! {
        <>
            <p class="compare-divergence-lead" role="status">{ lead }</p>
            if let Some(ended) = ended {
                <p>{ ended }</p>
            }
            <div class="compare-sides">
                { side(lang, "A", d.a.as_ref()) }
                { side(lang, "B", d.b.as_ref()) }
            </div>
            if !d.fields.is_empty() {
                <table class="compare-fields" aria-label={tt(lang, ToolKey::DivergenceFields)}>
                    <thead>
                        <tr>
                            <th scope="col">{ tt(lang, ToolKey::DivergenceFields) }</th>
                            <th scope="col">{ "A" }</th>
                            <th scope="col">{ "B" }</th>
                        </tr>
                    </thead>
                    <tbody>{ for fields }</tbody>
                </table>
            }
            <p class="compare-explain">{ tf(lang, ToolKey::DivergenceExplain, &[setting, a_value, b_value]) }</p>
        </>
    }
}

/// What [`CompareLink`] shows.
#[derive(Properties, PartialEq)]
pub struct CompareLinkProps {
    /// The setting the comparison changes.
    pub knob: Knob,
    /// The running scenario (names the broker of a role knob).
    #[prop_or_default]
    pub scenario: Option<SharedScenario>,
    pub open: Callback<MouseEvent>,
}

/// A tutorial step's way into the comparison: "Compare side by side: …".
#[function_component]
pub fn CompareLink(props: &CompareLinkProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let Some(sc) = &props.scenario else { return Html::default() };
    let (Some(a), Some(b)) = (current(&sc.0, props.knob), default_alternative(&sc.0, props.knob)) else {
        return Html::default();
    };
    let what = knob_label(lang, &sc.0, props.knob);
    html! {
        <section class="panel compare-link">
            <button type="button" class="button button-small compare-open" onclick={props.open.clone()}>
                <svg class="compare-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                    <rect x="1.5" y="2.5" width="5.5" height="11" rx="1" />
                    <rect x="9" y="2.5" width="5.5" height="11" rx="1" />
                </svg>
                { tf(lang, ToolKey::CompareFromStep, &[&what, &value_label(lang, a), &value_label(lang, b)]) }
            </button>
        </section>
    }
}
