//! The live guarantee checkers: five cards (per-queue order, duplicates, lost
//! messages, stuck queues, differing subscriptions), each with an OK/Warning
//! chip, a line saying what it checks, and its findings with the offending
//! messages (or nodes) as buttons that open their passports (or inspectors).
//! The logic lives in [`super::checkers_model`].

use yew::prelude::*;

use crate::i18n::reliability::{rf, rt, RKey};
use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::{use_lang, Lang};

use super::checkers_model::{
    check, status, Duplicate, LossCause, LostMsg, MixedSubscription, OrderViolation, StuckQueue,
};
use super::common::Same;
use super::format;
use super::props::{empty_state, msg_tag, node_button, status_chip, view_frame, ViewProps};

/// At most this many findings are listed per checker.
pub const MAX_FINDINGS: usize = 20;

/// The five guarantee checkers, recomputed as the trace grows.
#[function_component]
pub fn Checkers(props: &ViewProps) -> Html {
    let lang = use_lang().lang;
    let report = use_memo((Same(props.snapshot.clone()), Same(props.records.clone()), props.now), |(s, r, now)| {
        check(&s.0, &r.0, *now)
    });
    let title = tv(lang, ViewKey::CheckersTitle);
    if props.records.is_empty() {
        return view_frame("view-checkers", title, None, empty_state(tv(lang, ViewKey::CheckersEmpty)));
    }
    let order: Vec<Html> = report.order.iter().map(|f| order_finding(lang, f, props)).collect();
    let dups: Vec<Html> = report.duplicates.iter().map(|f| duplicate_finding(lang, f, props)).collect();
    let lost: Vec<Html> = report.lost.iter().map(|f| lost_finding(lang, f, props)).collect();
    let stuck: Vec<Html> = report.stuck.iter().map(|f| stuck_finding(lang, f, props)).collect();
    let subs: Vec<Html> = report.subscriptions.iter().map(|f| subscription_finding(lang, f, props)).collect();
    let checks = props.snapshot.invariant_checks.to_string();
    let body = html! {
        <>
        <p class="c-invariants" title={rt(lang, RKey::InvariantsHelp)}>{ rf(lang, RKey::InvariantsLine, &checks) }</p>
        <ul class="c-list">
            { card(lang, "check-order", ViewKey::CheckOrder, ViewKey::CheckOrderHelp, order) }
            { card(lang, "check-duplicates", ViewKey::CheckDuplicates, ViewKey::CheckDuplicatesHelp, dups) }
            { card(lang, "check-lost", ViewKey::CheckLost, ViewKey::CheckLostHelp, lost) }
            { card(lang, "check-stuck", ViewKey::CheckStuck, ViewKey::CheckStuckHelp, stuck) }
            { card(lang, "check-subscriptions", ViewKey::CheckSubscriptions, ViewKey::CheckSubscriptionsHelp, subs) }
        </ul>
        </>
    };
    view_frame("view-checkers", title, None, body)
}

fn card(lang: Lang, class: &'static str, name: ViewKey, help: ViewKey, findings: Vec<Html>) -> Html {
    let verdict = status(&findings);
    let more = findings.len().saturating_sub(MAX_FINDINGS);
    html! {
        <li class={classes!("c-check", class, if findings.is_empty() { "is-ok" } else { "is-warning" })}
            aria-label={tv(lang, name)}>
            <div class="c-head">
                <h3 class="c-name">{ tv(lang, name) }</h3>
                { status_chip(lang, verdict) }
            </div>
            <p class="c-help">{ tv(lang, help) }</p>
            if findings.is_empty() {
                <p class="muted">{ tv(lang, ViewKey::NoFindings) }</p>
            } else {
                <ul class="c-findings">{ for findings.into_iter().take(MAX_FINDINGS) }</ul>
                if more > 0 {
                    <p class="muted">{ tf(lang, ViewKey::MoreItems, &[&more.to_string()]) }</p>
                }
            }
        </li>
    }
}

fn order_finding(lang: Lang, f: &OrderViolation, props: &ViewProps) -> Html {
    let args = [&f.group, &f.queue, &f.offset.to_string(), &f.after_offset.to_string(), &format::instant_short(f.t)];
    let text = tf(lang, ViewKey::FindOrder, &args.map(String::as_str));
    html! {
        <li class="c-finding">
            { msg_tag(lang, f.msg, props) }
            <span class="c-finding-text">{ text }</span>
            { msg_tag(lang, f.after_msg, props) }
        </li>
    }
}

fn duplicate_finding(lang: Lang, f: &Duplicate, props: &ViewProps) -> Html {
    let args = [&f.reader, &f.deliveries.to_string(), &f.duplicates.to_string(), &format::instant_short(f.t)];
    let text = tf(lang, ViewKey::FindDuplicate, &args.map(String::as_str));
    html! {
        <li class="c-finding">
            { msg_tag(lang, f.msg, props) }
            <span class="c-finding-text">{ text }</span>
            <span class="c-finding-nodes">
                { tv(lang, ViewKey::FindConsumers) }
                { for f.consumers.iter().map(|c| node_button(lang, c, props, "node-inline")) }
            </span>
        </li>
    }
}

fn lost_finding(lang: Lang, f: &LostMsg, props: &ViewProps) -> Html {
    let when = format::instant_short(f.t);
    let text = match &f.cause {
        LossCause::Crash { broker } => tf(lang, ViewKey::FindLostCrash, &[broker, &when]),
        LossCause::NeverStored { mode } => tf(lang, ViewKey::FindLostNever, &[mode, &when]),
        LossCause::ScheduleDiscarded { broker } => tf(lang, ViewKey::FindLostDiscarded, &[broker, &when]),
    };
    html! {
        <li class="c-finding">
            { msg_tag(lang, f.msg, props) }
            <span class="c-finding-text">{ text }</span>
        </li>
    }
}

fn stuck_finding(lang: Lang, f: &StuckQueue, props: &ViewProps) -> Html {
    let args = [&f.queue, &f.poison_offset.to_string(), &f.failures.to_string(), &format::instant_short(f.since)];
    let text = tf(lang, ViewKey::FindStuck, &args.map(String::as_str));
    let state = if f.still_stuck { ViewKey::StuckStill } else { ViewKey::StuckResolved };
    html! {
        <li class={classes!("c-finding", f.still_stuck.then_some("is-active"))}>
            { msg_tag(lang, f.poison, props) }
            <span class="c-finding-text">{ text }</span>
            <span class={classes!("c-state", if f.still_stuck { "state-stuck" } else { "state-resolved" })}>
                { tv(lang, state) }
            </span>
            if f.waiting_count > 0 {
                <div class="c-waiting">
                    <span class="muted">{ tf(lang, ViewKey::FindWaiting, &[&f.waiting_count.to_string()]) }</span>
                    { for f.waiting.iter().map(|m| msg_tag(lang, *m, props)) }
                </div>
            }
        </li>
    }
}

fn subscription_finding(lang: Lang, f: &MixedSubscription, props: &ViewProps) -> Html {
    let expressions = f.expressions.iter().map(|e| format!("\"{e}\"")).collect::<Vec<_>>().join(", ");
    let args = [&f.group, &f.topic, &expressions, &format::instant_short(f.since)];
    let text = tf(lang, ViewKey::FindMixedSubscription, &args.map(String::as_str));
    html! {
        <li class="c-finding">
            <span class="c-finding-text">{ text }</span>
            <span class="c-finding-nodes">
                { tv(lang, ViewKey::FindReportedBy) }
                { for f.brokers.iter().map(|b| node_button(lang, b, props, "node-inline")) }
            </span>
        </li>
    }
}
