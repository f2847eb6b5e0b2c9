//! The challenges (挑战) column: the list of challenges with what is solved,
//! and one challenge at a time: its goal, the tools it allows, the live
//! checklist, graduated hints, the reference solution behind a confirmation,
//! and "Check my run", which turns the learner's run (cluster edits and
//! interventions) into a solution and has the engine judge it, under hidden
//! seeds too where luck could pass. Progress is kept in the browser. A
//! teacher's challenge file can be imported and shared as a link.

use std::rc::Rc;

use rmqsim::challenge::{self, Challenge, Tool};
use rmqsim::share::SessionDoc;
use rmqsim::Record;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::driver::{Command, ScenarioLoad};
use crate::i18n::views::{tf, tv, ViewKey};
use crate::i18n::{use_lang, Lang};
use crate::sharing::{copy_to_clipboard, read_file, ImportRead};
use crate::views::ChallengeChecklist;

/// Where the solved challenges are remembered.
const PROGRESS_KEY: &str = "rmqsim.challenges.v1";

/// What the column needs from the shell.
#[derive(Properties, Clone)]
pub struct ChallengeGuideProps {
    /// The trace window of the running challenge.
    pub records: Rc<Vec<Record>>,
    /// The sequence number of the window's first record (0: the window holds the whole run).
    pub first_record: u64,
    /// Sends a command to the driver (loading a challenge's starting cluster).
    pub on_command: Callback<Command>,
    /// The running session (scenario and interventions), read when the learner submits.
    pub document: Callback<(), Option<SessionDoc>>,
    /// Opens a message's passport.
    pub on_select_msg: Callback<u64>,
    /// Says which tools the open challenge allows (None when none is open).
    pub on_tools: Callback<Option<Vec<Tool>>>,
    /// Opens the cluster builder (for challenges that allow it).
    pub on_build: Callback<()>,
}

impl PartialEq for ChallengeGuideProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.records, &other.records)
            && self.records.len() == other.records.len()
            && self.first_record == other.first_record
            && self.on_command == other.on_command
            && self.on_select_msg == other.on_select_msg
    }
}

/// One remembered result.
#[derive(Clone, Debug, PartialEq)]
struct Solved {
    name: String,
    with_hints: bool,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The solved challenges: `name` or `name+hints` per line.
fn load_progress() -> Vec<Solved> {
    let text = storage().and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten()).unwrap_or_default();
    text.lines()
        .filter(|l| !l.is_empty() && l.len() < 100)
        .map(|l| match l.strip_suffix("+hints") {
            Some(name) => Solved { name: name.to_string(), with_hints: true },
            None => Solved { name: l.to_string(), with_hints: false },
        })
        .collect()
}

fn save_progress(list: &[Solved]) {
    let text: Vec<String> =
        list.iter().map(|s| if s.with_hints { format!("{}+hints", s.name) } else { s.name.clone() }).collect();
    if let Some(s) = storage() {
        let _ = s.set_item(PROGRESS_KEY, &text.join("\n"));
    }
}

/// What "Check my run" found.
#[derive(Clone, Debug, PartialEq)]
enum Submitted {
    Solved { hidden: usize },
    Failed { checks: Vec<String>, hidden: Vec<usize> },
    Unfit(String),
}

/// The reference solution's visibility.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reveal {
    Hidden,
    Confirming,
    Shown,
}

fn text(lang: Lang, t: &challenge::Bilingual) -> String {
    match lang {
        Lang::Zh => t.zh.clone(),
        Lang::En => t.en.clone(),
    }
}

fn tool_name(lang: Lang, tool: Tool) -> &'static str {
    tv(
        lang,
        match tool {
            Tool::SendForm => ViewKey::ToolSendForm,
            Tool::FaultPalette => ViewKey::ToolFaultPalette,
            Tool::ClusterBuilder => ViewKey::ToolClusterBuilder,
            Tool::CodeLab => ViewKey::ToolCodeLab,
        },
    )
}

/// The tutorial chapter a challenge belongs to, by its title in `lang`.
fn chapter_title(lang: Lang, id: &str) -> String {
    let chapters = crate::tutorial::chapters::CHAPTERS;
    match chapters.iter().position(|c| c.id == id) {
        Some(i) => format!("{}. {}", i + 1, chapters[i].title.get(lang)),
        None => id.to_string(),
    }
}

/// A challenge named by the page address: `?challenge=NAME` (built in) or
/// `#challenge=TOKEN` (a shared file, whose document comes along to share again).
fn from_address(builtins: &[Rc<Challenge>]) -> Option<Result<(Challenge, Option<String>), String>> {
    let location = web_sys::window()?.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    if let Some(token) = hash.trim_start_matches('#').split('&').find_map(|p| p.strip_prefix("challenge=")) {
        let read = Challenge::link_text(token).and_then(|t| Challenge::from_json(&t).map(|c| (c, Some(t))));
        return Some(read.map_err(|e| e.to_string()));
    }
    let name = search.trim_start_matches('?').split('&').find_map(|p| p.strip_prefix("challenge="))?;
    Some(
        builtins
            .iter()
            .find(|c| c.name == name)
            .map(|c| ((**c).clone(), None))
            .ok_or_else(|| format!("challenge: no built-in challenge is named \"{name}\"")),
    )
}

thread_local! {
    /// The built-in challenges once fetched (they are not in the first download).
    static BUILTINS: std::cell::RefCell<Option<Rc<Vec<Rc<Challenge>>>>> = const { std::cell::RefCell::new(None) };
}

/// Fetches `challenges.json` (next to the page; written at build time from
/// `crates/rmqsim/challenges/`) and reads the built-in challenges from it, in
/// list order.
async fn fetch_builtins() -> Result<Vec<Rc<Challenge>>, String> {
    use wasm_bindgen_futures::JsFuture;
    let why = |e: wasm_bindgen::JsValue| format!("challenges.json: {e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let base = window.document().and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default();
    let url =
        web_sys::Url::new_with_base("challenges.json", &base).map(|u| u.href()).unwrap_or("challenges.json".into());
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&url)).await.map_err(why)?.dyn_into().map_err(why)?;
    if !response.ok() {
        return Err(format!("challenges.json: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(why)?).await.map_err(why)?.as_string().unwrap_or_default();
    let docs: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("challenges.json: {e}"))?;
    challenge::BUILT_IN_NAMES
        .iter()
        .map(|name| {
            let doc = docs.get(*name).ok_or_else(|| format!("challenges.json has no {name}"))?;
            Challenge::from_json(&doc.to_string()).map(Rc::new).map_err(|e| format!("{name}: {e}"))
        })
        .collect()
}

/// The challenges column.
#[function_component]
pub fn ChallengeGuide(props: &ChallengeGuideProps) -> Html {
    let lang = use_lang().lang;
    let builtins = use_state(|| BUILTINS.with(|b| b.borrow().clone()));
    let imported = use_state(Vec::<(Rc<Challenge>, String)>::new);
    let current = use_state(|| None::<(Rc<Challenge>, Option<String>)>);
    let hints = use_state(|| 0usize);
    let reveal = use_state(|| Reveal::Hidden);
    let submitted = use_state(|| None::<Submitted>);
    let progress = use_state(load_progress);
    let notice = use_state(|| None::<String>);

    let open = {
        let (current, hints, reveal, submitted, on_command, on_tools) = (
            current.clone(),
            hints.clone(),
            reveal.clone(),
            submitted.clone(),
            props.on_command.clone(),
            props.on_tools.clone(),
        );
        Callback::from(move |(c, doc): (Rc<Challenge>, Option<String>)| {
            on_tools.emit(Some(c.tools.clone()));
            if let Ok(scenario) = c.start() {
                let title = text(lang, &c.title);
                on_command.emit(Command::LoadScenario(Box::new(ScenarioLoad {
                    name: c.name.clone(),
                    summary: title,
                    scenario,
                })));
            }
            hints.set(0);
            reveal.set(Reveal::Hidden);
            submitted.set(None);
            current.set(Some((c, doc)));
        })
    };
    // The built-in challenges arrive once, the first time the column shows.
    {
        let (builtins, notice) = (builtins.clone(), notice.clone());
        use_effect_with((), move |_| {
            if builtins.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    match fetch_builtins().await {
                        Ok(list) => {
                            let list = Rc::new(list);
                            BUILTINS.with(|b| *b.borrow_mut() = Some(list.clone()));
                            builtins.set(Some(list));
                        }
                        Err(e) => notice.set(Some(e)),
                    }
                });
            }
        });
    }
    // A challenge named by the link opens once they are here; a broken link says why.
    {
        let (open, notice, list) = (open.clone(), notice.clone(), (*builtins).clone());
        use_effect_with(list.is_some(), move |loaded| {
            if *loaded {
                match from_address(list.as_deref().map_or(&[], |l| l.as_slice())) {
                    Some(Ok((c, doc))) => open.emit((Rc::new(c), doc)),
                    Some(Err(e)) => notice.set(Some(e)),
                    None => {}
                }
            }
        });
    }
    let loaded = (*builtins).clone().unwrap_or_default();

    let Some((c, doc)) = (*current).clone() else {
        return list_view(lang, props, &loaded, &imported, &progress, &notice, &open);
    };
    let back = {
        let (current, on_tools) = (current.clone(), props.on_tools.clone());
        Callback::from(move |_: MouseEvent| {
            on_tools.emit(None);
            current.set(None)
        })
    };
    let build = props.on_build.reform(|_: MouseEvent| ());
    let restart = {
        let (open, c, doc) = (open.clone(), c.clone(), doc.clone());
        Callback::from(move |_: MouseEvent| open.emit((c.clone(), doc.clone())))
    };
    let submit = {
        let (c, submitted, progress, hints, document) =
            (c.clone(), submitted.clone(), progress.clone(), hints.clone(), props.document.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(run) = document.emit(()) else { return };
            let actions: Vec<_> = run.interventions.iter().map(|i| i.action.clone()).collect();
            let solution = c.solution_from_run(&run.scenario, &actions);
            let verdict = match c.judge(&solution) {
                Ok(v) => v,
                Err(e) => return submitted.set(Some(Submitted::Unfit(e.to_string()))),
            };
            if verdict.passed() {
                let mut list = (*progress).clone();
                let with_hints = *hints > 0;
                match list.iter_mut().find(|s| s.name == c.name) {
                    // A solve without hints improves on one with them, never the reverse.
                    Some(s) => s.with_hints &= with_hints,
                    None => list.push(Solved { name: c.name.clone(), with_hints }),
                }
                save_progress(&list);
                progress.set(list);
                submitted.set(Some(Submitted::Solved { hidden: verdict.hidden.len() }));
            } else {
                let checks = verdict.checks.iter().filter(|o| !o.pass).map(|o| o.id.clone()).collect();
                let hidden =
                    verdict.hidden.iter().enumerate().filter(|(_, f)| !f.is_empty()).map(|(i, _)| i + 1).collect();
                submitted.set(Some(Submitted::Failed { checks, hidden }));
            }
        })
    };
    let more_hint = {
        let hints = hints.clone();
        Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
    };
    let set_reveal = |to: Reveal| {
        let reveal = reveal.clone();
        Callback::from(move |_: MouseEvent| reveal.set(to))
    };
    let share = {
        let (c, doc, notice) = (c.clone(), doc.clone(), notice.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(location) = web_sys::window().map(|w| w.location()) else { return };
            let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
            let link = match &doc {
                Some(text) => format!("{base}?mode=challenges#challenge={}", Challenge::link_token(text)),
                None => format!("{base}?mode=challenges&challenge={}", c.name),
            };
            let notice = notice.clone();
            copy_to_clipboard(&link, move |ok| notice.set(ok.then(|| "copied".to_string())));
        })
    };
    let solved = progress.iter().find(|s| s.name == c.name).cloned();
    let tools: Vec<Html> = c.tools.iter().map(|t| html! { <li class="ch-tool">{ tool_name(lang, *t) }</li> }).collect();
    let shown_hints: Vec<Html> = c
        .hints
        .iter()
        .take(*hints)
        .enumerate()
        .map(|(i, h)| html! { <li class="ch-hint"><strong>{ tf(lang, ViewKey::ChallengeHintN, &[&(i + 1).to_string()]) }</strong>{ " " }{ text(lang, h) }</li> })
        .collect();
    let hints_left = c.hints.len().saturating_sub(*hints);
    let result = (*submitted).clone().map(|s| match s {
        Submitted::Solved { hidden } => html! {
            <p class="ch-result is-solved" role="status">{
                if hidden > 0 { tf(lang, ViewKey::ChallengeSolvedHidden, &[&hidden.to_string()]) } else { tv(lang, ViewKey::ChallengeSolved).to_string() }
            }</p>
        },
        Submitted::Failed { checks, hidden } => {
            let mut parts = Vec::new();
            if !checks.is_empty() {
                parts.push(tf(lang, ViewKey::ChallengeFailedChecks, &[&checks.join(", ")]));
            }
            if !hidden.is_empty() {
                let runs: Vec<String> = hidden.iter().map(|i| i.to_string()).collect();
                parts.push(tf(lang, ViewKey::ChallengeFailedHidden, &[&runs.join(", ")]));
            }
            html! { <p class="ch-result is-failed" role="alert">{ parts.join(" ") }</p> }
        }
        Submitted::Unfit(why) => html! { <p class="ch-result is-failed" role="alert">{ tf(lang, ViewKey::ChallengeUnfit, &[&why]) }</p> },
    });
    let window_note =
        (props.first_record > 0).then(|| html! { <p class="muted">{ tv(lang, ViewKey::ChallengeWindowNote) }</p> });
    let solution_lines: Vec<Html> = c
        .solution
        .patches
        .iter()
        .map(|p| format!("{} = {}", p.path, p.value))
        .chain(c.solution.actions.iter().map(|a| a.to_string()))
        .map(|line| html! { <li><code>{ line }</code></li> })
        .collect();
    html! {
        <aside class="guide challenge-guide" aria-label={tv(lang, ViewKey::ChallengesTitle)}>
            <div class="panel">
                <button type="button" class="ch-back" onclick={back}>{ tv(lang, ViewKey::ChallengeBack) }</button>
                <h2 class="ch-name">{ text(lang, &c.title) }</h2>
                if let Some(s) = &solved {
                    <p class="ch-solved-badge">{ if s.with_hints { tv(lang, ViewKey::ChallengeSolvedWithHintsBadge) } else { tv(lang, ViewKey::ChallengeSolvedBadge) } }</p>
                }
                <p class="ch-goal">{ text(lang, &c.goal) }</p>
                <p class="ch-tools-label">{ tv(lang, ViewKey::ChallengeTools) }</p>
                <ul class="ch-tools">{ for tools }</ul>
                <div class="ch-actions">
                    <button type="button" class="button" onclick={restart}>{ tv(lang, ViewKey::ChallengeRestart) }</button>
                    if c.tools.contains(&Tool::ClusterBuilder) {
                        <button type="button" class="button" onclick={build}>{ tv(lang, ViewKey::ChallengeBuild) }</button>
                    }
                    <button type="button" class="button button-primary ch-submit" onclick={submit}>{ tv(lang, ViewKey::ChallengeSubmit) }</button>
                </div>
                { for result }
                <ChallengeChecklist challenge={c.clone()} records={props.records.clone()} on_select_msg={props.on_select_msg.clone()} />
                { for window_note }
                <section class="ch-help" aria-label={tv(lang, ViewKey::ChallengeHelpTitle)}>
                    <h3>{ tv(lang, ViewKey::ChallengeHelpTitle) }</h3>
                    <ol class="ch-hints">{ for shown_hints }</ol>
                    if hints_left > 0 {
                        <button type="button" class="button" onclick={more_hint}>{ tf(lang, ViewKey::ChallengeShowHint, &[&hints_left.to_string()]) }</button>
                    }
                    {
                        match *reveal {
                            Reveal::Hidden => html! {
                                <button type="button" class="button ch-reveal" onclick={set_reveal(Reveal::Confirming)}>{ tv(lang, ViewKey::ChallengeShowSolution) }</button>
                            },
                            Reveal::Confirming => html! {
                                <div class="ch-confirm" role="alertdialog" aria-label={tv(lang, ViewKey::ChallengeShowSolution)}>
                                    <p>{ tv(lang, ViewKey::ChallengeConfirmSolution) }</p>
                                    <button type="button" class="button button-primary" onclick={set_reveal(Reveal::Shown)}>{ tv(lang, ViewKey::ChallengeConfirmYes) }</button>
                                    <button type="button" class="button" onclick={set_reveal(Reveal::Hidden)}>{ tv(lang, ViewKey::ChallengeConfirmNo) }</button>
                                </div>
                            },
                            Reveal::Shown => html! {
                                <div class="ch-solution">
                                    <h4>{ tv(lang, ViewKey::ChallengeSolutionTitle) }</h4>
                                    <ul>{ for solution_lines }</ul>
                                </div>
                            },
                        }
                    }
                </section>
                <button type="button" class="button ch-share" onclick={share}>{ tv(lang, ViewKey::ChallengeShareLink) }</button>
                if notice.as_deref() == Some("copied") {
                    <p class="muted" role="status">{ tv(lang, ViewKey::ChallengeLinkCopied) }</p>
                }
            </div>
        </aside>
    }
}

/// The list of challenges by chapter, with what is solved, and the import button.
fn list_view(
    lang: Lang,
    _props: &ChallengeGuideProps,
    builtins: &[Rc<Challenge>],
    imported: &UseStateHandle<Vec<(Rc<Challenge>, String)>>,
    progress: &[Solved],
    notice: &UseStateHandle<Option<String>>,
    open: &Callback<(Rc<Challenge>, Option<String>)>,
) -> Html {
    let item = |c: &Rc<Challenge>, doc: Option<String>| {
        let solved = progress.iter().find(|s| s.name == c.name);
        let badge = solved.map(|s| {
            let label =
                if s.with_hints { ViewKey::ChallengeSolvedWithHintsBadge } else { ViewKey::ChallengeSolvedBadge };
            html! { <span class="ch-solved-badge">{ tv(lang, label) }</span> }
        });
        let (open, c2) = (open.clone(), c.clone());
        html! {
            <li class={classes!("ch-item", solved.is_some().then_some("is-solved"))} data-challenge={c.name.clone()}>
                <button type="button" class="ch-pick" onclick={move |_: MouseEvent| open.emit((c2.clone(), doc.clone()))}>
                    <span class="ch-item-title">{ text(lang, &c.title) }</span>
                    <span class="ch-item-chapter muted">{ chapter_title(lang, &c.chapter) }</span>
                </button>
                { for badge }
            </li>
        }
    };
    let items: Vec<Html> = builtins.iter().map(|c| item(c, None)).collect();
    let extra: Vec<Html> = imported.iter().map(|(c, doc)| item(c, Some(doc.clone()))).collect();
    let on_file = {
        let (imported, notice, open) = (imported.clone(), notice.clone(), open.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let (imported, notice, open) = (imported.clone(), notice.clone(), open.clone());
            read_file(file, move |read| match read {
                ImportRead::Text(name, text) => match Challenge::from_json(&text) {
                    Ok(c) => {
                        let c = Rc::new(c);
                        let mut list = (*imported).clone();
                        list.retain(|(o, _)| o.name != c.name);
                        list.push((c.clone(), text.clone()));
                        imported.set(list);
                        notice.set(None);
                        open.emit((c, Some(text)));
                    }
                    Err(e) => notice.set(Some(format!("{name}: {e}"))),
                },
                ImportRead::TooLarge(name, size) => {
                    notice.set(Some(format!("{name}: {size} bytes is over the 1 MB limit")))
                }
                ImportRead::Unreadable(name) => notice.set(Some(format!("{name}: the browser could not read it"))),
            });
        })
    };
    let solved = progress.iter().filter(|s| builtins.iter().any(|c| c.name == s.name)).count();
    let error = notice.as_ref().filter(|n| n.as_str() != "copied").map(|n| {
        html! { <p class="ch-result is-failed" role="alert">{ tf(lang, ViewKey::ChallengeImportError, &[n]) }</p> }
    });
    html! {
        <aside class="guide challenge-guide" aria-label={tv(lang, ViewKey::ChallengesTitle)}>
            <div class="panel">
                <h2 class="ch-name">{ tv(lang, ViewKey::ChallengesTitle) }</h2>
                <p>{ tv(lang, ViewKey::ChallengesIntro) }</p>
                // The built-in list arrives after the column (challenges.json).
                if !builtins.is_empty() {
                    <p class="ch-progress" role="status">{ tf(lang, ViewKey::ChallengesSolved, &[&solved.to_string(), &builtins.len().to_string()]) }</p>
                }
                { for error }
                <ul class="ch-items">{ for items }{ for extra }</ul>
                <label class="button ch-import">
                    { tv(lang, ViewKey::ChallengeImport) }
                    <input type="file" accept=".json,application/json" class="visually-hidden" onchange={on_file} />
                </label>
            </div>
        </aside>
    }
}
