//! The tutorial components' own labels (buttons, headings, tab names), in
//! both languages. They live beside the components rather than in the app's
//! key table so the tutorial layer can grow without touching shared files.

use super::model::{tx, Text};

pub const NARRATION_LABEL: Text = tx("讲解", "Narration");
pub const CHAPTER_MENU: Text = tx("章节", "Chapter");
pub const BACK: Text = tx("上一步", "Back");
pub const NEXT: Text = tx("下一步", "Next");
pub const PAUSE_AT: Text = tx("暂停于", "Pauses at");

pub const PREDICT_HEADING: Text = tx("先预测，再观察", "Predict, then observe");
pub const RIGHT: Text = tx("答对了！", "Right!");
pub const WRONG: Text = tx("不对。", "Not quite.");
pub const THE_ANSWER_IS: Text = tx("正确答案：", "The answer: ");
pub const TRY_AGAIN: Text = tx("重新作答", "Answer again");

pub const CODE_LABEL: Text = tx("代码", "Code");
pub const LANGUAGE_TABS: Text = tx("代码语言", "Code language");
pub const FILE_TABS: Text = tx("文件", "Files");
pub const PRODUCER: Text = tx("生产者", "Producer");
pub const CONSUMER: Text = tx("消费者", "Consumer");
pub const LISTENER_SWITCH: Text = tx("监听器返回值", "The listener returns");
pub const RUNNING_LINE: Text = tx("正在执行", "Running");
pub const NO_CODE: Text = tx("这个场景没有客户端代码。", "This scenario has no client code.");

/// "Step 3 of 52" / "第 3 步，共 52 步".
pub fn step_of(lang: crate::i18n::Lang, n: usize, m: usize) -> String {
    match lang {
        crate::i18n::Lang::Zh => format!("第 {n} 步，共 {m} 步"),
        crate::i18n::Lang::En => format!("Step {n} of {m}"),
    }
}

/// A virtual time for people: `1.03 s`, `4 min 0.1 s`, `4 h 45 min 46.7 s`.
pub fn format_time(ms: u64) -> String {
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s = (ms % 60_000) as f64 / 1000.0;
    let secs = {
        let t = format!("{s:.3}");
        let t = t.trim_end_matches('0').trim_end_matches('.');
        format!("{t} s")
    };
    match (h, m) {
        (0, 0) => secs,
        (0, m) => format!("{m} min {secs}"),
        (h, m) => format!("{h} h {m} min {secs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn times_read_naturally() {
        assert_eq!(format_time(1_030), "1.03 s");
        assert_eq!(format_time(50), "0.05 s");
        assert_eq!(format_time(41_000), "41 s");
        assert_eq!(format_time(225_500), "3 min 45.5 s");
        assert_eq!(format_time(17_146_700), "4 h 45 min 46.7 s");
    }

    #[test]
    fn step_counter_in_both_languages() {
        assert_eq!(step_of(Lang::En, 3, 52), "Step 3 of 52");
        assert_eq!(step_of(Lang::Zh, 3, 52), "第 3 步，共 52 步");
    }
}
