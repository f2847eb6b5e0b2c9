//! Remembering where the learner is: the current step and the predict
//! questions already answered, as a short string for `localStorage`.
//!
//! The string names steps by id, not by index, so adding a step to the
//! curriculum does not move anyone to the wrong place; ids it does not know
//! (a step that was removed) are dropped when decoding. The functions are
//! pure, so they are tested natively; the storage itself is the caller's.

use crate::order::SortedMap;

use super::chapters::{step, step_index, STEPS};

/// The `localStorage` key the progress string is kept under.
pub const PROGRESS_STORAGE_KEY: &str = "rocketmq-sim.tutorial";

/// The format's version tag, first in every string.
const VERSION: &str = "v1";

/// Where the learner is and what they answered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Index of the current step in [`STEPS`].
    pub step: usize,
    /// Step index → the choice picked for its predict question.
    pub answers: SortedMap<usize, usize>,
}

impl Progress {
    /// Starts at `step` with nothing answered.
    pub fn at(step: usize) -> Progress {
        Progress { step, answers: SortedMap::new() }
    }

    /// Records an answer (a later answer to the same question replaces it).
    pub fn answer(&mut self, step: usize, choice: usize) {
        self.answers.insert(step, choice);
    }

    /// The chapter the current step belongs to.
    pub fn chapter(&self) -> usize {
        step(self.step).map(|s| s.chapter).unwrap_or(0)
    }

    /// How many answers were right.
    pub fn right_answers(&self) -> usize {
        self.answers.iter().filter(|(s, c)| step(**s).and_then(|s| s.predict).is_some_and(|p| p.answer == **c)).count()
    }
}

/// `v1;<step id>;<step id>=<choice>,…`
pub fn encode(p: &Progress) -> String {
    let current = step(p.step).map(|s| s.id).unwrap_or_else(|| STEPS[0].id);
    let answers: Vec<String> =
        p.answers.iter().filter_map(|(s, c)| step(*s).map(|s| format!("{}={c}", s.id))).collect();
    format!("{VERSION};{current};{}", answers.join(","))
}

/// Reads a string written by [`encode`]; `None` if it is not one. Unknown
/// step ids and out-of-range choices are dropped; an unknown current step
/// falls back to the first step.
pub fn decode(text: &str) -> Option<Progress> {
    let mut parts = text.trim().splitn(3, ';');
    if parts.next()? != VERSION {
        return None;
    }
    let current = parts.next()?;
    let answers_text = parts.next().unwrap_or("");
    let mut p = Progress::at(step_index(current).unwrap_or(0));
    for item in answers_text.split(',').filter(|s| !s.is_empty()) {
        let Some((id, choice)) = item.split_once('=') else { continue };
        let (Some(index), Ok(choice)) = (step_index(id), choice.parse::<usize>()) else { continue };
        let in_range = step(index).and_then(|s| s.predict).is_some_and(|q| choice < q.choices.len());
        if in_range {
            p.answer(index, choice);
        }
    }
    Some(p)
}

/// The progress remembered in this browser (the first step if none, or if
/// storage is refused). Call only in the browser.
pub fn load() -> Progress {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PROGRESS_STORAGE_KEY).ok().flatten());
    stored.as_deref().and_then(decode).unwrap_or_default()
}

/// Remembers the progress in this browser; a refused write is ignored.
/// Call only in the browser.
pub fn save(p: &Progress) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(PROGRESS_STORAGE_KEY, &encode(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::step_index;

    fn idx(id: &str) -> usize {
        step_index(id).unwrap()
    }

    #[test]
    fn round_trips() {
        let mut p = Progress::at(idx("retry-third"));
        p.answer(idx("sync-five-attempts"), 2);
        p.answer(idx("normal-rebalance-three"), 0);
        let text = encode(&p);
        assert!(text.starts_with("v1;retry-third;"), "{text}");
        assert_eq!(decode(&text), Some(p));
    }

    #[test]
    fn empty_progress_round_trips() {
        let p = Progress::default();
        assert_eq!(encode(&p), format!("v1;{};", STEPS[0].id));
        assert_eq!(decode(&encode(&p)), Some(p));
    }

    #[test]
    fn garbage_and_other_versions_are_refused() {
        for bad in ["", "hello", "v2;setup-register;", "v1"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unknown_steps_and_bad_choices_are_dropped() {
        let p = decode("v1;no-such-step;no-such=1,sync-five-attempts=9,retry-third=2,retry-third=x,junk").unwrap();
        assert_eq!(p.step, 0);
        assert_eq!(p.answers.len(), 1);
        assert_eq!(p.answers.get(&idx("retry-third")), Some(&2));
    }

    #[test]
    fn answers_to_steps_without_questions_are_dropped() {
        let p = decode("v1;setup-register;setup-register=0").unwrap();
        assert!(p.answers.is_empty());
    }

    #[test]
    fn counts_right_answers_and_knows_the_chapter() {
        let mut p = Progress::at(idx("delay-impl-2"));
        let q = step(idx("retry-third")).unwrap().predict.unwrap();
        p.answer(idx("retry-third"), q.answer);
        p.answer(idx("sync-five-attempts"), 0);
        assert_eq!(p.right_answers(), 1);
        assert_eq!(crate::tutorial::chapters::CHAPTERS[p.chapter()].id, "delay");
    }
}
