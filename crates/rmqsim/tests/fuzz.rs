//! Fuzzed inputs: mutated preset scenarios and random broker.conf lines never
//! panic, and every rejection is a one-line message; so do mutated share links
//! and session documents. A short run here; the
//! long sweep is `rmqsim fuzz --count 1000000` (see README).
//!
//! Regression (found by this fuzzer): a multi-byte `messageDelayLevel` token
//! such as `测试` made the broker.conf parser slice inside a character and panic.

#[test]
fn mutated_inputs_never_panic_and_errors_stay_on_one_line() {
    let r = rmqsim::fuzz::run(7, 20_000);
    assert!(r.panics.is_empty(), "panics: {:?}", &r.panics[..r.panics.len().min(5)]);
    assert!(
        r.bad_messages.is_empty(),
        "multi-line or empty messages: {:?}",
        &r.bad_messages[..r.bad_messages.len().min(5)]
    );
    assert_eq!(r.inputs, 20_000);
    assert!(r.accepted > 100, "some mutations stay valid and are run ({})", r.accepted);
    assert!(r.rejected > 10_000, "most are rejected with a message ({})", r.rejected);
}

#[test]
fn multi_byte_delay_levels_are_an_error_not_a_panic() {
    let mut conf = rmqsim::conf::BrokerConf::default();
    let err = conf.apply("messageDelayLevel=测试 1s").unwrap_err();
    assert_eq!((err.line, err.key.as_str()), (1, "messageDelayLevel"));
}

#[test]
fn mutated_share_links_never_panic_and_errors_stay_on_one_line() {
    let r = rmqsim::fuzz::run_share(11, 3_000);
    assert!(r.panics.is_empty(), "panics: {:?}", &r.panics[..r.panics.len().min(5)]);
    assert!(
        r.bad_messages.is_empty(),
        "multi-line or empty messages: {:?}",
        &r.bad_messages[..r.bad_messages.len().min(5)]
    );
    assert_eq!(r.inputs, 3_000);
    assert!(r.accepted > 50, "some mutations stay valid and are replayed ({})", r.accepted);
    assert!(r.rejected > 1_000, "most are rejected with a message ({})", r.rejected);
}
