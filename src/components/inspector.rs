//! The inspector: the live state of the selected node, read from the frame's
//! snapshot (a broker's address, role, flush mode, commit log, topics with
//! queue min/max and consumer offsets, groups and waiting delayed messages;
//! a producer's routes; a consumer's owned queues with next/commit offsets;
//! a NameServer's registered brokers), with the node's interventions as
//! buttons. (A picked message shows its passport instead: `views::Passport`.)

use std::rc::Rc;

use rmqsim::snapshot::{BrokerSnap, ConsumerSnap, NodeDetail, NodeSnap, ProducerSnap};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::cluster_layout::visible_topics;
use crate::components::cluster_view::down_text;
use crate::components::fault_palette::fault_label;
use crate::faults::{Fault, NodeFacts, ParamKind, Params};
use crate::i18n::{use_lang, LangContext, SimKey};
use crate::state::Point;
use crate::view_model::{format_duration, group_thousands, Frame};
use rmqsim::scenario::Action;

/// What the inspector shows and where its buttons go.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub frame: Rc<Frame>,
    pub node: String,
    pub on_close: Callback<()>,
    /// A fault was chosen (opens its form if it needs one).
    pub on_choose_fault: Callback<(String, Fault, Point)>,
    /// Apply an intervention directly (partition from the select).
    pub on_intervene: Callback<Action>,
}

/// The node inspector.
#[function_component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let i18n = use_lang();
    let snapshot = &props.frame.snapshot;
    let Some(node) = snapshot.nodes.iter().find(|n| n.name == props.node) else {
        return html! {
            <aside class="inspector" aria-label={i18n.s(SimKey::Inspector)}>
                <p class="empty-note">{ i18n.s(SimKey::InspectorEmpty) }</p>
            </aside>
        };
    };
    let status = if node.alive {
        i18n.s(SimKey::Up).to_string()
    } else {
        down_text(&i18n, props.frame.down.get(&node.name).copied())
    };
    let body = match &node.detail {
        NodeDetail::Broker(b) => broker_details(b, &i18n),
        NodeDetail::Producer(p) => producer_details(p, &i18n),
        NodeDetail::Consumer(c) => consumer_details(c, &i18n),
        NodeDetail::NameServer { brokers } => nameserver_details(brokers, &i18n),
    };
    html! {
        <aside class="inspector" aria-label={format!("{}: {}", i18n.s(SimKey::Inspector), node.name)}>
            <header class="inspector-head">
                <span class={classes!("kind-dot", format!("dot-{}", node.kind))} aria-hidden="true"></span>
                <div class="inspector-title">
                    <h2 class="inspector-name">{ node.name.clone() }</h2>
                    <p class="inspector-kind">{ kind_name(&i18n, node.kind) }</p>
                </div>
                <span class={classes!("status-pill", if node.alive { "is-up" } else { "is-down" })}>{ status }</span>
                <button type="button" class="icon-button" aria-label={i18n.s(SimKey::Close)} title={i18n.s(SimKey::Close)}
                    onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
            </header>
            <div class="inspector-body">
                { body }
                { interventions(node, props, &i18n) }
            </div>
        </aside>
    }
}

fn kind_name(i18n: &LangContext, kind: &str) -> &'static str {
    i18n.s(match kind {
        "nameserver" => SimKey::KindNameServer,
        "broker" => SimKey::KindBroker,
        "producer" => SimKey::KindProducer,
        _ => SimKey::KindConsumer,
    })
}

fn row(label: &str, value: impl Into<Html>) -> Html {
    html! {
        <>
            <dt>{ label.to_string() }</dt>
            <dd>{ value.into() }</dd>
        </>
    }
}

fn section(title: &str, content: Html) -> Html {
    html! {
        <section class="inspector-section">
            <h3 class="inspector-heading">{ title.to_string() }</h3>
            { content }
        </section>
    }
}

fn broker_details(b: &BrokerSnap, i18n: &LangContext) -> Html {
    let slave = match b.slave {
        Some(true) => i18n.s(SimKey::SlaveUp),
        Some(false) => i18n.s(SimKey::SlaveDown),
        None => i18n.s(SimKey::NoSlave),
    };
    let commit = i18n.f(SimKey::CommitLogValue, &[&group_thousands(b.commitlog_end), &group_thousands(b.flushed)]);
    let rows = visible_topics(b).into_iter().flat_map(|topic| {
        topic.queues.iter().map(move |q| {
            let offsets = q
                .consumer_offsets
                .iter()
                .map(|(group, offset, lag)| format!("{group} = {offset} ({lag})"))
                .collect::<Vec<_>>()
                .join(", ");
            html! {
                <tr>
                    <td class="mono">{ topic.name.clone() }</td>
                    <td class="num">{ q.queue_id }</td>
                    <td class="num">{ q.min_offset }</td>
                    <td class="num">{ q.max_offset }</td>
                    <td class="mono small">{ offsets }</td>
                </tr>
            }
        })
    });
    let groups = b.groups.iter().map(
        |g| html! { <li><span class="mono">{ g.group.clone() }</span>{ format!(": {}", g.members.join(", ")) }</li> },
    );
    let waiting = b.delay_levels.iter().filter(|l| !l.waiting.is_empty()).map(|l| {
        html! { <li>{ i18n.f(SimKey::DelayLevelValue, &[&l.level.to_string(), &format_duration(l.delay_ms), &l.waiting.len().to_string()]) }</li> }
    });
    let any_waiting = b.delay_levels.iter().any(|l| !l.waiting.is_empty());
    html! {
        <>
            <dl class="facts">
                { row(i18n.s(SimKey::Address), html! { <span class="mono">{ b.addr.clone() }</span> }) }
                { row(i18n.s(SimKey::Role), b.role) }
                { row(i18n.s(SimKey::Flush), b.flush) }
                { row(i18n.s(SimKey::Slave), slave) }
                { row(i18n.s(SimKey::CommitLog), commit) }
                { row(i18n.s(SimKey::Stored), group_thousands(b.messages_stored)) }
            </dl>
            { section(i18n.s(SimKey::Topics), html! {
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{ i18n.s(SimKey::ColTopic) }</th>
                        <th scope="col" class="num">{ i18n.s(SimKey::ColQueue) }</th>
                        <th scope="col" class="num">{ i18n.s(SimKey::ColMin) }</th>
                        <th scope="col" class="num">{ i18n.s(SimKey::ColMax) }</th>
                        <th scope="col" title={i18n.s(SimKey::ColConsumerOffsetsHint)}>{ i18n.s(SimKey::ColConsumerOffsets) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }) }
            if !b.groups.is_empty() {
                { section(i18n.s(SimKey::Groups), html! { <ul class="plain-list">{ for groups }</ul> }) }
            }
            if any_waiting {
                { section(i18n.s(SimKey::DelayWaiting), html! { <ul class="plain-list">{ for waiting }</ul> }) }
            }
        </>
    }
}

fn producer_details(p: &ProducerSnap, i18n: &LangContext) -> Html {
    let stats = i18n.f(SimKey::SendStatsValue, &[&p.attempts.to_string(), &p.ok.to_string(), &p.failed.to_string()]);
    let routes = p.routes.iter().map(|(topic, queues)| {
        let items = queues.iter().map(|q| html! { <li class="mono">{ q.clone() }</li> });
        html! {
            <div class="route">
                <p class="route-topic mono">{ topic.clone() }</p>
                <ol class="route-queues">{ for items }</ol>
            </div>
        }
    });
    html! {
        <>
            <dl class="facts">
                { row(i18n.s(SimKey::Group), html! { <span class="mono">{ p.group.clone() }</span> }) }
                { row(i18n.s(SimKey::SendStats), stats) }
            </dl>
            { section(i18n.s(SimKey::Routes), if p.routes.is_empty() {
                html! { <p class="empty-note">{ i18n.s(SimKey::NoRoutes) }</p> }
            } else {
                html! { <>{ for routes }</> }
            }) }
        </>
    }
}

fn consumer_details(c: &ConsumerSnap, i18n: &LangContext) -> Html {
    let stats =
        i18n.f(SimKey::ConsumeStatsValue, &[&c.delivered.to_string(), &c.succeeded.to_string(), &c.failed.to_string()]);
    let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".to_string());
    let rows = c.queues.iter().map(|q| {
        html! {
            <tr>
                <td class="mono">{ q.queue.clone() }</td>
                <td class="num">{ opt(q.next_offset) }</td>
                <td class="num">{ opt(q.commit_offset) }</td>
                <td class="num">{ q.in_flight }</td>
                <td>{ i18n.s(if q.locked { SimKey::Yes } else { SimKey::No }) }</td>
            </tr>
        }
    });
    html! {
        <>
            <dl class="facts">
                { row(i18n.s(SimKey::Group), html! { <span class="mono">{ c.group.clone() }</span> }) }
                { row(i18n.s(SimKey::ClientId), html! { <span class="mono">{ c.client_id.clone() }</span> }) }
                { row(i18n.s(SimKey::Model), c.model) }
                { row(i18n.s(SimKey::Listener), c.listener) }
                { row(i18n.s(SimKey::ConsumeStats), stats) }
            </dl>
            { section(i18n.s(SimKey::OwnedQueues), if c.queues.is_empty() {
                html! { <p class="empty-note">{ i18n.s(SimKey::NoQueues) }</p> }
            } else {
                html! {
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">{ i18n.s(SimKey::ColQueue) }</th>
                            <th scope="col" class="num">{ i18n.s(SimKey::ColNext) }</th>
                            <th scope="col" class="num">{ i18n.s(SimKey::ColCommit) }</th>
                            <th scope="col" class="num">{ i18n.s(SimKey::ColInFlight) }</th>
                            <th scope="col">{ i18n.s(SimKey::ColLocked) }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                }
            }) }
        </>
    }
}

fn nameserver_details(brokers: &[String], i18n: &LangContext) -> Html {
    let items = brokers.iter().map(|b| html! { <li class="mono">{ b.clone() }</li> });
    section(
        i18n.s(SimKey::RegisteredBrokers),
        if brokers.is_empty() {
            html! { <p class="empty-note">{ i18n.s(SimKey::NoBrokers) }</p> }
        } else {
            html! { <ul class="plain-list">{ for items }</ul> }
        },
    )
}

fn interventions(node: &NodeSnap, props: &InspectorProps, i18n: &LangContext) -> Html {
    let faults = Fault::for_node(&NodeFacts::of(node, &props.frame.snapshot.partitions));
    let buttons = faults.iter().filter(|f| **f != Fault::Partition).map(|&fault| {
        let cb = props.on_choose_fault.clone();
        let name = node.name.clone();
        let onclick = Callback::from(move |e: MouseEvent| {
            cb.emit((name.clone(), fault, Point { x: f64::from(e.client_x()) - 220.0, y: f64::from(e.client_y()) }));
        });
        html! {
            <button type="button" class={classes!("button", "button-small", fault.destructive().then_some("is-destructive"))}
                aria-haspopup={(fault.param() != ParamKind::None).then_some("dialog")} {onclick}>
                { fault_label(i18n, fault) }
            </button>
        }
    });
    let others: Vec<&NodeSnap> = props.frame.snapshot.nodes.iter().filter(|n| n.name != node.name).collect();
    let partner = partner_select(node, others, props, i18n);
    section(
        i18n.s(SimKey::Interventions),
        html! {
            <>
                <div class="button-row">{ for buttons }</div>
                { partner }
            </>
        },
    )
}

fn partner_select(node: &NodeSnap, others: Vec<&NodeSnap>, props: &InspectorProps, i18n: &LangContext) -> Html {
    let select_id = format!("partner-{}", node.name);
    let options = others.iter().map(|n| html! { <option value={n.name.clone()}>{ n.name.clone() }</option> });
    let onclick = {
        let (cb, from, id) = (props.on_intervene.clone(), node.name.clone(), select_id.clone());
        Callback::from(move |_: MouseEvent| {
            let other = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(el).ok())
                .map(|s| s.value())
                .filter(|v| !v.is_empty());
            let params = Params { other, ..Params::default() };
            if let Some(action) = Fault::Partition.action(&from, &params) {
                cb.emit(action);
            }
        })
    };
    html! {
        <div class="partner-row">
            <label for={select_id.clone()} class="form-label">{ i18n.s(SimKey::PartitionWith) }</label>
            <select id={select_id} class="form-input">{ for options }</select>
            <button type="button" class="button button-small is-destructive" {onclick}>{ i18n.s(SimKey::PartitionApply) }</button>
        </div>
    }
}
