//! Where the code lab sits in the app. The lab itself is a second wasm
//! module (`crates/lab`, built into `dist/lab/` by `scripts/build-lab.sh`),
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
use crate::i18n::{use_lang, SimKey};
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

/// A file of the lab's, relative to the page (right under a sub-path too).
fn lab_url(file: &str) -> String {
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    match base.and_then(|b| web_sys::Url::new_with_base(&format!("lab/{file}"), &b).ok()) {
        Some(u) => u.href(),
        None => format!("lab/{file}"),
    }
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

async fn awaited(v: JsValue) -> Result<JsValue, JsValue> {
    match v.dyn_into::<Promise>() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
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

#[derive(Properties, Clone)]
pub struct LabMountProps {
    pub frame: Rc<Frame>,
    pub on_command: Callback<Command>,
    pub on_build: Callback<()>,
}

impl PartialEq for LabMountProps {
    fn eq(&self, o: &Self) -> bool {
        self.frame == o.frame
    }
}

/// What was last sent to the lab, so unchanged parts are not sent again.
#[derive(Default)]
struct Sent {
    scenario: Option<*const Scenario>,
    lab: Option<*const serde_json::Value>,
    started: bool,
}

/// The lab's column: mounts the lab module and feeds it.
#[function_component]
pub fn LabMount(props: &LabMountProps) -> Html {
    let i18n = use_lang();
    let node = use_node_ref();
    let app = use_mut_ref(|| None::<JsValue>);
    let sent = use_mut_ref(Sent::default);
    let failed = use_state(|| None::<String>);
    // Kept alive while mounted: the lab calls it as `api(what, json)`.
    let api = use_mut_ref(|| None::<Closure<dyn Fn(String, String)>>);
    let ready = use_state(|| false);
    {
        let (node, app, failed, api, ready) = (node.clone(), app.clone(), failed.clone(), api.clone(), ready.clone());
        let (on_command, on_build) = (props.on_command.clone(), props.on_build.clone());
        use_effect_with((), move |_| {
            let call = Closure::<dyn Fn(String, String)>::new(move |what: String, json: String| match what.as_str() {
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
                        on_command.emit(Command::LoadScenario(Box::new(ScenarioLoad { name, summary, scenario })));
                    }
                }
                "builder" => on_build.emit(()),
                _ => {}
            });
            let function: JsValue = call.as_ref().clone();
            *api.borrow_mut() = Some(call);
            let open = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
            let app_mount = app.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mounted = async {
                    let module = load_module().await?;
                    let el = node.cast::<web_sys::Element>().ok_or("the lab's column is gone")?;
                    let mount: Function = get(&module, "mount").dyn_into().map_err(|_| "lab.js has no mount")?;
                    mount.call3(&JsValue::NULL, &el, &function, &open.into()).map_err(|e| format!("{e:?}"))
                };
                match mounted.await {
                    Ok(handle) => {
                        *app_mount.borrow_mut() = Some(handle);
                        ready.set(true);
                    }
                    Err(e) => failed.set(Some(e)),
                }
            });
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
    // Every frame: the language, where the run stands, and what changed.
    if let Some(handle) = app.borrow().as_ref() {
        let frame = &props.frame;
        let mut sent = sent.borrow_mut();
        let definition = frame.definition.as_ref().map(Rc::as_ptr);
        let scenario = (!sent.started || sent.scenario != definition).then(|| {
            frame.definition.as_deref().and_then(|d| rmqsim::share::scenario_json(d).ok()).unwrap_or_default()
        });
        let lab_ptr = frame.lab.as_ref().map(Rc::as_ptr);
        let lab = (!sent.started || sent.lab != lab_ptr)
            .then(|| frame.lab.as_deref().map_or_else(|| "null".to_string(), |v| v.to_string()));
        sent.scenario = definition;
        sent.lab = lab_ptr;
        sent.started = true;
        let record = frame.total_records().checked_sub(1).map_or(-1.0, |r| r as f64);
        if let Ok(update) = get(handle, "update").dyn_into::<Function>() {
            let args = js_sys::Array::of5(
                &i18n.lang.code().into(),
                &record.into(),
                &(frame.now as f64).into(),
                &scenario.map_or(JsValue::UNDEFINED, JsValue::from),
                &lab.map_or(JsValue::UNDEFINED, JsValue::from),
            );
            let _ = update.apply(handle, &args);
        }
    }
    let note = match (&*failed, *ready) {
        (Some(why), _) => {
            html! { <p class="lab-mount-note is-error" role="alert">{ i18n.f(SimKey::LabModuleFailed, &[why]) }</p> }
        }
        (None, false) => html! { <p class="lab-mount-note" role="status">{ i18n.s(SimKey::LabModuleLoading) }</p> },
        _ => Html::default(),
    };
    html! {
        <aside class="guide lab-host" aria-label={i18n.s(SimKey::ModeLab)}>
            { note }
            <div ref={node} class="lab-root" />
        </aside>
    }
}
