//! The fault palette: a node's context menu (kill, power off, restart, shut
//! down, start, partition, heal, slow disk, slow slave, slave down/up,
//! latency, loss, send), the small form for faults that need a number, and
//! the banner shown while the learner picks the second node of a partition.
//!
//! Menus are real `menu`/`menuitem` elements reachable by keyboard (arrows,
//! Escape). Popups are placed at the pointer through the CSS object model,
//! since the page's Content-Security-Policy forbids inline `style`.

use rmqsim::scenario::Action;
use rmqsim::snapshot::NodeSnap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::faults::{parse_percent, parse_u64, Fault, LinkFacts, NodeFacts, ParamKind, Params};
use crate::i18n::{use_lang, LangContext, SimKey};
use crate::state::{Picking, Point};

/// The menu label of a fault.
pub fn fault_label(i18n: &LangContext, fault: Fault) -> &'static str {
    i18n.s(match fault {
        Fault::Kill => SimKey::FaultKill,
        Fault::PowerOff => SimKey::FaultPowerOff,
        Fault::Restart => SimKey::FaultRestart,
        Fault::Shutdown => SimKey::FaultShutdown,
        Fault::Start => SimKey::FaultStart,
        Fault::Partition => SimKey::FaultPartition,
        Fault::Heal => SimKey::FaultHeal,
        Fault::SlowDisk => SimKey::FaultSlowDisk,
        Fault::SlowSlave => SimKey::FaultSlowSlave,
        Fault::SlaveDown => SimKey::FaultSlaveDown,
        Fault::SlaveUp => SimKey::FaultSlaveUp,
        Fault::Latency => SimKey::FaultLatency,
        Fault::Loss => SimKey::FaultLoss,
        Fault::Send => SimKey::FaultSend,
        Fault::Link => SimKey::FaultLink,
        Fault::PartitionOneway => SimKey::FaultPartitionOneway,
        Fault::Hold => SimKey::FaultHold,
        Fault::Release => SimKey::FaultRelease,
    })
}

/// A fault's label in the menu of the link `a` ↔ `b`.
pub fn link_fault_label(i18n: &LangContext, fault: Fault, a: &str, b: &str) -> String {
    match fault {
        Fault::Partition => i18n.s(SimKey::FaultPartitionLink).to_string(),
        Fault::Heal => i18n.s(SimKey::FaultHealLink).to_string(),
        Fault::PartitionOneway => i18n.f(SimKey::FaultPartitionOneway, &[a, b]),
        _ => fault_label(i18n, fault).to_string(),
    }
}

/// Places a `position: fixed` popup at `at` (viewport pixels), kept inside
/// the viewport once its size is known.
#[hook]
pub fn use_place_at(node: &NodeRef, at: Point) {
    use_effect_with((node.clone(), (at.x as i64, at.y as i64)), move |(node, _)| {
        if let Some(el) = node.cast::<HtmlElement>() {
            let (vw, vh) = web_sys::window()
                .map(|w| {
                    let num = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(1280.0);
                    (num(w.inner_width()), num(w.inner_height()))
                })
                .unwrap_or((1280.0, 720.0));
            let rect = el.get_bounding_client_rect();
            let x = at.x.min(vw - rect.width() - 8.0).max(8.0);
            let y = at.y.min(vh - rect.height() - 8.0).max(8.0);
            let style = el.style();
            let _ = style.set_property("left", &format!("{x:.0}px"));
            let _ = style.set_property("top", &format!("{y:.0}px"));
            let _ = el.class_list().add_1("is-placed");
        }
    });
}

/// Moves focus to the first element matching `selector` inside `node`, and
/// back to what had it (the node, button or key that opened the popup) when
/// the popup goes, unless focus has moved somewhere else meanwhile (another
/// popup opened from this one).
#[hook]
pub fn use_focus_first(node: &NodeRef, selector: &'static str) {
    use_effect_with(node.clone(), move |node| {
        let document = web_sys::window().and_then(|w| w.document());
        // The opener may be a node of the drawing, an SVG element: `focus()` is
        // called by name, which SVG elements have as well.
        let opener = document.as_ref().and_then(|d| d.active_element()).map(|el| el.unchecked_into::<HtmlElement>());
        let popup = node.cast::<web_sys::Element>();
        let target = popup
            .as_ref()
            .and_then(|el| el.query_selector(selector).ok().flatten())
            .and_then(|el| el.dyn_into::<HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
        move || {
            let Some(opener) = opener.filter(|o| o.is_connected()) else { return };
            let active = document.as_ref().and_then(|d| d.active_element());
            let lost = match &active {
                None => true,
                Some(a) => {
                    !a.is_connected()
                        || document.as_ref().and_then(|d| d.body()).is_some_and(|b| b.is_same_node(Some(a)))
                        || popup.as_ref().is_some_and(|p| p.contains(Some(a)))
                }
            };
            if lost {
                let _ = opener.focus();
            }
        }
    });
}

/// A node's context menu.
#[derive(Properties, PartialEq)]
pub struct FaultMenuProps {
    pub node: NodeSnap,
    pub partitions: Vec<(String, String)>,
    pub at: Point,
    /// A fault was chosen (with the point to open its form at).
    pub on_choose: Callback<(String, Fault, Point)>,
    pub on_close: Callback<()>,
}

/// The context menu of one node.
#[function_component]
pub fn FaultMenu(props: &FaultMenuProps) -> Html {
    let i18n = use_lang();
    let menu = use_node_ref();
    use_place_at(&menu, props.at);
    use_focus_first(&menu, "[role=menuitem]");
    let faults = Fault::for_node(&NodeFacts::of(&props.node, &props.partitions));
    let items = faults.iter().map(|&fault| {
        let cb = props.on_choose.clone();
        let name = props.node.name.clone();
        let at = props.at;
        let onclick = Callback::from(move |_: MouseEvent| cb.emit((name.clone(), fault, at)));
        let more = fault.param() != ParamKind::None;
        html! {
            <button
                type="button"
                role="menuitem"
                class={classes!("menu-item", fault.destructive().then_some("is-destructive"))}
                aria-haspopup={more.then_some("dialog")}
                {onclick}
            >
                { fault_label(&i18n, fault) }
            </button>
        }
    });
    let label = i18n.f(SimKey::MenuFor, &[&props.node.name]);
    menu_shell(label, items.collect::<Html>(), menu, &props.on_close)
}

/// A popup menu: keyboard navigation (arrows, Escape, Tab closes), a title,
/// and a backdrop that closes it.
fn menu_shell(label: String, items: Html, menu: NodeRef, on_close: &Callback<()>) -> Html {
    let onkeydown = {
        let close = on_close.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                e.prevent_default();
                move_focus(&e, e.key() == "ArrowDown");
            }
            "Escape" | "Tab" => close.emit(()),
            _ => {}
        })
    };
    html! {
        <div class="popup-backdrop" onclick={on_close.reform(|_: MouseEvent| ())} oncontextmenu={on_close.reform(|e: MouseEvent| e.prevent_default())}>
            <div
                class="fault-menu popup"
                role="menu"
                aria-label={label.clone()}
                ref={menu}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}
                {onkeydown}
            >
                <p class="menu-title" aria-hidden="true">{ label }</p>
                { items }
            </div>
        </div>
    }
}

/// The menu of the link between two nodes.
#[derive(Properties, PartialEq)]
pub struct LinkMenuProps {
    pub a: String,
    pub b: String,
    pub facts: LinkFacts,
    pub at: Point,
    /// A fault was chosen (with the point to open its form at).
    pub on_choose: Callback<(Fault, Point)>,
    pub on_close: Callback<()>,
}

/// Partition (both ways or one), heal, latency, loss, hold or release one link.
#[function_component]
pub fn LinkMenu(props: &LinkMenuProps) -> Html {
    let i18n = use_lang();
    let menu = use_node_ref();
    use_place_at(&menu, props.at);
    use_focus_first(&menu, "[role=menuitem]");
    let items = Fault::for_link(props.facts).into_iter().map(|fault| {
        let (cb, at) = (props.on_choose.clone(), props.at);
        let onclick = Callback::from(move |_: MouseEvent| cb.emit((fault, at)));
        html! {
            <button
                type="button"
                role="menuitem"
                class={classes!("menu-item", fault.destructive().then_some("is-destructive"))}
                aria-haspopup={fault.link_needs_form().then_some("dialog")}
                {onclick}
            >
                { link_fault_label(&i18n, fault, &props.a, &props.b) }
            </button>
        }
    });
    let label = i18n.f(SimKey::LinkMenuFor, &[&props.a, &props.b]);
    menu_shell(label, items.collect::<Html>(), menu, &props.on_close)
}

/// Moves focus to the next or previous menu item.
fn move_focus(e: &KeyboardEvent, down: bool) {
    let Some(current) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let Some(menu) = current.closest("[role=menu]").ok().flatten() else { return };
    let Ok(items) = menu.query_selector_all("[role=menuitem]") else { return };
    let list: Vec<HtmlElement> =
        (0..items.length()).filter_map(|i| items.item(i)).filter_map(|n| n.dyn_into::<HtmlElement>().ok()).collect();
    if list.is_empty() {
        return;
    }
    let here = list.iter().position(|el| {
        let el: &web_sys::Element = el.as_ref();
        *el == current
    });
    let next = match (here, down) {
        (Some(i), true) => (i + 1) % list.len(),
        (Some(i), false) => (i + list.len() - 1) % list.len(),
        (None, _) => 0,
    };
    let _ = list[next].focus();
}

/// The form of a fault that needs a number.
#[derive(Properties, PartialEq)]
pub struct ParamFormProps {
    pub node: String,
    /// The other end when the fault applies to one link rather than to every
    /// link of `node`.
    #[prop_or_default]
    pub peer: Option<String>,
    pub fault: Fault,
    pub at: Point,
    pub on_apply: Callback<Action>,
    pub on_close: Callback<()>,
}

/// A small dialog asking for a delay, a latency range or a loss rate.
#[function_component]
pub fn ParamForm(props: &ParamFormProps) -> Html {
    let i18n = use_lang();
    let dialog = use_node_ref();
    use_place_at(&dialog, props.at);
    use_focus_first(&dialog, "input");
    let error = use_state(|| None::<SimKey>);
    let (first_key, first_default, second) = match props.fault.param() {
        ParamKind::Millis(ms) => {
            let key = if props.fault == Fault::SlowSlave { SimKey::SlaveDelay } else { SimKey::FlushDelay };
            (key, ms.to_string(), None)
        }
        ParamKind::LatencyRange(lo, hi) => {
            (SimKey::LatencyMin, lo.to_string(), Some((SimKey::LatencyMax, hi.to_string())))
        }
        ParamKind::Percent(p) => (SimKey::LossPercent, p.to_string(), None),
        _ => (SimKey::FlushDelay, String::new(), None),
    };
    let first = use_node_ref();
    let second_ref = use_node_ref();
    let onsubmit = {
        let (first, second_ref, error) = (first.clone(), second_ref.clone(), error.clone());
        let (fault, node, apply, peer) = (props.fault, props.node.clone(), props.on_apply.clone(), props.peer.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let mut params = Params { other: peer.clone(), ..Params::default() };
            let problem = match fault.param() {
                ParamKind::Millis(_) => {
                    params.millis = parse_u64(&value(&first));
                    params.millis.is_none().then_some(SimKey::NotANumber)
                }
                ParamKind::LatencyRange(..) => {
                    let range = parse_u64(&value(&first)).zip(parse_u64(&value(&second_ref)));
                    params.range = range;
                    range.is_none().then_some(SimKey::NotANumber)
                }
                ParamKind::Percent(_) => {
                    params.percent = parse_percent(&value(&first));
                    params.percent.is_none().then_some(SimKey::NotAPercent)
                }
                _ => None,
            };
            match (problem, fault.action(&node, &params)) {
                (None, Some(action)) => apply.emit(action),
                (problem, _) => error.set(Some(problem.unwrap_or(SimKey::NotANumber))),
            }
        })
    };
    let target = match &props.peer {
        Some(peer) => format!("{} ↔ {peer}", props.node),
        None => props.node.clone(),
    };
    let title = i18n.f(SimKey::ParamTitle, &[fault_label(&i18n, props.fault).trim_end_matches('…'), &target]);
    let field = |key: SimKey, default: String, node: NodeRef, id: &'static str| {
        html! {
            <label class="form-field" for={id}>
                <span class="form-label">{ i18n.s(key) }</span>
                <input {id} ref={node} type="text" inputmode="decimal" class="form-input" value={default}
                    aria-invalid={error.is_some().then_some("true")} />
            </label>
        }
    };
    html! {
        <div class="popup-backdrop" onclick={props.on_close.reform(|_: MouseEvent| ())}>
            <form
                class="param-form popup"
                role="dialog"
                aria-label={title.clone()}
                ref={dialog}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}
                {onsubmit}
            >
                <p class="popup-title">{ title }</p>
                { field(first_key, first_default, first, "param-first") }
                if let Some((key, default)) = second {
                    { field(key, default, second_ref, "param-second") }
                }
                if let Some(key) = *error {
                    <p class="form-error" role="alert">{ i18n.s(key) }</p>
                }
                <div class="form-actions">
                    <button type="button" class="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ i18n.s(SimKey::Cancel) }</button>
                    <button type="submit" class="button button-primary">{ i18n.s(SimKey::Apply) }</button>
                </div>
            </form>
        </div>
    }
}

/// The banner shown while picking the second node of a partition.
#[derive(Properties, PartialEq)]
pub struct PickingBannerProps {
    pub picking: Picking,
    pub on_oneway: Callback<bool>,
    pub on_cancel: Callback<()>,
}

/// "Click the node to cut off from broker-a" · one way · Cancel.
#[function_component]
pub fn PickingBanner(props: &PickingBannerProps) -> Html {
    let i18n = use_lang();
    let onchange = {
        let cb = props.on_oneway.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(input.checked());
            }
        })
    };
    html! {
        <div class="stage-banner picking-banner" role="status">
            if props.picking.link.is_some() {
                <span class="banner-icon" aria-hidden="true">{ "⇄" }</span>
                <span class="banner-text">{ i18n.f(SimKey::PickLinkPartner, &[&props.picking.from]) }</span>
            } else {
                <span class="banner-icon" aria-hidden="true">{ "✂" }</span>
                <span class="banner-text">{ i18n.f(SimKey::PickPartner, &[&props.picking.from]) }</span>
                <label class="banner-check">
                    <input type="checkbox" checked={props.picking.oneway} {onchange} />
                    { i18n.f(SimKey::Oneway, &[&props.picking.from]) }
                </label>
            }
            <button type="button" class="button button-small" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>
                { i18n.s(SimKey::Cancel) }
            </button>
        </div>
    }
}

/// A refused intervention, with the engine's reason.
#[derive(Properties, PartialEq)]
pub struct NoticeBannerProps {
    pub field: String,
    pub message: String,
    pub on_dismiss: Callback<()>,
}

/// "The simulator refused this: field: message" · Dismiss.
#[function_component]
pub fn NoticeBanner(props: &NoticeBannerProps) -> Html {
    let i18n = use_lang();
    html! {
        <div class="stage-banner notice-banner" role="alert">
            <span class="banner-icon" aria-hidden="true">{ "!" }</span>
            <span class="banner-text">{ i18n.f(SimKey::Refused, &[&props.field, &props.message]) }</span>
            <button type="button" class="button button-small" onclick={props.on_dismiss.reform(|_: MouseEvent| ())}>
                { i18n.s(SimKey::Dismiss) }
            </button>
        </div>
    }
}
