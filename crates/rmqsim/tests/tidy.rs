//! Tidy checks: rules about the source text that the compiler cannot hold,
//! run inside `cargo test` so a violation fails CI with the file and line.
//!
//! - The engine (`crates/rmqsim/src`) stays deterministic: no hashed
//!   collections (iteration order varies), no wall clock, no unseeded or
//!   platform-dependent random number generators. The one exception: the
//!   headless runner's binaries (`src/bin/`) may read the wall clock, to
//!   report how fast the engine ran; nothing they read goes into a run.
//! - The engine's `[dependencies]` name nothing from the web stack, so the
//!   crate boundary keeps it free of the browser.
//! - Every Rust module of the engine and of the app (`src/`) opens with a
//!   `//!` paragraph saying why it exists.
//!
//! Comments are ignored, so a doc may name what it forbids. The checks are
//! plain text scans (std only); the unit tests at the bottom prove each one
//! fires on a bad example.

use std::fs;
use std::path::{Path, PathBuf};

/// Text that must not appear in engine code, with the reason shown on failure.
/// `word` patterns must not be part of a longer identifier.
const ENGINE_FORBIDDEN: &[Forbidden] = &[
    Forbidden::anywhere("HashMap", "iteration order is random; use BTreeMap or IndexMap"),
    Forbidden::anywhere("HashSet", "iteration order is random; use BTreeSet or IndexSet"),
    Forbidden::anywhere("Instant::now", "the engine never reads the wall clock; take `now`").library_only(),
    Forbidden::word("SystemTime", "the engine never reads the wall clock; take `now`").library_only(),
    Forbidden::word("thread_rng", "unseeded RNG; derive a seeded ChaCha stream"),
    Forbidden::anywhere("rand::rng()", "unseeded RNG; derive a seeded ChaCha stream"),
    Forbidden::anywhere("rand::random", "unseeded RNG; derive a seeded ChaCha stream"),
    Forbidden::word("from_entropy", "unseeded RNG; derive a seeded ChaCha stream"),
    Forbidden::word("OsRng", "unseeded RNG; derive a seeded ChaCha stream"),
    Forbidden::word("SmallRng", "its algorithm differs between wasm32 and 64-bit native; use ChaCha8"),
];

/// Crates the engine must not depend on (a trailing `*` matches any suffix).
const ENGINE_FORBIDDEN_DEPS: &[&str] = &["yew*", "web-sys", "js-sys", "gloo*", "wasm-bindgen*"];

struct Forbidden {
    pattern: &'static str,
    whole_word: bool,
    /// Whether the rule also holds in `src/bin/` (the runner's binaries).
    in_binaries: bool,
    why: &'static str,
}

impl Forbidden {
    const fn anywhere(pattern: &'static str, why: &'static str) -> Forbidden {
        Forbidden { pattern, whole_word: false, in_binaries: true, why }
    }

    const fn word(pattern: &'static str, why: &'static str) -> Forbidden {
        Forbidden { pattern, whole_word: true, in_binaries: true, why }
    }

    /// The rule binds the library only, not the runner's binaries.
    const fn library_only(self) -> Forbidden {
        Forbidden { in_binaries: false, ..self }
    }

    fn is_in(&self, code: &str) -> bool {
        if !self.whole_word {
            return code.contains(self.pattern);
        }
        code.match_indices(self.pattern).any(|(start, _)| {
            let before = code[..start].chars().next_back();
            let after = code[start + self.pattern.len()..].chars().next();
            !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
        })
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn engine_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn workspace_root() -> PathBuf {
    engine_dir().ancestors().nth(2).expect("crates/rmqsim sits two levels below the workspace root").to_path_buf()
}

/// Every `.rs` file under `dir`, sorted so failures list in a stable order.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The code on each line with comments removed: `//` line comments (doc
/// comments included) and `/* */` block comments, even across lines. String
/// literals are kept, and a `//` inside one is not a comment.
fn code_lines(source: &str) -> Vec<String> {
    let mut in_block_comment = 0usize;
    let mut lines = Vec::new();
    for line in source.lines() {
        let mut code = String::new();
        let mut chars = line.chars().peekable();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            if in_block_comment > 0 {
                if c == '*' && chars.peek() == Some(&'/') {
                    chars.next();
                    in_block_comment -= 1;
                } else if c == '/' && chars.peek() == Some(&'*') {
                    chars.next();
                    in_block_comment += 1;
                }
                continue;
            }
            if in_string {
                code.push(c);
                if c == '\\' {
                    if let Some(escaped) = chars.next() {
                        code.push(escaped);
                    }
                } else if c == '"' {
                    in_string = false;
                }
                continue;
            }
            match (c, chars.peek()) {
                ('/', Some('/')) => break,
                ('/', Some('*')) => {
                    chars.next();
                    in_block_comment += 1;
                }
                ('"', _) => {
                    in_string = true;
                    code.push(c);
                }
                // A char literal holding a double quote does not open a string.
                ('\'', Some('"')) => {
                    code.push(c);
                    code.extend(chars.next());
                }
                _ => code.push(c),
            }
        }
        lines.push(code);
    }
    lines
}

/// `file:line: what — why` for each forbidden use in `source`; `label` is
/// the file's path from the workspace root, which tells a binary from the
/// library.
fn forbidden_uses(label: &str, source: &str) -> Vec<String> {
    let is_binary = label.contains("/src/bin/");
    let rules: Vec<&Forbidden> = ENGINE_FORBIDDEN.iter().filter(|rule| rule.in_binaries || !is_binary).collect();
    let mut found = Vec::new();
    for (index, code) in code_lines(source).iter().enumerate() {
        for rule in rules.iter().filter(|rule| rule.is_in(code)) {
            found.push(format!("{label}:{}: `{}`: {}", index + 1, rule.pattern, rule.why));
        }
    }
    found
}

/// Whether the first non-blank line is a `//!` module doc.
fn has_module_doc(source: &str) -> bool {
    source.lines().find(|line| !line.trim().is_empty()).is_some_and(|line| line.trim_start().starts_with("//!"))
}

/// Dependency names declared in `[dependencies]` (and
/// `[target.'…'.dependencies]`) of a Cargo manifest, including the real name
/// behind a `package = "…"` rename.
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_dependencies = false;
    for line in code_lines_toml(manifest) {
        let line = line.trim();
        if line.starts_with('[') {
            let header = line.trim_matches(|c| c == '[' || c == ']').trim();
            in_dependencies = header == "dependencies" || header.ends_with(".dependencies");
            let table = header
                .strip_prefix("dependencies.")
                .or_else(|| header.split_once(".dependencies.").map(|(_, name)| name));
            if let Some(name) = table {
                names.push(unquote(name));
                in_dependencies = false;
            }
            continue;
        }
        if !in_dependencies {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            names.push(unquote(key.trim()));
            if let Some(package) = package_rename(value) {
                names.push(package);
            }
        }
    }
    names
}

/// TOML lines without `#` comments (good enough for Cargo manifests, whose
/// dependency names and versions contain no `#`).
fn code_lines_toml(manifest: &str) -> impl Iterator<Item = &str> {
    manifest.lines().map(|line| line.split_once('#').map_or(line, |(code, _)| code))
}

fn package_rename(value: &str) -> Option<String> {
    let after = value.split_once("package")?.1.trim_start();
    let quoted = after.strip_prefix('=')?.trim_start();
    let name = quoted.strip_prefix('"')?.split('"').next()?;
    Some(name.to_string())
}

fn unquote(name: &str) -> String {
    name.trim().trim_matches('"').trim_matches('\'').to_string()
}

fn is_forbidden_dependency(name: &str) -> bool {
    ENGINE_FORBIDDEN_DEPS.iter().any(|pattern| match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == *pattern,
    })
}

fn relative(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}

fn fail_if_any(problems: &[String], rule: &str) {
    assert!(problems.is_empty(), "tidy: {rule}\n  {}\n", problems.join("\n  "));
}

#[test]
fn engine_is_deterministic_by_construction() {
    let files = rust_files(&engine_dir().join("src"));
    assert!(!files.is_empty(), "tidy found no engine sources to check");
    let problems: Vec<String> = files.iter().flat_map(|path| forbidden_uses(&relative(path), &read(path))).collect();
    fail_if_any(&problems, "the engine must not use hashed collections, the wall clock or unseeded RNGs");
}

#[test]
fn engine_depends_on_nothing_from_the_web() {
    let manifest = read(&engine_dir().join("Cargo.toml"));
    let problems: Vec<String> = dependency_names(&manifest)
        .into_iter()
        .filter(|name| is_forbidden_dependency(name))
        .map(|name| format!("crates/rmqsim/Cargo.toml: depends on `{name}`"))
        .collect();
    fail_if_any(&problems, "the engine crate has no web dependencies (yew, web-sys, js-sys, gloo*, wasm-bindgen*)");
}

#[test]
fn every_module_says_why_it_exists() {
    let root = workspace_root();
    let files: Vec<PathBuf> =
        [engine_dir().join("src"), root.join("src")].iter().flat_map(|dir| rust_files(dir)).collect();
    assert!(files.iter().any(|f| f.starts_with(root.join("src"))), "tidy found no app sources under src/");
    let problems: Vec<String> = files
        .iter()
        .filter(|path| !has_module_doc(&read(path)))
        .map(|path| format!("{}: first line is not a `//!` module doc", relative(path)))
        .collect();
    fail_if_any(&problems, "every module opens with a `//!` doc saying why it exists");
}

// The checks themselves, on bad and good examples.

#[test]
fn scan_flags_each_forbidden_use() {
    let bad = [
        "use std::collections::HashMap;",
        "let seen: FxHashSet<u32> = Default::default();",
        "let t = std::time::Instant::now();",
        "let t = SystemTime::now();",
        "let mut rng = rand::thread_rng();",
        "let mut rng = rand::rng();",
        "let x: u8 = rand::random();",
        "let rng = ChaCha8Rng::from_entropy();",
        "let rng = OsRng;",
        "let rng = SmallRng::seed_from_u64(1);",
    ];
    for line in bad {
        assert_eq!(forbidden_uses("x.rs", line).len(), 1, "not flagged: {line}");
    }
}

#[test]
fn scan_ignores_comments_and_lookalike_names() {
    let fine = [
        "// a HashMap would make iteration order random",
        "/// never call Instant::now here",
        "//! no thread_rng, no SmallRng",
        "let map = BTreeMap::new(); // not a HashMap",
        "let x = 1; /* SystemTime */ let y = 2;",
        "struct SystemTimer;",
        "let url = \"http://example\"; let m = BTreeMap::new();",
    ];
    for line in fine {
        assert!(forbidden_uses("x.rs", line).is_empty(), "flagged: {line}");
    }
    let block = "/*\n HashMap\n SystemTime\n*/\nlet a = 1;";
    assert!(forbidden_uses("x.rs", block).is_empty());
    let after_block = "/* x */ let m: HashMap<u8, u8>;";
    assert_eq!(forbidden_uses("x.rs", after_block).len(), 1);
    let slashes_in_string = "let u = \"a//b\"; let m: HashMap<u8, u8>;";
    assert_eq!(forbidden_uses("x.rs", slashes_in_string).len(), 1);
    let quote_char = "let q = '\"'; let m: HashSet<u8>; // HashMap";
    assert_eq!(forbidden_uses("x.rs", quote_char).len(), 1);
}

#[test]
fn scan_reports_file_and_line() {
    let found = forbidden_uses("crates/rmqsim/src/sim.rs", "fn a() {}\nlet m = HashMap::new();");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("crates/rmqsim/src/sim.rs:2: `HashMap`"), "{}", found[0]);
}

#[test]
fn binaries_may_time_themselves_but_stay_deterministic() {
    let timing = "let start = std::time::Instant::now();";
    assert!(forbidden_uses("crates/rmqsim/src/bin/rmqsim.rs", timing).is_empty());
    assert_eq!(forbidden_uses("crates/rmqsim/src/bench.rs", timing).len(), 1);
    let hashed = "let m: HashMap<u8, u8> = HashMap::new();";
    assert_eq!(forbidden_uses("crates/rmqsim/src/bin/rmqsim.rs", hashed).len(), 1);
}

#[test]
fn module_doc_must_come_first() {
    assert!(has_module_doc("//! Why this exists.\nuse x;"));
    assert!(has_module_doc("\n  //! Indented is fine.\n"));
    assert!(!has_module_doc("/// An item doc is not a module doc.\nfn f() {}"));
    assert!(!has_module_doc("use x;\n//! Too late.\n"));
    assert!(!has_module_doc(""));
}

#[test]
fn manifest_scan_finds_web_dependencies_in_every_form() {
    let manifest = r#"
[package]
name = "rmqsim" # yew = "not a dependency"

[dependencies]
serde = { version = "1", features = ["derive"] }
web = { package = "web-sys", version = "0.3" }
gloo-timers = "0.3"

[dev-dependencies]
wasm-bindgen-test = "0.3"

[target.'cfg(target_arch = "wasm32")'.dependencies]
js-sys = "0.3"

[dependencies.yew]
version = "0.23"

[target.'cfg(unix)'.dependencies.gloo]
version = "0.11"
"#;
    let names = dependency_names(manifest);
    let forbidden: Vec<&String> = names.iter().filter(|n| is_forbidden_dependency(n)).collect();
    assert_eq!(forbidden, ["web-sys", "gloo-timers", "js-sys", "yew", "gloo"]);
    assert!(names.contains(&"serde".to_string()));
    assert!(!names.contains(&"wasm-bindgen-test".to_string()), "dev-dependencies are allowed");
}
