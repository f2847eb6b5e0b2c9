//! `broker.conf`: the broker's settings, parsed the way a learner writes them.
//!
//! Only the keys the simulator models are accepted; an unknown key or a bad
//! value is an error that names the key and the line, because a silently
//! ignored typo is the classic broker.conf trap.

use crate::time::format_ms;
use std::fmt;

/// The broker's role in a master/slave pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokerRole {
    AsyncMaster,
    SyncMaster,
    Slave,
}

impl BrokerRole {
    pub fn parse(s: &str) -> Option<BrokerRole> {
        match s {
            "ASYNC_MASTER" => Some(BrokerRole::AsyncMaster),
            "SYNC_MASTER" => Some(BrokerRole::SyncMaster),
            "SLAVE" => Some(BrokerRole::Slave),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BrokerRole::AsyncMaster => "ASYNC_MASTER",
            BrokerRole::SyncMaster => "SYNC_MASTER",
            BrokerRole::Slave => "SLAVE",
        }
    }
}

/// How the commit log reaches the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlushMode {
    AsyncFlush,
    SyncFlush,
}

impl FlushMode {
    pub fn parse(s: &str) -> Option<FlushMode> {
        match s {
            "ASYNC_FLUSH" => Some(FlushMode::AsyncFlush),
            "SYNC_FLUSH" => Some(FlushMode::SyncFlush),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FlushMode::AsyncFlush => "ASYNC_FLUSH",
            FlushMode::SyncFlush => "SYNC_FLUSH",
        }
    }
}

/// The default `messageDelayLevel`.
pub const DEFAULT_DELAY_LEVELS: &str = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

/// A broker's configuration, with RocketMQ 4.9's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokerConf {
    pub broker_cluster_name: String,
    pub broker_name: Option<String>,
    pub broker_ip1: String,
    pub listen_port: u32,
    pub namesrv_addr: Option<String>,
    pub broker_role: BrokerRole,
    pub flush_disk_type: FlushMode,
    pub auto_create_topic_enable: bool,
    pub auto_create_subscription_group: bool,
    pub default_topic_queue_nums: u32,
    /// Delay of each level in ms (level 1 is index 0).
    pub message_delay_level: Vec<u64>,
    pub sync_flush_timeout_ms: u64,
    pub slave_timeout_ms: u64,
    pub max_message_size: u64,
    pub register_name_server_period_ms: u64,
    pub flush_interval_commit_log_ms: u64,
    pub flush_commit_log_thorough_interval_ms: u64,
    pub flush_consumer_offset_interval_ms: u64,
    pub flush_delay_offset_interval_ms: u64,
    pub long_polling_enable: bool,
    pub short_polling_time_mills: u64,
    pub transaction_check_interval_ms: u64,
    pub transaction_timeout_ms: u64,
    pub transaction_check_max: u32,
    pub notify_consumer_ids_changed_enable: bool,
    pub file_reserved_time_h: u64,
    pub delete_when: u32,
}

impl Default for BrokerConf {
    fn default() -> Self {
        BrokerConf {
            broker_cluster_name: "DefaultCluster".into(),
            broker_name: None,
            broker_ip1: String::new(),
            listen_port: 10911,
            namesrv_addr: None,
            broker_role: BrokerRole::AsyncMaster,
            flush_disk_type: FlushMode::AsyncFlush,
            auto_create_topic_enable: true,
            auto_create_subscription_group: true,
            default_topic_queue_nums: 8,
            message_delay_level: parse_delay_levels(DEFAULT_DELAY_LEVELS).unwrap_or_default(),
            sync_flush_timeout_ms: 5000,
            slave_timeout_ms: 3000,
            max_message_size: 4 * 1024 * 1024,
            register_name_server_period_ms: 30_000,
            flush_interval_commit_log_ms: 500,
            flush_commit_log_thorough_interval_ms: 10_000,
            flush_consumer_offset_interval_ms: 5000,
            flush_delay_offset_interval_ms: 10_000,
            long_polling_enable: true,
            short_polling_time_mills: 1000,
            transaction_check_interval_ms: 60_000,
            transaction_timeout_ms: 6000,
            transaction_check_max: 15,
            notify_consumer_ids_changed_enable: true,
            file_reserved_time_h: 72,
            delete_when: 4,
        }
    }
}

/// A problem in broker.conf text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfError {
    pub line: usize,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "broker.conf line {}: {}", self.line, self.message)
        } else {
            write!(f, "broker.conf line {}: {}: {}", self.line, self.key, self.message)
        }
    }
}

/// The keys the simulator understands, for error messages and the UI's editor hints.
pub const KNOWN_KEYS: &[&str] = &[
    "brokerClusterName",
    "brokerName",
    "brokerId",
    "brokerIP1",
    "brokerIP2",
    "listenPort",
    "namesrvAddr",
    "brokerRole",
    "flushDiskType",
    "autoCreateTopicEnable",
    "autoCreateSubscriptionGroup",
    "defaultTopicQueueNums",
    "messageDelayLevel",
    "syncFlushTimeout",
    "slaveTimeout",
    "maxMessageSize",
    "registerNameServerPeriod",
    "flushIntervalCommitLog",
    "flushCommitLogThoroughInterval",
    "flushConsumerOffsetInterval",
    "flushDelayOffsetInterval",
    "longPollingEnable",
    "shortPollingTimeMills",
    "transactionCheckInterval",
    "transactionTimeOut",
    "transactionCheckMax",
    "notifyConsumerIdsChangedEnable",
    "fileReservedTime",
    "deleteWhen",
    "storePathRootDir",
    "storePathCommitLog",
];

/// Parses `messageDelayLevel`: space-separated durations with unit s, m, h or d.
pub fn parse_delay_levels(text: &str) -> Result<Vec<u64>, String> {
    let mut out = Vec::new();
    for token in text.split_whitespace() {
        let unit_at = token.char_indices().last().map(|(i, _)| i).unwrap_or(0);
        let (num, unit) = token.split_at(unit_at);
        let factor = match unit {
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return Err(format!("level \"{token}\" needs a unit s, m, h or d (e.g. 5s)")),
        };
        let n: u64 =
            num.parse().map_err(|_| format!("level \"{token}\" is not a whole number followed by s, m, h or d"))?;
        if n == 0 {
            return Err(format!("level \"{token}\" is zero"));
        }
        out.push(n * factor);
    }
    if out.is_empty() {
        return Err("no levels given (expected e.g. \"1s 5s 10s\")".into());
    }
    if out.len() > 64 {
        return Err(format!("{} levels given; at most 64 are allowed", out.len()));
    }
    Ok(out)
}

/// Writes delay levels back in broker.conf syntax.
pub fn format_delay_levels(levels: &[u64]) -> String {
    levels.iter().map(|ms| format_ms(*ms)).collect::<Vec<_>>().join(" ")
}

impl BrokerConf {
    /// Applies broker.conf text on top of `self`.
    pub fn apply(&mut self, text: &str) -> Result<(), ConfError> {
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                continue;
            }
            let Some((key, value)) = line.split_once('=').or_else(|| line.split_once(':')) else {
                return Err(ConfError {
                    line: i + 1,
                    key: String::new(),
                    message: format!("\"{line}\" is not key=value"),
                });
            };
            let (key, value) = (key.trim(), value.trim());
            self.set(key, value).map_err(|message| ConfError { line: i + 1, key: key.to_string(), message })?;
        }
        Ok(())
    }

    fn set(&mut self, key: &str, v: &str) -> Result<(), String> {
        match key {
            "brokerClusterName" => self.broker_cluster_name = nonempty(v)?,
            "brokerName" => self.broker_name = Some(nonempty(v)?),
            "brokerId" => {
                let id = num(v, 0, 1024)?;
                if id != 0 {
                    return Err(
                        "only masters (brokerId=0) are configured here; a slave is the broker's \"slave\": true".into(),
                    );
                }
            }
            "brokerIP1" => self.broker_ip1 = ipv4(v)?,
            "brokerIP2" => {
                ipv4(v)?;
            }
            "listenPort" => self.listen_port = num(v, 1, 65535)? as u32,
            "namesrvAddr" => self.namesrv_addr = Some(nonempty(v)?),
            "brokerRole" => {
                self.broker_role =
                    BrokerRole::parse(v).ok_or_else(|| format!("\"{v}\" is not ASYNC_MASTER, SYNC_MASTER or SLAVE"))?
            }
            "flushDiskType" => {
                self.flush_disk_type =
                    FlushMode::parse(v).ok_or_else(|| format!("\"{v}\" is not ASYNC_FLUSH or SYNC_FLUSH"))?
            }
            "autoCreateTopicEnable" => self.auto_create_topic_enable = boolean(v)?,
            "autoCreateSubscriptionGroup" => self.auto_create_subscription_group = boolean(v)?,
            "defaultTopicQueueNums" => self.default_topic_queue_nums = num(v, 1, 1024)? as u32,
            "messageDelayLevel" => self.message_delay_level = parse_delay_levels(v)?,
            "syncFlushTimeout" => self.sync_flush_timeout_ms = num(v, 1, 600_000)?,
            "slaveTimeout" => self.slave_timeout_ms = num(v, 1, 600_000)?,
            "maxMessageSize" => self.max_message_size = num(v, 1, 64 * 1024 * 1024)?,
            "registerNameServerPeriod" => self.register_name_server_period_ms = num(v, 1, 3_600_000)?,
            "flushIntervalCommitLog" => self.flush_interval_commit_log_ms = num(v, 1, 600_000)?,
            "flushCommitLogThoroughInterval" => self.flush_commit_log_thorough_interval_ms = num(v, 1, 3_600_000)?,
            "flushConsumerOffsetInterval" => self.flush_consumer_offset_interval_ms = num(v, 1, 3_600_000)?,
            "flushDelayOffsetInterval" => self.flush_delay_offset_interval_ms = num(v, 1, 3_600_000)?,
            "longPollingEnable" => self.long_polling_enable = boolean(v)?,
            "shortPollingTimeMills" => self.short_polling_time_mills = num(v, 1, 600_000)?,
            "transactionCheckInterval" => self.transaction_check_interval_ms = num(v, 100, 86_400_000)?,
            "transactionTimeOut" => self.transaction_timeout_ms = num(v, 0, 86_400_000)?,
            "transactionCheckMax" => self.transaction_check_max = num(v, 1, 1000)? as u32,
            "notifyConsumerIdsChangedEnable" => self.notify_consumer_ids_changed_enable = boolean(v)?,
            "fileReservedTime" => self.file_reserved_time_h = num(v, 1, 24 * 365)?,
            "deleteWhen" => self.delete_when = num(v, 0, 23)? as u32,
            "storePathRootDir" | "storePathCommitLog" => {
                nonempty(v)?;
            }
            _ => {
                let hint = suggest(key).map(|k| format!("; did you mean {k}?")).unwrap_or_default();
                return Err(format!("unknown key{hint}"));
            }
        }
        Ok(())
    }

    /// The effective registration period: `max(10 s, min(registerNameServerPeriod, 60 s))`.
    pub fn register_period_ms(&self) -> u64 {
        self.register_name_server_period_ms.clamp(10_000, 60_000)
    }

    pub fn max_delay_level(&self) -> u32 {
        self.message_delay_level.len() as u32
    }
}

fn nonempty(v: &str) -> Result<String, String> {
    if v.is_empty() {
        Err("value is empty".into())
    } else {
        Ok(v.to_string())
    }
}

fn num(v: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let n: u64 = v.parse().map_err(|_| format!("\"{v}\" is not a whole number"))?;
    if n < lo || n > hi {
        return Err(format!("{n} is outside {lo}..={hi}"));
    }
    Ok(n)
}

fn boolean(v: &str) -> Result<bool, String> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("\"{v}\" is not true or false")),
    }
}

fn ipv4(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split('.').collect();
    let ok = parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok());
    if ok {
        Ok(v.to_string())
    } else {
        Err(format!("\"{v}\" is not an IPv4 address like 192.168.2.57"))
    }
}

fn suggest(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    KNOWN_KEYS
        .iter()
        .copied()
        .map(|k| {
            let kl = k.to_ascii_lowercase();
            (edit_distance(&kl, &lower), !kl.starts_with(&lower), k)
        })
        .filter(|(d, _, _)| *d <= 2)
        .min()
        .map(|(_, _, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tutorial_conf_parses() {
        let mut c = BrokerConf::default();
        c.apply("# /install/conf/broker.conf\nbrokerIP1=192.168.2.57\n").unwrap();
        assert_eq!(c.broker_ip1, "192.168.2.57");
        assert_eq!(c.message_delay_level.len(), 18);
        assert_eq!(c.message_delay_level[1], 5000);
        assert_eq!(c.message_delay_level[17], 7_200_000);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let mut c = BrokerConf::default();
        let e = c.apply("brokerIP1=1.2.3.4\nbrokerIp=1.2.3.4\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.key, "brokerIp");
        assert!(e.to_string().contains("did you mean brokerIP1"), "{e}");
    }

    #[test]
    fn bad_values_are_named() {
        let mut c = BrokerConf::default();
        assert!(c.apply("brokerRole=MASTER").unwrap_err().message.contains("ASYNC_MASTER"));
        assert!(c.apply("messageDelayLevel=1s 5x").unwrap_err().message.contains("5x"));
        assert!(c.apply("messageDelayLevel=测试").is_err(), "multi-byte text is an error, not a panic");
        assert!(c.apply("brokerIP1=300.1.1.1").is_err());
        assert!(c.apply("just words").is_err());
    }
}
