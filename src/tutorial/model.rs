//! The tutorial's vocabulary as plain data: chapters, steps, the scenario a
//! step runs, what it highlights, its predict-then-observe question, and the
//! claims its narration makes about the trace.
//!
//! Everything here is `'static` and `const`-constructible, so the whole
//! curriculum (`chapters.rs`) is one table the UI can index without
//! allocating. A step's claims are not decoration: `verify.rs` runs every
//! step's scenario with the real engine and checks each claim against the
//! trace, so the narration can never say something the simulator does not show.

use rmqsim::{Flavor, Scenario, ScenarioError};
use serde_json::Value;

use crate::i18n::Lang;

/// A piece of text in both of the tutorial's languages (Chinese first, the
/// seed tutorial's language).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Builds a [`Text`] (Chinese first).
pub const fn tx(zh: &'static str, en: &'static str) -> Text {
    Text { zh, en }
}

/// One chapter of the tutorial, following the seed tutorial's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Stable id (used in progress strings and share links).
    pub id: &'static str,
    /// The chapter's title, as the tutorial names it.
    pub title: Text,
    /// What the learner should walk away with.
    pub takeaway: Text,
}

/// A JSON edit applied to a preset before it runs: `value` (JSON text) is
/// written at `path`, a JSON pointer (`/actions/0/delay_level`); a last
/// segment of `-` appends to an array; missing objects on the way are created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Patch {
    pub path: &'static str,
    pub value: &'static str,
}

/// Builds a [`Patch`].
pub const fn patch(path: &'static str, value: &'static str) -> Patch {
    Patch { path, value }
}

/// The scenario a step runs: a built-in preset (see `rmqsim::presets`),
/// optionally under another client's rules and with small edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioRef {
    /// A preset name from `rmqsim::presets`.
    pub preset: &'static str,
    /// Runs the preset under this client flavor instead of its own.
    pub client: Option<Flavor>,
    /// Edits applied in order.
    pub patches: &'static [Patch],
}

impl ScenarioRef {
    /// The preset as it is.
    pub const fn preset(preset: &'static str) -> ScenarioRef {
        ScenarioRef { preset, client: None, patches: &[] }
    }

    /// The same scenario under another client's rules.
    pub const fn client(self, flavor: Flavor) -> ScenarioRef {
        ScenarioRef { client: Some(flavor), ..self }
    }

    /// The same scenario with edits.
    pub const fn patched(self, patches: &'static [Patch]) -> ScenarioRef {
        ScenarioRef { patches, ..self }
    }

    /// The scenario's JSON text after the client override and the patches.
    pub fn json(&self) -> Result<String, ScenarioError> {
        let preset = rmqsim::presets::find(self.preset)
            .ok_or_else(|| ScenarioError::new("preset", format!("no preset named \"{}\"", self.preset)))?;
        let mut doc: Value = serde_json::from_str(preset.json)
            .map_err(|e| ScenarioError::new("preset", format!("{}: {e}", self.preset)))?;
        if let Some(flavor) = self.client {
            set_pointer(&mut doc, "/client", Value::String(flavor.name().to_string()))?;
        }
        for p in self.patches {
            let value: Value = serde_json::from_str(p.value)
                .map_err(|e| ScenarioError::new(p.path, format!("patch value is not JSON: {e}")))?;
            set_pointer(&mut doc, p.path, value)?;
        }
        serde_json::to_string(&doc).map_err(|e| ScenarioError::new("", e.to_string()))
    }

    /// The validated scenario, ready for `rmqsim::Sim::new`.
    pub fn build(&self) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(&self.json()?)
    }
}

/// Writes `value` at a JSON pointer, creating missing objects on the way;
/// a last segment `-` appends to an array.
pub fn set_pointer(doc: &mut Value, path: &str, value: Value) -> Result<(), ScenarioError> {
    let segments: Vec<String> = path
        .strip_prefix('/')
        .ok_or_else(|| ScenarioError::new(path, "a patch path starts with '/'"))?
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (last, parents) = segments.split_last().ok_or_else(|| ScenarioError::new(path, "empty patch path"))?;
    let mut node = doc;
    for seg in parents {
        node = match node {
            Value::Object(map) => map.entry(seg.clone()).or_insert_with(|| Value::Object(Default::default())),
            Value::Array(items) => {
                let i: usize =
                    seg.parse().map_err(|_| ScenarioError::new(path, format!("\"{seg}\" is not an index")))?;
                let len = items.len();
                items
                    .get_mut(i)
                    .ok_or_else(|| ScenarioError::new(path, format!("index {i} is past the end ({len})")))?
            }
            _ => {
                return Err(ScenarioError::new(
                    path,
                    format!("\"{seg}\" is inside a value that is not an object or array"),
                ))
            }
        };
    }
    match node {
        Value::Object(map) => {
            map.insert(last.clone(), value);
            Ok(())
        }
        Value::Array(items) if last == "-" => {
            items.push(value);
            Ok(())
        }
        Value::Array(items) => {
            let i: usize = last.parse().map_err(|_| ScenarioError::new(path, format!("\"{last}\" is not an index")))?;
            let len = items.len();
            let slot = items
                .get_mut(i)
                .ok_or_else(|| ScenarioError::new(path, format!("index {i} is past the end ({len})")))?;
            *slot = value;
            Ok(())
        }
        _ => Err(ScenarioError::new(path, "the parent is not an object or array")),
    }
}

/// Something on screen the step points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    /// A node by its scenario name (`namesrv-0`, `broker-a`, `producer`, `c1`).
    Node(&'static str),
    /// A trace event kind (`send_attempt`, `delay_scheduled`, …).
    Event(&'static str),
    /// A topic (`TopicTest`, `SCHEDULE_TOPIC_XXXX`, `%RETRY%g1`).
    Topic(&'static str),
    /// A queue written `broker:topic:id`.
    Queue(&'static str),
}

/// How a count is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    AtLeast,
    AtMost,
}

/// A set of trace records: those of one event kind whose fields pass every
/// filter and whose time lies in `[from_ms, to_ms]`.
///
/// A filter value is matched against the record's field as follows: a number
/// field compares as a number; a string field compares exactly, or as a prefix
/// when the value ends in `*`, or as a substring when it starts with `~`; a
/// list field matches `#N` by length, otherwise it must contain the value. The
/// key `why` reaches the record's explanation, so `("why", "~order-1")` finds
/// the records that mention that sharding key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub event: &'static str,
    pub filter: &'static [(&'static str, &'static str)],
    pub from_ms: u64,
    pub to_ms: u64,
}

impl Match {
    /// Every record of this event kind.
    pub const fn ev(event: &'static str) -> Match {
        Match { event, filter: &[], from_ms: 0, to_ms: u64::MAX }
    }

    /// Only records whose fields pass these filters.
    pub const fn with(self, filter: &'static [(&'static str, &'static str)]) -> Match {
        Match { filter, ..self }
    }

    /// Only records in `[from_ms, to_ms]`.
    pub const fn between(self, from_ms: u64, to_ms: u64) -> Match {
        Match { from_ms, to_ms, ..self }
    }
}

/// Something the narration says about the trace at the step's pause point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The number of matching records compares to `n`.
    Count { m: Match, cmp: Cmp, n: u64 },
    /// The first record matching `first` comes before the first matching `then`
    /// (both must exist).
    Before { first: Match, then: Match },
    /// The time from the `from_nth` record matching `from` to the `to_nth`
    /// record matching `to` (0-based) lies in `[min_ms, max_ms]`.
    Gap { from: Match, from_nth: usize, to: Match, to_nth: usize, min_ms: u64, max_ms: u64 },
    /// A numeric field never decreases across the matching records (at least two).
    Ascending { m: Match, field: &'static str },
    /// For each `(key, n)`: the newest matching record whose `key_field` equals
    /// `key` has a list field `list` of length `n`.
    Latest { m: Match, key_field: &'static str, list: &'static str, expect: &'static [(&'static str, u64)] },
    /// A broker.conf text is refused when the scenario is loaded, and the error
    /// mentions `needle`.
    ConfRejected { conf: &'static str, needle: &'static str },
    /// Every claim holds.
    All(&'static [Claim]),
    /// The claim does not hold.
    Not(&'static Claim),
}

/// `n` records match exactly.
pub const fn count(m: Match, n: u64) -> Claim {
    Claim::Count { m, cmp: Cmp::Eq, n }
}

/// At least `n` records match.
pub const fn at_least(m: Match, n: u64) -> Claim {
    Claim::Count { m, cmp: Cmp::AtLeast, n }
}

/// No record matches.
pub const fn none(m: Match) -> Claim {
    Claim::Count { m, cmp: Cmp::Eq, n: 0 }
}

/// The first `first` comes before the first `then`.
pub const fn before(first: Match, then: Match) -> Claim {
    Claim::Before { first, then }
}

/// The time between the `from_nth` `from` and the `to_nth` `to` is in `[min_ms, max_ms]`.
pub const fn gap(from: Match, from_nth: usize, to: Match, to_nth: usize, min_ms: u64, max_ms: u64) -> Claim {
    Claim::Gap { from, from_nth, to, to_nth, min_ms, max_ms }
}

/// One answer of a predict-then-observe question, with the claim that is true
/// of the trace exactly when this answer is right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub text: Text,
    pub claim: Claim,
}

/// Builds a [`Choice`].
pub const fn choice(zh: &'static str, en: &'static str, claim: Claim) -> Choice {
    Choice { text: Text { zh, en }, claim }
}

/// A predict-then-observe question: asked before the step runs, answered by
/// what the simulator shows at the pause point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Predict {
    pub question: Text,
    pub choices: &'static [Choice],
    /// Index of the right choice.
    pub answer: usize,
    /// Why the right choice is right (shown after the learner chooses).
    pub explanation: Text,
}

/// One step of a chapter: what runs, where it pauses, what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Stable id (used in progress strings).
    pub id: &'static str,
    /// Index into [`crate::tutorial::chapters::CHAPTERS`].
    pub chapter: usize,
    pub title: Text,
    /// The narration; paragraphs are separated by a blank line.
    pub narration: Text,
    pub scenario: ScenarioRef,
    /// Virtual time (ms) the step runs to; the narrated outcome is visible there.
    pub pause_ms: u64,
    pub highlight: &'static [Highlight],
    pub predict: Option<Predict>,
    /// What the narration says about the trace, checked by `verify.rs`.
    pub claims: &'static [Claim],
}
