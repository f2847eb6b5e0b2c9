//! The code lab's strings, in Chinese and English side by side (the same
//! rule as the app's: a key cannot exist in one language only). `{0}`,
//! `{1}` … are filled by [`fill`].

/// A language the lab can be shown in (the app says which).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Lang {
        if code == "en" {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident => ($zh:expr, $en:expr),)*) => {
        /// The name of one lab string; [`t`] turns it into text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum K {
            $($(#[$doc])* $name,)*
        }

        impl K {
            /// Every key, so a test can check both tables.
            pub const ALL: &'static [K] = &[$(K::$name,)*];
        }

        /// The text of `key` in `lang`.
        pub fn t(lang: Lang, key: K) -> &'static str {
            match (lang, key) {
                $((Lang::Zh, K::$name) => $zh, (Lang::En, K::$name) => $en,)*
            }
        }
    };
}

keys! {
    /// Lab: heading.
    Heading => ("代码实验室", "Code lab"),
    /// Lab: what it does.
    Intro => (
        "这里跑的是真的 Python（MicroPython，在浏览器里）：教程里的程序原样运行，调用的是 rocketmq-client-python 2.x 的 API，连的是本页上的模拟集群。改一行，按运行（Ctrl+Enter），看集群怎么反应。",
        "This is real Python (MicroPython, in your browser): the tutorial's programs run as written, calling rocketmq-client-python 2.x's API against the simulated cluster on this page. Change a line, press Run (Ctrl+Enter) and watch the cluster react."
    ),
    /// Lab: the NameServer address line; `{0}` the addresses.
    Namesrv => ("NameServer 地址：{0}", "NameServer address: {0}"),
    /// Lab: run button.
    Run => ("运行", "Run"),
    /// Lab: run button's tooltip.
    RunHint => ("运行所有程序（Ctrl+Enter）", "Run every program (Ctrl+Enter)"),
    /// Lab: stop button.
    Stop => ("停止", "Stop"),
    /// Lab: horizon select's label.
    Horizon => ("运行时长", "Run for"),
    /// Lab: open the cluster builder.
    Cluster => ("编辑集群…", "Edit the cluster…"),
    /// Lab: the program tabs' accessible name.
    Programs => ("程序", "Programs"),
    /// Lab: add-a-program select's label.
    Add => ("添加程序…", "Add a program…"),
    /// Lab: the eighth program is the last.
    AddLimit => ("最多 8 个程序", "At most 8 programs"),
    /// Lab: a loaded run's lab record does not hold together; `{0}` why.
    RecordRefused => ("这次运行附带的代码记录无效，不显示：{0}", "This run's code record is not valid and is not shown: {0}"),
    /// Lab: template names.
    TplConsumer => ("消费者（同一个组）", "Consumer (same group)"),
    TplProducer => ("生产者（producer.py）", "Producer (producer.py)"),
    TplDelay => ("延迟消息生产者", "Delayed-message producer"),
    TplTransaction => ("事务消息生产者", "Transactional producer"),
    TplOrderly => ("顺序消息生产者", "Ordered producer"),
    TplEmpty => ("空白程序", "Empty program"),
    /// Lab: rename button.
    Rename => ("改名", "Rename"),
    /// Lab: the rename field's label.
    NewName => ("新文件名", "New file name"),
    /// Lab: remove button; `{0}` the file.
    Remove => ("删除 {0}", "Remove {0}"),
    /// Lab: restore the tutorial's programs.
    Reset => ("恢复教程代码", "Restore the tutorial's code"),
    /// Lab: the editor's accessible name; `{0}` the file.
    Editor => ("{0} 的代码", "Code of {0}"),
    /// Lab: console heading.
    Console => ("控制台（虚拟时间）", "Console (virtual time)"),
    /// Lab: console before a run.
    ConsoleEmpty => ("还没有输出。按运行。", "No output yet. Press Run."),
    /// Lab: console lines not kept; `{0}` how many.
    ConsoleDropped => ("另有 {0} 行输出超出 10,000 行的上限，没有保留", "{0} more lines went past the 10,000-line limit and were not kept"),
    /// Lab: the lab's own note, before its text.
    Note => ("实验室提示", "lab note"),
    /// Lab: loading Python.
    Loading => ("正在加载 Python 运行时…", "Loading the Python runtime…"),
    /// Lab: running; `{0}` virtual time, `{1}` the horizon.
    Running => ("运行中：虚拟时间 {0} / {1}", "Running: virtual time {0} of {1}"),
    /// Lab: re-running from the start to declare new clients; `{0}` how many times.
    Restarts => ("（程序启动了新客户端，从头重跑了 {0} 次）", "(the programs started new clients; rerun from the start {0}×)"),
    /// Lab: a run finished; `{0}` virtual time, `{1}` fingerprint.
    Done => ("运行完成，到 {0}。指纹 {1}。用下方的时间轴回放、拖动。", "Run recorded, to {0}. Fingerprint {1}. Replay and scrub it with the time bar below."),
    /// Lab: stopped by the learner; `{0}` virtual time.
    Stopped => ("已停止，记录到 {0} 为止。", "Stopped; recorded up to {0}."),
    /// Lab: a syntax error; `{0}` file, `{1}` line, `{2}` column, `{3}` message.
    Syntax => ("{0} 第 {1} 行第 {2} 列：{3}（上一次运行保持不变）", "{0}, line {1}, column {2}: {3} (the previous run stays on screen)"),
    /// Lab: could not run; `{0}` why.
    Failed => ("代码实验室无法运行：{0}", "The code lab could not run: {0}"),
    /// Lab: the page needs isolation first.
    NeedsIsolation => (
        "代码实验室让每个程序在独立的后台线程里运行，并在调用阻塞时等待模拟集群；这需要页面处于“跨源隔离”状态。页面自带的 service worker 可以做到，只需重新加载一次。",
        "The code lab runs each program in its own background worker that waits for the simulated cluster on every blocking call; that needs the page to be cross-origin isolated. The page's own service worker provides it: reload once."
    ),
    /// Lab: reload into isolation.
    Enable => ("启用并重新加载", "Enable and reload"),
    /// Lab: no service worker in this browser.
    NoWorker => ("这个浏览器不能注册 service worker（例如以 file:// 打开），代码实验室无法运行。", "This browser cannot register a service worker (e.g. the page was opened from file://), so the code lab cannot run."),
    /// Lab: the replay on screen is not the code in the editor.
    Edited => ("编辑器里的代码已改动；时间轴上回放的是上一次运行的代码。", "The code was edited since this run; the time bar replays the run of the earlier code."),
    /// Lab: run again reproduced; `{0}` fingerprint.
    Same => ("重新运行得到同样的指纹 {0}：代码、集群和种子相同，结果就相同。", "Run again gave the same fingerprint {0}: same code, cluster and seed, same run."),
    /// Lab: run again differs; `{0}` new, `{1}` recorded.
    Differs => ("重新运行得到的指纹 {0} 与记录的 {1} 不同。", "Run again gave fingerprint {0}, but the recorded run has {1}."),
    /// Lab: a lab run opened from a link or file.
    Opened => ("已打开分享的实验：代码在编辑器里，运行已回放。按“重新运行”可用真的 Python 再跑一遍并比对指纹。", "Opened a shared lab run: the code is in the editor and the run is replayed. Press Run again to re-execute it with real Python and compare fingerprints."),
    /// Lab: run again button.
    RunAgain => ("重新运行", "Run again"),
    /// Lab: highlighted line's meaning; `{0}` file, `{1}` line.
    Caused => ("当前事件来自 {0} 第 {1} 行", "The current event comes from {0}, line {1}"),
    /// Lab: the run hit the engine's budget; `{0}` why.
    EngineEnd => ("运行提前结束：{0}", "The run ended early: {0}"),
}

pub use rmqsim::text::fill;

/// `key` filled with `args`.
pub fn f(lang: Lang, key: K, args: &[&str]) -> String {
    fill(t(lang, key), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_holes_match() {
        for key in K::ALL {
            let (zh, en) = (t(Lang::Zh, *key), t(Lang::En, *key));
            assert!(!zh.is_empty() && !en.is_empty(), "{key:?}");
            for i in 0..4 {
                let hole = format!("{{{i}}}");
                assert_eq!(zh.contains(&hole), en.contains(&hole), "{key:?} {hole}");
            }
        }
        assert_eq!(fill("{0} of {1}", &["a", "b"]), "a of b");
    }
}
