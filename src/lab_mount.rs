//! Where the code lab sits in the app. The lab itself is a second wasm
//! module (`crates/lab`, built into `dist/lab/` by `scripts/build-extras.sh`),
//! fetched the first time the lab opens, so the first screen never pays for
//! it. This file mounts it into the lab's column, feeds it each frame, and
//! carries out what it asks: load a recorded run (and play it), load the
//! lab's cluster, open the cluster builder.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use rmqsim::labdoc::LabProgram;
use rmqsim::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::driver::{Command, ScenarioLoad};
use crate::i18n::SimKey;
use crate::view_model::Frame;

thread_local! {
    /// What another screen asked the lab to open (JSON, see `crates/lab`).
    static PENDING: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Asks the lab to open the tutorial's programs (`"tutorial"`) or its delay example (`"delay"`).
pub fn open_preset(name: &str) {
    PENDING.with(|p| *p.borrow_mut() = serde_json::json!({ "preset": name }).to_string());
}

/// Asks the lab to open `sc`'s code (one program per file the code panel
/// shows) with `sc`'s cluster, its clients and actions left to the programs.
pub fn open_scenario(sc: &Scenario, ui: crate::i18n::Lang) {
    use crate::tutorial::code::{generate, CodeLang};
    let mut programs: Vec<LabProgram> = Vec::new();
    for file in generate(sc, CodeLang::Python, ui).into_iter().take(rmqsim::labdoc::MAX_PROGRAMS) {
        let stem: String = file
            .name
            .trim_end_matches(".py")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
            .collect();
        let stem = if stem.is_empty() { "program".to_string() } else { stem };
        let mut name = format!("{stem}.py");
        let mut n = 2;
        while programs.iter().any(|p| p.name == name) {
            name = format!("{stem}_{n}.py");
            n += 1;
        }
        programs.push(LabProgram { name, code: file.text() });
    }
    let mut cluster = sc.clone();
    cluster.producers.clear();
    cluster.consumers.clear();
    cluster.actions.clear();
    cluster.answers = String::new();
    let list: Vec<serde_json::Value> =
        programs.iter().map(|p| serde_json::json!({ "name": p.name, "code": p.code })).collect();
    let cluster =
        rmqsim::share::scenario_json(&cluster).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    PENDING.with(|p| {
        *p.borrow_mut() = serde_json::json!({ "programs": list, "cluster": cluster.unwrap_or_default() }).to_string()
    });
}

/// A file of the lab's, relative to the page (so right under a sub-path
/// too): boot.js's loader and the wasm's fetch resolve it next to the page.
fn lab_url(file: &str) -> String {
    format!("./lab/{file}")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

async fn awaited(v: JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(Promise::resolve(&v)).await
}

/// Imports `lab/lab.js` (through boot.js's loader: the page's CSP forbids
/// building code from strings) and starts its wasm.
async fn load_module() -> Result<JsValue, String> {
    let why = |e: JsValue| get(&e, "message").as_string().unwrap_or_else(|| format!("{e:?}"));
    let loader: Function =
        get(&js_sys::global(), "__rmqsimImport").dyn_into().map_err(|_| "boot.js's loader is missing")?;
    let module = awaited(loader.call1(&JsValue::NULL, &lab_url("lab.js").into()).map_err(why)?).await.map_err(why)?;
    let init: Function = get(&module, "default").dyn_into().map_err(|_| "lab.js has no init")?;
    let opts = Object::new();
    let _ = Reflect::set(&opts, &"module_or_path".into(), &lab_url("lab_bg.wasm").into());
    awaited(init.call1(&JsValue::NULL, &opts).map_err(why)?).await.map_err(why)?;
    Ok(module)
}

/// What was last sent to the lab, so unchanged parts are not sent again.
#[derive(Default)]
struct Sent {
    scenario: Option<*const Scenario>,
    lab: Option<*const serde_json::Value>,
    started: bool,
}

/// The lab's column while `active`: mounts the lab module into the returned
/// node (once), feeds it every render, unmounts it when the lab closes.
/// Returns the node to render the column into and a note to show above it
/// (opening, or why the module could not open). A hook rather than a
/// component, to keep the first download small.
#[hook]
pub fn use_lab(
    frame: &Rc<Frame>,
    active: bool,
    on_command: Callback<Command>,
    on_build: Callback<()>,
    lang: crate::i18n::Lang,
) -> (NodeRef, Html) {
    let node = use_node_ref();
    let app = use_mut_ref(|| None::<JsValue>);
    let sent = use_mut_ref(Sent::default);
    // None: opening; Some(None): open; Some(Some(why)): failed.
    let state = use_state(|| None::<Option<String>>);
    // Kept alive while mounted: the lab calls it as `api(what, json)`.
    let api = use_mut_ref(|| None::<Closure<dyn Fn(String, String)>>);
    {
        let (node, app, state, api, sent) = (node.clone(), app.clone(), state.clone(), api.clone(), sent.clone());
        use_effect_with(active, move |active| {
            let active = *active;
            if active {
                let call =
                    Closure::<dyn Fn(String, String)>::new(move |what: String, json: String| match what.as_str() {
                        // A recorded run: load it and play it.
                        "load" => match rmqsim::share::from_json(&json) {
                            Ok(doc) => {
                                on_command.emit(Command::LoadSession(Box::new(crate::sharing::session_load(doc))));
                                on_command.emit(Command::SetSpeed(1.0));
                                on_command.emit(Command::Play);
                            }
                            Err(e) => web_sys::console::error_1(&format!("the lab's run was refused: {e}").into()),
                        },
                        "cluster" => {
                            if let Ok(scenario) = Scenario::from_json(&json) {
                                let (name, summary) = ("code-lab".to_string(), "The code lab's cluster".to_string());
                                on_command.emit(Command::LoadScenario(Box::new(ScenarioLoad {
                                    name,
                                    summary,
                                    scenario,
                                })));
                            }
                        }
                        "builder" => on_build.emit(()),
                        _ => {}
                    });
                let function: JsValue = call.as_ref().clone();
                *api.borrow_mut() = Some(call);
                *sent.borrow_mut() = Sent::default();
                state.set(None);
                let open = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
                let app = app.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let mounted = async {
                        let module = load_module().await?;
                        let el = node.cast::<web_sys::Element>().ok_or("the lab's column is gone")?;
                        let mount: Function = get(&module, "mount").dyn_into().map_err(|_| "lab.js has no mount")?;
                        mount.call3(&JsValue::NULL, &el, &function, &open.into()).map_err(|e| format!("{e:?}"))
                    };
                    match mounted.await {
                        Ok(handle) => {
                            *app.borrow_mut() = Some(handle);
                            state.set(Some(None));
                        }
                        Err(e) => state.set(Some(Some(e))),
                    }
                });
            }
            move || {
                if let Some(handle) = app.borrow_mut().take() {
                    if let Ok(f) = get(&handle, "unmount").dyn_into::<Function>() {
                        let _ = f.call0(&handle);
                    }
                }
                api.borrow_mut().take();
            }
        });
    }
    // Every render: the language, where the run stands, and what changed.
    if let (true, Some(handle)) = (active, app.borrow().as_ref()) {
        let mut sent = sent.borrow_mut();
        let definition = frame.definition.as_ref().map(Rc::as_ptr);
        let scenario = (!sent.started || sent.scenario != definition).then(|| {
            frame.definition.as_deref().and_then(|d| rmqsim::share::scenario_json(d).ok()).unwrap_or_default()
        });
        let lab_ptr = frame.lab.as_ref().map(Rc::as_ptr);
        let lab = (!sent.started || sent.lab != lab_ptr)
            .then(|| frame.lab.as_deref().map_or_else(|| "null".to_string(), |v| v.to_string()));
        *sent = Sent { scenario: definition, lab: lab_ptr, started: true };
        let record = frame.total_records().checked_sub(1).map_or(-1.0, |r| r as f64);
        if let Ok(update) = get(handle, "update").dyn_into::<Function>() {
            let args = js_sys::Array::of5(
                &lang.code().into(),
                &record.into(),
                &(frame.now as f64).into(),
                &scenario.map_or(JsValue::UNDEFINED, JsValue::from),
                &lab.map_or(JsValue::UNDEFINED, JsValue::from),
            );
            let _ = update.apply(handle, &args);
        }
    }
    let note = match &*state {
        Some(Some(why)) => {
            html! { <p class="empty-note is-error" role="alert">{ crate::i18n::fill(crate::i18n::st(lang, SimKey::LabModuleFailed), &[why]) }</p> }
        }
        None => {
            html! { <p class="empty-note" role="status">{ crate::i18n::st(lang, SimKey::LabModuleLoading) }</p> }
        }
        Some(None) => Html::default(),
    };
    (node, note)
}
