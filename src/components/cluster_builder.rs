//! The playground's cluster builder dialog: the learner composes a cluster
//! (NameServers, brokers with role, flush mode and slave; topics with their
//! queue count and brokers; producers; consumers with subscriptions, message
//! model, listener kind and what the listener returns; the client flavor),
//! starting from the running scenario or a minimal one. Each impossible
//! setting is refused beside its field with the reason (zero queues, a
//! consumer with no subscription, a duplicate name…); "Build and run" loads
//! the result paused at t = 0. The rules live in [`crate::builder`].

use std::rc::Rc;

use rmqsim::scenario::{ConsumeResult, ListenerKind, MessageModel};
use rmqsim::{Flavor, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::builder::{results_for, Draft, Field, Flush, Problem, Role};
use crate::components::fault_palette::use_focus_first;
use crate::i18n::builder::{bt, reason_text, BuildKey};
use crate::i18n::{fill, use_lang, Lang};
use crate::tutorial::SharedScenario;

/// What the dialog starts from and where the result goes.
#[derive(Properties, PartialEq)]
pub struct ClusterBuilderProps {
    /// The running scenario (the draft starts from it), if any.
    #[prop_or_default]
    pub base: Option<SharedScenario>,
    /// The built scenario, to load.
    pub on_build: Callback<Scenario>,
    pub on_close: Callback<()>,
}

/// The draft being edited, changed only through [`Edit`]s so that quick
/// successive inputs never act on a stale copy.
struct DraftState {
    draft: Draft,
    /// The engine's refusal of the last build attempt, if any.
    refused: Vec<Problem>,
}

/// One change to the draft.
#[derive(Clone)]
struct Edit(Rc<dyn Fn(&mut Draft)>);

enum Change {
    Edit(Edit),
    Replace(Box<Draft>),
    Refused(Vec<Problem>),
}

impl Reducible for DraftState {
    type Action = Change;

    fn reduce(self: Rc<Self>, action: Change) -> Rc<Self> {
        let mut draft = self.draft.clone();
        let refused = match action {
            Change::Edit(edit) => {
                (edit.0)(&mut draft);
                Vec::new()
            }
            Change::Replace(next) => {
                draft = *next;
                Vec::new()
            }
            Change::Refused(problems) => problems,
        };
        Rc::new(DraftState { draft, refused })
    }
}

/// Builds edit callbacks for the dialog's inputs. Each helper boxes its edit
/// as a `dyn Fn` first, so the callback code exists once rather than once per
/// edit closure (wasm size).
#[derive(Clone)]
struct Editor(UseReducerDispatcher<DraftState>);

type TextEdit = Rc<dyn Fn(&mut Draft, String)>;

impl Editor {
    fn apply(&self, f: impl Fn(&mut Draft) + 'static) {
        self.0.dispatch(Change::Edit(Edit(Rc::new(f))));
    }

    /// A text input.
    fn text(&self, f: impl Fn(&mut Draft, String) + 'static) -> Callback<InputEvent> {
        self.text_edit(Rc::new(f))
    }

    fn text_edit(&self, f: TextEdit) -> Callback<InputEvent> {
        let editor = self.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                editor.set_text(&f, input.value());
            }
        })
    }

    /// A select.
    fn select(&self, f: impl Fn(&mut Draft, String) + 'static) -> Callback<Event> {
        self.select_edit(Rc::new(f))
    }

    fn select_edit(&self, f: TextEdit) -> Callback<Event> {
        let editor = self.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                editor.set_text(&f, select.value());
            }
        })
    }

    fn set_text(&self, f: &TextEdit, value: String) {
        let f = f.clone();
        self.apply(move |d| f(d, value.clone()));
    }

    /// A checkbox.
    fn check(&self, f: impl Fn(&mut Draft, bool) + 'static) -> Callback<Event> {
        self.check_edit(Rc::new(f))
    }

    fn check_edit(&self, f: Rc<dyn Fn(&mut Draft, bool)>) -> Callback<Event> {
        let editor = self.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                let (f, on) = (f.clone(), input.checked());
                editor.apply(move |d| f(d, on));
            }
        })
    }

    /// A button.
    fn click(&self, f: impl Fn(&mut Draft) + 'static) -> Callback<MouseEvent> {
        self.click_edit(Rc::new(f))
    }

    fn click_edit(&self, f: Rc<dyn Fn(&mut Draft)>) -> Callback<MouseEvent> {
        let editor = self.clone();
        Callback::from(move |_: MouseEvent| editor.0.dispatch(Change::Edit(Edit(f.clone()))))
    }
}

/// The element id of a field's error message.
fn error_id(field: Field) -> String {
    let text = format!("{field:?}");
    let slug: String = text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("builder-err-{}", slug.trim_matches('-'))
}

/// The problems of the draft, looked up by field.
struct Problems<'a> {
    list: &'a [Problem],
    lang: Lang,
}

impl Problems<'_> {
    fn of(&self, field: Field) -> Option<&Problem> {
        self.list.iter().find(|p| p.field == field)
    }

    fn invalid(&self, field: Field) -> &'static str {
        if self.of(field).is_some() {
            "true"
        } else {
            "false"
        }
    }

    fn described_by(&self, field: Field) -> Option<String> {
        self.of(field).map(|_| error_id(field))
    }

    /// The message under a field, if it is refused.
    fn message(&self, field: Field) -> Html {
        match self.of(field) {
            Some(p) => html! {
                <span class="field-error" id={error_id(field)}>{ reason_text(self.lang, &p.reason) }</span>
            },
            None => html! {},
        }
    }
}

/// The builder dialog.
#[function_component]
pub fn ClusterBuilder(props: &ClusterBuilderProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let base = props.base.clone();
    let state = use_reducer(move || {
        let draft = match &base {
            Some(s) => Draft::from_scenario(&s.0),
            None => Draft::starter(Flavor::PythonCpp),
        };
        DraftState { draft, refused: Vec::new() }
    });
    let dialog = use_node_ref();
    use_focus_first(&dialog, "input");
    let editor = Editor(state.dispatcher());
    let draft = &state.draft;
    let draft_problems = draft.problems();
    let can_build = draft_problems.is_empty();
    let mut problems_list = draft_problems;
    problems_list.extend(state.refused.iter().cloned());
    let problems = Problems { list: &problems_list, lang };
    let t = |k| bt(lang, k);

    let onsubmit = {
        let (state, on_build) = (state.clone(), props.on_build.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match state.draft.build() {
                Ok(scenario) => on_build.emit(scenario),
                Err(problems) => state.dispatch(Change::Refused(problems)),
            }
        })
    };
    let reset = {
        let (state, base) = (state.clone(), props.base.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = &base {
                state.dispatch(Change::Replace(Box::new(Draft::from_scenario(&s.0))));
            }
        })
    };
    let small = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let client = state.draft.client;
            state.dispatch(Change::Replace(Box::new(Draft::starter(client))));
        })
    };
    let base_name = props.base.as_ref().map(|s| s.0.name.clone()).unwrap_or_default();
    let queues: u64 =
        draft.topics.iter().map(|t| t.queues.trim().parse::<u64>().unwrap_or(0) * t.brokers.len() as u64).sum();
    let status = if problems_list.is_empty() {
        fill(
            t(BuildKey::Ready),
            &[
                &draft.brokers.len().to_string(),
                &queues.to_string(),
                &draft.producers.len().to_string(),
                &draft.consumers.len().to_string(),
            ],
        )
    } else {
        fill(t(BuildKey::ProblemsLeft), &[&problems_list.len().to_string()])
    };
    let orphans = draft.orphan_actions();
    let title_id = "builder-title";

    html! {
        <div class="popup-backdrop is-modal">
            <form
                class="builder popup is-placed is-centered"
                role="dialog"
                aria-modal="true"
                aria-labelledby={title_id}
                ref={dialog}
                novalidate=true
                {onsubmit}
                onkeydown={
                    let close = props.on_close.clone();
                    Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { e.prevent_default(); close.emit(()) })
                }
            >
                <div class="builder-head">
                    <h2 id={title_id} class="popup-title">{ t(BuildKey::Title) }</h2>
                    if !base_name.is_empty() {
                        <p class="builder-intro">{ fill(t(BuildKey::StartsFrom), &[&base_name]) }</p>
                    }
                    <div class="builder-starts">
                        if props.base.is_some() {
                            <button type="button" class="button button-small" onclick={reset}>{ t(BuildKey::StartCurrent) }</button>
                        }
                        <button type="button" class="button button-small" onclick={small}>{ t(BuildKey::StartSmall) }</button>
                    </div>
                </div>
                <div class="builder-body">
                    { general(draft, &editor, &problems, lang) }
                    { brokers(draft, &editor, &problems, lang) }
                    { topics(draft, &editor, &problems, lang) }
                    { producers(draft, &editor, &problems, lang) }
                    { consumers(draft, &editor, &problems, lang) }
                    if let Some(p) = problems.of(Field::Engine) {
                        <p class="form-error" role="alert">{ reason_text(lang, &p.reason) }</p>
                    }
                </div>
                <div class="builder-foot">
                    if !draft.base.actions.is_empty() {
                        <label class="check-field">
                            <input type="checkbox" checked={draft.keep_actions}
                                onchange={editor.check(|d, on| d.keep_actions = on)} />
                            { fill(t(BuildKey::KeepActions), &[&draft.base.actions.len().to_string()]) }
                        </label>
                        if draft.keep_actions && orphans > 0 {
                            <p class="form-hint warn">{ fill(t(BuildKey::OrphanActions), &[&orphans.to_string()]) }</p>
                        }
                    }
                    <p class={classes!("builder-status", (!problems_list.is_empty()).then_some("has-problems"))} role="status">{ status }</p>
                    <div class="form-actions">
                        <button type="button" class="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ t(BuildKey::Cancel) }</button>
                        <button type="submit" class="button button-primary" disabled={!can_build}>{ t(BuildKey::Build) }</button>
                    </div>
                </div>
            </form>
        </div>
    }
}

/// A labelled text input bound to a draft field, with its error under it.
fn text_field(
    label: &str,
    value: &str,
    field: Field,
    problems: &Problems,
    oninput: Callback<InputEvent>,
    numeric: bool,
) -> Html {
    html! {
        <label class="form-field">
            <span class="form-label">{ label.to_string() }</span>
            <input
                class="form-input"
                type="text"
                inputmode={numeric.then_some("numeric")}
                value={value.to_string()}
                aria-invalid={problems.invalid(field)}
                aria-describedby={problems.described_by(field)}
                {oninput}
            />
            { problems.message(field) }
        </label>
    }
}

/// A labelled select of fixed options (value, text).
fn select_field(label: &str, current: &str, options: &[(&'static str, String)], onchange: Callback<Event>) -> Html {
    html! {
        <label class="form-field">
            <span class="form-label">{ label.to_string() }</span>
            <select class="form-input" {onchange}>
                { for options.iter().map(|(value, text)| html! {
                    <option value={*value} selected={*value == current}>{ text.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// A small × button; `label` is its accessible name and tooltip.
fn remove_button(label: String, onclick: Callback<MouseEvent>) -> Html {
    html! {
        <button type="button" class="button button-small button-icon remove" aria-label={label.clone()} title={label} {onclick}>
            <svg viewBox="0 0 12 12" aria-hidden="true" focusable="false"><path d="M3 3 L9 9 M9 3 L3 9" /></svg>
        </button>
    }
}

fn general(draft: &Draft, editor: &Editor, problems: &Problems, lang: Lang) -> Html {
    let t = |k| bt(lang, k);
    let clients = [
        (Flavor::PythonCpp.name(), t(BuildKey::ClientPython).to_string()),
        (Flavor::Java4.name(), t(BuildKey::ClientJava).to_string()),
    ];
    html! {
        <fieldset class="builder-section">
            <legend>{ t(BuildKey::General) }</legend>
            <div class="form-grid builder-general">
                { text_field(t(BuildKey::ScenarioName), &draft.name, Field::Name, problems, editor.text(|d, v| d.name = v), false) }
                { select_field(t(BuildKey::Client), draft.client.name(), &clients, editor.select(|d, v| {
                    d.set_client(if v == Flavor::Java4.name() { Flavor::Java4 } else { Flavor::PythonCpp })
                })) }
                { text_field(t(BuildKey::Seed), &draft.seed, Field::Seed, problems, editor.text(|d, v| d.seed = v), true) }
                { text_field(t(BuildKey::Until), &draft.until_s, Field::Until, problems, editor.text(|d, v| d.until_s = v), true) }
                { text_field(t(BuildKey::Nameservers), &draft.nameservers, Field::Nameservers, problems, editor.text(|d, v| d.nameservers = v), true) }
            </div>
        </fieldset>
    }
}

fn brokers(draft: &Draft, editor: &Editor, problems: &Problems, lang: Lang) -> Html {
    let t = |k| bt(lang, k);
    let roles: Vec<(&'static str, String)> = Role::ALL.iter().map(|r| (r.name(), r.name().to_string())).collect();
    let flushes: Vec<(&'static str, String)> = Flush::ALL.iter().map(|f| (f.name(), f.name().to_string())).collect();
    let rows = draft.brokers.iter().enumerate().map(|(i, b)| {
        html! {
            <div class="builder-row" role="group" aria-label={b.name.clone()}>
                { text_field(t(BuildKey::BrokerName), &b.name, Field::BrokerName(i), problems, editor.text(move |d, v| d.rename_broker(i, v)), false) }
                { select_field(t(BuildKey::Role), b.role.name(), &roles, editor.select(move |d, v| {
                    if let Some(b) = d.brokers.get_mut(i) {
                        b.role = if v == Role::SyncMaster.name() { Role::SyncMaster } else { Role::AsyncMaster };
                    }
                })) }
                { select_field(t(BuildKey::Flush), b.flush.name(), &flushes, editor.select(move |d, v| {
                    if let Some(b) = d.brokers.get_mut(i) {
                        b.flush = if v == Flush::Sync.name() { Flush::Sync } else { Flush::Async };
                    }
                })) }
                <label class="check-field">
                    <input type="checkbox" checked={b.slave} onchange={editor.check(move |d, on| {
                        if let Some(b) = d.brokers.get_mut(i) { b.slave = on; }
                    })} />
                    { t(BuildKey::Slave) }
                </label>
                { remove_button(fill(bt(lang, BuildKey::Remove), &[&b.name]), editor.click(move |d| d.remove_broker(i))) }
            </div>
        }
    });
    html! {
        <fieldset class="builder-section" aria-describedby={problems.described_by(Field::Brokers)}>
            <legend>{ t(BuildKey::Brokers) }</legend>
            { for rows }
            { problems.message(Field::Brokers) }
            <button type="button" class="button button-small add" onclick={editor.click(|d| d.add_broker())}>{ t(BuildKey::AddBroker) }</button>
        </fieldset>
    }
}

fn topics(draft: &Draft, editor: &Editor, problems: &Problems, lang: Lang) -> Html {
    let t = |k| bt(lang, k);
    let rows = draft.topics.iter().enumerate().map(|(i, topic)| {
        let hosts = draft.brokers.iter().map(|b| {
            let name = b.name.clone();
            let on = topic.brokers.contains(&b.name);
            html! {
                <label class="check-field">
                    <input type="checkbox" checked={on} onchange={editor.check(move |d, on| d.toggle_topic_broker(i, &name, on))} />
                    { b.name.clone() }
                </label>
            }
        });
        let hosts_field = Field::TopicBrokers(i);
        html! {
            <div class="builder-row" role="group" aria-label={topic.name.clone()}>
                { text_field(t(BuildKey::TopicName), &topic.name, Field::TopicName(i), problems, editor.text(move |d, v| d.rename_topic(i, v)), false) }
                { text_field(t(BuildKey::Queues), &topic.queues, Field::TopicQueues(i), problems, editor.text(move |d, v| {
                    if let Some(t) = d.topics.get_mut(i) { t.queues = v; }
                }), true) }
                <div class="form-field" role="group" aria-label={t(BuildKey::OnBrokers)} aria-describedby={problems.described_by(hosts_field)}>
                    <span class="form-label">{ t(BuildKey::OnBrokers) }</span>
                    <div class="check-list">{ for hosts }</div>
                    { problems.message(hosts_field) }
                </div>
                { remove_button(fill(bt(lang, BuildKey::Remove), &[&topic.name]), editor.click(move |d| { if i < d.topics.len() { d.topics.remove(i); } })) }
            </div>
        }
    });
    html! {
        <fieldset class="builder-section">
            <legend>{ t(BuildKey::Topics) }</legend>
            { for rows }
            <button type="button" class="button button-small add" onclick={editor.click(|d| d.add_topic())}>{ t(BuildKey::AddTopic) }</button>
        </fieldset>
    }
}

fn producers(draft: &Draft, editor: &Editor, problems: &Problems, lang: Lang) -> Html {
    let t = |k| bt(lang, k);
    let rows = draft.producers.iter().enumerate().map(|(i, p)| {
        html! {
            <div class="builder-row" role="group" aria-label={p.id.clone()}>
                { text_field(t(BuildKey::ClientId), &p.id, Field::ProducerId(i), problems, editor.text(move |d, v| {
                    if let Some(p) = d.producers.get_mut(i) { p.id = v; }
                }), false) }
                { text_field(t(BuildKey::Group), &p.group, Field::ProducerGroup(i), problems, editor.text(move |d, v| {
                    if let Some(p) = d.producers.get_mut(i) { p.group = v; }
                }), false) }
                { remove_button(fill(bt(lang, BuildKey::Remove), &[&p.id]), editor.click(move |d| { if i < d.producers.len() { d.producers.remove(i); } })) }
            </div>
        }
    });
    html! {
        <fieldset class="builder-section">
            <legend>{ t(BuildKey::Producers) }</legend>
            { for rows }
            { problems.message(Field::Clients) }
            <button type="button" class="button button-small add" onclick={editor.click(|d| d.add_producer())}>{ t(BuildKey::AddProducer) }</button>
        </fieldset>
    }
}

fn consumers(draft: &Draft, editor: &Editor, problems: &Problems, lang: Lang) -> Html {
    let t = |k| bt(lang, k);
    let models = [("CLUSTERING", "CLUSTERING".to_string()), ("BROADCASTING", "BROADCASTING".to_string())];
    let listeners = [("CONCURRENTLY", "CONCURRENTLY".to_string()), ("ORDERLY", "ORDERLY".to_string())];
    let topic_names: Vec<String> = draft.topics.iter().map(|t| t.name.clone()).collect();
    let cards = draft.consumers.iter().enumerate().map(|(i, c)| {
        let results: Vec<(&'static str, String)> =
            results_for(c.listener, draft.client).into_iter().map(|r| (r.name(), r.name().to_string())).collect();
        let subs = c.subscriptions.iter().enumerate().map(|(j, s)| {
            let mut options = vec![html! { <option value="" selected={s.topic.is_empty()}>{ t(BuildKey::NoTopicOption) }</option> }];
            options.extend(topic_names.iter().map(|name| {
                html! { <option value={name.clone()} selected={*name == s.topic}>{ name.clone() }</option> }
            }));
            if !s.topic.is_empty() && !topic_names.contains(&s.topic) {
                // A topic the broker creates on demand (auto-create) or one removed above.
                options.push(html! { <option value={s.topic.clone()} selected=true>{ s.topic.clone() }</option> });
            }
            let topic_field = Field::SubTopic(i, j);
            let remove = fill(bt(lang, BuildKey::RemoveSubscription), &[&c.id, &(j + 1).to_string()]);
            html! {
                <div class="builder-sub">
                    <label class="form-field">
                        <span class="form-label">{ t(BuildKey::SubTopic) }</span>
                        <select class="form-input" aria-invalid={problems.invalid(topic_field)} aria-describedby={problems.described_by(topic_field)}
                            onchange={editor.select(move |d, v| {
                                if let Some(s) = d.consumers.get_mut(i).and_then(|c| c.subscriptions.get_mut(j)) { s.topic = v; }
                            })}>
                            { for options }
                        </select>
                        { problems.message(topic_field) }
                    </label>
                    { text_field(t(BuildKey::Expression), &s.expression, Field::SubExpression(i, j), problems, editor.text(move |d, v| {
                        if let Some(s) = d.consumers.get_mut(i).and_then(|c| c.subscriptions.get_mut(j)) { s.expression = v; }
                    }), false) }
                    { remove_button(remove, editor.click(move |d| {
                        if let Some(c) = d.consumers.get_mut(i) { if j < c.subscriptions.len() { c.subscriptions.remove(j); } }
                    })) }
                </div>
            }
        });
        let subs_field = Field::ConsumerSubs(i);
        html! {
            <div class="builder-card" role="group" aria-label={c.id.clone()}>
                <div class="builder-row">
                    { text_field(t(BuildKey::ClientId), &c.id, Field::ConsumerId(i), problems, editor.text(move |d, v| {
                        if let Some(c) = d.consumers.get_mut(i) { c.id = v; }
                    }), false) }
                    { text_field(t(BuildKey::Group), &c.group, Field::ConsumerGroup(i), problems, editor.text(move |d, v| {
                        if let Some(c) = d.consumers.get_mut(i) { c.group = v; }
                    }), false) }
                    { select_field(t(BuildKey::Model), model_name(c.model), &models, editor.select(move |d, v| {
                        if let Some(c) = d.consumers.get_mut(i) {
                            c.model = if v == "BROADCASTING" { MessageModel::Broadcasting } else { MessageModel::Clustering };
                        }
                    })) }
                    { remove_button(fill(bt(lang, BuildKey::Remove), &[&c.id]), editor.click(move |d| { if i < d.consumers.len() { d.consumers.remove(i); } })) }
                </div>
                <div class="builder-row">
                    { select_field(t(BuildKey::Listener), listener_name(c.listener), &listeners, editor.select(move |d, v| {
                        d.set_listener(i, if v == "ORDERLY" { ListenerKind::Orderly } else { ListenerKind::Concurrently })
                    })) }
                    <label class="form-field">
                        <span class="form-label">{ t(BuildKey::Result) }</span>
                        <select class="form-input" aria-invalid={problems.invalid(Field::ConsumerResult(i))}
                            aria-describedby={problems.described_by(Field::ConsumerResult(i))}
                            onchange={editor.select(move |d, v| {
                                if let Some(c) = d.consumers.get_mut(i) { c.result = result_named(&v); }
                            })}>
                            { for results.iter().map(|(value, text)| html! {
                                <option value={*value} selected={*value == c.result.name()}>{ text.clone() }</option>
                            }) }
                        </select>
                        { problems.message(Field::ConsumerResult(i)) }
                    </label>
                    { text_field(t(BuildKey::FailTimes), &c.fail_times, Field::ConsumerFailTimes(i), problems, editor.text(move |d, v| {
                        if let Some(c) = d.consumers.get_mut(i) { c.fail_times = v; }
                    }), true) }
                </div>
                <div class="builder-subs" role="group" aria-label={t(BuildKey::Subscriptions)} aria-describedby={problems.described_by(subs_field)}>
                    <span class="form-label">{ t(BuildKey::Subscriptions) }</span>
                    { for subs }
                    { problems.message(subs_field) }
                    <button type="button" class="button button-small add" onclick={editor.click(move |d| {
                        let topic = d.topics.first().map(|t| t.name.clone()).unwrap_or_default();
                        if let Some(c) = d.consumers.get_mut(i) {
                            c.subscriptions.push(crate::builder::SubDraft { topic, expression: "*".to_string() });
                        }
                    })}>{ t(BuildKey::AddSubscription) }</button>
                </div>
            </div>
        }
    });
    html! {
        <fieldset class="builder-section">
            <legend>{ t(BuildKey::Consumers) }</legend>
            { for cards }
            <button type="button" class="button button-small add" onclick={editor.click(|d| d.add_consumer())}>{ t(BuildKey::AddConsumer) }</button>
        </fieldset>
    }
}

fn result_named(name: &str) -> ConsumeResult {
    [ConsumeResult::ReconsumeLater, ConsumeResult::SuspendCurrentQueueAMoment, ConsumeResult::Throw]
        .into_iter()
        .find(|r| r.name() == name)
        .unwrap_or(ConsumeResult::ConsumeSuccess)
}

fn model_name(model: MessageModel) -> &'static str {
    match model {
        MessageModel::Clustering => "CLUSTERING",
        MessageModel::Broadcasting => "BROADCASTING",
    }
}

fn listener_name(listener: ListenerKind) -> &'static str {
    match listener {
        ListenerKind::Concurrently => "CONCURRENTLY",
        ListenerKind::Orderly => "ORDERLY",
    }
}
