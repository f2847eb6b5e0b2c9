//! The live broker.conf editor of chapter 1 (安装): the tutorial's
//! broker.conf in a text area, parsed with the engine's own parser
//! (`rmqsim::conf`) on every keystroke.
//!
//! - Valid text (and a scenario that accepts it) is applied: the component
//!   asks the app to rebuild the running cluster with it ([`BrokerConfEditorProps::on_apply`]),
//!   so `brokerIP1` shows in the broker's registration, route data and
//!   inspector, and `brokerRole` / `flushDiskType` in its badges. The parsed
//!   settings are listed beside it.
//! - An unknown key or a bad value shows the parser's message (line, key and,
//!   for a typo, the nearest known key) and the offending line; nothing is
//!   applied, so the running cluster is untouched.
//!
//! When the run is replaced from elsewhere (Back, Replay, another step) the
//! text follows the running scenario's `cluster.broker_conf` again.

use rmqsim::conf::{format_delay_levels, BrokerConf, KNOWN_KEYS};
use rmqsim::Scenario;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::chapters::{step, STEPS};
use super::SharedScenario;
use crate::i18n::tools::{tf, tt, ToolKey};
use crate::i18n::use_lang;

/// The steps that show the editor: the cluster from docker-compose and its broker.conf.
pub const EDITOR_STEPS: &[&str] = &["setup-register", "setup-broker-ip"];

/// Whether step `index` shows the broker.conf editor.
pub fn shows_editor(index: usize) -> bool {
    step(index).is_some_and(|s| EDITOR_STEPS.contains(&s.id))
}

/// What the editor makes of a text.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// The text parses and the scenario accepts it: `scenario` is the running
    /// one with this broker.conf, `conf` the first broker's effective settings.
    Valid { scenario: Box<Scenario>, broker: String, conf: Box<BrokerConf> },
    /// The parser refuses a line: its message names the line and the key.
    Refused { line: usize, key: String, message: String, text: String },
    /// The file parses but the scenario refuses it (e.g. `brokerName` that is
    /// not the broker's name); `field` is the scenario field.
    ScenarioRefused { field: String, message: String },
}

/// Parses `text` as the broker.conf shared by every broker of `base`.
pub fn check(base: &Scenario, text: &str) -> Verdict {
    if let Err(e) = BrokerConf::default().apply(text) {
        let line_text = text.lines().nth(e.line.saturating_sub(1)).unwrap_or_default().to_string();
        return Verdict::Refused { line: e.line, key: e.key.clone(), message: e.to_string(), text: line_text };
    }
    let mut next = base.clone();
    next.cluster.broker_conf = text.to_string();
    // Validate the whole scenario again, exactly as a loaded file would be.
    let checked = rmqsim::share::scenario_json(&next)
        .map_err(|e| rmqsim::ScenarioError::new("", e.to_string()))
        .and_then(|json| Scenario::from_json(&json));
    let scenario = match checked {
        Ok(scenario) => scenario,
        Err(e) => return Verdict::ScenarioRefused { field: e.field.clone(), message: e.message.clone() },
    };
    match scenario.broker_conf(0) {
        Ok(conf) => Verdict::Valid {
            broker: scenario.cluster.brokers[0].name.clone(),
            scenario: Box::new(scenario),
            conf: Box::new(conf),
        },
        Err(e) => Verdict::ScenarioRefused { field: e.field.clone(), message: e.message.clone() },
    }
}

/// The settings to list for an effective configuration: the tutorial's keys
/// always, any other key only when it differs from RocketMQ's default.
pub fn settings(conf: &BrokerConf, broker: &str) -> Vec<(&'static str, String)> {
    let d = BrokerConf::default();
    let mut out: Vec<(&'static str, String)> = vec![
        ("brokerClusterName", conf.broker_cluster_name.clone()),
        ("brokerName", conf.broker_name.clone().unwrap_or_else(|| broker.to_string())),
        ("brokerId", "0".into()),
        ("brokerIP1", conf.broker_ip1.clone()),
        ("listenPort", conf.listen_port.to_string()),
        ("brokerRole", conf.broker_role.name().into()),
        ("flushDiskType", conf.flush_disk_type.name().into()),
        ("deleteWhen", format!("{:02}", conf.delete_when)),
        ("fileReservedTime", conf.file_reserved_time_h.to_string()),
    ];
    let mut extra = |key: &'static str, differs: bool, value: String| {
        if differs {
            out.push((key, value));
        }
    };
    extra("namesrvAddr", conf.namesrv_addr != d.namesrv_addr, conf.namesrv_addr.clone().unwrap_or_default());
    extra(
        "autoCreateTopicEnable",
        conf.auto_create_topic_enable != d.auto_create_topic_enable,
        conf.auto_create_topic_enable.to_string(),
    );
    extra(
        "autoCreateSubscriptionGroup",
        conf.auto_create_subscription_group != d.auto_create_subscription_group,
        conf.auto_create_subscription_group.to_string(),
    );
    extra(
        "defaultTopicQueueNums",
        conf.default_topic_queue_nums != d.default_topic_queue_nums,
        conf.default_topic_queue_nums.to_string(),
    );
    extra(
        "messageDelayLevel",
        conf.message_delay_level != d.message_delay_level,
        format_delay_levels(&conf.message_delay_level),
    );
    extra(
        "syncFlushTimeout",
        conf.sync_flush_timeout_ms != d.sync_flush_timeout_ms,
        conf.sync_flush_timeout_ms.to_string(),
    );
    extra("slaveTimeout", conf.slave_timeout_ms != d.slave_timeout_ms, conf.slave_timeout_ms.to_string());
    extra("maxMessageSize", conf.max_message_size != d.max_message_size, conf.max_message_size.to_string());
    extra(
        "registerNameServerPeriod",
        conf.register_name_server_period_ms != d.register_name_server_period_ms,
        conf.register_name_server_period_ms.to_string(),
    );
    extra(
        "flushIntervalCommitLog",
        conf.flush_interval_commit_log_ms != d.flush_interval_commit_log_ms,
        conf.flush_interval_commit_log_ms.to_string(),
    );
    extra(
        "flushConsumerOffsetInterval",
        conf.flush_consumer_offset_interval_ms != d.flush_consumer_offset_interval_ms,
        conf.flush_consumer_offset_interval_ms.to_string(),
    );
    extra(
        "flushDelayOffsetInterval",
        conf.flush_delay_offset_interval_ms != d.flush_delay_offset_interval_ms,
        conf.flush_delay_offset_interval_ms.to_string(),
    );
    extra("longPollingEnable", conf.long_polling_enable != d.long_polling_enable, conf.long_polling_enable.to_string());
    extra(
        "transactionCheckInterval",
        conf.transaction_check_interval_ms != d.transaction_check_interval_ms,
        conf.transaction_check_interval_ms.to_string(),
    );
    extra(
        "transactionCheckMax",
        conf.transaction_check_max != d.transaction_check_max,
        conf.transaction_check_max.to_string(),
    );
    out
}

/// What the editor shows and where an applicable file goes.
#[derive(Properties, PartialEq)]
pub struct BrokerConfEditorProps {
    /// The running scenario (its `cluster.broker_conf` is the text shown
    /// until the learner edits it).
    pub scenario: SharedScenario,
    /// The step's own file, for "restore".
    pub original: AttrValue,
    /// A valid file: the running scenario with it, to run instead.
    pub on_apply: Callback<Scenario>,
}

/// The broker.conf editor.
#[function_component]
pub fn BrokerConfEditor(props: &BrokerConfEditorProps) -> Html {
    let i18n = use_lang();
    let lang = i18n.lang;
    let running = props.scenario.0.cluster.broker_conf.clone();
    let text = use_state(|| running.clone());
    {
        // The run was replaced (Back, Replay, another step): show its file.
        let text = text.setter();
        use_effect_with(running.clone(), move |running| text.set(running.clone()));
    }
    let verdict = {
        let base = props.scenario.clone();
        use_memo(((*text).clone(), base), |(text, base)| check(&base.0, text))
    };
    let edit = {
        let (text, base, on_apply, running) =
            (text.clone(), props.scenario.clone(), props.on_apply.clone(), running.clone());
        move |next: String| {
            if next != running {
                if let Verdict::Valid { scenario, .. } = check(&base.0, &next) {
                    on_apply.emit(*scenario);
                }
            }
            text.set(next);
        }
    };
    let oninput = {
        let edit = edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                edit(area.value());
            }
        })
    };
    let restore = {
        let original = props.original.to_string();
        Callback::from(move |_: MouseEvent| edit(original.clone()))
    };
    let rows = (text.lines().count() + 1).clamp(4, 14).to_string();
    let result = match &*verdict {
        Verdict::Valid { broker, conf, .. } => {
            let items = settings(conf, broker).into_iter().map(|(k, v)| {
                html! { <><dt>{ k }</dt><dd>{ v }</dd></> }
            });
            html! {
                <div class="conf-verdict is-valid" role="status" data-verdict="valid">
                    <p class="conf-verdict-lead">{ tt(lang, ToolKey::ConfApplied) }</p>
                    <p class="conf-announce">
                        { tf(lang, ToolKey::ConfAnnounces, &[&format!("{}:{}", conf.broker_ip1, conf.listen_port)]) }
                    </p>
                    <h3 class="conf-parsed-title">{ tf(lang, ToolKey::ConfParsed, &[broker]) }</h3>
                    <dl class="conf-settings">{ for items }</dl>
                </div>
            }
        }
        Verdict::Refused { line, key, message, text } => {
            let lead = if key.is_empty() {
                tf(lang, ToolKey::ConfRefusedLine, &[&line.to_string()])
            } else {
                tf(lang, ToolKey::ConfRefusedAt, &[&line.to_string(), key])
            };
            html! {
                <div class="conf-verdict is-error" role="status" data-verdict="refused">
                    <p class="conf-verdict-lead">{ lead }</p>
                    <p class="conf-message mono">{ message.clone() }</p>
                    <pre class="conf-bad-line"><span class="conf-line-no">{ format!("{line:>3} │ ") }</span>{ text.clone() }</pre>
                    <p class="conf-untouched">{ tt(lang, ToolKey::ConfUntouched) }</p>
                </div>
            }
        }
        Verdict::ScenarioRefused { field, message } => html! {
            <div class="conf-verdict is-error" role="status" data-verdict="refused">
                <p class="conf-verdict-lead">{ tf(lang, ToolKey::ConfScenarioRefused, &[field]) }</p>
                <p class="conf-message mono">{ message.clone() }</p>
                <p class="conf-untouched">{ tt(lang, ToolKey::ConfUntouched) }</p>
            </div>
        },
    };
    let keys = KNOWN_KEYS.iter().map(|k| html! { <code>{ *k }</code> });
    html! {
        <section class="panel conf-editor" aria-labelledby="conf-heading">
            <h2 id="conf-heading" class="panel-heading">{ tt(lang, ToolKey::ConfHeading) }</h2>
            <p class="conf-intro">{ tt(lang, ToolKey::ConfIntro) }</p>
            <textarea class="conf-text mono" aria-label={tt(lang, ToolKey::ConfLabel)} spellcheck="false"
                autocomplete="off" {rows} value={(*text).clone()} {oninput} />
            <div class="conf-row">
                <button type="button" class="button button-small conf-restore" disabled={*text == props.original.as_str()}
                    onclick={restore}>{ tt(lang, ToolKey::ConfRestore) }</button>
            </div>
            { result }
            <details class="conf-keys">
                <summary>{ tt(lang, ToolKey::ConfKnownKeys) }</summary>
                <p class="conf-key-list">{ for keys }</p>
            </details>
        </section>
    }
}

/// The broker.conf a step's scenario runs (its `cluster.broker_conf`).
pub fn step_conf(index: usize) -> Option<String> {
    STEPS.get(index).and_then(|s| s.scenario.build().ok()).map(|sc| sc.cluster.broker_conf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tutorial::chapters::step_index;
    use rmqsim::{Sim, TraceMode};

    fn base() -> Scenario {
        let i = step_index("setup-register").unwrap();
        STEPS[i].scenario.build().unwrap()
    }

    #[test]
    fn the_editor_steps_run_the_tutorials_whole_file() {
        for id in EDITOR_STEPS {
            let i = step_index(id).unwrap();
            assert!(shows_editor(i));
            let conf = step_conf(i).unwrap();
            for key in [
                "brokerClusterName",
                "brokerName",
                "brokerId",
                "deleteWhen",
                "fileReservedTime",
                "brokerRole",
                "flushDiskType",
                "brokerIP1",
            ] {
                assert!(conf.contains(&format!("{key}=")), "{id} lacks {key}");
            }
        }
        assert!(!shows_editor(step_index("sync-five").unwrap()));
    }

    #[test]
    fn a_valid_file_is_applied_and_its_settings_listed() {
        let text = step_conf(0).unwrap().replace("192.168.2.57", "10.0.0.8").replace("ASYNC_FLUSH", "SYNC_FLUSH");
        let Verdict::Valid { scenario, broker, conf } = check(&base(), &text) else { panic!("valid") };
        assert_eq!(broker, "broker-a");
        let listed = settings(&conf, &broker);
        assert!(listed.contains(&("brokerIP1", "10.0.0.8".into())));
        assert!(listed.contains(&("flushDiskType", "SYNC_FLUSH".into())));
        assert!(listed.contains(&("deleteWhen", "04".into())));
        // The rebuilt run registers with the new address and shows the new flush mode.
        let mut sim = Sim::new(*scenario, TraceMode::Keep).unwrap();
        sim.run_until(50, 100_000);
        let reg = sim.core.trace.records().iter().find(|r| r.event == "broker_registered").unwrap();
        assert_eq!(reg.str("addr"), Some("10.0.0.8:10911"));
        let snap = sim.snapshot();
        let b = snap.nodes.iter().find(|n| n.name == "broker-a").unwrap();
        let rmqsim::snapshot::NodeDetail::Broker(detail) = &b.detail else { panic!("a broker") };
        assert_eq!(detail.flush, "SYNC_FLUSH");
        assert_eq!(detail.addr, "10.0.0.8:10911");
        // Non-default extras appear only when set.
        let Verdict::Valid { conf, .. } = check(&base(), "registerNameServerPeriod=20000") else { panic!() };
        assert!(settings(&conf, "broker-a").iter().any(|(k, v)| *k == "registerNameServerPeriod" && v == "20000"));
        assert!(!settings(&BrokerConf::default(), "b").iter().any(|(k, _)| *k == "registerNameServerPeriod"));
    }

    #[test]
    fn mistakes_name_the_line_and_key_and_apply_nothing() {
        let text = "brokerClusterName=DefaultCluster\nbrokerIp=1.2.3.4\n";
        let Verdict::Refused { line, key, message, text } = check(&base(), text) else { panic!("refused") };
        assert_eq!((line, key.as_str(), text.as_str()), (2, "brokerIp", "brokerIp=1.2.3.4"));
        assert!(message.contains("broker.conf line 2: brokerIp: unknown key; did you mean brokerIP1?"), "{message}");
        let Verdict::Refused { message, .. } = check(&base(), "flushDiskType=SYNC") else { panic!() };
        assert!(message.contains("\"SYNC\" is not ASYNC_FLUSH or SYNC_FLUSH"), "{message}");
        let Verdict::Refused { key, line, .. } = check(&base(), "\n\njust words") else { panic!() };
        assert_eq!((key.as_str(), line), ("", 3));
        let Verdict::ScenarioRefused { message, .. } = check(&base(), "brokerName=broker-x") else { panic!() };
        assert!(message.contains("broker-x"), "{message}");
        let Verdict::ScenarioRefused { field, .. } = check(&base(), "brokerRole=SLAVE") else { panic!() };
        assert!(field.contains("role"), "{field}");
    }
}
