//! The centre of the screen: the live cluster as an SVG. NameServers on top,
//! brokers in the middle (role, flush mode, slave, and a strip of queues per
//! topic with their max offsets), producers on the left, consumers on the
//! right; links between nodes that talk, packets moving along them, dead
//! nodes greyed with a "down" badge and a cross, partitions as broken red
//! links. Click a node to inspect it, right-click (or Shift+F10) for its
//! fault menu, click a packet that carries a message to follow the message.
//! On a touch screen a tap on a node does both: it inspects the node and
//! opens its menu.
//!
//! It draws whatever [`Frame`] it is given and owns nothing but its own size
//! (watched with a `ResizeObserver`, so labels keep their size).

use std::cell::Cell;
use std::rc::Rc;

use rmqsim::snapshot::{
    BrokerSnap, ConsumerSnap, FlightSnap, NodeDetail, NodeSnap, ProducerSnap, QueueSnap, TopicSnap,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::cluster_layout::{self, path_d, point_along, visible_topics, Layout, Link, NodeBox, Rect};
use crate::components::packet_canvas::{view_fit, PacketCanvas, DENSE_PACKETS};
use crate::faults::cuts;
use crate::i18n::{use_lang, LangContext, SimKey};
use crate::state::{Picking, Point};
use crate::view_model::{flight_progress, format_time_short, packet_family, topic_family, Frame};
use crate::views::common::Same;

/// The id the skip link jumps to.
pub const CLUSTER_ID: &str = "cluster";

/// Most packets drawn at once as SVG.
const MAX_PACKETS: usize = 400;

/// What the cluster view draws and where its clicks go.
#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub frame: Rc<Frame>,
    #[prop_or_default]
    pub selected_node: Option<String>,
    #[prop_or_default]
    pub selected_msg: Option<u64>,
    #[prop_or_default]
    pub picking: Option<Picking>,
    /// Nodes the tutorial step points at (drawn with a highlight ring).
    #[prop_or_default]
    pub highlight: Rc<Vec<String>>,
    /// A node was clicked (select it, or finish picking a partition).
    pub on_node_click: Callback<String>,
    /// A node's fault menu was asked for, at a point in the viewport.
    pub on_node_menu: Callback<(String, Point)>,
    /// A packet carrying a message was clicked.
    pub on_select_msg: Callback<u64>,
    /// The menu of the link between two nodes was asked for, at a point.
    #[prop_or_default]
    pub on_link_menu: Callback<(String, String, Point)>,
    /// The canvas dense traffic is painted on, shared with the driver so it
    /// can paint the packets of frames the view does not render (one of the
    /// view's own without a driver).
    #[prop_or_default]
    pub canvas: Option<PacketCanvas>,
    /// Whether a narrow view stacks the picture at full size (a page whose
    /// stage is as tall as the picture); false keeps the wide picture,
    /// scaled down, for a box of fixed height (the embedded player).
    #[prop_or(true)]
    pub stack: bool,
}

/// The cluster drawing.
#[function_component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let i18n = use_lang();
    let stage = use_node_ref();
    let size = use_state(|| (960.0_f64, 400.0_f64));
    use_stage_size(&stage, &size);

    let frame = &props.frame;
    let layout = {
        let (snapshot, size, stack) = (frame.snapshot.clone(), *size, props.stack);
        use_memo((Same(snapshot), size.0.to_bits(), size.1.to_bits(), stack), move |(snapshot, ..)| {
            if stack {
                cluster_layout::layout(&snapshot.0.nodes, size.0, size.1)
            } else {
                cluster_layout::wide(&snapshot.0.nodes, size.0, size.1)
            }
        })
    };
    let view_box = format!("0 0 {:.0} {:.0}", layout.width, layout.height);
    {
        // The picture's own proportions, for a phone's stage, which is as
        // tall as the picture needs at its width (static/layout.css).
        let aspect = format!("{:.0} / {:.0}", layout.width, layout.needed);
        use_effect_with((stage.clone(), aspect), |(stage, aspect)| {
            if let Some(element) = stage.cast::<web_sys::HtmlElement>() {
                let _ = element.style().set_property("--stage-aspect", aspect);
            }
        });
    }
    let cut_list = cuts(&frame.snapshot.partitions);

    let links = layout.links.iter().map(|link| render_link(link, frame));
    let cut_paths = cut_list.iter().filter_map(|cut| {
        let points = layout.path(&cut.a, &cut.b)?;
        Some(html! { <path class="cut-line" d={path_d(&points)} /> })
    });
    let nodes = layout.nodes.iter().map(|node| render_node(node, props, &i18n));
    let link_badges = frame.snapshot.links.iter().filter_map(|l| {
        let points = layout.path(&l.a, &l.b)?;
        Some(render_link_badge(l, &points, &cut_list, &i18n))
    });
    // Dense traffic is painted on a canvas over the drawing: hundreds of
    // SVG elements moved every frame cost the browser more than a frame.
    let dense = frame.flights.len() + frame.ghosts.len() > DENSE_PACKETS;
    let own_canvas = use_memo((), |_| PacketCanvas::default());
    let painter = props.canvas.clone().unwrap_or_else(|| (*own_canvas).clone());
    let link_hits = layout.links.iter().map(|link| render_link_hit(link, frame, props, &painter, &i18n));
    {
        let (painter, frame, layout) = (painter.clone(), frame.clone(), layout.clone());
        let (selected, stage_size) = (props.selected_msg, *size);
        use_effect(move || {
            let kinds = frame.snapshot.nodes.iter().map(|n| (n.name.clone(), n.kind));
            painter.set_scene(layout, kinds, selected, stage_size, dense);
            painter.paint(&frame.flights, &frame.ghosts, frame.now_f);
        });
    }
    let on_stage_click = {
        let (painter, cb) = (painter.clone(), props.on_select_msg.clone());
        Callback::from(move |e: MouseEvent| {
            let on_node = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest(".node, .link-hit").ok().flatten())
                .is_some();
            if on_node {
                return;
            }
            if let Some(msg) = dot_at(&painter, &e) {
                cb.emit(msg);
            }
        })
    };
    let packets = if dense { Html::default() } else { render_packets(&layout, frame, props, &i18n) };
    let cut_labels = cut_list.iter().filter_map(|cut| {
        let points = layout.path(&cut.a, &cut.b)?;
        let mid = cluster_layout::midpoint(&points);
        let text = i18n.s(if cut.oneway { SimKey::OnewayPartition } else { SimKey::Partitioned });
        let label = format!("✂ {text}");
        let w = text_width(&label, 11.0) + 14.0;
        Some(html! {
            <g class="cut-label" transform={format!("translate({:.1} {:.1})", mid.x, mid.y)}>
                <title>{ format!("{} ⇎ {}", cut.a, cut.b) }</title>
                <rect x={fmt(-w / 2.0)} y="-10" width={fmt(w)} height="20" rx="10" />
                <text x="0" y="4" text-anchor="middle">{ label }</text>
            </g>
        })
    });

    html! {
        <div class={classes!("cluster-stage", props.picking.is_some().then_some("is-picking"))} ref={stage} onclick={on_stage_click}>
            <svg
                class="cluster-svg"
                viewBox={view_box}
                preserveAspectRatio="xMidYMin meet"
                role="group"
                aria-label={i18n.s(SimKey::ClusterDrawing)}
            >
                <g class="links">{ for links }</g>
                <g class="cuts">{ for cut_paths }</g>
                <g class="nodes">{ for nodes }</g>
                <g class="link-hits">{ for link_hits }</g>
                <g class="packets">{ packets }</g>
                <g class="cut-labels">{ for cut_labels }</g>
                <g class="link-badges">{ for link_badges }</g>
            </svg>
            // The painter keeps `data-packets` (how many dots it holds) up to date.
            <canvas class="packet-canvas" ref={painter.node_ref()} aria-hidden="true" data-packets="0"></canvas>
        </div>
    }
}

/// Keeps `size` equal to the stage's size in CSS pixels.
#[hook]
fn use_stage_size(stage: &NodeRef, size: &UseStateHandle<(f64, f64)>) {
    let size = size.clone();
    use_effect_with(stage.clone(), move |stage| {
        let last = Rc::new(Cell::new((0.0_f64, 0.0_f64)));
        let update = {
            let size = size.clone();
            let last = last.clone();
            move |w: f64, h: f64| {
                let (lw, lh) = last.get();
                if w >= 1.0 && h >= 1.0 && ((w - lw).abs() >= 1.0 || (h - lh).abs() >= 1.0) {
                    last.set((w, h));
                    size.set((w, h));
                }
            }
        };
        let mut observer = None;
        if let Some(element) = stage.cast::<web_sys::Element>() {
            let rect = element.get_bounding_client_rect();
            update(rect.width(), rect.height());
            let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let entry = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>().ok();
                if let Some(rect) = entry.map(|e| e.content_rect()) {
                    update(rect.width(), rect.height());
                }
            });
            if let Ok(resize) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
                resize.observe(&element);
                observer = Some((resize, on_resize));
            }
        }
        move || {
            if let Some((resize, _closure)) = observer {
                resize.disconnect();
            }
        }
    });
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// Rough width of `text` at font size `size` (CJK characters are square).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| char_width(c, size)).sum()
}

fn char_width(c: char, size: f64) -> f64 {
    if c as u32 >= 0x2E80 {
        size
    } else if c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' {
        size * 0.64
    } else {
        size * 0.56
    }
}

/// `text` shortened with an ellipsis to fit `max` pixels at font size `size`.
pub fn fit(text: &str, max: f64, size: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = size * 0.6;
    for c in text.chars() {
        let w = char_width(c, size);
        if width + w > max {
            break;
        }
        width += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn node_alive(frame: &Frame, name: &str) -> bool {
    frame.snapshot.nodes.iter().find(|n| n.name == name).is_none_or(|n| n.alive)
}

fn render_link(link: &Link, frame: &Frame) -> Html {
    let dead = !node_alive(frame, &link.a) || !node_alive(frame, &link.b);
    let active =
        frame.flights.iter().any(|f| (f.from == link.a && f.to == link.b) || (f.from == link.b && f.to == link.a));
    let unusual = frame.snapshot.links.iter().find(|l| l.joins(&link.a, &link.b));
    let class = classes!(
        "link",
        link.registry.then_some("link-registry"),
        dead.then_some("is-dead"),
        active.then_some("is-active"),
        unusual.is_some_and(|l| l.held).then_some("is-held"),
        unusual.is_some_and(|l| l.loss.is_some()).then_some("is-lossy"),
        unusual.is_some_and(|l| l.latency.is_some()).then_some("is-slow")
    );
    html! { <path {class} d={path_d(&link.points)} /> }
}

/// A link's invisible, wide hit target: click or right-click (or Enter,
/// Space, the menu key) opens the link's menu of latency, loss, hold and
/// partitions.
/// The message of the canvas dot under a click, if one is close enough.
fn dot_at(painter: &PacketCanvas, e: &MouseEvent) -> Option<u64> {
    if painter.painted() == 0 {
        return None;
    }
    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())?;
    let rect = target.closest(".cluster-stage").ok().flatten()?.get_bounding_client_rect();
    let (stage_size, view) = painter.fit()?;
    let (scale, x0) = view_fit(stage_size, view);
    let x = (f64::from(e.client_x()) - rect.left() - x0) / scale;
    let y = (f64::from(e.client_y()) - rect.top()) / scale;
    painter.hit(x, y)
}

fn render_link_hit(
    link: &Link,
    frame: &Frame,
    props: &ClusterViewProps,
    painter: &PacketCanvas,
    i18n: &LangContext,
) -> Html {
    let state = link_state_text(link, frame, i18n);
    let label = i18n.f(SimKey::LinkButton, &[&link.a, &link.b, &state]);
    let open = {
        let (cb, a, b) = (props.on_link_menu.clone(), link.a.clone(), link.b.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            e.stop_propagation();
            cb.emit((a.clone(), b.clone(), Point { x: f64::from(e.client_x()), y: f64::from(e.client_y()) }));
        })
    };
    // Dense packets lie on the links: a click on one opens its message (as
    // on the SVG packets drawn above the links); right-click, the menu.
    let onclick = {
        let (open, painter, cb) = (open.clone(), painter.clone(), props.on_select_msg.clone());
        Callback::from(move |e: MouseEvent| match dot_at(&painter, &e) {
            Some(msg) => {
                e.stop_propagation();
                cb.emit(msg);
            }
            None => open.emit(e),
        })
    };
    let onkeydown = {
        let (cb, a, b) = (props.on_link_menu.clone(), link.a.clone(), link.b.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" || key == " " || key == "ContextMenu" || (key == "F10" && e.shift_key()) {
                e.prevent_default();
                let at = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| el.get_bounding_client_rect())
                    .map(|r| Point { x: r.left() + r.width() / 2.0, y: r.top() + r.height() / 2.0 })
                    .unwrap_or_default();
                cb.emit((a.clone(), b.clone(), at));
            }
        })
    };
    html! {
        <path class="link-hit" d={path_d(&link.points)} role="button" tabindex="0" aria-label={label.clone()}
            {onclick} oncontextmenu={open} {onkeydown}>
            <title>{ label }</title>
        </path>
    }
}

/// ", 200–400 ms latency, 30% loss, holding 2 packets" for a link with
/// settings of its own; empty otherwise.
fn link_state_text(link: &Link, frame: &Frame, i18n: &LangContext) -> String {
    let Some(l) = frame.snapshot.links.iter().find(|l| l.joins(&link.a, &link.b)) else { return String::new() };
    link_parts(l, i18n).into_iter().map(|p| format!(", {p}")).collect()
}

/// The words for what is unusual about a link.
fn link_parts(l: &rmqsim::snapshot::LinkSnap, i18n: &LangContext) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some((lo, hi)) = l.latency {
        parts.push(i18n.f(SimKey::LinkLatency, &[&lo.to_string(), &hi.to_string()]));
    }
    if let Some(loss) = l.loss {
        let pct = loss * 100.0;
        let text = if (pct - pct.round()).abs() < 1e-6 { format!("{pct:.0}") } else { format!("{pct:.1}") };
        parts.push(i18n.f(SimKey::LinkLoss, &[&text]));
    }
    if l.held {
        parts.push(i18n.f(SimKey::LinkHeld, &[&l.held_packets.to_string()]));
    }
    parts
}

/// A badge on a link with settings of its own: its latency, loss and held packets.
fn render_link_badge(
    l: &rmqsim::snapshot::LinkSnap,
    points: &[cluster_layout::Pt],
    cuts: &[crate::faults::Cut],
    i18n: &LangContext,
) -> Html {
    let mid = cluster_layout::midpoint(points);
    let cut = cuts.iter().any(|c| l.joins(&c.a, &c.b));
    // Below a partition's label when both are on the link.
    let y = if cut { mid.y + 22.0 } else { mid.y };
    let text = link_parts(l, i18n).join(" · ");
    let w = text_width(&text, 10.5) + 14.0;
    html! {
        <g class={classes!("link-badge", l.held.then_some("is-held"), l.loss.is_some().then_some("is-lossy"))}
            transform={format!("translate({:.1} {:.1})", mid.x, y)} aria-hidden="true">
            <rect x={fmt(-w / 2.0)} y="-9" width={fmt(w)} height="18" rx="9" />
            <text x="0" y="3.5" text-anchor="middle">{ text }</text>
        </g>
    }
}

fn kind_label(i18n: &LangContext, kind: &str) -> &'static str {
    i18n.s(match kind {
        "nameserver" => SimKey::KindNameServer,
        "broker" => SimKey::KindBroker,
        "producer" => SimKey::KindProducer,
        _ => SimKey::KindConsumer,
    })
}

/// The "down" badge's text: down, and why.
pub fn down_text(i18n: &LangContext, reason: Option<&str>) -> String {
    let why = match reason {
        Some("power_off") => Some(SimKey::DownPowerOff),
        Some("shutdown") => Some(SimKey::DownShutdown),
        Some("kill") => Some(SimKey::DownKilled),
        _ => None,
    };
    match why {
        Some(key) => format!("{} · {}", i18n.s(SimKey::Down), i18n.s(key)),
        None => i18n.s(SimKey::Down).to_string(),
    }
}

fn render_node(node: &NodeBox, props: &ClusterViewProps, i18n: &LangContext) -> Html {
    let frame = &props.frame;
    let Some(snap) = frame.snapshot.nodes.get(node.index) else { return Html::default() };
    let r = node.rect;
    let selected = props.selected_node.as_deref() == Some(node.name.as_str());
    let highlighted = props.highlight.contains(&node.name);
    let picking_from = props.picking.as_ref().map(|p| p.from.as_str());
    let pickable = picking_from.is_some_and(|from| from != node.name);
    let state =
        if snap.alive { i18n.s(SimKey::Up).to_string() } else { down_text(i18n, frame.down.get(&node.name).copied()) };
    let label = i18n.f(SimKey::NodeLabel, &[&node.name, kind_label(i18n, node.kind), &state]);

    let label_title = format!("{} · {}", node.name, kind_label(i18n, node.kind));
    // A tap does what a right-click does (touch has no right button): it
    // selects the node and opens its fault menu, unless a fault is waiting
    // for its other node, which the tap then picks like a click.
    let onclick = {
        let (cb, menu) = (props.on_node_click.clone(), props.on_node_menu.clone());
        let name = node.name.clone();
        let picking = props.picking.is_some();
        Callback::from(move |e: MouseEvent| {
            cb.emit(name.clone());
            if is_touch(&e) && !picking {
                menu.emit((name.clone(), Point { x: f64::from(e.client_x()), y: f64::from(e.client_y()) }));
            }
        })
    };
    let oncontextmenu = {
        let cb = props.on_node_menu.clone();
        let name = node.name.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            cb.emit((name.clone(), Point { x: f64::from(e.client_x()), y: f64::from(e.client_y()) }));
        })
    };
    let onkeydown = {
        let click = props.on_node_click.clone();
        let menu = props.on_node_menu.clone();
        let name = node.name.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" || key == " " {
                e.prevent_default();
                click.emit(name.clone());
            } else if key == "ContextMenu" || (key == "F10" && e.shift_key()) {
                e.prevent_default();
                let at = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| el.get_bounding_client_rect())
                    .map(|rect| Point { x: rect.left() + 12.0, y: rect.top() + 24.0 })
                    .unwrap_or_default();
                menu.emit((name.clone(), at));
            }
        })
    };

    let body = match &snap.detail {
        NodeDetail::Broker(b) => broker_body(node, b, i18n),
        NodeDetail::Producer(p) => producer_body(node, p, i18n),
        NodeDetail::Consumer(c) => consumer_body(node, c, i18n),
        NodeDetail::NameServer { brokers } => nameserver_body(node, brokers.len(), i18n),
    };
    let down_badge = (!snap.alive).then(|| {
        let text = down_text(i18n, frame.down.get(&node.name).copied()).to_uppercase();
        let w = text_width(&text, 10.5) + 16.0;
        html! {
            <g class="down-badge" transform={format!("translate({} {})", fmt(r.w - w - 10.0), -9.5)}>
                <rect width={fmt(w)} height="19" rx="9.5" />
                <text x={fmt(w / 2.0)} y="13.5" text-anchor="middle">{ text }</text>
            </g>
        }
    });
    let class = classes!(
        "node",
        format!("node-{}", node.kind),
        (!snap.alive).then_some("is-down"),
        selected.then_some("is-selected"),
        highlighted.then_some("is-highlighted"),
        pickable.then_some("is-pickable"),
        (picking_from == Some(node.name.as_str())).then_some("is-picking-from")
    );
    // The button is the card itself; the writing on it is drawn over it, hidden
    // from assistive technology and transparent to the pointer: the button's
    // name says who the node is and its state, and a button whose visible text
    // (addresses, counters) is not in its name would contradict it (WCAG 2.5.3).
    html! {
        <g
            {class}
            key={node.name.clone()}
            transform={format!("translate({} {})", fmt(r.x), fmt(r.y))}
            data-node={node.name.clone()}
            {onclick}
            {oncontextmenu}
            {onkeydown}
        >
            <g class="node-hit" role="button" tabindex="0" aria-label={label}
                aria-pressed={if selected { "true" } else { "false" }}>
                <title>{ label_title.clone() }</title>
                <rect class="node-ring" x="-4" y="-4" width={fmt(r.w + 8.0)} height={fmt(r.h + 8.0)} rx="13" />
                <rect class="node-card" width={fmt(r.w)} height={fmt(r.h)} rx="10" />
                <rect class="node-accent" width="4" height={fmt(r.h - 16.0)} x="0" y="8" rx="2" />
            </g>
            <g class="node-face" aria-hidden="true" pointer-events="none">
                { body }
                { icon(node.kind, 14.0, if node.kind == "broker" { 12.0 } else { (r.h - 28.0) / 2.0 }, !snap.alive) }
                { for down_badge }
            </g>
        </g>
    }
}

/// The role icon in a 28×28 box at (x, y), crossed out when down.
fn icon(kind: &str, x: f64, y: f64, down: bool) -> Html {
    let glyph = match kind {
        "nameserver" => html! {
            <>
                <circle cx="14" cy="14" r="9" class="icon-stroke" />
                <path d="M5 14 H23 M14 5 C10 9 10 19 14 23 M14 5 C18 9 18 19 14 23" class="icon-stroke" />
            </>
        },
        "broker" => html! {
            <>
                <rect x="5" y="5" width="18" height="7" rx="2" class="icon-stroke" />
                <rect x="5" y="16" width="18" height="7" rx="2" class="icon-stroke" />
                <circle cx="9" cy="8.5" r="1.2" class="icon-fill" />
                <circle cx="9" cy="19.5" r="1.2" class="icon-fill" />
            </>
        },
        "producer" => html! {
            <>
                <path d="M6 14 H20 M15 9 L20 14 L15 19" class="icon-stroke" />
                <path d="M6 7 V21" class="icon-stroke" />
            </>
        },
        _ => html! {
            <>
                <path d="M8 14 H22 M13 9 L8 14 L13 19" class="icon-stroke" />
                <path d="M22 7 V21" class="icon-stroke" />
            </>
        },
    };
    html! {
        <g class="node-icon" transform={format!("translate({} {})", fmt(x), fmt(y))} aria-hidden="true">
            <rect class="icon-bg" width="28" height="28" rx="7" />
            { glyph }
            if down {
                <path class="icon-cross" d="M3 3 L25 25 M25 3 L3 25" />
            }
        </g>
    }
}

fn name_text(node: &NodeBox, x: f64, y: f64, max: f64) -> Html {
    // The name is bold, about 20% wider than `text_width`'s regular estimate with its ellipsis
    // (DejaVu Sans Bold: "python_consumer" overflowed its card otherwise).
    html! { <text class="node-name" x={fmt(x)} y={fmt(y)}>{ fit(&node.name, max / 1.2, 13.5) }</text> }
}

fn meta_text(text: &str, x: f64, y: f64, max: f64) -> Html {
    html! { <text class="node-meta" x={fmt(x)} y={fmt(y)}>{ fit(text, max, 11.5) }</text> }
}

fn nameserver_body(node: &NodeBox, brokers: usize, i18n: &LangContext) -> Html {
    let max = node.rect.w - 56.0;
    html! {
        <>
            { name_text(node, 50.0, 22.0, max) }
            { meta_text(&i18n.f(SimKey::BrokersRegistered, &[&brokers.to_string()]), 50.0, 38.0, max) }
        </>
    }
}

fn producer_body(node: &NodeBox, p: &ProducerSnap, i18n: &LangContext) -> Html {
    let max = node.rect.w - 56.0;
    let stats = i18n.f(SimKey::ProducerStats, &[&p.ok.to_string(), &p.failed.to_string()]);
    html! {
        <>
            { name_text(node, 50.0, 21.0, max) }
            { meta_text(&format!("{} {}", i18n.s(SimKey::Group), p.group), 50.0, 36.0, max) }
            { meta_text(&stats, 50.0, 50.0, max) }
        </>
    }
}

fn consumer_body(node: &NodeBox, c: &ConsumerSnap, i18n: &LangContext) -> Html {
    let max = node.rect.w - 56.0;
    let stats = i18n.f(SimKey::ConsumerStats, &[&c.queues.len().to_string(), &c.succeeded.to_string()]);
    html! {
        <>
            { name_text(node, 50.0, 21.0, max) }
            { meta_text(&format!("{} {}", i18n.s(SimKey::Group), c.group), 50.0, 36.0, max) }
            { meta_text(&stats, 50.0, 50.0, max) }
        </>
    }
}

/// A small rounded label; returns it and its width.
/// A pill's width: its bold 10 px text (mono or sans) plus padding.
fn pill_width(text: &str) -> f64 {
    text_width(text, 10.8) + 12.0
}

fn pill(x: f64, y: f64, text: &str, class: &'static str) -> (Html, f64) {
    let w = pill_width(text);
    let html = html! {
        <g class={classes!("pill", class)} transform={format!("translate({} {})", fmt(x), fmt(y))}>
            <rect width={fmt(w)} height="17" rx="8.5" />
            <text x={fmt(w / 2.0)} y="12" text-anchor="middle">{ text.to_string() }</text>
        </g>
    };
    (html, w)
}

fn broker_body(node: &NodeBox, b: &BrokerSnap, i18n: &LangContext) -> Html {
    let r = node.rect;
    let max = r.w - 60.0;
    let mut pills = Vec::new();
    let mut x = 50.0;
    let role_class = if b.role.starts_with("SYNC") { "pill-sync" } else { "pill-async" };
    // Role first, then the slave (a fault shows there), then the flush mode.
    let mut labels = vec![(b.role.to_string(), role_class)];
    if let Some(up) = b.slave {
        let (text, class) = if up {
            (i18n.s(SimKey::SlaveUp), "pill-slave-up")
        } else {
            (i18n.s(SimKey::SlaveDown), "pill-slave-down")
        };
        labels.push((text.to_string(), class));
    }
    labels.push((b.flush.to_string(), "pill-flush"));
    for (text, class) in labels {
        // Pills that do not fit are left to the inspector.
        if x + pill_width(&text) > r.w - 10.0 {
            break;
        }
        let (html, w) = pill(x, 32.0, &text, class);
        pills.push(html);
        x += w + 5.0;
    }
    let log = format!("log {} B", crate::view_model::group_thousands(b.commitlog_end));
    let topics = visible_topics(b);
    let rows = topics
        .iter()
        .enumerate()
        .map(|(i, topic)| topic_row(topic, r, cluster_layout::BROKER_HEAD + i as f64 * cluster_layout::TOPIC_ROW));
    let delay_row = cluster_layout::shows_delay_row(b)
        .then(|| delay_row(b, r, cluster_layout::BROKER_HEAD + topics.len() as f64 * cluster_layout::TOPIC_ROW));
    html! {
        <>
            { name_text(node, 50.0, 23.0, (max - 10.0).min(r.w * 0.5)) }
            if 50.0 + text_width(&node.name, 13.5) + 16.0 + text_width(&b.addr, 11.0) < r.w - 12.0 {
                <text class="node-meta node-addr" x={fmt(r.w - 12.0)} y="23" text-anchor="end">{ b.addr.clone() }</text>
            }
            { for pills }
            if x + text_width(&log, 10.8) + 14.0 < r.w {
                <text class="node-meta node-log" x={fmt(r.w - 12.0)} y="44" text-anchor="end">
                    <title>{ format!("commit log: {} B written, {} B flushed", b.commitlog_end, b.flushed) }</title>
                    { log }
                </text>
            }
            <line class="broker-rule" x1="12" x2={fmt(r.w - 12.0)} y1={fmt(cluster_layout::BROKER_HEAD - 6.0)} y2={fmt(cluster_layout::BROKER_HEAD - 6.0)} />
            if topics.is_empty() && delay_row.is_none() {
                <text class="node-meta" x="14" y={fmt(cluster_layout::BROKER_HEAD + 14.0)}>{ i18n.s(SimKey::NoTopics) }</text>
            }
            { for rows }
            { for delay_row }
        </>
    }
}

fn topic_row(topic: &TopicSnap, r: Rect, y: f64) -> Html {
    let family = topic_family(&topic.name);
    let label_w = (r.w * 0.36).min(112.0);
    let n = topic.queues.len().max(1) as f64;
    let avail = r.w - label_w - 26.0;
    let gap = 3.0;
    let cell_w = ((avail - gap * (n - 1.0)) / n).clamp(6.0, 38.0);
    let cells = topic
        .queues
        .iter()
        .enumerate()
        .map(|(i, q)| queue_cell(topic, q, label_w + 14.0 + i as f64 * (cell_w + gap), cell_w));
    html! {
        <g class={classes!("topic-row", format!("topic-{family}"))} transform={format!("translate(0 {})", fmt(y))}>
            <text class="topic-name" x="14" y="13">{ fit(&topic.name, label_w - 4.0, 11.0) }</text>
            { for cells }
        </g>
    }
}

/// SCHEDULE_TOPIC_XXXX: one cell per delay level with messages waiting,
/// labelled with the level and holding the count.
fn delay_row(b: &BrokerSnap, r: Rect, y: f64) -> Html {
    let label_w = (r.w * 0.36).min(112.0);
    let levels: Vec<_> = b.delay_levels.iter().filter(|l| !l.waiting.is_empty()).collect();
    let mut x = label_w + 14.0;
    let cells = levels.iter().map_while(|level| {
        let text = format!("L{} · {}", level.level, level.waiting.len());
        let w = text_width(&text, 10.0) + 10.0;
        if x + w > r.w - 10.0 {
            return None;
        }
        let title = format!(
            "SCHEDULE_TOPIC_XXXX queue {} · level {} ({}) · {} waiting",
            level.level - 1,
            level.level,
            crate::view_model::format_duration(level.delay_ms),
            level.waiting.len()
        );
        let cell = html! {
            <g class="queue-cell has-messages">
                <title>{ title }</title>
                <rect class="cell-bg" x={fmt(x)} y="1" width={fmt(w)} height="17" rx="3" />
                <text class="cell-text" x={fmt(x + w / 2.0)} y="12.5" text-anchor="middle">{ text }</text>
            </g>
        };
        x += w + 3.0;
        Some(cell)
    });
    html! {
        <g class="topic-row topic-delay" transform={format!("translate(0 {})", fmt(y))}>
            <text class="topic-name" x="14" y="13">{ fit("SCHEDULE_TOPIC_XXXX", label_w - 4.0, 11.0) }</text>
            { for cells }
        </g>
    }
}

fn queue_cell(topic: &TopicSnap, q: &QueueSnap, x: f64, w: f64) -> Html {
    let consumed = q.consumer_offsets.iter().map(|(_, offset, _)| *offset).min();
    let frac = match (consumed, q.max_offset) {
        (_, 0) => 0.0,
        (Some(c), max) => (c as f64 / max as f64).clamp(0.0, 1.0),
        (None, _) => 0.0,
    };
    let offsets: Vec<String> =
        q.consumer_offsets.iter().map(|(group, offset, lag)| format!("{group}={offset} (lag {lag})")).collect();
    let title = format!(
        "{}:{} · min {} · max {}{}{}",
        topic.name,
        q.queue_id,
        q.min_offset,
        q.max_offset,
        if offsets.is_empty() { String::new() } else { format!(" · {}", offsets.join(", ")) },
        q.locked_by.as_ref().map(|c| format!(" · locked by {c}")).unwrap_or_default()
    );
    html! {
        <g class={classes!("queue-cell", (q.max_offset > 0).then_some("has-messages"), q.locked_by.is_some().then_some("is-locked"))}>
            <title>{ title }</title>
            <rect class="cell-bg" x={fmt(x)} y="1" width={fmt(w)} height="17" rx="3" />
            <rect class="cell-consumed" x={fmt(x)} y="15" width={fmt(w * frac)} height="3" rx="1" />
            if w >= 16.0 {
                <text class="cell-text" x={fmt(x + w / 2.0)} y="12.5" text-anchor="middle">{ q.max_offset }</text>
            }
        </g>
    }
}

/// A packet on the wire (or a ghost: one that crossed within the last
/// frame), placed on its link, with the family that colours it.
struct Placed<'a> {
    flight: &'a FlightSnap,
    at: cluster_layout::Pt,
    ghost: bool,
    family: &'static str,
}

/// Every packet to draw as SVG, placed along its link (packets between
/// nodes the picture does not link are left out; the canvas places its dots
/// the same way, in `packet_canvas`).
fn placed_packets<'a>(layout: &Layout, frame: &'a Frame) -> Vec<Placed<'a>> {
    let kinds: crate::order::SortedMap<&str, &str> =
        frame.snapshot.nodes.iter().map(|n| (n.name.as_str(), n.kind)).collect();
    let live = frame.flights.iter().map(|f| (f, flight_progress(f, frame.now_f), false));
    let ghosts = frame.ghosts.iter().map(|f| (f, 0.5, true));
    live.chain(ghosts)
        .filter_map(|(flight, progress, ghost)| {
            let points = layout.path(&flight.from, &flight.to)?;
            let family = packet_family(flight.kind, kinds.get(flight.from.as_str()).copied().unwrap_or(""));
            Some(Placed { flight, at: point_along(&points, progress, 3.5), ghost, family })
        })
        .collect()
}

fn render_packets(layout: &Layout, frame: &Frame, props: &ClusterViewProps, i18n: &LangContext) -> Html {
    let items = placed_packets(layout, frame).into_iter().take(MAX_PACKETS).map(|p| packet(&p, props, i18n));
    html! { { for items } }
}

fn packet(placed: &Placed, props: &ClusterViewProps, i18n: &LangContext) -> Html {
    let Placed { flight, at, ghost, family } = *placed;
    let (x, y) = (at.x, at.y);
    let selected = flight.msg.is_some() && flight.msg == props.selected_msg;
    let mut title = i18n.f(SimKey::PacketLabel, &[flight.kind, &flight.from, &flight.to]);
    if let Some(msg) = flight.msg {
        title.push_str(" · ");
        title.push_str(&i18n.f(SimKey::PacketMsgLabel, &[&msg.to_string()]));
    }
    title.push_str(&format!(" · {} → {}", format_time_short(flight.sent), format_time_short(flight.arrive)));
    let onclick = flight.msg.map(|msg| {
        let cb = props.on_select_msg.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(msg);
        })
    });
    let class = classes!(
        "packet",
        format!("packet-{family}"),
        flight.msg.is_some().then_some("has-msg"),
        ghost.then_some("is-ghost"),
        selected.then_some("is-selected")
    );
    let r = if flight.msg.is_some() { 5.5 } else { 4.0 };
    html! {
        <g {class} transform={format!("translate({} {})", fmt(x), fmt(y))} {onclick}>
            <title>{ title }</title>
            <circle class="packet-hit" r="9" />
            <circle class="packet-dot" r={fmt(r)} />
            if let (Some(msg), false) = (flight.msg, ghost) {
                <text class="packet-label" y="-8.5" text-anchor="middle">{ format!("#{msg}") }</text>
            }
        </g>
    }
}

/// Node names in the snapshot, for menus and filters.
pub fn node_names(nodes: &[NodeSnap]) -> Vec<(String, &'static str)> {
    nodes.iter().map(|n| (n.name.clone(), n.kind)).collect()
}

/// Whether a click came from a finger (clicks are pointer events in the
/// browsers the app supports; an older one's plain click counts as a mouse).
pub fn is_touch(e: &MouseEvent) -> bool {
    e.dyn_ref::<web_sys::PointerEvent>().is_some_and(|p| p.pointer_type() == "touch")
}
