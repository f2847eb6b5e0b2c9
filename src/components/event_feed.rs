//! The event feed: the newest trace records as plain-language lines, newest
//! first (at most [`FEED_LINES`]), each with its virtual time, its node, a
//! localized summary and the engine's own "why". Filter by node and by kind;
//! click a node to inspect it, or a message to follow it.

use crate::order::SortedMap;
use std::rc::Rc;

use rmqsim::Record;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::feed::summary;
use crate::i18n::{use_lang, LangContext, SimKey};
use crate::state::FeedCategory;
use crate::view_model::{format_time_short, group_thousands, record_mentions, record_node};

/// Most lines the feed shows.
pub const FEED_LINES: usize = 500;

/// Most lines the feed shows while the clock runs (nobody reads faster, and
/// re-laying out fewer lines keeps fast playback smooth); all
/// [`FEED_LINES`] come back on pause.
pub const LIVE_FEED_LINES: usize = 20;

/// What the feed shows and where its clicks go.
#[derive(Properties, PartialEq)]
pub struct EventFeedProps {
    pub records: Rc<Vec<Record>>,
    /// The sequence number of `records[0]`.
    pub first_record: u64,
    /// Records that left the window, per kind.
    pub older: Rc<SortedMap<&'static str, u64>>,
    /// Every node, with its kind (for the filter and the node chips).
    pub nodes: Rc<Vec<(String, &'static str)>>,
    #[prop_or_default]
    pub filter_node: Option<String>,
    #[prop_or_default]
    pub filter_category: Option<FeedCategory>,
    #[prop_or_default]
    pub selected_msg: Option<u64>,
    /// Whether the clock is running (fewer lines are drawn).
    #[prop_or_default]
    pub live: bool,
    pub on_filter_node: Callback<Option<String>>,
    pub on_filter_category: Callback<Option<FeedCategory>>,
    pub on_select_msg: Callback<u64>,
    pub on_select_node: Callback<String>,
}

fn category_key(category: FeedCategory) -> SimKey {
    match category {
        FeedCategory::Send => SimKey::CatSend,
        FeedCategory::Store => SimKey::CatStore,
        FeedCategory::Consume => SimKey::CatConsume,
        FeedCategory::Retry => SimKey::CatRetry,
        FeedCategory::Rebalance => SimKey::CatRebalance,
        FeedCategory::Registry => SimKey::CatRegistry,
        FeedCategory::Fault => SimKey::CatFault,
        FeedCategory::Transaction => SimKey::CatTransaction,
    }
}

/// The feed.
#[function_component]
pub fn EventFeed(props: &EventFeedProps) -> Html {
    let i18n = use_lang();
    let expanded = use_state(|| None::<u64>);
    let kind_of = |name: &str| props.nodes.iter().find(|(n, _)| n == name).map(|(_, k)| *k).unwrap_or("");
    let matches = |rec: &Record| {
        props.filter_node.as_deref().is_none_or(|node| record_mentions(rec, node))
            && props.filter_category.is_none_or(|c| FeedCategory::of(rec.event) == c)
    };
    let lines: Vec<(u64, &Record)> = props
        .records
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, rec)| matches(rec))
        .take(if props.live { LIVE_FEED_LINES } else { FEED_LINES })
        .map(|(i, rec)| (props.first_record + i as u64, rec))
        .collect();
    let total = props.first_record + props.records.len() as u64;
    // While the clock runs, nearly every line is new at each refresh: lines
    // are keyed by position then, so the same elements take the new text
    // (creating and removing the elements each time cost far more);
    // paused, by record, so lines keep their elements as the list grows.
    let items = lines.iter().enumerate().map(|(at, (seq, rec))| {
        let open = *expanded == Some(*seq);
        let toggle = {
            let (expanded, seq) = (expanded.clone(), *seq);
            Callback::from(move |_: MouseEvent| expanded.set(if open { None } else { Some(seq) }))
        };
        let key = if props.live { at as u64 } else { *seq };
        feed_line(key, rec, kind_of(record_node(rec).unwrap_or("")), open, toggle, props, &i18n)
    });

    let on_node = {
        let cb = props.on_filter_node.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                cb.emit(Some(value).filter(|v| !v.is_empty()));
            }
        })
    };
    let on_category = {
        let cb = props.on_filter_category.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                cb.emit(FeedCategory::from_code(&select.value()));
            }
        })
    };
    let node_options = props.nodes.iter().map(|(name, _)| {
        let selected = props.filter_node.as_deref() == Some(name.as_str());
        html! { <option value={name.clone()} {selected}>{ name.clone() }</option> }
    });
    let category_options = FeedCategory::ALL.into_iter().map(|c| {
        let selected = props.filter_category == Some(c);
        html! { <option value={c.code()} {selected}>{ i18n.s(category_key(c)) }</option> }
    });
    let filtered = props.filter_node.is_some() || props.filter_category.is_some();
    let older: u64 = props.older.values().sum();

    html! {
        <div class="feed">
            <div class="feed-tools">
                <label class="feed-filter">
                    <span class="visually-hidden">{ i18n.s(SimKey::FilterNode) }</span>
                    <select aria-label={i18n.s(SimKey::FilterNode)} onchange={on_node}>
                        <option value="" selected={props.filter_node.is_none()}>{ i18n.s(SimKey::AllNodes) }</option>
                        { for node_options }
                    </select>
                </label>
                <label class="feed-filter">
                    <span class="visually-hidden">{ i18n.s(SimKey::FilterKind) }</span>
                    <select aria-label={i18n.s(SimKey::FilterKind)} onchange={on_category}>
                        <option value="" selected={props.filter_category.is_none()}>{ i18n.s(SimKey::AllKinds) }</option>
                        { for category_options }
                    </select>
                </label>
                <span class="feed-count">
                    { i18n.f(SimKey::FeedCount, &[&group_thousands(lines.len() as u64), &group_thousands(total)]) }
                </span>
            </div>
            if lines.is_empty() {
                <p class="feed-empty">
                    { i18n.s(if filtered { SimKey::FeedFilteredEmpty } else { SimKey::FeedEmpty }) }
                </p>
            } else {
                <ol class={classes!("feed-list", props.live.then_some("is-live"))} aria-label={i18n.s(SimKey::FeedLabel)}>
                    { for items }
                </ol>
            }
            if older > 0 {
                <p class="feed-older">
                    { i18n.f(SimKey::FeedOlder, &[&group_thousands(older)]) }
                    { " " }
                    { props.older.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(" · ") }
                </p>
            }
        </div>
    }
}

fn feed_line(
    key: u64,
    rec: &Record,
    node_kind: &str,
    open: bool,
    toggle: Callback<MouseEvent>,
    props: &EventFeedProps,
    i18n: &LangContext,
) -> Html {
    let category = FeedCategory::of(rec.event);
    let node = record_node(rec).map(|name| {
        let cb = props.on_select_node.clone();
        let owned = name.to_string();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(owned.clone()));
        html! {
            <button type="button" class={classes!("node-chip", format!("chip-{node_kind}"))} {onclick}>{ name.to_string() }</button>
        }
    });
    let msg = rec.u("msg").map(|msg| {
        let cb = props.on_select_msg.clone();
        let onclick = Callback::from(move |_: MouseEvent| cb.emit(msg));
        let selected = props.selected_msg == Some(msg);
        html! {
            <button type="button" class={classes!("msg-link", selected.then_some("is-selected"))} {onclick}>
                { i18n.f(SimKey::MsgLink, &[&msg.to_string()]) }
            </button>
        }
    });
    let why = crate::i18n::why::localize(i18n.lang, rec.str("why").unwrap_or_default()).into_owned();
    let highlighted = props.selected_msg.is_some() && rec.u("msg") == props.selected_msg;
    html! {
        <li
            {key}
            class={classes!(
                "feed-line",
                format!("cat-{}", category.code()),
                highlighted.then_some("is-highlighted"),
                open.then_some("is-open")
            )}
            data-event={rec.event}
        >
            <span class="feed-time">{ format_time_short(rec.t) }</span>
            <span class="feed-node">{ for node }</span>
            <span class="feed-text">{ summary(i18n.lang, rec) }{ for msg }</span>
            <button type="button" class="feed-why" title={why.clone()} aria-expanded={if open { "true" } else { "false" }}
                aria-label={format!("{}: {}", i18n.s(SimKey::Why), why)} onclick={toggle}>
                <span class="why-label" aria-hidden="true">{ i18n.s(SimKey::Why) }{ " " }</span>
                { why }
            </button>
        </li>
    }
}
