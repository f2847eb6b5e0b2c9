//! The code lab's part of a session document.
//!
//! A lab run is an ordinary session: the scenario (the cluster, the clients
//! the programs created, marked with `program`, and the answers their
//! callbacks gave, in `answers`) and the interventions the programs made
//! (each send, start and shutdown, at the exact event count where it
//! happened). Replaying it never needs Python. This part carries what a
//! replay cannot rebuild: the programs' code, what they printed, and which
//! line of which program caused which trace record. Its limits keep a
//! shared link small and every check cheap.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::hashing::Fnv64;

/// Most programs one lab runs.
pub const MAX_PROGRAMS: usize = 8;
/// Largest program, in bytes of UTF-8.
pub const MAX_CODE_BYTES: usize = 64 * 1024;
/// Most console lines kept; later lines are counted in `dropped`.
pub const MAX_CONSOLE_LINES: usize = 10_000;
/// Longest console line kept, in characters (the rest is cut).
pub const MAX_LINE_CHARS: usize = 2_000;
/// Longest horizon: two hours of virtual time.
pub const MAX_HORIZON_MS: u64 = 2 * 3_600_000;
/// The shortest horizon: one second.
pub const MIN_HORIZON_MS: u64 = 1_000;

/// One program: a file name (`producer.py`) and its code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabProgram {
    pub name: String,
    pub code: String,
}

/// One line a program printed, at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleLine {
    /// Virtual time (ms).
    pub t: u64,
    /// The program (index into `programs`); absent for the lab's own notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<u8>,
    /// Standard error (tracebacks) or the lab's notes rather than standard output.
    #[serde(default, skip_serializing_if = "is_false")]
    pub err: bool,
    pub text: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// From trace record `r` on (0-based, the record's line in the trace), the
/// current event was caused by `line` of program `p`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub r: u64,
    pub p: u8,
    pub line: u32,
}

/// The lab's part of a session document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabRecord {
    pub programs: Vec<LabProgram>,
    /// Where the run ends (virtual ms).
    pub horizon: u64,
    /// [`code_hash`] of `programs` when the run was recorded.
    pub code_hash: String,
    #[serde(default)]
    pub console: Vec<ConsoleLine>,
    /// Console lines left out past [`MAX_CONSOLE_LINES`].
    #[serde(default)]
    pub dropped: u64,
    #[serde(default)]
    pub marks: Vec<Mark>,
    /// The trace hash (16 hex digits) where the run ended: a replay of the
    /// document must reach it, and running the code again should too.
    pub fingerprint: String,
    /// Where the recorded run ended: virtual time (ms) and engine events.
    pub end_t: u64,
    pub end_events: u64,
}

/// A stable digest of the programs' names and code (16 hex digits).
pub fn code_hash(programs: &[LabProgram]) -> String {
    let mut h = Fnv64::default();
    for p in programs {
        h.write(p.name.as_bytes());
        h.write(&[0]);
        h.write(p.code.as_bytes());
        h.write(&[0]);
    }
    format!("{:016x}", h.finish())
}

/// Why a program name is not acceptable, if it is not.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let stem = name.strip_suffix(".py")?;
    if stem.is_empty() || stem.len() > 40 {
        return Some("a name is 1 to 40 characters before .py");
    }
    if !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Some("a name uses letters, digits, _ and - only");
    }
    None
}

/// Checks the programs on their own: count, names, sizes.
/// The error is `(field, message)`.
pub fn check_programs(programs: &[LabProgram]) -> Result<(), (String, String)> {
    if programs.is_empty() {
        return Err(("lab.programs".into(), "the lab needs at least one program".into()));
    }
    if programs.len() > MAX_PROGRAMS {
        return Err((
            "lab.programs".into(),
            format!("{} programs; the lab runs at most {MAX_PROGRAMS}", programs.len()),
        ));
    }
    for (i, p) in programs.iter().enumerate() {
        let field = format!("lab.programs[{i}]");
        if !p.name.ends_with(".py") {
            return Err((format!("{field}.name"), format!("\"{}\" must end with .py", p.name)));
        }
        if let Some(why) = name_problem(&p.name) {
            return Err((format!("{field}.name"), format!("\"{}\": {why}", p.name)));
        }
        if programs[..i].iter().any(|q| q.name == p.name) {
            return Err((format!("{field}.name"), format!("two programs are named {}", p.name)));
        }
        if p.code.len() > MAX_CODE_BYTES {
            return Err((
                format!("{field}.code"),
                format!("{} is {} KB; a program may have at most 64 KB", p.name, p.code.len().div_ceil(1024)),
            ));
        }
    }
    Ok(())
}

/// The facts a replay checks a lab document against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub fingerprint: String,
    pub end_t: u64,
    pub end_events: u64,
}

/// What the app checks of a document's `lab` part as it arrives (from a
/// link or a file): that the code is the code the run was recorded with (its
/// hash) and where the recorded run ended, which a replay must reach with
/// the same fingerprint ([`crate::share::check_lab`]). It reads the JSON by
/// hand and no more than that: the app's first download carries no
/// deserializer for the lab's types. The lab module reads the rest, typed,
/// and checks it with [`LabRecord::check`].
pub fn check_value(v: &Value) -> Result<Recorded, (String, String)> {
    let bad = |f: &str, m: &str| (format!("lab.{f}"), m.to_string());
    let mut h = Fnv64::default();
    for p in v["programs"].as_array().ok_or_else(|| bad("programs", "expected a list"))? {
        for part in [&p["name"], &p["code"]] {
            h.write(part.as_str().ok_or_else(|| bad("programs", "each program has a name and code"))?.as_bytes());
            h.write(&[0]);
        }
    }
    if v["code_hash"].as_str() != Some(format!("{:016x}", h.finish()).as_str()) {
        return Err(bad(
            "code_hash",
            "the code does not match the recorded run (it was changed after the run was recorded)",
        ));
    }
    let whole = |f: &str| v[f].as_u64().ok_or_else(|| bad(f, "expected a whole number"));
    let fingerprint = v["fingerprint"].as_str().unwrap_or("").to_ascii_lowercase();
    Ok(Recorded { fingerprint, end_t: whole("end_t")?, end_events: whole("end_events")? })
}

impl LabRecord {
    /// Checks the record against itself: [`check_value`], and that every
    /// console line and mark names a program and a line that exist, in order.
    pub fn check(&self) -> Result<(), (String, String)> {
        let v = serde_json::to_value(self).map_err(|e| ("lab".to_string(), e.to_string()))?;
        check_value(&v)?;
        check_programs(&self.programs)?;
        if !(MIN_HORIZON_MS..=MAX_HORIZON_MS).contains(&self.horizon) || self.end_t > self.horizon {
            return Err(("lab.horizon".into(), "the horizon is 1 s to 2 h, and the run ends within it".into()));
        }
        if self.fingerprint.len() != 16 || !self.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(("lab.fingerprint".into(), "expected 16 hex digits".into()));
        }
        let n = self.programs.len();
        if self.console.len() > MAX_CONSOLE_LINES {
            return Err(("lab.console".into(), format!("more than {MAX_CONSOLE_LINES} lines")));
        }
        for (i, c) in self.console.iter().enumerate() {
            if c.p.is_some_and(|p| usize::from(p) >= n) {
                return Err((format!("lab.console[{i}].p"), format!("no program {}", c.p.unwrap_or(0))));
            }
            if c.text.chars().count() > MAX_LINE_CHARS + 1 {
                return Err((format!("lab.console[{i}].text"), format!("longer than {MAX_LINE_CHARS} characters")));
            }
        }
        let mut last = 0;
        for (i, m) in self.marks.iter().enumerate() {
            let Some(p) = self.programs.get(usize::from(m.p)) else {
                return Err((format!("lab.marks[{i}].p"), format!("no program {}", m.p)));
            };
            let lines = p.code.lines().count().max(1) as u32;
            if m.line > lines {
                return Err((
                    format!("lab.marks[{i}].line"),
                    format!(
                        "line {} of {}, which has {lines} lines: the code does not match the recorded run",
                        m.line, p.name
                    ),
                ));
            }
            if m.r < last {
                return Err((format!("lab.marks[{i}].r"), "marks must be in record order".into()));
            }
            last = m.r;
        }
        Ok(())
    }

    /// The mark in force at trace record `r` (the newest at or before it).
    pub fn mark_at(&self, r: u64) -> Option<Mark> {
        let i = self.marks.partition_point(|m| m.r <= r);
        i.checked_sub(1).map(|i| self.marks[i])
    }
}

/// Cuts a console line to [`MAX_LINE_CHARS`] characters, marking the cut.
pub fn clip_line(text: &str) -> String {
    match text.char_indices().nth(MAX_LINE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> LabRecord {
        let programs = vec![LabProgram { name: "producer.py".into(), code: "print(1)\nprint(2)\n".into() }];
        LabRecord {
            code_hash: code_hash(&programs),
            programs,
            horizon: 60_000,
            console: vec![ConsoleLine { t: 0, p: Some(0), err: false, text: "1".into() }],
            dropped: 0,
            marks: vec![Mark { r: 3, p: 0, line: 1 }, Mark { r: 9, p: 0, line: 2 }],
            fingerprint: "0123456789abcdef".into(),
            end_t: 60_000,
            end_events: 1_000,
        }
    }

    #[test]
    fn a_good_record_passes_and_finds_its_marks() {
        let r = record();
        assert_eq!(r.check(), Ok(()));
        assert_eq!(r.mark_at(2), None);
        assert_eq!(r.mark_at(3).map(|m| m.line), Some(1));
        assert_eq!(r.mark_at(8).map(|m| m.line), Some(1));
        assert_eq!(r.mark_at(100).map(|m| m.line), Some(2));
    }

    #[test]
    fn edited_code_is_refused_by_its_hash() {
        let mut r = record();
        r.programs[0].code.push_str("print(3)\n");
        assert_eq!(r.check().unwrap_err().0, "lab.code_hash");
    }

    #[test]
    fn a_mark_past_the_end_of_the_code_is_refused() {
        let mut r = record();
        r.marks[1].line = 7;
        assert_eq!(r.check().unwrap_err().0, "lab.marks[1].line");
        let mut r = record();
        r.marks[0].p = 3;
        assert_eq!(r.check().unwrap_err().0, "lab.marks[0].p");
    }

    #[test]
    fn limits_on_programs_are_named() {
        let p = |name: &str, code: &str| LabProgram { name: name.into(), code: code.into() };
        assert_eq!(check_programs(&[]).unwrap_err().0, "lab.programs");
        let nine: Vec<_> = (0..9).map(|i| p(&format!("p{i}.py"), "")).collect();
        assert!(check_programs(&nine).unwrap_err().1.contains("at most 8"));
        let big = p("big.py", &"#".repeat(MAX_CODE_BYTES + 1));
        assert_eq!(check_programs(&[big]).unwrap_err().0, "lab.programs[0].code");
        assert_eq!(check_programs(&[p("a.txt", "")]).unwrap_err().0, "lab.programs[0].name");
        assert_eq!(check_programs(&[p("a b.py", "")]).unwrap_err().0, "lab.programs[0].name");
        assert_eq!(check_programs(&[p("a.py", ""), p("a.py", "")]).unwrap_err().0, "lab.programs[1].name");
    }

    #[test]
    fn long_lines_are_clipped() {
        let s = "é".repeat(MAX_LINE_CHARS + 5);
        let c = clip_line(&s);
        assert_eq!(c.chars().count(), MAX_LINE_CHARS + 1);
        assert_eq!(clip_line("short"), "short");
    }
}
