//! The message passport: the selected message's whole life from the trace,
//! step by step in virtual time, each with its fields and the engine's reason,
//! under a header with its topic, tags, producer and final fate. The logic
//! lives in [`super::passport_model`]; this file only draws it.

use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::why::localize;
use crate::i18n::{use_lang, Lang};

use super::common::Same;
use super::format;
use super::passport_model::{passport, Fate, Header, MsgPassport, Step};
use super::props::{empty_state, node_button, view_frame, ViewProps};

/// One message's passport; an invitation to pick one when none is selected.
#[function_component]
pub fn Passport(props: &ViewProps) -> Html {
    let lang = use_lang().lang;
    let model = use_memo(
        (Same(props.snapshot.clone()), Same(props.records.clone()), props.selected_msg, props.now),
        |(snap, records, msg, now)| msg.and_then(|msg| passport(&snap.0, &records.0, msg, *now)),
    );
    let title = tv(lang, ViewKey::PassportTitle);
    let body = match (props.selected_msg, model.as_ref()) {
        (None, _) => empty_state(tv(lang, ViewKey::PassportEmpty)),
        (Some(msg), None) => empty_state(&tf(lang, ViewKey::PassportUnknown, &[&msg.to_string()])),
        (Some(_), Some(p)) => body(lang, p, props),
    };
    view_frame("view-passport", title, None, body)
}

fn body(lang: Lang, p: &MsgPassport, props: &ViewProps) -> Html {
    html! {
        <article class="p-passport" data-msg={p.msg.to_string()}>
            <header class="p-header">
                <h3 class="p-heading">{ tf(lang, ViewKey::PassportHeading, &[&p.msg.to_string()]) }</h3>
                { fate_chip(lang, &p.header.fate) }
            </header>
            { summary(lang, &p.header, props) }
            <ol class="p-steps" aria-label={tv(lang, ViewKey::StepsLabel)}>
                { for p.steps.iter().map(|s| step(lang, s, props)) }
            </ol>
        </article>
    }
}

fn fate_chip(lang: Lang, fate: &Fate) -> Html {
    let (class, text) = match fate {
        Fate::Consumed => ("fate-consumed", tv(lang, ViewKey::FateConsumed).to_string()),
        Fate::DeadLettered { group } => ("fate-dlq", tf(lang, ViewKey::FateDeadLettered, &[group])),
        Fate::Lost => ("fate-lost", tv(lang, ViewKey::FateLost).to_string()),
        Fate::SendFailed => ("fate-lost", tv(lang, ViewKey::FateSendFailed).to_string()),
        Fate::Pending { due: Some(due) } => ("fate-delayed", tf(lang, ViewKey::FateDelayed, &[&format::instant(*due)])),
        Fate::Pending { due: None } => ("fate-pending", tv(lang, ViewKey::FatePending).to_string()),
    };
    html! { <span class={classes!("fate-chip", class)}>{ text }</span> }
}

fn summary(lang: Lang, h: &Header, props: &ViewProps) -> Html {
    let none = || html! { <span class="muted">{ tv(lang, ViewKey::SumNone) }</span> };
    let text = |v: &Option<String>| v.as_ref().map_or_else(none, |v| html! { <span class="mono">{ v }</span> });
    let producer = h.producer.as_ref().map_or_else(none, |p| node_button(lang, p, props, "node-producer"));
    let consumed_by = if h.consumed_by.is_empty() {
        none()
    } else {
        html! { { h.consumed_by.join(", ") } }
    };
    let rows = [
        (ViewKey::SumTopic, text(&h.topic)),
        (ViewKey::SumTags, text(&h.tags)),
        (ViewKey::SumKeys, text(&h.keys)),
        (ViewKey::SumProducer, producer),
        (ViewKey::SumMode, text(&h.mode)),
        (ViewKey::SumMsgId, text(&h.msg_id)),
        (ViewKey::SumAttempts, html! { { h.attempts } }),
        (ViewKey::SumDeliveries, html! { { h.deliveries } }),
        (ViewKey::SumConsumedBy, consumed_by),
    ];
    html! {
        <dl class="p-summary">
            { for rows.into_iter().map(|(key, value)| html! {
                <div class="p-summary-item"><dt>{ tv(lang, key) }</dt><dd>{ value }</dd></div>
            }) }
        </dl>
    }
}

fn event_title(event: &str) -> ViewKey {
    match event {
        "send_attempt" => ViewKey::EvSendAttempt,
        "send_result" => ViewKey::EvSendResult,
        "send_error" => ViewKey::EvSendError,
        "send_failed" => ViewKey::EvSendFailed,
        "send_rejected" => ViewKey::EvSendRejected,
        "store_status" => ViewKey::EvStoreStatus,
        "stored" => ViewKey::EvStored,
        "delay_scheduled" => ViewKey::EvDelayScheduled,
        "delivered" => ViewKey::EvDelivered,
        "consumed" => ViewKey::EvConsumed,
        "retry_scheduled" => ViewKey::EvRetryScheduled,
        "dead_lettered" => ViewKey::EvDeadLettered,
        "callback_lost" => ViewKey::EvCallbackLost,
        "data_lost" => ViewKey::EvDataLost,
        "local_retry" => ViewKey::EvLocalRetry,
        "consume_dropped" => ViewKey::EvConsumeDropped,
        "txn_local" | "txn_check" | "txn_end" => ViewKey::EvTransaction,
        "schedule_discarded" => ViewKey::EvScheduleDiscarded,
        _ => ViewKey::EvOther,
    }
}

fn step(lang: Lang, s: &Step, props: &ViewProps) -> Html {
    let fields = s.fields.iter().map(|(key, value)| {
        let value = match *key {
            "producer" | "broker" | "consumer" => node_button(lang, value, props, "node-inline"),
            _ => html! { { value } },
        };
        html! { <div class="p-field"><dt>{ *key }</dt><dd>{ value }</dd></div> }
    });
    html! {
        <li class={classes!("p-step", s.kind.class())} data-event={s.event}>
            <time class="time-stamp">{ format::instant(s.t) }</time>
            <div class="p-step-body">
                <p class="p-step-title">
                    <span class="p-step-name">{ tv(lang, event_title(s.event)) }</span>
                    <code class="p-step-event">{ s.event }</code>
                </p>
                <dl class="p-fields">{ for fields }</dl>
                if !s.why.is_empty() {
                    <p class="why"><span class="why-label">{ tv(lang, ViewKey::WhyLabel) }</span>{ localize(lang, &s.why).into_owned() }</p>
                }
            </div>
        </li>
    }
}
