//! The code lab's host: starts one Web Worker per program (through
//! `static/lab/host.mjs`, imported on the first run, never before), carries
//! the programs' messages to the coordinator ([`super::sched::Run`]) and its
//! answers back, slices the engine's work so the page keeps painting, and
//! stops a program that runs too long without calling RocketMQ or sleeping.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use js_sys::{Array, Function, Object, Promise, Reflect};
use rmqsim::labdoc::LabProgram;
use rmqsim::share::SessionDoc;
use rmqsim::Scenario;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::sched::{End, Exit, KnownClient, Run, Tick};

/// Wall time a program may run Python between two calls before it is stopped.
pub const WALL_BUDGET_MS: f64 = 2_000.0;
/// Wall time the Python runtime may take to load.
const LOAD_BUDGET_MS: f64 = 60_000.0;
/// Engine events per slice (a few milliseconds of wall time).
const SLICE_EVENTS: u64 = 20_000;
/// Most runs from the start while learning the programs' clients.
const MAX_RESTARTS: u32 = 12;
/// Each interpreter's heap.
const HEAP_BYTES: u32 = 16 * 1024 * 1024;

/// What the lab shows while it runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Fetching and starting Python.
    Loading,
    /// Running: virtual time reached, the horizon, runs from the start so far.
    Running { now: u64, horizon: u64, restarts: u32 },
}

/// How a run ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The run, ready to replay (it may have ended early: Stop, an error).
    Recorded { doc: Box<SessionDoc>, end: End },
    /// A program has a syntax error; nothing ran.
    Syntax { program: usize, message: String, line: u32, col: u32 },
    /// The lab could not run (no isolation, the runtime failed to load, …).
    Failed(String),
}

/// The page's support for the lab: `Ok` or why not.
pub fn support() -> Result<(), String> {
    let global = js_sys::global();
    let isolated = Reflect::get(&global, &"crossOriginIsolated".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    let shared = Reflect::get(&global, &"SharedArrayBuffer".into()).is_ok_and(|v| !v.is_undefined());
    if isolated && shared {
        Ok(())
    } else {
        Err("not isolated".into())
    }
}

/// The URL of a file of the lab's, relative to the page (works under a sub-path).
fn lab_url(file: &str) -> String {
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    match base.and_then(|b| web_sys::Url::new_with_base(&format!("lab/{file}"), &b).ok()) {
        Some(u) => u.href(),
        None => format!("lab/{file}"),
    }
}

fn call(obj: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(obj, &method.into())?.dyn_into()?;
    f.apply(obj, &args.iter().collect::<Array>())
}

/// Imports `static/lab/host.mjs` (through the loader `boot.js` installs,
/// since the page's CSP forbids building code from strings).
async fn import_host() -> Result<JsValue, String> {
    let loader = Reflect::get(&js_sys::global(), &"__rmqsimImport".into()).map_err(|_| "no module loader")?;
    let loader: Function = loader.dyn_into().map_err(|_| "no module loader (boot.js is missing)".to_string())?;
    let promise: Promise = loader
        .call1(&JsValue::NULL, &lab_url("host.mjs").into())
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "the loader returned no promise".to_string())?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| {
        let msg = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
        format!("the code lab's runtime could not be loaded: {}", msg.unwrap_or_else(|| format!("{e:?}")))
    })
}

struct Inner {
    module: JsValue,
    host: Option<JsValue>,
    run: Option<Run>,
    base: Scenario,
    programs: Vec<LabProgram>,
    horizon: u64,
    zh: bool,
    restarts: u32,
    generation: u32,
    /// Wall time each program last got an answer (None: still loading).
    since: Vec<Option<f64>>,
    spawned_at: f64,
    on_status: Rc<dyn Fn(Status)>,
    on_done: Rc<dyn Fn(Outcome)>,
    listener: Option<Closure<dyn FnMut(JsValue, JsValue)>>,
    watchdog: Option<Interval>,
    slice: Option<Timeout>,
    finished: bool,
}

/// One lab run in progress; dropping it (or [`Runner::stop`]) ends the workers.
#[derive(Clone)]
pub struct Runner {
    inner: Rc<RefCell<Inner>>,
}

fn wall() -> f64 {
    js_sys::Date::now()
}

impl Runner {
    /// Loads the runtime (first time only) and starts running `programs`.
    pub async fn start(
        base: Scenario,
        programs: Vec<LabProgram>,
        horizon: u64,
        zh: bool,
        on_status: Rc<dyn Fn(Status)>,
        on_done: Rc<dyn Fn(Outcome)>,
    ) -> Result<Runner, String> {
        on_status(Status::Loading);
        let module = import_host().await?;
        let runner = Runner {
            inner: Rc::new(RefCell::new(Inner {
                module,
                host: None,
                run: None,
                base,
                programs,
                horizon,
                zh,
                restarts: 0,
                generation: 0,
                since: Vec::new(),
                spawned_at: wall(),
                on_status,
                on_done,
                listener: None,
                watchdog: None,
                slice: None,
                finished: false,
            })),
        };
        runner.launch(Vec::new())?;
        let weak = Rc::downgrade(&runner.inner);
        runner.inner.borrow_mut().watchdog = Some(Interval::new(250, move || watch(&weak)));
        Ok(runner)
    }

    /// Starts (or restarts) every program from the beginning with `known` clients.
    fn launch(&self, known: Vec<KnownClient>) -> Result<(), String> {
        let mut inner = self.inner.borrow_mut();
        if let Some(host) = inner.host.take() {
            let _ = call(&host, "terminateAll", &[]);
        }
        inner.generation += 1;
        let run = Run::new(&inner.base, &inner.programs, &known, inner.horizon, inner.zh)?;
        let generation = inner.generation;
        let weak = Rc::downgrade(&self.inner);
        let listener = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |program: JsValue, msg: JsValue| {
            on_message(&weak, generation, program, msg);
        });
        let class = Reflect::get(&inner.module, &"LabHost".into()).map_err(|e| format!("{e:?}"))?;
        let class: Function = class.dyn_into().map_err(|_| "host.mjs has no LabHost".to_string())?;
        let host = Reflect::construct(&class, &Array::of1(listener.as_ref())).map_err(|e| format!("{e:?}"))?;
        let seed = inner.base.seed;
        for (i, p) in inner.programs.iter().enumerate() {
            let opts = Object::new();
            let _ = Reflect::set(&opts, &"name".into(), &p.name.as_str().into());
            let _ = Reflect::set(&opts, &"code".into(), &p.code.as_str().into());
            let _ = Reflect::set(&opts, &"seed".into(), &JsValue::from_f64(seed as f64));
            let _ = Reflect::set(&opts, &"heapsize".into(), &JsValue::from(HEAP_BYTES));
            call(&host, "spawn", &[JsValue::from(i as u32), opts.into()]).map_err(|e| format!("{e:?}"))?;
        }
        inner.since = vec![None; inner.programs.len()];
        inner.spawned_at = wall();
        inner.run = Some(run);
        inner.host = Some(host);
        inner.listener = Some(listener);
        Ok(())
    }

    /// Stops the run where it is (the recorded part is kept).
    pub fn stop(&self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            if let Some(run) = inner.run.as_mut() {
                run.stop();
            }
        }
        pump(&self.inner);
    }

    /// Ends the workers without recording anything (the lab closed).
    pub fn abandon(&self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            inner.finished = true;
            shut(&mut inner);
        }
    }
}

fn shut(inner: &mut Inner) {
    if let Some(host) = inner.host.take() {
        let _ = call(&host, "terminateAll", &[]);
    }
    inner.watchdog = None;
    inner.slice = None;
    inner.listener = None;
}

fn field(msg: &JsValue, key: &str) -> JsValue {
    Reflect::get(msg, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(msg: &JsValue, key: &str) -> String {
    field(msg, key).as_string().unwrap_or_default()
}

fn on_message(weak: &Weak<RefCell<Inner>>, generation: u32, program: JsValue, msg: JsValue) {
    let Some(cell) = weak.upgrade() else { return };
    {
        let Ok(mut inner) = cell.try_borrow_mut() else { return };
        if inner.generation != generation || inner.finished {
            return;
        }
        let p = program.as_f64().unwrap_or(-1.0);
        if p < 0.0 {
            return;
        }
        let p = p as usize;
        let kind = text(&msg, "type");
        let now = wall();
        let Some(run) = inner.run.as_mut() else { return };
        match kind.as_str() {
            "loaded" => {}
            "out" => run.output(p, text(&msg, "stream") == "stderr", &text(&msg, "text")),
            "call" => run.request(p, &text(&msg, "req")),
            "exit" => run.exited(p, exit_of(&msg)),
            "crash" => run.exited(
                p,
                Exit::Failed {
                    message: format!("the Python runtime failed: {}", text(&msg, "message")),
                    traceback: String::new(),
                    hint: None,
                },
            ),
            _ => return,
        }
        if kind == "loaded" {
            if let Some(s) = inner.since.get_mut(p) {
                *s = Some(now);
            }
        }
    }
    pump(&cell);
}

fn exit_of(msg: &JsValue) -> Exit {
    if field(msg, "ok").as_bool() == Some(true) {
        return Exit::Ok;
    }
    let err = field(msg, "error");
    let kind = text(&err, "kind");
    let message = text(&err, "message");
    let num = |k: &str| field(&err, k).as_f64().unwrap_or(0.0).max(0.0) as u32;
    if kind == "syntax" {
        return Exit::Syntax { message, line: num("line"), col: num("col") };
    }
    let hint = field(&err, "hint").as_string();
    Exit::Failed { message, traceback: text(&err, "traceback"), hint }
}

/// Stops programs that ran too long without a call (or never loaded).
fn watch(weak: &Weak<RefCell<Inner>>) {
    let Some(cell) = weak.upgrade() else { return };
    let mut stopped = false;
    {
        let Ok(mut inner) = cell.try_borrow_mut() else { return };
        if inner.finished {
            return;
        }
        let now = wall();
        let zh = inner.zh;
        let loading = now - inner.spawned_at;
        for p in 0..inner.since.len() {
            let Some(run) = inner.run.as_ref() else { return };
            if !run.running(p) {
                continue;
            }
            let over = match inner.since[p] {
                Some(t) => now - t > WALL_BUDGET_MS,
                None => loading > LOAD_BUDGET_MS,
            };
            if !over {
                continue;
            }
            if let Some(host) = inner.host.as_ref() {
                let _ = call(host, "terminate", &[JsValue::from(p as u32)]);
            }
            let message = if inner.since[p].is_none() {
                if zh {
                    "Python 运行时 60 秒内没有加载完成，已停止".to_string()
                } else {
                    "the Python runtime did not load within 60 s; stopped".to_string()
                }
            } else if zh {
                "已停止：程序运行了 2 秒（真实时间）却没有调用 RocketMQ 或 time.sleep()——是不是死循环？".to_string()
            } else {
                "stopped: it ran for 2 s of wall time without calling RocketMQ or time.sleep() (an endless loop?)"
                    .to_string()
            };
            if let Some(run) = inner.run.as_mut() {
                run.exited(p, Exit::Failed { message, traceback: String::new(), hint: None });
            }
            stopped = true;
        }
    }
    if stopped {
        pump(&cell);
    }
}

/// Runs the coordinator until it waits for a program, its slice is used, or the run ends.
fn pump(cell: &Rc<RefCell<Inner>>) {
    loop {
        let Ok(mut inner) = cell.try_borrow_mut() else { return };
        if inner.finished {
            return;
        }
        let Some(run) = inner.run.as_mut() else { return };
        let tick = run.advance(SLICE_EVENTS);
        match tick {
            Tick::Respond(p, answer) => {
                if let Some(s) = inner.since.get_mut(p) {
                    *s = Some(wall());
                }
                if let Some(host) = inner.host.as_ref() {
                    let _ = call(host, "respond", &[JsValue::from(p as u32), answer.into()]);
                }
            }
            Tick::Wait => {
                let status = progress(&inner);
                let on_status = inner.on_status.clone();
                drop(inner);
                on_status(status);
                return;
            }
            Tick::Busy => {
                let status = progress(&inner);
                let weak = Rc::downgrade(cell);
                inner.slice = Some(Timeout::new(0, move || {
                    if let Some(cell) = weak.upgrade() {
                        pump(&cell);
                    }
                }));
                let on_status = inner.on_status.clone();
                drop(inner);
                on_status(status);
                return;
            }
            Tick::Restart(known) => {
                inner.restarts += 1;
                if inner.restarts > MAX_RESTARTS {
                    inner.finished = true;
                    shut(&mut inner);
                    let done = inner.on_done.clone();
                    drop(inner);
                    done(Outcome::Failed(format!(
                        "the programs kept starting new clients ({} runs from the start); the lab stopped",
                        MAX_RESTARTS
                    )));
                    return;
                }
                drop(inner);
                let runner = Runner { inner: cell.clone() };
                if let Err(e) = runner.launch(known) {
                    let Ok(mut inner) = cell.try_borrow_mut() else { return };
                    inner.finished = true;
                    shut(&mut inner);
                    let done = inner.on_done.clone();
                    drop(inner);
                    done(Outcome::Failed(e));
                }
                return;
            }
            Tick::Done => {
                let outcome = match run.end().cloned() {
                    Some(End::Syntax { program, message, line, col }) => {
                        Outcome::Syntax { program, message, line, col }
                    }
                    Some(end) => Outcome::Recorded { doc: Box::new(run.document()), end },
                    None => Outcome::Recorded { doc: Box::new(run.document()), end: End::Horizon },
                };
                inner.finished = true;
                shut(&mut inner);
                let done = inner.on_done.clone();
                drop(inner);
                done(outcome);
                return;
            }
        }
    }
}

fn progress(inner: &Inner) -> Status {
    match inner.run.as_ref() {
        Some(run) if inner.since.iter().any(Option::is_some) => {
            Status::Running { now: run.now(), horizon: run.horizon(), restarts: inner.restarts }
        }
        _ => Status::Loading,
    }
}
