//! Swarm: random clusters, workloads and fault schedules with invariants on
//! (and debug assertions, since tests build in debug). Each seed runs twice
//! and must give the same hash. A failure prints its one-line repro.
//! 2,000 seeds run in every `cargo test`; `rmqsim swarm --count N` sweeps further.

#[test]
fn random_seeds_keep_every_invariant_and_replay_identically() {
    let mut failures = Vec::new();
    let (mut faults, mut checks) = (0, 0);
    for seed in 1..=2000 {
        let r = rmqsim::swarm::run_seed(seed);
        faults += r.faults;
        checks += r.checks;
        if let Some(f) = r.failure {
            failures.push(format!("seed {seed}: {f}\n  repro: {}", rmqsim::swarm::repro(seed)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(faults > 2000, "the swarm injects faults ({faults})");
    assert!(checks > 100_000, "invariants were checked ({checks})");
}

#[test]
fn a_seed_always_builds_the_same_scenario() {
    assert_eq!(rmqsim::swarm::scenario_json(7), rmqsim::swarm::scenario_json(7));
    assert_ne!(rmqsim::swarm::scenario_json(7), rmqsim::swarm::scenario_json(8));
}
