//! The send form: a producer sends messages from the palette, the way the
//! tutorial's Python does it (`Message(topic)`, `set_keys`, `set_tags`,
//! `set_delay_time_level`, `send_sync` / `send_async` / `send_oneway`). The
//! equivalent Python is shown live under the fields; the engine validates
//! the send and any refusal shows inline.

use rmqsim::scenario::{Action, SendMode, TxnState};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::fault_palette::use_focus_first;
use crate::faults::{parse_u64, SendForm, LOCAL_RESULTS, SEND_MODES};
use crate::i18n::{use_lang, SimKey};

/// The form's data and where its edits go.
#[derive(Properties, PartialEq)]
pub struct SendDialogProps {
    pub form: SendForm,
    /// Producers that can send (running ones first is not required).
    pub producers: Vec<String>,
    /// Topics declared in the scenario.
    pub topics: Vec<String>,
    pub on_edit: Callback<SendForm>,
    pub on_send: Callback<Action>,
    pub on_close: Callback<()>,
    /// The engine's reason for refusing the last send, if it was refused.
    #[prop_or_default]
    pub refusal: Option<String>,
}

fn mode_key(mode: SendMode) -> SimKey {
    match mode {
        SendMode::Async => SimKey::SendModeAsync,
        SendMode::Oneway => SimKey::SendModeOneway,
        SendMode::Orderly => SimKey::SendModeOrderly,
        SendMode::Transaction => SimKey::SendModeTransaction,
        SendMode::Sync => SimKey::SendModeSync,
    }
}

/// The send dialog.
#[function_component]
pub fn SendDialog(props: &SendDialogProps) -> Html {
    let i18n = use_lang();
    let dialog = use_node_ref();
    use_focus_first(&dialog, "select, input");
    let mut form = props.form.clone();
    if form.producer.is_empty() {
        form.producer = props.producers.first().cloned().unwrap_or_default();
    }
    if form.topic.is_empty() {
        form.topic = props.topics.first().cloned().unwrap_or_default();
    }

    let edit = |apply: fn(&mut SendForm, String)| {
        let (form, cb) = (form.clone(), props.on_edit.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()));
            if let Some(value) = value {
                let mut next = form.clone();
                apply(&mut next, value);
                cb.emit(next);
            }
        })
    };
    let typed = |apply: fn(&mut SendForm, String)| edit(apply).reform(|e: InputEvent| -> Event { e.into() });
    let onsubmit = {
        let (form, send) = (form.clone(), props.on_send.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(form.to_action());
        })
    };
    let options = |items: &[String], current: &str| -> Html {
        items
            .iter()
            .map(|item| html! { <option value={item.clone()} selected={item == current}>{ item.clone() }</option> })
            .collect()
    };
    let modes = SEND_MODES.iter().map(|mode| {
        html! { <option value={mode.name()} selected={*mode == form.mode}>{ i18n.s(mode_key(*mode)) }</option> }
    });
    let python = form.python().join("\n");
    let title_id = "send-title";

    html! {
        <div class="popup-backdrop is-modal" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <form
                class="send-form popup is-placed is-centered"
                role="dialog"
                aria-labelledby={title_id}
                ref={dialog}
                novalidate=true
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}
                {onsubmit}
            >
                <h2 id={title_id} class="popup-title">{ i18n.s(SimKey::SendTitle) }</h2>
                if props.producers.is_empty() {
                    <p class="form-error">{ i18n.s(SimKey::SendNoProducer) }</p>
                }
                <div class="form-grid">
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendProducer) }</span>
                        <select class="form-input" onchange={edit(|f, v| f.producer = v)}>{ options(&props.producers, &form.producer) }</select>
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendTopic) }</span>
                        <select class="form-input" onchange={edit(|f, v| f.topic = v)}>{ options(&props.topics, &form.topic) }</select>
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendMode) }</span>
                        <select class="form-input" onchange={edit(|f, v| {
                            f.mode = SEND_MODES.into_iter().find(|m| m.name() == v).unwrap_or(SendMode::Sync);
                        })}>{ for modes }</select>
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendCount) }</span>
                        <input class="form-input" type="number" min="1" max="10000" value={form.count.to_string()}
                            oninput={typed(|f, v| f.count = parse_u64(&v).unwrap_or(f.count))} />
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendInterval) }</span>
                        <input class="form-input" type="number" min="0" value={form.interval_ms.to_string()}
                            oninput={typed(|f, v| f.interval_ms = parse_u64(&v).unwrap_or(f.interval_ms))} />
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendDelay) }</span>
                        <input class="form-input" type="number" min="0" max="18" value={form.delay_level.to_string()}
                            aria-describedby="send-delay-hint"
                            oninput={typed(|f, v| f.delay_level = v.trim().parse().unwrap_or(f.delay_level))} />
                        <span id="send-delay-hint" class="form-hint">{ i18n.s(SimKey::SendDelayNone) }</span>
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendTags) }</span>
                        <input class="form-input" type="text" value={form.tags.clone()} oninput={typed(|f, v| f.tags = v)} />
                    </label>
                    <label class="form-field">
                        <span class="form-label">{ i18n.s(SimKey::SendKeys) }</span>
                        <input class="form-input" type="text" value={form.keys.clone()} oninput={typed(|f, v| f.keys = v)} />
                    </label>
                    if form.mode == SendMode::Orderly {
                        <label class="form-field">
                            <span class="form-label">{ i18n.s(SimKey::SendShardingKey) }</span>
                            <input class="form-input" type="text" value={form.sharding_key.clone()} aria-describedby="send-sharding-hint"
                                oninput={typed(|f, v| f.sharding_key = v)} />
                            <span id="send-sharding-hint" class="form-hint">{ i18n.s(SimKey::SendShardingHint) }</span>
                        </label>
                    }
                    if form.mode == SendMode::Transaction {
                        <label class="form-field">
                            <span class="form-label">{ i18n.s(SimKey::SendLocalResult) }</span>
                            <select class="form-input" onchange={edit(|f, v| {
                                f.local_result = LOCAL_RESULTS.into_iter().find(|r| r.name() == v).unwrap_or(TxnState::Commit);
                            })}>
                                { for LOCAL_RESULTS.iter().map(|r| html! {
                                    <option value={r.name()} selected={*r == form.local_result}>{ r.name() }</option>
                                }) }
                            </select>
                        </label>
                    }
                    <label class="form-field span-2">
                        <span class="form-label">{ i18n.s(SimKey::SendBody) }</span>
                        <input class="form-input" type="text" value={form.body.clone()} oninput={typed(|f, v| f.body = v)} />
                    </label>
                    <label class="form-field span-2">
                        <span class="form-label">{ i18n.s(SimKey::SendProperties) }</span>
                        <input class="form-input" type="text" value={form.properties.clone()} placeholder="name=micro services"
                            aria-describedby="send-props-hint" oninput={typed(|f, v| f.properties = v)} />
                        <span id="send-props-hint" class="form-hint">{ i18n.s(SimKey::SendPropertiesHint) }</span>
                    </label>
                </div>
                if let Some(reason) = &props.refusal {
                    <p class="form-error" role="alert">{ reason.clone() }</p>
                }
                <p class="form-label code-label">{ i18n.s(SimKey::SendPython) }</p>
                <pre class="code-preview"><code>{ python }</code></pre>
                <div class="form-actions">
                    <button type="button" class="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ i18n.s(SimKey::Cancel) }</button>
                    <button type="submit" class="button button-primary" disabled={props.producers.is_empty()}>
                        { i18n.s(SimKey::SendSubmit) }
                    </button>
                </div>
            </form>
        </div>
    }
}
