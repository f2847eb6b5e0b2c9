//! The strip under the cluster toolbar: the run's fingerprint at this
//! virtual time, "Replay and verify identical" with its verdict, and the
//! Share button that opens the share panel (the link, with Copy; export of
//! the scenario or the whole session as JSON; import of a file). Messages
//! about sharing (a damaged link, a refused import) show in
//! [`ShareNoteBanner`]. The strings live in `i18n::share`.

use std::rc::Rc;

use rmqsim::share::Position;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::driver::{Command, Driver};
use crate::i18n::share::{kind_text, sf, ts, ShareKey};
use crate::i18n::{use_lang, Lang};
use crate::session::VerifyOutcome;
use crate::sharing::{self, ImportRead, PreviousRun, ShareNote};
use crate::view_model::{format_clock, Frame};

/// What the strip shows and whom it tells.
#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub frame: Rc<Frame>,
    pub driver: Rc<Driver>,
    /// A message to show (or replace).
    pub on_note: Callback<Option<ShareNote>>,
    /// A file was imported and loaded (the app switches to the playground).
    pub on_loaded: Callback<()>,
}

/// The fingerprint and sharing strip, with its panel.
#[function_component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let open = use_state(|| false);
    let frame = &props.frame;
    if !frame.loaded() {
        return Html::default();
    }
    let hex = format!("{:016x}", frame.fingerprint);
    let clock = format_clock(frame.now);
    let chip = sf(lang, ShareKey::FingerprintChip, &[&hex[..8], &clock]);
    let hint =
        sf(lang, ShareKey::FingerprintHint, &[&hex, &frame.total_records().to_string(), &frame.events.to_string()]);
    let verifying = matches!(frame.verify.as_deref(), Some(VerifyOutcome::Running { .. }));
    let on_verify = {
        let driver = props.driver.clone();
        Callback::from(move |_: MouseEvent| driver.command(Command::Verify))
    };
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <>
            <section class="share-bar" aria-label={ts(lang, ShareKey::BarLabel)}>
                <span class="fingerprint-chip" title={hint} data-fingerprint={hex.clone()} data-t={frame.now.to_string()}
                    data-events={frame.events.to_string()}>
                    { chip }
                </span>
                <button type="button" class="button button-small verify-button" disabled={verifying} onclick={on_verify}>
                    { ts(lang, ShareKey::Verify) }
                </button>
                { verdict(lang, frame.verify.as_deref()) }
                <button type="button" class="button button-small share-button" aria-expanded={open.to_string()}
                    aria-controls="share-panel" onclick={on_toggle}>
                    { ts(lang, ShareKey::Share) }
                </button>
            </section>
            if *open {
                <SharePanel frame={frame.clone()} driver={props.driver.clone()} on_note={props.on_note.clone()}
                    on_loaded={props.on_loaded.clone()} />
            }
        </>
    }
}

/// The verification's state or verdict.
fn verdict(lang: Lang, outcome: Option<&VerifyOutcome>) -> Html {
    let Some(outcome) = outcome else { return Html::default() };
    let line = |key: ShareKey, text: &Option<String>| {
        let text = text.clone().unwrap_or_else(|| ts(lang, ShareKey::NoRecord).to_string());
        html! { <code class="verify-line">{ sf(lang, key, &[&text]) }</code> }
    };
    match outcome {
        VerifyOutcome::Running { events, target } => html! {
            <span class="verify-status verify-running" role="status">
                { sf(lang, ShareKey::Verifying, &[&events.to_string(), &target.to_string()]) }
            </span>
        },
        VerifyOutcome::Identical { fingerprint, t, records, .. } => html! {
            <span class="verify-status verify-identical" role="status">
                <span aria-hidden="true">{ "✓ " }</span>
                { sf(lang, ShareKey::Identical, &[&fingerprint[..8], &format_clock(*t), &records.to_string()]) }
            </span>
        },
        VerifyOutcome::Differs { index, exact, replay, original, .. } => {
            let key = if *exact { ShareKey::Differs } else { ShareKey::DiffersApprox };
            html! {
                <span class="verify-status verify-differs" role="alert">
                    <span aria-hidden="true">{ "✗ " }</span>
                    { sf(lang, key, &[&(index + 1).to_string()]) }
                    { line(ShareKey::ReplayLine, replay) }
                    { line(ShareKey::OriginalLine, original) }
                </span>
            }
        }
    }
}

/// The share panel: the link with Copy, export and import.
#[function_component]
fn SharePanel(props: &ShareBarProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let Some(doc) = props.driver.document() else { return Html::default() };
    let url = sharing::share_url(&sharing::page_base(), &doc);
    let applied = props.frame.interventions_applied + props.frame.interventions_ahead;
    let link_hint = sf(lang, ShareKey::LinkHint, &[&format_clock(props.frame.now), &applied.to_string()]);
    let on_copy = {
        let (url, on_note) = (url.clone(), props.on_note.clone());
        Callback::from(move |_: MouseEvent| {
            let on_note = on_note.clone();
            sharing::copy_to_clipboard(&url, move |ok| on_note.emit(Some(ShareNote::Copied(ok))));
        })
    };
    let on_focus_link = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.select();
        }
    });
    let export = |scenario_only: bool| {
        let driver = props.driver.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(doc) = driver.document() else { return };
            let (text, suffix) = if scenario_only {
                (doc.scenario.to_json_pretty(), "scenario")
            } else {
                (doc.to_json_pretty(), "session")
            };
            sharing::download(&sharing::file_name(&doc.scenario.name, suffix), &text);
        })
    };
    let on_import = {
        let (driver, on_note, on_loaded) = (props.driver.clone(), props.on_note.clone(), props.on_loaded.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
            // The same file may be chosen again after fixing it.
            input.set_value("");
            let (driver, on_note, on_loaded) = (driver.clone(), on_note.clone(), on_loaded.clone());
            sharing::read_file(file, move |read| {
                let note = match read {
                    ImportRead::TooLarge(name, size) => ShareNote::ImportTooLarge(name, size),
                    ImportRead::Unreadable(name) => ShareNote::ImportUnreadable(name),
                    ImportRead::Text(name, text) => match sharing::read_import(&text) {
                        Err(error) => ShareNote::ImportRefused(name, error),
                        Ok(doc) => {
                            let count = doc.interventions.len();
                            // Kept so the import can be undone: nothing the learner did is lost.
                            let previous = driver.document().map(|d| PreviousRun(Rc::new(d)));
                            driver.command(Command::LoadSession(Box::new(sharing::session_load(doc))));
                            on_loaded.emit(());
                            ShareNote::Imported(name, count, previous)
                        }
                    },
                };
                on_note.emit(Some(note));
            });
        })
    };
    html! {
        <div id="share-panel" class="share-panel" role="region" aria-label={ts(lang, ShareKey::SharePanel)}>
            <div class="share-link-row">
                <label class="share-link-label" for="share-link">{ ts(lang, ShareKey::LinkLabel) }</label>
                <input id="share-link" class="share-link" type="text" readonly=true value={url} onfocus={on_focus_link} />
                <button type="button" class="button button-small button-primary" onclick={on_copy}>
                    { ts(lang, ShareKey::CopyLink) }
                </button>
            </div>
            <p class="share-hint">{ link_hint }</p>
            <div class="share-actions">
                <button type="button" class="button button-small" onclick={export(true)}>{ ts(lang, ShareKey::ExportScenario) }</button>
                <button type="button" class="button button-small" onclick={export(false)}>{ ts(lang, ShareKey::ExportSession) }</button>
                <label class="button button-small import-label">
                    { ts(lang, ShareKey::Import) }
                    <input class="import-input" type="file" accept=".json,application/json" onchange={on_import} />
                </label>
                <span class="share-hint">{ ts(lang, ShareKey::ImportHint) }</span>
            </div>
        </div>
    }
}

/// Props of [`ShareNoteBanner`].
#[derive(Properties, PartialEq)]
pub struct ShareNoteBannerProps {
    pub note: Option<Rc<ShareNote>>,
    /// Where the run is (to compare with a shared link's fingerprint).
    pub frame: Rc<Frame>,
    pub on_dismiss: Callback<()>,
    /// Bring back the run an import replaced.
    #[prop_or_default]
    pub on_undo: Callback<PreviousRun>,
}

/// A message about sharing, with Dismiss.
#[function_component]
pub fn ShareNoteBanner(props: &ShareNoteBannerProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let Some(note) = props.note.as_deref() else { return Html::default() };
    let untouched = || ts(lang, ShareKey::Untouched).to_string();
    let refused = |name: &str, error: &rmqsim::share::ShareError| {
        let why = format!("{} ({error})", kind_text(lang, error.kind));
        format!("{} {}", sf(lang, ShareKey::ImportRefused, &[name, &why]), untouched())
    };
    let text = match note {
        ShareNote::LinkRefused(error) => {
            sf(lang, ShareKey::LinkRefused, &[&format!("{} ({error})", kind_text(lang, error.kind))])
        }
        ShareNote::LinkOpened { name, expected } => {
            let frame = &props.frame;
            let mut text = sf(lang, ShareKey::LinkOpened, &[name, &format_clock(frame.now)]);
            if let Some((Position { t, events }, sharer)) = expected {
                if frame.task.is_none() && frame.now == *t && frame.events == *events {
                    let mine = format!("{:016x}", frame.fingerprint);
                    let check = if mine == *sharer {
                        sf(lang, ShareKey::LinkMatches, &[&mine[..8]])
                    } else {
                        sf(lang, ShareKey::LinkMismatch, &[&mine[..8], &sharer[..8.min(sharer.len())]])
                    };
                    text = format!("{text} · {check}");
                }
            }
            text
        }
        ShareNote::ImportTooLarge(name, size) => {
            format!("{} {}", sf(lang, ShareKey::ImportTooLarge, &[name, &format!("{size:.0}")]), untouched())
        }
        ShareNote::ImportUnreadable(name) => {
            format!("{} {}", sf(lang, ShareKey::ImportUnreadable, &[name]), untouched())
        }
        ShareNote::ImportRefused(name, error) => refused(name, error),
        ShareNote::Imported(name, count, _) => sf(lang, ShareKey::Imported, &[name, &count.to_string()]),
        ShareNote::ImportUndone(name) => sf(lang, ShareKey::ImportUndone, &[name]),
        ShareNote::EmbedUnknown(name) => sf(lang, ShareKey::EmbedUnknown, &[name, &props.frame.scenario]),
        ShareNote::Copied(true) => ts(lang, ShareKey::Copied).to_string(),
        ShareNote::Copied(false) => ts(lang, ShareKey::CopyFailed).to_string(),
    };
    let problem = note.is_problem();
    html! {
        <div class={classes!("stage-banner", "share-note", problem.then_some("share-note-problem"))}
            role={if problem { "alert" } else { "status" }}>
            <span class="banner-icon" aria-hidden="true">{ if problem { "!" } else { "i" } }</span>
            <span class="banner-text">{ text }</span>
            if let ShareNote::Imported(_, _, Some(previous)) = note {
                <button type="button" class="button button-small" onclick={props.on_undo.reform({
                    let previous = previous.clone();
                    move |_: MouseEvent| previous.clone()
                })}>
                    { ts(lang, ShareKey::UndoImport) }
                </button>
            }
            <button type="button" class="button button-small" onclick={props.on_dismiss.reform(|_: MouseEvent| ())}>
                { ts(lang, ShareKey::Dismiss) }
            </button>
        </div>
    }
}
