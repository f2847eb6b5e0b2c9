//! The browser side of the language choice: reading `navigator.language`,
//! remembering the learner's pick in `localStorage`, and keeping `<html lang>`
//! in step. Kept apart from [`crate::i18n`] so the decision logic there stays
//! pure and natively testable; every function here tolerates a browser that
//! refuses storage (private mode) by falling back to detection.

use crate::i18n::Lang;

/// The `localStorage` key holding the remembered language code.
pub const LANG_STORAGE_KEY: &str = "rocketmq-sim.lang";

/// The language to start in: remembered choice, else the browser's language.
pub fn initial_lang() -> Lang {
    Lang::detect(remembered_lang().as_deref(), browser_lang().as_deref())
}

/// Remembers an explicit choice so the next visit starts in it.
pub fn remember_lang(lang: Lang) {
    if let Some(storage) = local_storage() {
        // A refused write only means the choice is not remembered.
        let _ = storage.set_item(LANG_STORAGE_KEY, lang.code());
    }
}

/// Writes the language to `<html lang>`, which screen readers, font
/// selection and the panic panel read.
pub fn apply_document_lang(lang: Lang) {
    let root = web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

/// The language `<html lang>` currently says, for code that cannot reach the
/// Yew context (the panic hook).
pub fn document_lang() -> Lang {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

fn remembered_lang() -> Option<String> {
    local_storage()?.get_item(LANG_STORAGE_KEY).ok()?
}

fn browser_lang() -> Option<String> {
    web_sys::window()?.navigator().language()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
