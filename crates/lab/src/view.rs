//! The code lab's column: program tabs, the editor (line numbers, the line
//! that caused the current event, a syntax error's mark), Run / Stop, the
//! horizon, the cluster builder and the console with virtual timestamps.
//! A finished run is handed to the driver as an ordinary session, so every
//! view, the time bar and sharing work on it unchanged.

use std::rc::Rc;

use rmqsim::labdoc::{LabProgram, LabRecord};
use rmqsim::Scenario;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::host::{self, Outcome, Runner, Status};
use crate::model::{self, Saved, Template, HORIZONS};
use crate::sched::{namesrv_addr, End};
use crate::strings::{f, t, Lang, K};

/// The app, as the lab sees it: it loads a finished run (or the lab's
/// cluster) into the simulator and opens the cluster builder.
#[derive(Clone)]
pub struct Api(pub wasm_bindgen::JsValue);

impl PartialEq for Api {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Api {
    /// The app's `api(what, json)`.
    fn call(&self, what: &str, arg: &str) {
        if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&self.0) {
            let _ = f.call2(&wasm_bindgen::JsValue::NULL, &what.into(), &arg.into());
        }
    }

    /// Loads a recorded run (a session document as JSON) and plays it.
    pub fn load(&self, doc_json: &str) {
        self.call("load", doc_json);
    }

    /// Loads the lab's cluster (a scenario as JSON), paused at t = 0.
    pub fn load_cluster(&self, scenario_json: &str) {
        self.call("cluster", scenario_json);
    }

    pub fn open_builder(&self) {
        self.call("builder", "");
    }
}

/// What the lab is opened with: programs (and a cluster), or nothing.
#[derive(Clone, Debug, Default)]
pub struct Open {
    pub programs: Vec<LabProgram>,
    pub cluster: Option<Scenario>,
}

/// What the app feeds the lab (see [`crate::LabApp::update`]).
#[derive(Properties, Clone)]
pub struct LabRootProps {
    pub lang: Lang,
    pub definition: Option<Rc<Scenario>>,
    pub lab: Option<Rc<LabRecord>>,
    pub record: Option<u64>,
    pub now: u64,
    pub api: Api,
    pub open: Rc<Option<Open>>,
    /// The app's first frame has arrived.
    pub ready: bool,
    /// Why the loaded run's lab record was not shown.
    pub lab_error: Option<String>,
}

fn same<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    a.as_ref().map(Rc::as_ptr) == b.as_ref().map(Rc::as_ptr)
}

impl PartialEq for LabRootProps {
    fn eq(&self, o: &Self) -> bool {
        self.lang == o.lang
            && same(&self.definition, &o.definition)
            && same(&self.lab, &o.lab)
            && self.record == o.record
            && self.now == o.now
            && self.api == o.api
            && Rc::ptr_eq(&self.open, &o.open)
            && self.ready == o.ready
            && self.lab_error == o.lab_error
    }
}

/// The lab's root: waits for the app's first frame, then shows the column.
#[function_component]
pub fn LabRoot(p: &LabRootProps) -> Html {
    if !p.ready {
        return Html::default();
    }
    html! {
        <>
            if let Some(why) = &p.lab_error {
                <p class="lab-status is-error" role="alert">{ f(p.lang, K::RecordRefused, &[why]) }</p>
            }
            <LabPanel definition={p.definition.clone()} lab={p.lab.clone()} record={p.record} now={p.now}
                lang={p.lang} api={p.api.clone()} open={p.open.clone()} />
        </>
    }
}

#[derive(Properties, Clone)]
pub struct LabPanelProps {
    /// The running scenario (the lab's cluster is taken from it).
    pub definition: Option<Rc<Scenario>>,
    /// The loaded run's lab record, if the run is a lab run.
    pub lab: Option<Rc<LabRecord>>,
    /// The trace record the run stands at (0-based), for the line highlight.
    pub record: Option<u64>,
    /// Virtual time now (the console dims what is still ahead).
    pub now: u64,
    pub lang: Lang,
    pub api: Api,
    /// What another screen asked the lab to open (taken once, at mount).
    pub open: Rc<Option<Open>>,
}

impl PartialEq for LabPanelProps {
    fn eq(&self, o: &Self) -> bool {
        same(&self.definition, &o.definition)
            && same(&self.lab, &o.lab)
            && self.record == o.record
            && self.now / 100 == o.now / 100
            && self.lang == o.lang
    }
}

/// What the status line says.
#[derive(Clone, Debug, PartialEq)]
enum Say {
    Idle,
    Busy(Status),
    Done {
        t: u64,
        fingerprint: String,
        end: End,
    },
    Syntax {
        program: usize,
        message: String,
        line: u32,
        col: u32,
    },
    Failed(String),
    /// "Run again" compared fingerprints: (new, recorded).
    Compared(String, String),
    Opened,
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}.{:03}", s / 3600, s / 60 % 60, s % 60, ms % 1000)
    } else {
        format!("{:02}:{:02}.{:03}", s / 60, s % 60, ms % 1000)
    }
}

fn horizon_label(ms: u64, lang: Lang) -> String {
    let m = ms / 60_000;
    match (m >= 60, lang) {
        (true, Lang::Zh) => format!("{} 小时", m / 60),
        (true, Lang::En) => format!("{} h", m / 60),
        (false, Lang::Zh) => format!("{m} 分钟"),
        (false, Lang::En) => format!("{m} min"),
    }
}

fn template_key(tpl: Template) -> K {
    match tpl {
        Template::Consumer => K::TplConsumer,
        Template::Producer => K::TplProducer,
        Template::Delay => K::TplDelay,
        Template::Transaction => K::TplTransaction,
        Template::Orderly => K::TplOrderly,
        Template::Empty => K::TplEmpty,
    }
}

/// The code lab column.
#[function_component]
pub fn LabPanel(props: &LabPanelProps) -> Html {
    let lang = props.lang;
    let first = {
        let (lab, open) = (props.lab.clone(), props.open.clone());
        move || {
            if let Some(Open { programs, cluster }) = (*open).clone().filter(|o| !o.programs.is_empty()) {
                return (programs, cluster, None);
            }
            if let Some(lab) = lab {
                return (lab.programs.clone(), None, Some(lab.horizon));
            }
            match model::load_saved() {
                Some(s) => (s.programs, None, Some(s.horizon)),
                None => (model::tutorial_programs(), None, None),
            }
        }
    };
    let init = use_memo((), move |_| first());
    let programs = use_state(|| init.0.clone());
    let horizon = use_state(|| init.2.unwrap_or(HORIZONS[0]));
    let active = use_state(|| 0usize);
    let say = use_state(|| if props.lab.is_some() { Say::Opened } else { Say::Idle });
    let renaming = use_state(|| None::<String>);
    let runner = use_mut_ref(|| None::<Runner>);
    let textarea = use_node_ref();
    let editor = use_node_ref();

    // On showing: load the lab's cluster, unless a lab run is already loaded.
    {
        let (api, has_lab, cluster) = (props.api.clone(), props.lab.is_some(), init.1.clone());
        let definition = props.definition.clone();
        use_effect_with((), move |_| {
            if !has_lab {
                let sc = cluster
                    .map(|c| model::cluster_of(&c))
                    .or_else(|| definition.filter(|d| d.name == "code-lab").map(|d| model::cluster_of(&d)))
                    .unwrap_or_else(model::default_cluster);
                if let Ok(json) = rmqsim::share::scenario_json(&sc) {
                    api.load_cluster(&json);
                }
            }
        });
    }
    // Leaving the lab ends a run in progress.
    {
        let runner = runner.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(r) = runner.borrow_mut().take() {
                    r.abandon();
                }
            }
        });
    }
    // The editor's text is kept between visits.
    {
        let saved = Saved { programs: (*programs).clone(), horizon: *horizon };
        use_effect_with(saved, model::save);
    }

    // A syntax error's line is scrolled into view.
    {
        let editor = editor.clone();
        let target = match &*say {
            Say::Syntax { line, .. } => Some(*line),
            _ => None,
        };
        use_effect_with(target, move |line| {
            if let (Some(line), Some(el)) = (line, editor.cast::<web_sys::Element>()) {
                el.set_scroll_top(((*line as i32) - 4).max(0) * 21);
            }
        });
    }
    let running = matches!(*say, Say::Busy(_));
    let supported = host::support();
    let n = programs.len();
    let cur = (*active).min(n.saturating_sub(1));
    let code_matches = props.lab.as_ref().is_some_and(|l| l.programs == *programs);

    let run = {
        let (programs, horizon, say, runner) = (programs.clone(), horizon.clone(), say.clone(), runner.clone());
        let (definition, api, lab) = (props.definition.clone(), props.api.clone(), props.lab.clone());
        let active = active.clone();
        Callback::from(move |_: ()| {
            if matches!(*say, Say::Busy(_)) || host::support().is_err() {
                return;
            }
            let base = definition.as_deref().map(model::cluster_of).unwrap_or_else(model::default_cluster);
            let progs = (*programs).clone();
            // "Run again" of unchanged code compares fingerprints.
            let expect =
                lab.as_ref().filter(|l| l.programs == progs && l.horizon == *horizon).map(|l| l.fingerprint.clone());
            let set_status = say.setter();
            let on_status: Rc<dyn Fn(Status)> = Rc::new(move |s| set_status.set(Say::Busy(s)));
            let set_done = say.setter();
            let (api, active) = (api.clone(), active.clone());
            let on_done: Rc<dyn Fn(Outcome)> = Rc::new(move |o| match o {
                Outcome::Recorded { mut doc, end } => {
                    let lab = doc.lab.as_ref();
                    let t = lab.and_then(|l| l["end_t"].as_u64()).unwrap_or(0);
                    let fingerprint = lab.and_then(|l| l["fingerprint"].as_str()).unwrap_or("").to_string();
                    doc.position = None;
                    api.load(&doc.to_json());
                    set_done.set(match &expect {
                        Some(old) if end == End::Horizon => Say::Compared(fingerprint, old.clone()),
                        _ => Say::Done { t, fingerprint, end },
                    });
                }
                Outcome::Syntax { program, message, line, col } => {
                    active.set(program);
                    set_done.set(Say::Syntax { program, message, line, col });
                }
                Outcome::Failed(m) => set_done.set(Say::Failed(m)),
            });
            let zh = lang == Lang::Zh;
            let (runner, say) = (runner.clone(), say.clone());
            say.set(Say::Busy(Status::Loading));
            let horizon = *horizon;
            wasm_bindgen_futures::spawn_local(async move {
                match Runner::start(base, progs, horizon, zh, on_status, on_done).await {
                    Ok(r) => *runner.borrow_mut() = Some(r),
                    Err(e) => say.set(Say::Failed(e)),
                }
            });
        })
    };
    let stop = {
        let runner = runner.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = runner.borrow().as_ref() {
                r.stop();
            }
        })
    };

    let on_input = {
        let programs = programs.clone();
        Callback::from(move |e: InputEvent| {
            let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            let mut next = (*programs).clone();
            if let Some(p) = next.get_mut(cur) {
                p.code = t.value();
            }
            programs.set(next);
        })
    };
    let on_key = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run.emit(());
            } else if e.key() == "Enter" && !e.shift_key() && !e.alt_key() {
                // Keep the line's indentation (and indent after a colon).
                let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
                let value = t.value();
                let at = t.selection_start().ok().flatten().unwrap_or(0) as usize;
                let chars: Vec<char> = value.chars().collect();
                let upto: String = chars[..at.min(chars.len())].iter().collect();
                let line = upto.rsplit('\n').next().unwrap_or("");
                let mut indent: String = line.chars().take_while(|c| *c == ' ').collect();
                if line.trim_end().ends_with(':') {
                    indent.push_str("    ");
                }
                e.prevent_default();
                let _ = t.set_range_text_with_start_and_end_and_mode(
                    &format!("\n{indent}"),
                    at as u32,
                    t.selection_end().ok().flatten().unwrap_or(at as u32),
                    "end",
                );
                let _ = t.dispatch_event(&web_sys::Event::new("input").unwrap_or_else(|_| e.clone().into()));
            }
        })
    };

    // The line the current event comes from (when the editor holds the run's code).
    let caused = props
        .lab
        .as_ref()
        .filter(|_| code_matches)
        .zip(props.record)
        .and_then(|(lab, r)| lab.mark_at(r))
        .filter(|m| m.line > 0);
    let error = match &*say {
        Say::Syntax { program, line, col, .. } if *program == cur => Some((*line, *col)),
        _ => None,
    };
    let code = programs.get(cur).map(|p| p.code.clone()).unwrap_or_default();
    let lines = code.lines().count().max(1) + usize::from(code.ends_with('\n'));
    let current_line = caused.filter(|m| usize::from(m.p) == cur).map(|m| m.line);
    let gutter = (1..=lines).map(|i| {
        let i32_ = i as u32;
        let class = classes!(
            "lab-ln",
            (current_line == Some(i32_)).then_some("is-current"),
            error.is_some_and(|(l, _)| l == i32_).then_some("is-error")
        );
        html! { <span {class}>{ i }</span> }
    });
    // The line bands sit in a layer behind the text, one row per line, so
    // they scroll with it (no inline styles: the page's CSP forbids them).
    let bands = (1..=lines).map(|i| {
        let i = i as u32;
        let class = classes!(
            "lab-row",
            (current_line == Some(i)).then_some("is-current"),
            error.is_some_and(|(l, _)| l == i).then_some("is-error")
        );
        html! { <span {class} /> }
    });

    let tabs = programs.iter().enumerate().map(|(i, p)| {
        let active = active.clone();
        let marked = caused.is_some_and(|m| usize::from(m.p) == i);
        let selected = i == cur;
        html! {
            <button type="button" role="tab" class={classes!("lab-tab", selected.then_some("is-active"), marked.then_some("is-marked"))}
                aria-selected={if selected { "true" } else { "false" }} id={format!("lab-tab-{i}")} aria-controls="lab-editor"
                onclick={Callback::from(move |_: MouseEvent| active.set(i))}>
                { p.name.clone() }
                if marked { <span class="lab-dot" aria-hidden="true">{ "●" }</span> }
            </button>
        }
    });
    let add = {
        let (programs, active) = (programs.clone(), active.clone());
        Callback::from(move |e: Event| {
            let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() else { return };
            let pick = sel.value();
            sel.set_value("");
            let Some(tpl) = Template::ALL.into_iter().find(|tpl| tpl.stem() == pick) else { return };
            if !model::can_add(&programs) {
                return;
            }
            let mut next = (*programs).clone();
            next.push(LabProgram { name: model::fresh_name(tpl.stem(), &next), code: tpl.code().into() });
            active.set(next.len() - 1);
            programs.set(next);
        })
    };
    let remove = {
        let (programs, active) = (programs.clone(), active.clone());
        Callback::from(move |_: MouseEvent| {
            if programs.len() <= 1 {
                return;
            }
            let mut next = (*programs).clone();
            next.remove(cur);
            active.set(cur.saturating_sub(1));
            programs.set(next);
        })
    };
    let rename_start = {
        let (renaming, programs) = (renaming.clone(), programs.clone());
        Callback::from(move |_: MouseEvent| renaming.set(programs.get(cur).map(|p| p.name.clone())))
    };
    let rename_problem = renaming.as_ref().and_then(|name| {
        let name = if name.ends_with(".py") { name.clone() } else { format!("{name}.py") };
        if programs.iter().enumerate().any(|(i, p)| i != cur && p.name == name) {
            return Some(match lang {
                Lang::Zh => "已有同名程序".to_string(),
                Lang::En => "another program has this name".to_string(),
            });
        }
        rmqsim::labdoc::name_problem(&name).map(|m| m.to_string())
    });
    let rename_done = {
        let (renaming, programs) = (renaming.clone(), programs.clone());
        let ok = rename_problem.is_none();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(name) = (*renaming).clone() else { return };
            if ok {
                let name = if name.ends_with(".py") { name } else { format!("{name}.py") };
                let mut next = (*programs).clone();
                if let Some(p) = next.get_mut(cur) {
                    p.name = name;
                }
                programs.set(next);
            }
            renaming.set(None);
        })
    };
    let reset = {
        let (programs, active, say) = (programs.clone(), active.clone(), say.clone());
        Callback::from(move |_: MouseEvent| {
            programs.set(model::tutorial_programs());
            active.set(0);
            say.set(Say::Idle);
        })
    };
    let horizon_pick = {
        let horizon = horizon.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(ms) = sel.value().parse::<u64>() {
                    horizon.set(ms);
                }
            }
        })
    };

    let status = match &*say {
        Say::Idle => Html::default(),
        Say::Opened => html! { <p class="lab-status">{ t(lang, K::Opened) }</p> },
        Say::Busy(Status::Loading) => html! { <p class="lab-status" role="status">{ t(lang, K::Loading) }</p> },
        Say::Busy(Status::Running { now, horizon, restarts }) => html! {
            <div class="lab-status" role="status">
                <progress max={horizon.to_string()} value={now.to_string()} />
                { f(lang, K::Running, &[&clock(*now), &clock(*horizon)]) }
                if *restarts > 0 { { " " }{ f(lang, K::Restarts, &[&restarts.to_string()]) } }
            </div>
        },
        Say::Done { t, fingerprint, end } => {
            let line = match end {
                End::Stopped => f(lang, K::Stopped, &[&clock(*t)]),
                End::Engine(why) => f(lang, K::EngineEnd, &[why]),
                _ => f(lang, K::Done, &[&clock(*t), fingerprint]),
            };
            html! { <p class="lab-status is-done" role="status">{ line }</p> }
        }
        Say::Compared(new, old) => {
            let (class, line) = if new == old {
                ("is-done", f(lang, K::Same, &[new]))
            } else {
                ("is-error", f(lang, K::Differs, &[new, old]))
            };
            html! { <p class={classes!("lab-status", class)} role="status">{ line }</p> }
        }
        Say::Syntax { program, message, line, col } => {
            let file = programs.get(*program).map(|p| p.name.clone()).unwrap_or_default();
            html! { <p class="lab-status is-error" role="alert">{ f(lang, K::Syntax, &[&file, &line.to_string(), &col.to_string(), message]) }</p> }
        }
        Say::Failed(m) => html! { <p class="lab-status is-error" role="alert">{ f(lang, K::Failed, &[m]) }</p> },
    };
    let isolation = match supported {
        Ok(()) => Html::default(),
        Err(_) => {
            let can = web_sys::window().is_some_and(|w| {
                js_sys::Reflect::has(&w.navigator(), &"serviceWorker".into()).unwrap_or(false)
                    && w.location().protocol().is_ok_and(|p| p != "file:")
            });
            // Reload into the lab (the code is kept in the browser).
            let reload = Callback::from(|_: MouseEvent| {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_search("mode=lab");
                }
            });
            html! {
                <div class="lab-isolation" role="note">
                    <p>{ t(lang, K::NeedsIsolation) }</p>
                    if can {
                        <button type="button" class="button button-primary" onclick={reload}>{ t(lang, K::Enable) }</button>
                    } else {
                        <p class="is-error">{ t(lang, K::NoWorker) }</p>
                    }
                </div>
            }
        }
    };
    let namesrvs = props.definition.as_ref().map_or(1, |d| d.cluster.nameservers as usize);
    let addrs = (0..namesrvs).map(namesrv_addr).collect::<Vec<_>>().join("; ");
    let console = console_view(props.lab.as_deref().filter(|_| code_matches || !running), props.now, lang);
    let name = programs.get(cur).map(|p| p.name.clone()).unwrap_or_default();

    html! {
        <div class="lab-panel panel">
            <h2 id="lab-heading" class="lab-title">{ t(lang, K::Heading) }</h2>
            <p class="lab-intro">{ t(lang, K::Intro) }</p>
            <p class="lab-namesrv">{ f(lang, K::Namesrv, &[&addrs]) }</p>
            { isolation }
            <div class="lab-toolbar">
                if running {
                    <button type="button" class="button" onclick={stop}>{ t(lang, K::Stop) }</button>
                } else {
                    <button type="button" class="button button-primary lab-run" title={t(lang, K::RunHint)}
                        disabled={supported.is_err()} aria-keyshortcuts="Control+Enter"
                        onclick={run.reform(|_: MouseEvent| ())}>
                        { t(lang, if props.lab.is_some() && code_matches { K::RunAgain } else { K::Run }) }
                    </button>
                }
                <label class="lab-field">{ t(lang, K::Horizon) }
                    <select onchange={horizon_pick} disabled={running}>
                        { for HORIZONS.iter().map(|ms| html! {
                            <option value={ms.to_string()} selected={*ms == *horizon}>{ horizon_label(*ms, lang) }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="button" disabled={running} onclick={{ let api = props.api.clone(); Callback::from(move |_: MouseEvent| api.open_builder()) }}>{ t(lang, K::Cluster) }</button>
            </div>
            { status }
            if props.lab.is_some() && !code_matches && !running {
                <p class="lab-status">{ t(lang, K::Edited) }</p>
            }
            <div class="lab-tabs">
                // Only tabs may sit in a tablist: the "add" menu is its neighbour.
                <div class="lab-tablist" role="tablist" aria-label={t(lang, K::Programs)}>{ for tabs }</div>
                <label class="lab-add">
                    <span class="visually-hidden">{ t(lang, K::Add) }</span>
                    <select onchange={add} disabled={!model::can_add(&programs) || running} aria-label={t(lang, K::Add)}>
                        <option value="" selected=true>{ format!("+ {}", t(lang, K::Add)) }</option>
                        { for Template::ALL.into_iter().map(|tpl| html! { <option value={tpl.stem()}>{ t(lang, template_key(tpl)) }</option> }) }
                    </select>
                </label>
                if !model::can_add(&programs) {
                    <span class="lab-empty">{ t(lang, K::AddLimit) }</span>
                }
            </div>
            <div class="lab-file-tools">
                if let Some(value) = (*renaming).clone() {
                    <form class="lab-rename" onsubmit={rename_done}>
                        <label>{ t(lang, K::NewName) }
                            <input type="text" value={value} aria-invalid={if rename_problem.is_some() { "true" } else { "false" }}
                                oninput={{ let renaming = renaming.clone(); Callback::from(move |e: InputEvent| {
                                    if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { renaming.set(Some(i.value())); }
                                }) }} />
                        </label>
                        <button type="submit" class="button" disabled={rename_problem.is_some()}>{ "OK" }</button>
                        if let Some(p) = &rename_problem { <span class="is-error">{ p.clone() }</span> }
                    </form>
                } else {
                    <button type="button" class="button button-small" onclick={rename_start} disabled={running}>{ t(lang, K::Rename) }</button>
                    <button type="button" class="button button-small" onclick={remove} disabled={running || n <= 1}>{ f(lang, K::Remove, &[&name]) }</button>
                    <button type="button" class="button button-small" onclick={reset} disabled={running}>{ t(lang, K::Reset) }</button>
                }
            </div>
            <div ref={editor} class="lab-editor" id="lab-editor" role="tabpanel" aria-labelledby={format!("lab-tab-{cur}")}>
                <div class="lab-gutter" aria-hidden="true">{ for gutter }</div>
                <div class="lab-rows" aria-hidden="true">{ for bands }</div>
                <textarea ref={textarea} class="lab-code" spellcheck="false" autocapitalize="off" autocomplete="off"
                    wrap="off" rows={lines.to_string()}
                    aria-label={f(lang, K::Editor, &[&name])} value={code} readonly={running}
                    oninput={on_input} onkeydown={on_key} />
            </div>
            if let Some(m) = caused {
                <p class="lab-caused">{ f(lang, K::Caused, &[&programs.get(usize::from(m.p)).map(|p| p.name.clone()).unwrap_or_default(), &m.line.to_string()]) }</p>
            }
            { console }
        </div>
    }
}

fn console_view(lab: Option<&LabRecord>, now: u64, lang: Lang) -> Html {
    let Some(lab) = lab.filter(|l| !l.console.is_empty()) else {
        return html! {
            <section class="lab-console" aria-label={t(lang, K::Console)}>
                <h3>{ t(lang, K::Console) }</h3>
                <p class="lab-empty">{ t(lang, K::ConsoleEmpty) }</p>
            </section>
        };
    };
    let note = t(lang, K::Note);
    let lines = lab.console.iter().map(|c| {
        let who = c.p.and_then(|p| lab.programs.get(usize::from(p))).map_or(note, |p| p.name.as_str());
        let class = classes!("lab-line", c.err.then_some("is-err"), (c.t > now).then_some("is-ahead"));
        html! { <li {class}><time>{ clock(c.t) }</time><b>{ who }</b><span>{ c.text.clone() }</span></li> }
    });
    html! {
        <section class="lab-console" aria-label={t(lang, K::Console)}>
            <h3>{ t(lang, K::Console) }</h3>
            <ol class="lab-lines" tabindex="0">{ for lines }</ol>
            if lab.dropped > 0 {
                <p class="lab-empty">{ f(lang, K::ConsoleDropped, &[&lab.dropped.to_string()]) }</p>
            }
        </section>
    }
}
