//! The delay view: SCHEDULE_TOPIC_XXXX's 18 level queues on each broker as
//! tiles, each waiting message a chip counting down to its due time, and the
//! list of hops back to the real topic with how late the level timer was.
//! The logic lives in [`super::delay_model`]; this file only draws it.

use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::why::localize;
use crate::i18n::{use_lang, Lang};

use super::common::Same;
use super::delay_model::{delay_levels, hop_index, BrokerLevels, Hop, LevelRow, Waiting};
use super::format;
use super::props::{empty_state, msg_button, msg_tag, view_frame, ViewProps};

/// The 18 delay levels with live countdowns.
#[function_component]
pub fn DelayView(props: &ViewProps) -> Html {
    let lang = use_lang().lang;
    let hops = use_memo(Same(props.records.clone()), |records| hop_index(&records.0));
    let model = delay_levels(&props.snapshot, &hops, props.now);
    let title = tv(lang, ViewKey::DelayTitle);
    if model.brokers.is_empty() {
        return view_frame("view-delay", title, None, empty_state(tv(lang, ViewKey::DelayEmpty)));
    }
    let summary = tf(lang, ViewKey::DelaySummary, &[&model.waiting.to_string()]);
    let body = html! {
        <>
            if model.waiting == 0 {
                { empty_state(tv(lang, ViewKey::DelayIdle)) }
            }
            { for model.brokers.iter().map(|b| broker(lang, b, props)) }
            <section class="d-hops" aria-label={tv(lang, ViewKey::HopsTitle)}>
                <h3 class="view-subtitle">{ tv(lang, ViewKey::HopsTitle) }</h3>
                if model.hops.is_empty() {
                    <p class="muted">{ tv(lang, ViewKey::HopsEmpty) }</p>
                } else {
                    <ol class="d-hop-list">{ for model.hops.iter().map(|h| hop(lang, h, props)) }</ol>
                    if model.hop_count > model.hops.len() {
                        <p class="muted">{ tf(lang, ViewKey::MoreItems, &[&(model.hop_count - model.hops.len()).to_string()]) }</p>
                    }
                }
            </section>
        </>
    };
    view_frame("view-delay", title, Some(summary), body)
}

fn broker(lang: Lang, b: &BrokerLevels, props: &ViewProps) -> Html {
    html! {
        <section class={classes!("d-broker", (!b.alive).then_some("is-down"))} aria-label={b.broker.clone()}>
            <h3 class="d-broker-name">
                <span>{ &b.broker }</span>
                if !b.alive {
                    <span class="down-tag">{ tv(lang, ViewKey::NodeDown) }</span>
                }
            </h3>
            <ol class="d-levels">{ for b.levels.iter().map(|l| level(lang, l, props)) }</ol>
        </section>
    }
}

fn level(lang: Lang, l: &LevelRow, props: &ViewProps) -> Html {
    let delay = format::level_delay(l.delay_ms);
    let count = l.waiting.len() + l.more;
    let label = tf(lang, ViewKey::LevelLabel, &[&l.level.to_string(), &delay, &count.to_string()]);
    html! {
        <li class={classes!("d-level", (count > 0).then_some("has-waiting"))} aria-label={label} data-level={l.level.to_string()}>
            <div class="d-level-head">
                <span class="d-level-num">{ tf(lang, ViewKey::LevelShort, &[&l.level.to_string()]) }</span>
                <span class="d-level-delay">{ delay }</span>
            </div>
            <div class="d-chips">
                { for l.waiting.iter().map(|w| chip(lang, w, props)) }
                if l.more > 0 {
                    <span class="d-more">{ tf(lang, ViewKey::MoreItems, &[&l.more.to_string()]) }</span>
                }
            </div>
        </li>
    }
}

fn chip(lang: Lang, w: &Waiting, props: &ViewProps) -> Html {
    let remaining =
        if w.remaining_ms == 0 { tv(lang, ViewKey::ChipDue).to_string() } else { format::countdown(w.remaining_ms) };
    let mut label = tf(lang, ViewKey::ChipLabel, &[&w.msg.to_string(), &remaining, &format::instant(w.due)]);
    if w.is_retry() {
        label = tf(lang, ViewKey::LabelJoin, &[&label, tv(lang, ViewKey::ChipRetry)]);
    }
    let content = html! {
        <>
            <span class="d-chip-msg">{ format!("#{}", w.msg) }</span>
            if w.is_retry() {
                <span class="d-chip-retry">{ tv(lang, ViewKey::ChipRetry) }</span>
            }
            <span class="d-chip-count">{ remaining }</span>
        </>
    };
    let class = classes!("d-chip", w.is_retry().then_some("is-retry"), (w.remaining_ms == 0).then_some("is-due"));
    msg_button(w.msg, props, class, content, label)
}

fn hop(lang: Lang, h: &Hop, props: &ViewProps) -> Html {
    let text = tf(
        lang,
        ViewKey::HopText,
        &[
            &h.level.to_string(),
            &h.topic,
            &h.queue_id.to_string(),
            &format::instant_short(h.t),
            &format::countdown(h.late_ms),
        ],
    );
    html! {
        <li class="d-hop" title={localize(lang, &h.why).into_owned()}>
            { msg_tag(lang, h.msg, props) }
            <span class="d-hop-text">{ text }</span>
        </li>
    }
}
