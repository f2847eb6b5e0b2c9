//! The app shell: the screen's grid (header; narration and code on the left;
//! the live cluster in the centre with a dock of views under it; the
//! inspector on the right when something is picked; time controls at the
//! bottom), the language state every component reads through
//! [`LangContext`], and the wiring between the driver (which owns the
//! simulation and publishes frames), the UI reducer and the components.

use std::rc::Rc;

use rmqsim::scenario::Action;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    ClusterToolbar, ClusterView, DebugPanic, Dock, DockTab, EventFeed, FaultMenu, GuidePanel, Header, Inspector,
    Legend, MessagePanel, NoticeBanner, ParamForm, PickingBanner, SendDialog, ShortcutSheet, TimeBar, CLUSTER_ID,
};
use crate::debug::DebugFlags;
use crate::driver::{Command, Driver, DEFAULT_PRESET};
use crate::faults::{heal_all, Fault, ParamKind, Params, SendForm};
use crate::i18n::{Key, Lang, LangContext, SimKey};
use crate::prefs;
use crate::state::{shortcut, FocusKind, Point, Popup, Shortcut, UiAction, UiState, TAB_EVENTS};
use crate::view_model::Frame;

/// What the shell is started with.
#[derive(Clone, Debug, Default, PartialEq, Properties)]
pub struct AppProps {
    /// Debug switches from the page address.
    #[prop_or_default]
    pub debug: DebugFlags,
}

/// The callbacks every view of the running cluster gets.
#[derive(Clone, PartialEq)]
pub struct ViewCallbacks {
    /// Follow a message (opens its panel; the passport view listens too).
    pub on_select_msg: Callback<u64>,
    /// Inspect a node.
    pub on_select_node: Callback<String>,
}

/// The views mounted in the dock after the event feed. Each view component
/// takes `snapshot: Rc<Snapshot>`, `records: Rc<Vec<Record>>`, `now: u64`
/// and the two callbacks; add one `DockTab` per view here.
fn view_tabs(_frame: &Rc<Frame>, _ui: &UiState, _callbacks: &ViewCallbacks, _i18n: &LangContext) -> Vec<DockTab> {
    Vec::new()
}

/// Sends driver commands from the UI.
#[derive(Clone, PartialEq)]
struct Wiring {
    driver: Rc<Driver>,
    dispatch: UseReducerDispatcher<UiState>,
}

impl Wiring {
    fn command(&self) -> Callback<Command> {
        let driver = self.driver.clone();
        Callback::from(move |command| driver.command(command))
    }

    fn ui<T: 'static>(&self, make: impl Fn(T) -> UiAction + 'static) -> Callback<T> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |value| dispatch.dispatch(make(value)))
    }

    /// Applies an intervention and closes popups.
    fn intervene(&self) -> Callback<Action> {
        let (driver, dispatch) = (self.driver.clone(), self.dispatch.clone());
        Callback::from(move |action| {
            driver.command(Command::Intervene(Box::new(action)));
            dispatch.dispatch(UiAction::Dismiss);
        })
    }

    /// A fault chosen in a menu or the inspector: applied at once, or its
    /// form opened (forgetting older refusals, so the form shows only its own).
    fn choose_fault(&self, frame: &Frame) -> Callback<(String, Fault, Point)> {
        let (intervene, dispatch) = (self.intervene(), self.dispatch.clone());
        let notice = frame.notice.as_ref().map_or(0, |n| n.id);
        Callback::from(move |(node, fault, at): (String, Fault, Point)| {
            dispatch.dispatch(UiAction::DismissNotice(notice));
            if fault.param() == ParamKind::None {
                if let Some(action) = fault.action(&node, &Params::default()) {
                    intervene.emit(action);
                }
            } else {
                dispatch.dispatch(UiAction::ChooseFault { node, fault, at });
            }
        })
    }
}

/// The whole app.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let lang = use_state(prefs::initial_lang);
    use_effect_with(*lang, |lang| prefs::apply_document_lang(*lang));
    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |next: Lang| {
            prefs::remember_lang(next);
            lang.set(next);
        })
    };
    let context = LangContext { lang: *lang, set_lang };

    let frame = use_state(|| Rc::new(Frame::empty()));
    let driver = use_driver(&frame);
    let ui = use_reducer(UiState::default);
    let wiring = Wiring { driver, dispatch: ui.dispatcher() };
    use_shortcuts(&wiring);

    let frame = (*frame).clone();
    let callbacks = ViewCallbacks {
        on_select_msg: wiring.ui(UiAction::SelectMsg),
        on_select_node: wiring.ui(UiAction::SelectNode),
    };
    let centre = centre(&frame, &ui, &wiring, &callbacks, &context);
    let side = side_panel(&frame, &ui, &wiring);
    let popup = popup(&frame, &ui, &wiring, &context);
    let has_side = side.is_some();

    html! {
        <ContextProvider<LangContext> context={context.clone()}>
            <div class={classes!("shell", "sim-shell", has_side.then_some("has-side"))}>
                <a class="skip-link" href={format!("#{CLUSTER_ID}")}>{ context.t(Key::SkipToCluster) }</a>
                <Header />
                <GuidePanel />
                { centre }
                { for side }
                <TimeBar frame={frame.clone()} on_command={wiring.command()} />
                { for popup }
                if props.debug.panic {
                    <DebugPanic />
                }
            </div>
        </ContextProvider<LangContext>>
    }
}

/// Creates the driver, loads the default preset once mounted, and stops it
/// when the app unmounts.
#[hook]
fn use_driver(frame: &UseStateHandle<Rc<Frame>>) -> Rc<Driver> {
    let setter = frame.setter();
    let driver = use_memo((), move |_| Driver::new(Callback::from(move |next: Rc<Frame>| setter.set(next))));
    {
        let driver = driver.clone();
        use_effect_with((), move |_| {
            driver.command(Command::Load(DEFAULT_PRESET.to_string()));
            move || driver.shutdown()
        });
    }
    driver
}

/// The cluster (toolbar, drawing, banners, colour key) and the dock.
fn centre(
    frame: &Rc<Frame>,
    ui: &UseReducerHandle<UiState>,
    wiring: &Wiring,
    callbacks: &ViewCallbacks,
    i18n: &LangContext,
) -> Html {
    let on_node_click = {
        let (picking, intervene, dispatch) = (ui.picking.clone(), wiring.intervene(), wiring.dispatch.clone());
        Callback::from(move |node: String| match &picking {
            Some(p) if p.from != node => {
                let params = Params { other: Some(node), oneway: p.oneway, ..Params::default() };
                if let Some(action) = Fault::Partition.action(&p.from, &params) {
                    intervene.emit(action);
                }
                dispatch.dispatch(UiAction::EndPicking);
            }
            Some(_) => {}
            None => dispatch.dispatch(UiAction::SelectNode(node)),
        })
    };
    let notice = frame.notice.as_ref().filter(|n| n.id > ui.dismissed_notice).map(|n| {
        let id = n.id;
        html! {
            <NoticeBanner field={n.field.clone()} message={n.message.clone()}
                on_dismiss={wiring.ui(move |_: ()| UiAction::DismissNotice(id))} />
        }
    });
    let picking = ui.picking.clone().map(|picking| {
        html! {
            <PickingBanner {picking} on_oneway={wiring.ui(UiAction::SetOneway)} on_cancel={wiring.ui(|_: ()| UiAction::EndPicking)} />
        }
    });
    let on_send = {
        let dispatch = wiring.dispatch.clone();
        let producer = ui
            .selected_node
            .clone()
            .filter(|n| frame.snapshot.nodes.iter().any(|s| &s.name == n && s.kind == "producer"));
        let notice = frame.notice.as_ref().map_or(0, |n| n.id);
        Callback::from(move |_: ()| {
            dispatch.dispatch(UiAction::DismissNotice(notice));
            dispatch.dispatch(UiAction::OpenSend(SendForm {
                producer: producer.clone().unwrap_or_default(),
                ..SendForm::default()
            }))
        })
    };
    let on_pick = {
        let (command, dispatch) = (wiring.command(), wiring.dispatch.clone());
        Callback::from(move |name: String| {
            dispatch.dispatch(UiAction::Reset);
            command.emit(Command::Load(name));
        })
    };
    let on_heal_all = {
        let intervene = wiring.intervene();
        Callback::from(move |_: ()| intervene.emit(heal_all()))
    };

    let nodes: Rc<Vec<(String, &'static str)>> =
        Rc::new(frame.snapshot.nodes.iter().map(|n| (n.name.clone(), n.kind)).collect());
    let feed = html! {
        <EventFeed
            records={frame.records.clone()}
            first_record={frame.first_record}
            older={frame.older.clone()}
            {nodes}
            filter_node={ui.feed_node.clone()}
            filter_category={ui.feed_category}
            selected_msg={ui.selected_msg}
            live={frame.playing}
            on_filter_node={wiring.ui(UiAction::FilterNode)}
            on_filter_category={wiring.ui(UiAction::FilterCategory)}
            on_select_msg={callbacks.on_select_msg.clone()}
            on_select_node={callbacks.on_select_node.clone()}
        />
    };
    let mut tabs = vec![DockTab {
        id: AttrValue::from(TAB_EVENTS),
        label: AttrValue::from(i18n.s(SimKey::TabEvents)),
        badge: None,
        content: feed,
    }];
    tabs.extend(view_tabs(frame, ui, callbacks, i18n));

    html! {
        <>
            <main id={CLUSTER_ID} class="cluster sim-cluster" tabindex="-1" aria-label={i18n.t(Key::ClusterRegionLabel)}>
                <ClusterToolbar
                    frame={frame.clone()}
                    scenarios_open={ui.scenarios_open}
                    on_toggle_scenarios={wiring.ui(|_: ()| UiAction::ToggleScenarios)}
                    {on_pick}
                    {on_heal_all}
                    {on_send}
                    on_shortcuts={wiring.ui(|_: ()| UiAction::ToggleShortcuts)}
                />
                <div class="stage-wrap">
                    if frame.loaded() {
                        <ClusterView
                            frame={frame.clone()}
                            selected_node={ui.selected_node.clone()}
                            selected_msg={ui.selected_msg}
                            picking={ui.picking.clone()}
                            {on_node_click}
                            on_node_menu={wiring.ui(|(node, at): (String, Point)| UiAction::OpenMenu { node, at })}
                            on_select_msg={callbacks.on_select_msg.clone()}
                        />
                    } else {
                        <p class="stage-loading" role="status">{ i18n.s(SimKey::Loading) }</p>
                    }
                    <div class="stage-banners">
                        { for notice }
                        { for picking }
                    </div>
                </div>
                <div class="legend-row">
                    <Legend />
                    <p class="legend-extra">{ format!("{} · {}", i18n.s(SimKey::CellsHint), i18n.s(SimKey::FaultHint)) }</p>
                </div>
            </main>
            <Dock {tabs} active={AttrValue::from(ui.tab.clone())} on_select={wiring.ui(UiAction::ShowTab)} />
        </>
    }
}

/// The inspector or the message panel, when something is picked.
fn side_panel(frame: &Rc<Frame>, ui: &UiState, wiring: &Wiring) -> Option<Html> {
    let on_close = wiring.ui(|_: ()| UiAction::ClearSelection);
    if let Some(msg) = ui.selected_msg {
        return Some(html! {
            <MessagePanel {msg} records={frame.records.clone()} {on_close} on_select_node={wiring.ui(UiAction::SelectNode)} />
        });
    }
    let node = ui.selected_node.clone()?;
    Some(html! {
        <Inspector
            frame={frame.clone()}
            {node}
            {on_close}
            on_choose_fault={wiring.choose_fault(frame)}
            on_intervene={wiring.intervene()}
        />
    })
}

/// The open popup, if any.
fn popup(frame: &Rc<Frame>, ui: &UiState, wiring: &Wiring, i18n: &LangContext) -> Option<Html> {
    let on_close = wiring.ui(|_: ()| UiAction::Dismiss);
    Some(match ui.popup.clone()? {
        Popup::Menu { node, at } => {
            let node = frame.snapshot.nodes.iter().find(|n| n.name == node)?.clone();
            html! {
                <FaultMenu {node} partitions={frame.snapshot.partitions.clone()} {at} on_choose={wiring.choose_fault(frame)} {on_close} />
            }
        }
        Popup::Param { node, fault, at } => html! {
            <ParamForm {node} {fault} {at} on_apply={wiring.intervene()} {on_close} />
        },
        Popup::Send(form) => {
            let producers: Vec<String> =
                frame.snapshot.nodes.iter().filter(|n| n.kind == "producer").map(|n| n.name.clone()).collect();
            let topics = frame_topics(frame);
            let on_send = {
                let (driver, dispatch) = (wiring.driver.clone(), wiring.dispatch.clone());
                Callback::from(move |action: Action| {
                    driver.command(Command::Intervene(Box::new(action)));
                    if !driver.refused_last() {
                        dispatch.dispatch(UiAction::Dismiss);
                    }
                })
            };
            let refusal = frame
                .notice
                .as_ref()
                .filter(|n| n.id > ui.dismissed_notice)
                .map(|n| i18n.f(SimKey::Refused, &[&n.field, &n.message]));
            html! {
                <SendDialog {form} {producers} {topics} on_edit={wiring.ui(UiAction::EditSend)} {on_send} {on_close} {refusal} />
            }
        }
        Popup::Shortcuts => html! { <ShortcutSheet {on_close} /> },
    })
}

/// The topics a producer can send to: those declared in the scenario, then
/// any other user topic a broker hosts.
fn frame_topics(frame: &Frame) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    for node in &frame.snapshot.nodes {
        if let rmqsim::snapshot::NodeDetail::Broker(b) = &node.detail {
            for t in &b.topics {
                if !crate::view_model::is_system_topic(&t.name) && !topics.contains(&t.name) {
                    topics.push(t.name.clone());
                }
            }
        }
    }
    topics
}

/// Listens to the keyboard shortcuts on the whole document.
#[hook]
fn use_shortcuts(wiring: &Wiring) {
    let wiring = wiring.clone();
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.default_prevented() {
                return;
            }
            let modifier = e.ctrl_key() || e.meta_key() || e.alt_key();
            let Some(action) = shortcut(&e.key(), e.shift_key(), modifier, focus_kind(e.target())) else { return };
            let command = |c: Command| wiring.driver.command(c);
            match action {
                Shortcut::TogglePlay => command(Command::TogglePlay),
                Shortcut::Step => command(Command::Step),
                Shortcut::NextEvent => command(Command::NextEvent),
                Shortcut::BackOneSecond => command(Command::Back(1_000)),
                Shortcut::Help => wiring.dispatch.dispatch(UiAction::ToggleShortcuts),
                Shortcut::Escape => {
                    wiring.dispatch.dispatch(UiAction::Dismiss);
                    return;
                }
            }
            e.prevent_default();
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = document {
                let _ = document.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// What kind of element a key event comes from.
fn focus_kind(target: Option<web_sys::EventTarget>) -> FocusKind {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return FocusKind::Other };
    let role = element.get_attribute("role").unwrap_or_default();
    match element.tag_name().to_ascii_lowercase().as_str() {
        "input" => match element.get_attribute("type").unwrap_or_default().as_str() {
            "range" => FocusKind::Slider,
            "checkbox" | "radio" | "button" | "submit" => FocusKind::Button,
            _ => FocusKind::Text,
        },
        "select" | "textarea" => FocusKind::Text,
        "button" | "a" | "summary" => FocusKind::Button,
        _ if role == "slider" => FocusKind::Slider,
        _ if matches!(role.as_str(), "button" | "tab" | "menuitem" | "option") => FocusKind::Button,
        _ if element.get_attribute("contenteditable").is_some() => FocusKind::Text,
        _ => FocusKind::Other,
    }
}
