//! `rmqsim`: the headless runner. Runs a scenario file or a preset and prints
//! its trace as JSON Lines; lists presets; runs the engine benchmark.
//!
//! Bad input exits with status 2 and one line on stderr naming the problem;
//! nothing is printed on stdout before the input is known to be valid.

use rmqsim::presets;
use rmqsim::scenario::{Flavor, Scenario};
use rmqsim::sim::Sim;
use rmqsim::time::parse_duration;
use rmqsim::trace::{Trace, TraceMode};
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage:
  rmqsim run FILE.json [--seed N] [--until DURATION] [--client python-cpp|java4] [--hash-only]
  rmqsim run --preset NAME [--seed N] [--until DURATION] [--client python-cpp|java4] [--hash-only]
  rmqsim presets
  rmqsim check FILE.json          validate a scenario without running it
  rmqsim bench [--messages N] [--json]   the standard engine workload, trace off
  rmqsim bench --workload hour [--messages N] [--json]
                                         one virtual hour at 1,000 msgs/s (3.6 M messages; N: fewer, same rate)
  rmqsim swarm [--count N] [--start S]   random clusters and faults, invariants on
  rmqsim swarm --seed N [--print]        one seed (print its scenario)
  rmqsim fuzz [--count N] [--seed S] [--target scenario|share|all]
                                         mutated scenarios, broker.conf lines and share links must never panic
  rmqsim run --session FILE|TOKEN [--to-end]   a saved session (scenario + interventions), trace to its position
  rmqsim replay FILE|TOKEN|LINK [--to-end]     replays a session; prints where it stopped and its fingerprint
  rmqsim challenge list                  the built-in challenges
  rmqsim challenge check NAME|FILE (--solution FILE | --reference)
                                         judges a solution: a line per check; exit 0 all pass, 1 some fail, 2 bad input";

/// The largest scenario file the runner reads.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("challenge") {
        return match cmd_challenge(&args[1..]) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(msg) => {
                eprintln!("rmqsim: {msg}");
                ExitCode::from(2)
            }
        };
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("rmqsim: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&args[1..]),
        Some("check") => {
            let file = args.get(1).ok_or("check needs a FILE.json")?;
            let sc = load_file(file)?;
            println!(
                "ok: {} ({} brokers, {} actions)",
                if sc.name.is_empty() { file } else { &sc.name },
                sc.cluster.brokers.len(),
                sc.actions.len()
            );
            Ok(())
        }
        Some("presets") => {
            for p in presets::all() {
                println!("{:<34} {}", p.name, p.summary);
            }
            Ok(())
        }
        Some("bench") => cmd_bench(&args[1..]),
        Some("swarm") => cmd_swarm(&args[1..]),
        Some("fuzz") => cmd_fuzz(&args[1..]),
        Some("replay") => cmd_replay(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command \"{other}\" (see `rmqsim --help`)")),
        None => Err("no command given (see `rmqsim --help`)".into()),
    }
}

fn load_file(path: &str) -> Result<Scenario, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{path}: {} bytes is larger than the {} MiB limit",
            meta.len(),
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

fn value<'a>(args: &'a [String], i: &mut usize, flag: &str) -> Result<&'a str, String> {
    *i += 1;
    args.get(*i).map(String::as_str).ok_or_else(|| format!("{flag} needs a value"))
}

/// The whole number after `flag`.
fn number(args: &[String], i: &mut usize, flag: &str) -> Result<u64, String> {
    let v = value(args, i, flag)?;
    v.parse::<u64>().map_err(|_| format!("{flag}: \"{v}\" is not a whole number"))
}

fn cmd_run(args: &[String]) -> Result<(), String> {
    let mut file = None;
    let mut preset = None;
    let mut seed = None;
    let mut until = None;
    let mut client = None;
    let mut hash_only = false;
    let mut session = None;
    let mut to_end = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--session" => session = Some(value(args, &mut i, "--session")?.to_string()),
            "--to-end" => to_end = true,
            "--preset" => preset = Some(value(args, &mut i, "--preset")?.to_string()),
            "--seed" => {
                let v = value(args, &mut i, "--seed")?;
                seed = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("--seed: \"{v}\" is not a whole number from 0 to {}", u64::MAX))?,
                );
            }
            "--until" => {
                let v = value(args, &mut i, "--until")?;
                // On the command line a bare number is ambiguous, so a unit is required.
                until = Some(parse_duration(v).map_err(|e| format!("--until: {e}"))?);
            }
            "--client" => {
                let v = value(args, &mut i, "--client")?;
                client = Some(match v {
                    "python-cpp" => Flavor::PythonCpp,
                    "java4" => Flavor::Java4,
                    _ => return Err(format!("--client: \"{v}\" is not python-cpp or java4")),
                });
            }
            "--hash-only" => hash_only = true,
            a if a.starts_with('-') => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
            a => {
                if file.is_some() {
                    return Err(format!("more than one scenario file given (\"{a}\")"));
                }
                file = Some(a.to_string());
            }
        }
        i += 1;
    }
    if let Some(source) = session {
        if file.is_some() || preset.is_some() || seed.is_some() || until.is_some() || client.is_some() {
            return Err(
                "--session runs the session as saved: give no FILE, --preset, --seed, --until or --client".into()
            );
        }
        return run_session(&source, to_end, hash_only);
    }
    if to_end {
        return Err("--to-end goes with --session".into());
    }
    let mut sc = match (file, preset) {
        (Some(_), Some(_)) => return Err("give a FILE or --preset, not both".into()),
        (None, None) => return Err("run needs a FILE.json or --preset NAME (see `rmqsim --help`)".into()),
        (Some(f), None) => load_file(&f)?,
        (None, Some(p)) => {
            let found =
                presets::find(&p).ok_or_else(|| format!("--preset: unknown preset \"{p}\" (see `rmqsim presets`)"))?;
            found.scenario().map_err(|e| format!("preset {p}: {e}"))?
        }
    };
    if let Some(s) = seed {
        sc.seed = s;
    }
    if let Some(u) = until {
        if u == 0 {
            return Err("--until: must be longer than 0 ms".into());
        }
        sc.until = rmqsim::scenario::Dur(u);
    }
    if let Some(c) = client {
        sc.client = c;
        // Re-validate: some settings are flavor-specific.
        let text = serde_json::to_string(&sc).map_err(|e| e.to_string())?;
        sc = Scenario::from_json(&text).map_err(|e| format!("with --client {}: {e}", c.name()))?;
    }
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let trace = if hash_only {
        Trace::new(TraceMode::Hash)
    } else {
        Trace::new(TraceMode::Hash).with_sink(Box::new(move |line: &str| {
            let _ = w.write_all(line.as_bytes());
            let _ = w.write_all(b"\n");
        }))
    };
    let mut sim = Sim::with_trace(sc, trace).map_err(|e| e.to_string())?;
    let outcome = sim.run();
    drop(sim);
    if hash_only {
        println!(
            "{{\"t\":{},\"event\":\"end\",\"reason\":\"{}\",\"events\":{},\"hash\":\"{}\"}}",
            outcome.end_ms,
            outcome.reason.name(),
            outcome.trace_lines,
            outcome.hash
        );
    }
    Ok(())
}

fn cmd_bench(args: &[String]) -> Result<(), String> {
    let mut messages: u64 = 1_000_000;
    let mut json = false;
    let mut hour = false;
    let mut messages_given = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--workload" => match value(args, &mut i, "--workload")? {
                "standard" => hour = false,
                "hour" => hour = true,
                w => return Err(format!("--workload: \"{w}\" is not a workload (standard or hour)")),
            },
            "--messages" => {
                let v = value(args, &mut i, "--messages")?;
                messages = v.parse().map_err(|_| format!("--messages: \"{v}\" is not a whole number"))?;
                messages_given = true;
                if messages == 0 || messages > rmqsim::scenario::MAX_MESSAGES {
                    return Err(format!("--messages: must be 1..={}", rmqsim::scenario::MAX_MESSAGES));
                }
            }
            "--json" => json = true,
            a => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
        }
        i += 1;
    }
    let (r, secs) = if hour {
        // One virtual hour unless --messages says how many (at the same rate).
        let n = if messages_given { messages.div_ceil(2) * 2 } else { rmqsim::bench::HOUR_MESSAGES };
        let sc = rmqsim::bench::rate_workload(n);
        timed(|| rmqsim::bench::run_workload(sc, n))
    } else {
        timed(|| rmqsim::bench::run_standard(messages))
    };
    let secs = secs.max(1e-9);
    let (label, workload) = if hour {
        ("native-hour", "one virtual hour: the standard cluster, 2 async producers each every 2 ms (1,000 msgs/s)")
    } else {
        (
            "native",
            "standard: 1 NameServer, 2 brokers x 4 queues, 2 sync producers, 4 consumers, latency 1-3 ms, python-cpp",
        )
    };
    if json {
        println!(
            "{{\"where\":\"{label}\",\"messages\":{},\"events\":{},\"virtual_ms\":{},\"wall_s\":{secs:.4},\"messages_per_s\":{:.0},\"events_per_s\":{:.0}}}",
            r.messages_consumed,
            r.events,
            r.virtual_ms,
            r.messages_consumed as f64 / secs,
            r.events as f64 / secs
        );
        return Ok(());
    }
    println!("workload          {workload}");
    println!("messages          {} sent, {} consumed", r.messages_sent, r.messages_consumed);
    println!("virtual time      {:.1} s", r.virtual_ms as f64 / 1000.0);
    println!("wall time         {:.3} s", secs);
    println!("events            {} ({:.0} events/s)", r.events, r.events as f64 / secs);
    println!("messages/s        {:.0} (produced and consumed per wall-second)", r.messages_consumed as f64 / secs);
    println!("events/message    {:.1}", r.events as f64 / r.messages_consumed.max(1) as f64);
    Ok(())
}

fn cmd_swarm(args: &[String]) -> Result<(), String> {
    let (mut count, mut start, mut one, mut print) = (1000u64, 1u64, None, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--count" => count = number(args, &mut i, "--count")?.clamp(1, 100_000_000),
            "--start" => start = number(args, &mut i, "--start")?,
            "--seed" => one = Some(number(args, &mut i, "--seed")?),
            "--print" => print = true,
            a => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
        }
        i += 1;
    }
    if let Some(seed) = one {
        if print {
            println!("{}", serde_json::to_string_pretty(&rmqsim::swarm::scenario_json(seed)).unwrap_or_default());
            return Ok(());
        }
        count = 1;
        start = seed;
    }
    // Failures are reported below with their repro; keep panics from printing backtraces.
    std::panic::set_hook(Box::new(|_| {}));
    let (mut faults, mut events, mut checks, mut failed) = (0u64, 0u64, 0u64, Vec::new());
    let mut live = rmqsim::swarm::LivenessTally::default();
    let ((), secs) = timed(|| {
        for seed in start..start.saturating_add(count) {
            let r = rmqsim::swarm::run_seed(seed);
            faults += r.faults;
            events += r.events;
            checks += r.checks;
            live.add(&r);
            if let Some(f) = r.failure {
                println!("FAIL seed {seed}: {f}\n  repro: {}", rmqsim::swarm::repro(seed));
                failed.push(seed);
            }
        }
    });
    let _ = std::panic::take_hook();
    println!(
        "swarm: {count} seeds ({start}..{}), each run twice; {faults} faults injected, {events} events, {checks} invariant checks, {secs:.1} s",
        start.saturating_add(count) - 1,
    );
    println!("{}", live.summary());
    println!("{} passed, {} failed", count - failed.len() as u64, failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} seed(s) failed; first repro: {}", failed.len(), rmqsim::swarm::repro(failed[0])))
    }
}

/// Runs `work` and says how long it took in wall seconds. The runner's
/// reports print that figure; nothing of it reaches the simulation, whose
/// library never reads the wall clock (`tests/tidy.rs` enforces it; only
/// `src/bin/` may, for these reports).
fn timed<T>(work: impl FnOnce() -> T) -> (T, f64) {
    let clock = Instant::now();
    let out = work();
    (out, clock.elapsed().as_secs_f64())
}

fn cmd_fuzz(args: &[String]) -> Result<(), String> {
    let (mut count, mut seed) = (100_000u64, 1u64);
    let (mut scenarios, mut shares) = (true, false);
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--count" => count = number(args, &mut i, "--count")?.clamp(1, 1_000_000_000),
            "--seed" => seed = number(args, &mut i, "--seed")?,
            "--target" => {
                (scenarios, shares) = match value(args, &mut i, "--target")? {
                    "scenario" => (true, false),
                    "share" => (false, true),
                    "all" => (true, true),
                    v => return Err(format!("--target: \"{v}\" is not scenario, share or all")),
                }
            }
            a => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
        }
        i += 1;
    }
    std::panic::set_hook(Box::new(|_| {}));
    let mut reports = Vec::new();
    if scenarios {
        let (r, secs) = timed(|| rmqsim::fuzz::run(seed, count));
        let line = format!(
            "fuzz: {} scenario inputs ({} accepted and run, {} rejected with a message) and {} broker.conf lines in {secs:.1} s",
            r.inputs, r.accepted, r.rejected, r.conf_lines,
        );
        reports.push((r, line));
    }
    if shares {
        let (r, secs) = timed(|| rmqsim::fuzz::run_share(seed, count));
        let line = format!(
            "fuzz: {} share links ({} accepted and replayed, {} rejected with a message) in {secs:.1} s",
            r.inputs, r.accepted, r.rejected,
        );
        reports.push((r, line));
    }
    let _ = std::panic::take_hook();
    let (mut inputs, mut failed) = (0u64, 0u64);
    for (r, line) in &reports {
        for (n, msg) in r.panics.iter().take(10) {
            println!("PANIC on input {n} (seed {seed}): {msg}");
        }
        for (n, msg) in r.bad_messages.iter().take(10) {
            println!("BAD MESSAGE on input {n} (seed {seed}): {msg:?}");
        }
        println!("{line}");
        inputs += r.inputs;
        failed += (r.panics.len() + r.bad_messages.len()) as u64;
    }
    println!("{} passed, {} failed", inputs - failed.min(inputs), failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} input(s) panicked or gave a bad message; rerun with --seed {seed} --count {count}"))
    }
}

/// Reads a session: a file (session JSON or a bare scenario) or a token / link.
fn load_session(source: &str) -> Result<rmqsim::share::SessionDoc, String> {
    use rmqsim::share;
    match std::fs::metadata(source) {
        Ok(meta) => {
            if meta.len() > share::MAX_DOC_BYTES as u64 {
                return Err(format!("{source}: {} bytes is larger than the 1 MB limit for sessions", meta.len()));
            }
            let text = std::fs::read_to_string(source).map_err(|e| format!("{source}: cannot read: {e}"))?;
            share::from_json(&text).map_err(|e| format!("{source}: {e}"))
        }
        // Not a file: a token or a link.
        Err(_) if !source.ends_with(".json") => share::decode(source).map_err(|e| format!("share link: {e}")),
        Err(e) => Err(format!("{source}: cannot read: {e}")),
    }
}

fn run_session(source: &str, to_end: bool, hash_only: bool) -> Result<(), String> {
    use rmqsim::share::{self, ReplayTo};
    let doc = load_session(source)?;
    let to = if to_end { ReplayTo::End } else { ReplayTo::Position };
    let out = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let trace = if hash_only {
        Trace::new(TraceMode::Hash)
    } else {
        Trace::new(TraceMode::Hash).with_sink(Box::new(move |line: &str| {
            let _ = w.write_all(line.as_bytes());
            let _ = w.write_all(b"\n");
        }))
    };
    let (replayed, mut sim) = share::replay_with_trace(&doc, to, trace).map_err(|e| e.to_string())?;
    let reason = sim.ended().map_or("position", |r| r.name());
    // The closing line, like `run`'s: the hash is of every earlier line.
    let end = sim.core.trace.finish(replayed.t, reason);
    drop(sim);
    if hash_only {
        println!("{}", end.json());
    }
    Ok(())
}

fn cmd_replay(args: &[String]) -> Result<(), String> {
    use rmqsim::share::{self, ReplayTo};
    let (mut source, mut to_end) = (None, false);
    for a in args {
        match a.as_str() {
            "--to-end" => to_end = true,
            a if a.starts_with("--") => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
            a if source.is_none() => source = Some(a.to_string()),
            _ => return Err("replay takes one FILE, TOKEN or LINK".into()),
        }
    }
    let source = source.ok_or("replay needs a session FILE, a share TOKEN or a LINK")?;
    let doc = load_session(&source)?;
    // A code lab run: its recorded callback results and fingerprint must hold without Python.
    if let Some(lab) = &doc.lab {
        share::check_lab(&doc).map_err(|e| e.to_string())?;
        let names: Vec<&str> =
            lab["programs"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        eprintln!(
            "code lab run of {} ({} callback results); replays to its recorded fingerprint {} at {} ms",
            names.join(", "),
            doc.scenario.answers.chars().count(),
            lab["fingerprint"].as_str().unwrap_or(""),
            lab["end_t"].as_u64().unwrap_or(0)
        );
    }
    let to = if to_end || doc.position.is_none() { ReplayTo::End } else { ReplayTo::Position };
    let r = share::replay(&doc, to).map_err(|e| e.to_string())?;
    let expected = match (&doc.fingerprint, to) {
        (Some(f), ReplayTo::Position) => format!(",\"expected\":\"{f}\",\"identical\":{}", *f == r.fingerprint),
        _ => String::new(),
    };
    println!(
        "{{\"t\":{},\"events\":{},\"records\":{},\"interventions\":{},\"fingerprint\":\"{}\"{expected}}}",
        r.t, r.events, r.records, r.applied, r.fingerprint
    );
    match (&doc.fingerprint, to) {
        (Some(f), ReplayTo::Position) if *f != r.fingerprint => {
            Err(format!("the replay's fingerprint {} differs from the session's {f}", r.fingerprint))
        }
        _ => Ok(()),
    }
}

/// `rmqsim challenge list` and `rmqsim challenge check`: Ok(passed) or Err(bad input).
fn cmd_challenge(args: &[String]) -> Result<bool, String> {
    use rmqsim::challenge;
    match args.first().map(String::as_str) {
        Some("list") => {
            for c in challenge::all() {
                println!("{:<32} {:<12} {}", c.name, c.chapter, c.title.en);
            }
            Ok(true)
        }
        Some("check") => {
            let target = args.get(1).ok_or("challenge check needs a challenge NAME or FILE")?;
            let (mut solution_file, mut reference) = (None, false);
            let mut i = 2;
            while i < args.len() {
                match args[i].as_str() {
                    "--solution" => solution_file = Some(value(args, &mut i, "--solution")?.to_string()),
                    "--reference" => reference = true,
                    a => return Err(format!("unknown option \"{a}\" (see `rmqsim --help`)")),
                }
                i += 1;
            }
            let c = match challenge::find(target) {
                Some(c) => c,
                None => {
                    let text = read_limited(target, challenge::MAX_BYTES as u64).map_err(|e| {
                        format!("{e} (and no built-in challenge has that name; see `rmqsim challenge list`)")
                    })?;
                    challenge::Challenge::from_json(&text).map_err(|e| format!("{target}: {e}"))?
                }
            };
            let solution = match (solution_file, reference) {
                (Some(_), true) => return Err("give --solution FILE or --reference, not both".into()),
                (None, false) => return Err("give --solution FILE or --reference".into()),
                (None, true) => c.solution.clone(),
                (Some(f), false) => {
                    let text = read_limited(&f, challenge::MAX_BYTES as u64)?;
                    challenge::solution_from_json(&text).map_err(|e| format!("{f}: {e}"))?
                }
            };
            let verdict = c.judge(&solution).map_err(|e| format!("the solution does not fit: {e}"))?;
            println!("challenge {}: {}", c.name, c.title.en);
            for (check, out) in c.checks.iter().zip(&verdict.checks) {
                let at = out
                    .record
                    .and_then(|i| verdict.records.get(i))
                    .map(|r| format!(" [event #{} `{}` at {} ms]", out.record.unwrap_or(0), r.event, r.t))
                    .unwrap_or_default();
                let mark = if out.pass { "pass" } else { "FAIL" };
                println!("  [{mark}] {}: {} — {}{at}", check.id, check.label.en, out.detail);
            }
            if c.luck {
                let failed: Vec<String> = verdict
                    .hidden
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| !f.is_empty())
                    .map(|(i, f)| format!("hidden run {} failed {}", i + 1, f.join(", ")))
                    .collect();
                if failed.is_empty() {
                    println!("  [pass] luck: the same solution passes under {} more seeds", verdict.hidden.len());
                } else {
                    println!("  [FAIL] luck: {}", failed.join("; "));
                }
            }
            let passed = verdict.passed();
            println!("{}", if passed { "solved" } else { "not solved" });
            Ok(passed)
        }
        Some(other) => Err(format!("unknown challenge command \"{other}\" (list or check)")),
        None => Err("challenge needs list or check".into()),
    }
}

/// A file's text, refusing files over `limit` bytes.
fn read_limited(path: &str, limit: u64) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    if meta.len() > limit {
        return Err(format!("{path}: {} bytes is over the {} KB limit", meta.len(), limit / 1024));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))
}
