//! The retry flow: per consumer group, the path a failing message takes,
//! delivery → failure → %RETRY%group → a delay level → redelivery → %DLQ%group,
//! drawn as one pipeline with a count on each stage, and below it every
//! failing message with its reconsume count, each retry's level and delay, and
//! when it is due next. The logic lives in [`super::retry_model`].

use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::{use_lang, Lang};

use super::common::{Same, DLQ_PREFIX, RETRY_PREFIX, SCHEDULE_TOPIC};
use super::format;
use super::props::{empty_state, msg_tag, view_frame, ViewProps};
use super::retry_model::{retry_model, GroupFlow, RetryMsg, RetryState, Stages};

/// Retry → delay → DLQ as one visible flow, per consumer group.
#[function_component]
pub fn RetryFlow(props: &ViewProps) -> Html {
    let lang = use_lang().lang;
    let model = use_memo((Same(props.snapshot.clone()), Same(props.records.clone())), |(snap, records)| {
        retry_model(&snap.0, &records.0)
    });
    let title = tv(lang, ViewKey::RetryTitle);
    if model.groups.is_empty() {
        return view_frame("view-retry", title, None, empty_state(tv(lang, ViewKey::RetryEmpty)));
    }
    let body = html! { <>{ for model.groups.iter().map(|g| group(lang, g, props)) }</> };
    view_frame("view-retry", title, None, body)
}

fn group(lang: Lang, g: &GroupFlow, props: &ViewProps) -> Html {
    let heading = tf(lang, ViewKey::GroupHeading, &[&g.group]);
    html! {
        <section class="r-group" aria-label={heading.clone()}>
            <h3 class="view-subtitle">{ heading }</h3>
            { pipeline(lang, &g.group, &g.stages) }
            { notes(lang, &g.stages) }
            if g.messages.is_empty() {
                <p class="muted">{ tv(lang, ViewKey::NoFailures) }</p>
            } else {
                { messages(lang, g, props) }
            }
        </section>
    }
}

/// One stage box: a big count, a label, and what it is in RocketMQ's terms.
fn stage(class: &'static str, count: u64, label: &str, sub: String) -> Html {
    html! {
        <li class={classes!("r-stage", class, (count == 0).then_some("is-zero"))}>
            <span class="r-count">{ count }</span>
            <span class="r-label">{ label }</span>
            <span class="r-sub" title={sub.clone()}>{ sub }</span>
        </li>
    }
}

fn pipeline(lang: Lang, group: &str, s: &Stages) -> Html {
    let t = |k| tv(lang, k);
    html! {
        <ol class="r-pipeline" aria-label={tf(lang, ViewKey::PipelineLabel, &[group])}>
            { stage("stage-deliver", s.deliveries, t(ViewKey::StageDelivered), tf(lang, ViewKey::StageMessages, &[&s.messages.to_string()])) }
            { stage("stage-fail", s.failed, t(ViewKey::StageFailed), tf(lang, ViewKey::StageSucceeded, &[&s.succeeded.to_string()])) }
            { stage("stage-retry", s.sent_back, t(ViewKey::StageSentBack), format!("{RETRY_PREFIX}{group}")) }
            { stage("stage-delay", s.waiting, t(ViewKey::StageWaiting), SCHEDULE_TOPIC.to_string()) }
            { stage("stage-redeliver", s.redelivered, t(ViewKey::StageRedelivered), format!("{RETRY_PREFIX}{group}")) }
            { stage("stage-dlq", s.dead_lettered, t(ViewKey::StageDeadLettered), format!("{DLQ_PREFIX}{group}")) }
        </ol>
    }
}

fn notes(lang: Lang, s: &Stages) -> Html {
    let notes = [
        (s.suspended, ViewKey::NoteSuspended),
        (s.local_retries, ViewKey::NoteLocalRetry),
        (s.dropped, ViewKey::NoteDropped),
    ];
    html! {
        <>
            { for notes.into_iter().filter(|(n, _)| *n > 0).map(|(n, key)| html! {
                <p class="r-note">{ tf(lang, key, &[&n.to_string()]) }</p>
            }) }
        </>
    }
}

fn messages(lang: Lang, g: &GroupFlow, props: &ViewProps) -> Html {
    html! {
        <>
            <table class="r-table">
                <thead>
                    <tr>
                        <th scope="col">{ tv(lang, ViewKey::ColMsg) }</th>
                        <th scope="col">{ tv(lang, ViewKey::ColReconsume) }</th>
                        <th scope="col">{ tv(lang, ViewKey::ColLevels) }</th>
                        <th scope="col">{ tv(lang, ViewKey::ColState) }</th>
                    </tr>
                </thead>
                <tbody>{ for g.messages.iter().map(|m| message(lang, m, props)) }</tbody>
            </table>
            if g.more > 0 {
                <p class="muted">{ tf(lang, ViewKey::MoreItems, &[&g.more.to_string()]) }</p>
            }
        </>
    }
}

fn message(lang: Lang, m: &RetryMsg, props: &ViewProps) -> Html {
    let steps = m.steps.iter().map(|s| {
        let title = format!("reconsume_times {} · {}", s.reconsume_times, format::instant(s.due));
        html! {
            <li class={classes!("r-step", s.redelivered_at.is_none().then_some("is-pending"))} {title}>
                { tf(lang, ViewKey::LevelShort, &[&s.delay_level.to_string()]) }
                <span class="r-step-delay">{ format::level_delay(s.delay_ms) }</span>
            </li>
        }
    });
    html! {
        <tr class={classes!("r-row", state_class(m.state))} data-msg={m.msg.to_string()}>
            <th scope="row">{ msg_tag(lang, m.msg, props) }</th>
            <td class="num">{ m.reconsume_times }</td>
            <td>
                if m.steps.is_empty() {
                    <span class="muted">{ "—" }</span>
                } else {
                    <ol class="r-steps">{ for steps }</ol>
                }
            </td>
            <td class="r-state">{ state_text(lang, m.state, props.now) }</td>
        </tr>
    }
}

fn state_class(state: RetryState) -> &'static str {
    match state {
        RetryState::Waiting { .. } => "state-waiting",
        RetryState::InFlight | RetryState::Failing => "state-active",
        RetryState::Succeeded => "state-ok",
        RetryState::DeadLettered => "state-dlq",
        RetryState::Dropped => "state-dropped",
    }
}

fn state_text(lang: Lang, state: RetryState, now: u64) -> String {
    match state {
        RetryState::Waiting { due } => {
            let left = due.saturating_sub(now);
            let left = if left == 0 { tv(lang, ViewKey::ChipDue).to_string() } else { format::countdown(left) };
            tf(lang, ViewKey::StateWaiting, &[&left, &format::instant_short(due)])
        }
        RetryState::InFlight => tv(lang, ViewKey::StateInFlight).to_string(),
        RetryState::Failing => tv(lang, ViewKey::StateFailing).to_string(),
        RetryState::Succeeded => tv(lang, ViewKey::StateSucceeded).to_string(),
        RetryState::DeadLettered => tv(lang, ViewKey::StateDeadLettered).to_string(),
        RetryState::Dropped => tv(lang, ViewKey::StateDropped).to_string(),
    }
}
