//! The queue view: each broker's topics as lanes of message cells at their
//! queue offsets, with min/max offset, every group's consume offset and lag,
//! the owning consumer, and the rebalance history that explains ownership.
//! The logic lives in [`super::queue_model`]; this file only draws it.

use yew::prelude::*;

use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::why::localize;
use crate::i18n::{use_lang, Lang};

use super::common::{QueueRef, Same, TopicKind};
use super::format;
use super::props::{empty_state, msg_button, node_button, view_frame, ViewProps};
use super::queue_model::{queue_model, BrokerLanes, Cell, GroupOffset, Lane, QueueModel, RebalanceRow, TopicLanes};

/// Every topic's queues as lanes, plus the rebalance history.
#[function_component]
pub fn QueueView(props: &ViewProps) -> Html {
    let lang = use_lang().lang;
    let model = use_memo((Same(props.snapshot.clone()), Same(props.records.clone())), |(snap, records)| {
        queue_model(&snap.0, &records.0)
    });
    let title = tv(lang, ViewKey::QueuesTitle);
    if model.is_empty() {
        return view_frame("view-queues", title, None, empty_state(tv(lang, ViewKey::QueuesEmpty)));
    }
    let lanes: usize = model.brokers.iter().flat_map(|b| &b.topics).map(|t| t.lanes.len()).sum();
    let summary = tf(lang, ViewKey::QueuesSummary, &[&model.brokers.len().to_string(), &lanes.to_string()]);
    let body = html! {
        <>
            { for model.brokers.iter().filter(|b| !b.topics.is_empty()).map(|b| broker(lang, b, props)) }
            { rebalances(lang, &model, props) }
        </>
    };
    view_frame("view-queues", title, Some(summary), body)
}

fn broker(lang: Lang, b: &BrokerLanes, props: &ViewProps) -> Html {
    html! {
        <section class={classes!("q-broker", (!b.alive).then_some("is-down"))} aria-label={b.broker.clone()}>
            <h3 class="q-broker-name">
                { node_button(lang, &b.broker, props, "node-broker") }
                if !b.alive {
                    <span class="down-tag">{ tv(lang, ViewKey::NodeDown) }</span>
                }
            </h3>
            { for b.topics.iter().map(|t| topic(lang, &b.broker, t, props)) }
        </section>
    }
}

fn topic(lang: Lang, broker: &str, t: &TopicLanes, props: &ViewProps) -> Html {
    let tag = match t.kind {
        TopicKind::Retry => Some(ViewKey::KindRetry),
        TopicKind::DeadLetter => Some(ViewKey::KindDeadLetter),
        _ => None,
    };
    html! {
        <div class={classes!("q-topic", t.kind.class())}>
            <h4 class="q-topic-name">
                if let Some(tag) = tag {
                    <span class="kind-tag">{ tv(lang, tag) }</span>
                }
                <span class="q-topic-text">{ &t.topic }</span>
                if !t.writeable {
                    <span class="muted-tag">{ tv(lang, ViewKey::TopicReadOnly) }</span>
                }
            </h4>
            <ol class="q-lanes">
                { for t.lanes.iter().map(|l| lane(lang, broker, &t.topic, l, props)) }
            </ol>
        </div>
    }
}

fn lane(lang: Lang, broker: &str, topic: &str, l: &Lane, props: &ViewProps) -> Html {
    let qid = l.queue_id.to_string();
    let label = tf(lang, ViewKey::LaneLabel, &[&qid, topic, broker]);
    html! {
        <li class="q-lane" aria-label={label} data-queue={l.queue.clone()}>
            <div class="q-lane-head">
                <span class="q-qid">{ format!("q{qid}") }</span>
                <span class="q-range">
                    { tf(lang, ViewKey::LaneRange, &[&l.min_offset.to_string(), &l.max_offset.to_string()]) }
                </span>
            </div>
            <div class="q-strip">{ strip(lang, l, props) }</div>
            <div class="q-lane-meta">{ lane_meta(lang, l, props) }</div>
        </li>
    }
}

/// The cells in offset order, with a marker before the cell each group will
/// consume next (or at the end when it has caught up).
fn strip(lang: Lang, l: &Lane, props: &ViewProps) -> Html {
    if l.cells.is_empty() && l.older == 0 {
        return html! { <span class="q-strip-empty">{ tv(lang, ViewKey::LaneEmpty) }</span> };
    }
    let first = l.cells.first().map_or(l.max_offset, |c| c.offset);
    let marker_at = |offset: u64| -> Html {
        let groups: Vec<&str> = l.offsets.iter().filter(|o| o.offset == offset).map(reader).collect();
        if groups.is_empty() {
            return Html::default();
        }
        html! { <span class="q-marker" title={groups.join(", ")} aria-hidden="true"></span> }
    };
    let before: Vec<&str> = l.offsets.iter().filter(|o| o.offset < first).map(reader).collect();
    html! {
        <>
            if l.older > 0 {
                <span class="q-older">{ tf(lang, ViewKey::LaneOlder, &[&l.older.to_string()]) }</span>
            }
            if !before.is_empty() {
                <span class="q-marker" title={before.join(", ")} aria-hidden="true"></span>
            }
            { for l.cells.iter().map(|c| html! { <>{ marker_at(c.offset) }{ cell(lang, c, props) }</> }) }
            { marker_at(l.max_offset) }
        </>
    }
}

/// Who a marker belongs to: the group, or the consumer for a client-side offset.
fn reader(o: &GroupOffset) -> &str {
    o.consumer.as_deref().unwrap_or(&o.group)
}

fn cell(lang: Lang, c: &Cell, props: &ViewProps) -> Html {
    let mut label = tf(lang, ViewKey::CellLabel, &[&c.msg.to_string(), &c.offset.to_string()]);
    let mut add = |part: String| label = tf(lang, ViewKey::LabelJoin, &[&label, &part]);
    if let Some(tags) = &c.tags {
        add(tf(lang, ViewKey::CellTags, &[tags]));
    }
    if c.reconsume_times > 0 {
        add(tf(lang, ViewKey::CellReconsumed, &[&c.reconsume_times.to_string()]));
    }
    if c.consumed {
        add(tv(lang, ViewKey::CellConsumed).to_string());
    }
    let content = html! {
        <>
            <span class="q-cell-msg">{ format!("#{}", c.msg) }</span>
            <span class="q-cell-offset">{ c.offset }</span>
        </>
    };
    let class =
        classes!("q-cell", c.consumed.then_some("is-consumed"), (c.reconsume_times > 0).then_some("is-retried"));
    msg_button(c.msg, props, class, content, label)
}

fn lane_meta(lang: Lang, l: &Lane, props: &ViewProps) -> Html {
    let offsets = l.offsets.iter().map(|o| {
        let (offset, lag) = (o.offset.to_string(), o.lag.to_string());
        let text = match &o.consumer {
            None => tf(lang, ViewKey::GroupOffset, &[&o.group, &offset, &lag]),
            Some(consumer) => tf(lang, ViewKey::ClientOffset, &[consumer, &offset, &lag]),
        };
        html! { <span class={classes!("q-offset", (o.lag > 0).then_some("has-lag"))}>{ text }</span> }
    });
    html! {
        <>
            <span class="q-owners">
                if l.owners.is_empty() {
                    <span class="muted">{ tv(lang, ViewKey::NoOwner) }</span>
                } else {
                    <span class="muted">{ tv(lang, ViewKey::OwnedBy) }</span>
                    { for l.owners.iter().map(|o| node_button(lang, &o.consumer, props, "node-consumer")) }
                }
            </span>
            { for offsets }
            if let Some(holder) = &l.locked_by {
                <span class="q-lock">{ tf(lang, ViewKey::LockedBy, &[holder]) }</span>
            }
        </>
    }
}

fn rebalances(lang: Lang, model: &QueueModel, props: &ViewProps) -> Html {
    html! {
        <section class="q-rebalances" aria-label={tv(lang, ViewKey::RebalanceTitle)}>
            <h3 class="view-subtitle">{ tv(lang, ViewKey::RebalanceTitle) }</h3>
            if model.rebalances.is_empty() {
                { empty_state(tv(lang, ViewKey::RebalanceEmpty)) }
            } else {
                if model.rebalance_count > model.rebalances.len() {
                    <p class="muted">
                        { tf(lang, ViewKey::RebalanceCount, &[&model.rebalance_count.to_string(), &model.rebalances.len().to_string()]) }
                    </p>
                }
                <ol class="q-rebalance-list">
                    { for model.rebalances.iter().map(|r| rebalance(lang, r, props)) }
                </ol>
            }
        </section>
    }
}

fn rebalance(lang: Lang, r: &RebalanceRow, props: &ViewProps) -> Html {
    let queues: Vec<String> = r
        .queues
        .iter()
        .map(|q| QueueRef::parse(q).map_or_else(|| q.clone(), |p| format!("{} q{}", p.broker, p.queue_id)))
        .collect();
    html! {
        <li class="q-rebalance">
            <time class="time-stamp">{ format::instant_short(r.t) }</time>
            { node_button(lang, &r.consumer, props, "node-consumer") }
            <span class="q-rebalance-topic">{ format!("{} · {}", r.group, r.topic) }</span>
            <span class="q-rebalance-arrow" aria-hidden="true">{ "→" }</span>
            <span class="q-rebalance-queues">
                if queues.is_empty() {
                    { tv(lang, ViewKey::RebalanceNoQueues) }
                } else {
                    { queues.join(", ") }
                }
            </span>
            <p class="why">{ localize(lang, &r.why).into_owned() }</p>
        </li>
    }
}
