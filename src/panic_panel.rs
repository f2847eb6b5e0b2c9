//! What a learner sees when the app panics: a panel saying what happened, the
//! panic message, the repro line (scenario, seed, client, virtual time,
//! interventions, and the share token of the last good state), how to report
//! it, a Reload button and a way back to the last good state
//! ([`crate::last_good`]), instead of a page that silently stops responding.
//!
//! The panel is built with plain DOM calls from inside the panic hook, not
//! with Yew: a panic usually happens in the middle of a Yew render, and after
//! the hook returns the wasm instance aborts, so nothing scheduled for later
//! would ever run. The hook reads the language from `<html lang>`, which the
//! app keeps in step with the language switch.

use std::panic::PanicHookInfo;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

use crate::i18n::reliability::{rt, RKey};
use crate::i18n::{t, Key, Lang};
use crate::{last_good, prefs};

/// A share token longer than this is left off the panel (the repro line still names the run).
const MAX_TOKEN_CHARS: usize = 8192;

/// The id of the panel's outer element (one panel at most per page).
pub const PANEL_ID: &str = "panic-panel";

/// Installs the panic hook. Must run before the app is rendered: Yew replaces
/// any hook not installed through [`yew::set_custom_panic_hook`].
pub fn install() {
    yew::set_custom_panic_hook(Box::new(on_panic));
}

fn on_panic(info: &PanicHookInfo<'_>) {
    last_good::mark_panicked();
    let message = info.to_string();
    web_sys::console::error_1(&JsValue::from_str(&message));
    show(&message, prefs::document_lang());
}

/// Shows the panel for `message` and returns it. Only the first panic of a
/// page is shown: later ones are usually consequences of it.
pub fn show(message: &str, lang: Lang) -> Option<Element> {
    let document = web_sys::window()?.document()?;
    if let Some(existing) = document.get_element_by_id(PANEL_ID) {
        return Some(existing);
    }
    let panel = build(&document, message, lang).ok()?;
    document.body()?.append_child(&panel).ok()?;
    set_app_inert(&document);
    focus_reload(&panel);
    Some(panel)
}

fn build(document: &Document, message: &str, lang: Lang) -> Result<Element, JsValue> {
    let backdrop = element(document, "div", "panic-backdrop", None)?;
    backdrop.set_id(PANEL_ID);

    let panel = element(document, "section", "panic-panel", None)?;
    panel.set_attribute("role", "alertdialog")?;
    panel.set_attribute("aria-modal", "true")?;
    panel.set_attribute("aria-labelledby", "panic-title")?;
    panel.set_attribute("aria-describedby", "panic-what")?;
    panel.set_attribute("lang", lang.tag())?;

    let title = element(document, "h2", "panic-title", Some(t(lang, Key::PanicTitle)))?;
    title.set_id("panic-title");
    let what = element(document, "p", "panic-what", Some(t(lang, Key::PanicWhat)))?;
    what.set_id("panic-what");
    let children = [
        title,
        what,
        element(document, "h3", "panic-subheading", Some(t(lang, Key::PanicDetailsHeading)))?,
        element(document, "pre", "panic-message", Some(message))?,
        repro(document, lang)?,
        element(document, "h3", "panic-subheading", Some(t(lang, Key::PanicReportHeading)))?,
        element(document, "p", "panic-report", Some(t(lang, Key::PanicReportBody)))?,
        actions(document, lang)?,
    ];
    for child in &children {
        panel.append_child(child)?;
    }
    backdrop.append_child(&panel)?;
    Ok(backdrop)
}

/// The repro line of the run on screen (or the last saved one) and the last good state's token.
fn repro(document: &Document, lang: Lang) -> Result<Element, JsValue> {
    let section = element(document, "div", "panic-repro", None)?;
    let heading = element(document, "h3", "panic-subheading", Some(rt(lang, RKey::ReproHeading)))?;
    section.append_child(&heading)?;
    let line = last_good::repro_line();
    let text = line.as_deref().unwrap_or(rt(lang, RKey::ReproNone));
    let pre = element(document, "pre", "panic-message panic-repro-line", Some(text))?;
    section.append_child(&pre)?;
    if let Some(token) = last_good::saved_token().filter(|t| t.len() <= MAX_TOKEN_CHARS) {
        let label = element(document, "p", "panic-report", Some(rt(lang, RKey::ReproToken)))?;
        let token = element(document, "pre", "panic-message panic-token", Some(&token))?;
        section.append_child(&label)?;
        section.append_child(&token)?;
    }
    Ok(section)
}

fn actions(document: &Document, lang: Lang) -> Result<Element, JsValue> {
    let actions = element(document, "div", "panic-actions", None)?;
    let reload = element(document, "button", "button button-primary", None)?;
    reload.set_attribute("type", "button")?;
    reload.set_text_content(Some(t(lang, Key::PanicReload)));
    let on_click = Closure::<dyn FnMut()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    reload.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // The page is going away on click; the listener must live as long as it.
    on_click.forget();
    actions.append_child(&reload)?;
    if last_good::has_saved() {
        let restore = element(document, "button", "button", Some(rt(lang, RKey::RestoreButton)))?;
        restore.set_attribute("type", "button")?;
        let on_restore = Closure::<dyn FnMut()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&last_good::restore_href());
            }
        });
        restore.add_event_listener_with_callback("click", on_restore.as_ref().unchecked_ref())?;
        on_restore.forget();
        actions.append_child(&restore)?;
    }
    Ok(actions)
}

fn element(document: &Document, tag: &str, class: &str, text: Option<&str>) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    element.set_class_name(class);
    if text.is_some() {
        element.set_text_content(text);
    }
    Ok(element)
}

/// Takes the frozen app out of the keyboard and screen-reader order.
fn set_app_inert(document: &Document) {
    if let Some(app) = document.get_element_by_id("app") {
        let _ = app.set_attribute("inert", "");
        let _ = app.set_attribute("aria-hidden", "true");
    }
}

fn focus_reload(panel: &Element) {
    let button = panel.query_selector("button").ok().flatten();
    if let Some(button) = button.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
        let _ = button.focus();
    }
}
