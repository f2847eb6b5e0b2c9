//! The code lab (代码实验室): the learner writes and runs the tutorial's own
//! rocketmq-client-python 2.x code, in real Python (MicroPython compiled to
//! WebAssembly), against the simulated cluster.
//!
//! This crate is a second wasm module, built next to the app's
//! (`scripts/build-extras.sh`, a trunk hook) and fetched the first time the lab
//! opens, so the first screen never pays for it. The app mounts it into the
//! lab's column ([`mount`]), feeds it every frame ([`LabApp::update`]: the
//! language, the trace record and time the run stands at, the scenario and
//! the run's lab record when they change), and it answers through the `api`
//! object the app hands over (`load` a recorded run, `loadCluster`,
//! `openBuilder`).
//!
//! - [`sched`]: the coordinator. Programs' blocking calls become requests;
//!   it answers them in virtual-time order, deterministically, and records
//!   the run as an ordinary session (interventions + callback answers).
//! - [`host`]: the browser side: one Web Worker per program, the answers
//!   carried back, the engine's work sliced across frames, runaway programs
//!   stopped.
//! - [`model`]: the tutorial's programs verbatim, templates, the default cluster.
//! - [`view`]: the column: tabs, editor, Run, console; [`strings`] its texts.

pub mod host;
pub mod model;
pub mod sched;
pub mod strings;
pub mod view;

#[cfg(test)]
mod tests;

use std::rc::Rc;

use rmqsim::labdoc::{LabProgram, LabRecord};
use rmqsim::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::strings::Lang;
use crate::view::{Api, LabRoot, LabRootProps, Open};

/// The same allocator as the app's wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: small_alloc::CachedTalc = small_alloc::CachedTalc::new();

/// The mounted lab.
#[wasm_bindgen]
pub struct LabApp {
    handle: Option<yew::AppHandle<LabRoot>>,
    props: LabRootProps,
    /// The element the app gave, and the listeners that keep the lab's
    /// events to itself.
    host: web_sys::Element,
    stoppers: Vec<(&'static str, Closure<dyn Fn(web_sys::Event)>)>,
}

/// The events the lab's Yew handles. The app is a Yew app too, mounted
/// above: both mark their elements with Yew's listener ids, so an event that
/// bubbled out of the lab would run the app's listener of the same id (a
/// click on Run opened the shortcut sheet). The lab's events stop at its
/// host element; the lab's own root, inside it, has seen them by then.
const OWN_EVENTS: &[&str] = &[
    "click",
    "dblclick",
    "input",
    "change",
    "submit",
    "keydown",
    "keyup",
    "keypress",
    "focusin",
    "focusout",
    "mousedown",
    "mouseup",
    "pointerdown",
    "pointerup",
    "contextmenu",
    "wheel",
    "touchstart",
    "touchend",
];

/// What the lab is asked to open, as the app writes it:
/// `{"programs":[{"name","code"}…],"cluster":SCENARIO|null}`, or
/// `{"preset":"tutorial"|"delay"}`, or empty.
fn read_open(text: &str) -> Option<Open> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    match v["preset"].as_str() {
        Some("delay") => return Some(Open { programs: model::delay_programs(), cluster: None }),
        Some(_) => return Some(Open { programs: model::tutorial_programs(), cluster: None }),
        None => {}
    }
    let programs: Vec<LabProgram> = serde_json::from_value(v["programs"].clone()).ok()?;
    rmqsim::labdoc::check_programs(&programs).ok()?;
    let cluster = v.get("cluster").filter(|c| c.is_object()).and_then(|c| Scenario::from_json(&c.to_string()).ok());
    Some(Open { programs, cluster })
}

/// Adds the lab's stylesheet (`lab/lab.css`) to the page once: the first
/// screen never downloads it.
fn add_styles() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.get_element_by_id("lab-css").is_some() {
        return;
    }
    let (Ok(link), Some(head)) = (doc.create_element("link"), doc.head()) else { return };
    let href = doc.base_uri().ok().flatten().and_then(|b| web_sys::Url::new_with_base("lab/lab.css", &b).ok());
    let _ = link.set_attribute("id", "lab-css");
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &href.map_or_else(|| "lab/lab.css".to_string(), |u| u.href()));
    let _ = head.append_child(&link);
}

#[yew::function_component]
fn Nothing() -> yew::Html {
    yew::Html::default()
}

/// Mounts the lab into `element`; `api` is the app's side (see the crate docs).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, api: JsValue, open: &str) -> LabApp {
    add_styles();
    let props = LabRootProps {
        lang: Lang::Zh,
        definition: None,
        lab: None,
        record: None,
        now: 0,
        api: Api(api),
        open: Rc::new(read_open(open)),
        ready: false,
        lab_error: None,
    };
    let mut stoppers = Vec::new();
    for name in OWN_EVENTS {
        let stop = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| e.stop_propagation());
        let _ = element.add_event_listener_with_callback(name, stop.as_ref().unchecked_ref());
        stoppers.push((*name, stop));
    }
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
        .filter(|div| element.append_child(div).is_ok())
        .unwrap_or_else(|| element.clone());
    // Yew numbers its roots from 1 in each wasm, and the app's root (the
    // lab's ancestor) is 1 in the app's: an event in the lab would look like
    // the app's own, and run the app's listener with the same id. Taking
    // number 1 here with a root that is dropped at once makes the lab's root 2.
    if let Some(spare) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.create_element("div").ok()) {
        yew::Renderer::<Nothing>::with_root(spare).render().destroy();
    }
    let handle = yew::Renderer::<LabRoot>::with_root_and_props(root, props.clone()).render();
    LabApp { handle: Some(handle), props, host: element, stoppers }
}

#[wasm_bindgen]
impl LabApp {
    /// The app's frame: `lang` ("zh"/"en"), the trace record the run stands
    /// at (negative: none) and the virtual time; `scenario` (JSON) and `lab`
    /// (the run's lab record as JSON, "null" for none) only when they changed.
    pub fn update(&mut self, lang: &str, record: f64, now: f64, scenario: Option<String>, lab: Option<String>) {
        let mut next = self.props.clone();
        next.lang = Lang::from_code(lang);
        next.record = (record >= 0.0).then_some(record as u64);
        next.now = now.max(0.0) as u64;
        if let Some(json) = scenario {
            next.definition = Scenario::from_json(&json).ok().map(Rc::new);
        }
        if let Some(json) = lab {
            // A record that does not hold together is not shown, and says why
            // (the run itself replays regardless).
            let read = match serde_json::from_str::<Option<LabRecord>>(&json) {
                Ok(Some(l)) => l.check().map(|()| Some(l)).map_err(|(field, why)| format!("{field}: {why}")),
                Ok(None) => Ok(None),
                Err(e) => Err(format!("lab: {e}")),
            };
            next.lab_error = read.as_ref().err().cloned();
            next.lab = read.ok().flatten().map(Rc::new);
        }
        next.ready = true;
        if next != self.props {
            self.props = next.clone();
            if let Some(h) = self.handle.as_mut() {
                h.update(next);
            }
        }
    }

    /// Unmounts the lab (ending a run in progress).
    pub fn unmount(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        for (name, stop) in self.stoppers.drain(..) {
            let _ = self.host.remove_event_listener_with_callback(name, stop.as_ref().unchecked_ref());
        }
    }
}
