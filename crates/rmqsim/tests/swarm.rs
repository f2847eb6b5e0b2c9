//! Swarm: random clusters, workloads and fault schedules with invariants on
//! (and debug assertions, since tests build in debug). Each seed runs twice
//! and must give the same hash. A failure prints its one-line repro.
//! The first run of each seed also checks liveness (see `rmqsim::liveness`): it ends at
//! its until, sends no storm, and every SEND_OK message reaches every subscribed
//! CLUSTERING group once every fault has healed, unless a documented loss applies.
//! 2,000 seeds run in every `cargo test`; `rmqsim swarm --count 20000` sweeps further.

#[test]
fn random_seeds_keep_every_invariant_replay_identically_and_make_progress() {
    let mut failures = Vec::new();
    let (mut faults, mut checks) = (0, 0);
    let mut tally = rmqsim::swarm::LivenessTally::default();
    for seed in 1..=2000 {
        let r = rmqsim::swarm::run_seed(seed);
        faults += r.faults;
        checks += r.checks;
        tally.add(&r);
        if let Some(f) = r.failure {
            failures.push(format!("seed {seed}: {f}\n  repro: {}", rmqsim::swarm::repro(seed)));
        }
    }
    println!("{}", tally.summary());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(faults > 2000, "the swarm injects faults ({faults})");
    assert!(checks > 100_000, "invariants were checked ({checks})");
    // The liveness checks ran and saw the cases they are for.
    assert!(tally.due > 10_000 && tally.delivered * 10 > tally.due * 7, "{}", tally.summary());
    assert!(tally.nameserver_faults > 500 && tally.mixed_groups > 300, "{}", tally.summary());
    assert_eq!(tally.ended_at_until, 2000, "{}", tally.summary());
}

#[test]
fn a_seed_always_builds_the_same_scenario() {
    assert_eq!(rmqsim::swarm::scenario_json(7), rmqsim::swarm::scenario_json(7));
    assert_ne!(rmqsim::swarm::scenario_json(7), rmqsim::swarm::scenario_json(8));
}

/// Runs one swarm seed and fails with its repro line if any invariant breaks.
fn seed_passes(seed: u64) {
    let r = rmqsim::swarm::run_seed(seed);
    assert!(r.failure.is_none(), "seed {seed}: {:?}\n  repro: {}", r.failure, rmqsim::swarm::repro(seed));
    assert!(r.checks > 0, "seed {seed} ran with invariants on");
}

// Postmortem: a held pull that skipped non-matching tags answered NO_NEW_MSG from its new position; the ledger must count those offsets as filtered.
#[test]
fn regression_seed_4_held_pull_skipping_tags_counts_as_filtered() {
    seed_passes(4);
}

// Postmortem: in a rebalance handover the new owner's first pull re-commits the offset it read before the old owner's last commit landed, moving the broker's offset back (RocketMQ does too).
#[test]
fn regression_seed_289_rebalance_handover_may_rewind_the_broker_offset() {
    seed_passes(289);
}

// Postmortem: during a partition two members of a group own one queue and both commit it, so the broker's offset goes back and forth; only a single member going back is a bug.
#[test]
fn regression_seed_1895_split_ownership_commits_are_not_a_rewind_bug() {
    seed_passes(1895);
}

// Postmortem: failed send-backs while the broker was down bumped reconsume_times on the client (local retries) past maxReconsumeTimes, and a power loss let the send-back's commit-log offset name another message.
#[test]
fn regression_seed_13600_local_retries_may_exceed_the_dlq_count() {
    seed_passes(13600);
}

// Postmortem (liveness): an orderly consume that found its lock expired (the renewal was lost
// in a partition) returned without retrying, so after the partition healed and the lock was
// renewed, the cached messages were never consumed. It now retries every second, as the
// clients' tryLockLaterAndReconsume does.
#[test]
fn regression_seed_700_an_orderly_queue_resumes_after_its_lock_is_renewed() {
    seed_passes(700);
}

// Postmortem: after a power loss rewound a queue, OFFSET_ILLEGAL moved an orderly consumer back;
// the order invariant must start over at an explicit reset, as RocketMQ drops the process queue.
#[test]
fn regression_seed_5580_an_offset_reset_restarts_the_order_check() {
    seed_passes(5580);
}

// Postmortem: a member that consumed up to offset N before its broker lost power commits N after
// the restart; the offsets it passes were lost or reused by the power loss, not skipped.
#[test]
fn regression_seed_1170_commits_after_a_power_loss_pass_lost_offsets() {
    seed_passes(1170);
}

// Postmortem: OFFSET_ILLEGAL after a power loss drops the process queue; what was still in flight
// is skipped with it (the ledger counted only from the pull offset).
#[test]
fn regression_seed_12897_a_reset_skips_what_was_in_flight() {
    seed_passes(12897);
}
