//! Challenges (issue 15): every built-in challenge parses, its reference solution
//! passes (under its hidden seeds too, where luck could pass it), and each recorded
//! wrong attempt fails on the check it names. Bad documents are refused with the field.

use rmqsim::challenge::{self, Challenge, Solution};

fn verdict_line(c: &Challenge, s: &Solution) -> (bool, Vec<String>, String) {
    let v = c.judge(s).unwrap_or_else(|e| panic!("{}: the solution does not fit: {e}", c.name));
    let failed: Vec<String> = v.checks.iter().filter(|o| !o.pass).map(|o| o.id.clone()).collect();
    let detail = v
        .checks
        .iter()
        .map(|o| format!("{} {}: {}", if o.pass { "ok" } else { "FAIL" }, o.id, o.detail))
        .collect::<Vec<_>>()
        .join("\n");
    let hidden = v.hidden.iter().flatten().cloned().collect::<Vec<_>>().join(", ");
    (v.passed(), failed, format!("{detail}\nhidden runs failed: [{hidden}]"))
}

#[test]
fn there_are_at_least_16_challenges_covering_every_chapter() {
    let all = challenge::all();
    assert!(all.len() >= 16, "{}", all.len());
    for chapter in
        ["setup", "concepts", "sync", "async", "oneway", "normal", "orderly", "delay", "transaction", "retry", "usage"]
    {
        assert!(all.iter().any(|c| c.chapter == chapter), "no challenge for chapter {chapter}");
    }
}

#[test]
fn every_reference_solution_passes_and_every_wrong_attempt_fails_where_it_should() {
    for c in challenge::all() {
        let (passed, failed, detail) = verdict_line(&c, &c.solution);
        assert!(passed, "{}: the reference solution fails {failed:?}\n{detail}", c.name);
        assert!(!c.wrong.is_empty(), "{}: records no wrong attempt", c.name);
        for w in &c.wrong {
            let (passed, failed, detail) = verdict_line(&c, &w.solution);
            assert!(!passed, "{}: the wrong attempt \"{}\" passes\n{detail}", c.name, w.note);
            assert!(
                failed.contains(&w.fails),
                "{}: \"{}\" should fail {} but fails {failed:?}\n{detail}",
                c.name,
                w.note,
                w.fails
            );
        }
    }
}

fn doc() -> serde_json::Value {
    serde_json::from_str(challenge::BUILT_IN[0].1).unwrap()
}

fn refused(v: serde_json::Value) -> String {
    match Challenge::from_json(&v.to_string()) {
        Ok(_) => panic!("accepted: {v}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_challenges_are_refused_naming_the_field() {
    let mut v = doc();
    v["checks"][0]["kind"] = "teleport".into();
    assert!(refused(v).contains("unknown variant `teleport`"));
    let mut v = doc();
    v["checks"][0]["where"]["broker"] = "broker-z".into();
    assert!(refused(v).starts_with("checks[0].where.broker: \"broker-z\" is not a node"));
    let mut v = doc();
    v["goal"].as_object_mut().unwrap().remove("zh");
    assert!(refused(v).starts_with("goal"), "a goal without Chinese");
    let mut v = doc();
    v["goal"]["en"] = "".into();
    assert_eq!(refused(v), "goal.en: the English text is missing");
    let mut v = doc();
    v["checks"][0]["event"] = "teleported".into();
    assert!(refused(v).contains("unknown event kind \"teleported\""));
    let mut v = doc();
    v["checks"][0]["bogus"] = 1.into();
    assert!(refused(v).contains("unknown field `bogus`"));
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(challenge::MAX_BYTES));
    assert!(Challenge::from_json(&big).unwrap_err().to_string().starts_with("file: "));
}

#[test]
fn a_solution_that_does_not_fit_its_challenge_is_refused() {
    let c = challenge::find("never-tag-b").unwrap();
    let other = Solution { challenge: Some("into-the-dlq".into()), ..Default::default() };
    assert!(c.judge(&other).unwrap_err().to_string().contains("is for \"into-the-dlq\""));
    let kill = challenge::solution_from_json(r#"{"actions":[{"at":"1s","do":"kill","node":"broker-a"}]}"#).unwrap();
    assert!(c.judge(&kill).unwrap_err().to_string().contains("needs the fault palette"));
    let elsewhere = challenge::solution_from_json(r#"{"patches":[{"path":"/actions/0","value":{}}]}"#).unwrap();
    assert!(c.judge(&elsewhere).unwrap_err().to_string().contains("is not part of the cluster"));
    let ghost =
        challenge::solution_from_json(r#"{"patches":[{"path":"/consumers/0/subscribe/0/topic","value":"Nope"}]}"#)
            .unwrap();
    assert!(c.judge(&ghost).is_err(), "a cluster edit the scenario refuses");
    assert!(challenge::solution_from_json(r#"{"actions": 3}"#)
        .unwrap_err()
        .to_string()
        .starts_with("solution.actions"));
}

#[test]
fn hidden_seeds_are_stable_and_differ_from_the_visible_one() {
    let c = challenge::find("orders-survive-broker-death").unwrap();
    assert!(c.luck);
    let a = c.hidden_seeds(11);
    assert_eq!(a, c.hidden_seeds(11));
    assert_eq!(a.len(), challenge::HIDDEN_SEEDS);
    assert!(!a.contains(&11));
}

#[test]
fn a_run_becomes_a_solution_and_a_link_carries_a_challenge() {
    let c = challenge::find("arrive-after-30s").unwrap();
    // The learner's run: the starting scenario plus a delay-level-4 send at 2 s.
    let built = c.build(&c.solution).unwrap();
    let running = rmqsim::Scenario::from_json(&c.scenario.to_string()).unwrap();
    let with = rmqsim::Scenario::from_json(&built.to_string()).unwrap();
    let interventions = &with.actions[running.actions.len()..];
    let s = c.solution_from_run(&running, interventions);
    assert!(s.patches.is_empty(), "the cluster is unchanged");
    assert_eq!(s.actions.len(), 1);
    assert!(c.judge(&s).unwrap().passed());
    // A learner who changed the cluster: the changed section becomes a patch, refused without the builder.
    let mut other = running.clone();
    other.topics[0].write_queues = 2;
    let s = c.solution_from_run(&other, interventions);
    assert_eq!(s.patches.len(), 1);
    assert!(c.judge(&s).unwrap_err().to_string().contains("does not allow the cluster builder"));
    // Links.
    let token = Challenge::link_token(challenge::BUILT_IN[0].1);
    assert_eq!(Challenge::from_link_token(&token).unwrap().name, challenge::BUILT_IN[0].0);
    assert!(Challenge::from_link_token("%%%").unwrap_err().to_string().contains("damaged"));
}

#[test]
fn a_run_too_long_to_judge_is_refused_not_run() {
    let mut v: serde_json::Value = serde_json::from_str(challenge::BUILT_IN[0].1).unwrap();
    v["scenario"]["until"] = "30h".into();
    let c = Challenge::from_json(&v.to_string()).unwrap();
    let e = c.judge(&c.solution).unwrap_err().to_string();
    assert!(e.contains("more than 1000000 engine events"), "{e}");
}

/// The names the app lists (it fetches the documents) are the built-in documents', in order.
#[test]
fn built_in_names_match_the_documents() {
    let names: Vec<&str> = challenge::BUILT_IN.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, challenge::BUILT_IN_NAMES);
    for (name, text) in challenge::BUILT_IN {
        assert_eq!(Challenge::from_json(text).unwrap().name, *name);
    }
}
