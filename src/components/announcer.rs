//! What a screen reader hears without looking: one polite live region, always
//! in the page (a live region added together with its text is not read), whose
//! text changes when the tutorial moves to another step, when a run reaches
//! its end, and when a check fails (a guarantee checker finds a problem, or a
//! step's run stops matching its narration). The message is kept as data and
//! worded at render time, so switching the language rewords it.

use yew::prelude::*;

use crate::i18n::{use_lang, Lang, SimKey};
use crate::tutorial::chapters::{step, STEPS};
use crate::tutorial::ui_text::format_time;

/// One announcement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Announcement {
    /// The tutorial shows step `index` (from 0).
    Step(usize),
    /// The run ended at this virtual time (ms).
    Ended(u64),
    /// The guarantee checkers now find this many problems (more than before).
    Checkers(usize),
    /// The step's run no longer matches its narration: `holding` of `claims` hold.
    StepDiffers { holding: usize, claims: usize },
}

impl Announcement {
    /// The words, in `lang`.
    pub fn text(self, lang: Lang) -> String {
        let f = |key, args: &[&str]| crate::i18n::fill(crate::i18n::st(lang, key), args);
        match self {
            Announcement::Step(index) => {
                let title = step(index).map(|s| s.title.get(lang)).unwrap_or_default();
                f(SimKey::AnnounceStep, &[&(index + 1).to_string(), &STEPS.len().to_string(), title])
            }
            Announcement::Ended(ms) => f(SimKey::AnnounceEnded, &[&format_time(ms)]),
            Announcement::Checkers(n) => f(SimKey::AnnounceCheckers, &[&n.to_string()]),
            Announcement::StepDiffers { holding, claims } => {
                f(SimKey::AnnounceStepDiffers, &[&holding.to_string(), &claims.to_string()])
            }
        }
    }
}

/// What the app knows that may be worth announcing, as of this render.
#[derive(Properties, PartialEq)]
pub struct AnnouncerProps {
    /// The tutorial step on screen, if the tutorial is the mode in force.
    pub step: Option<usize>,
    /// Whether a run is loaded and has ended, and at which time.
    pub ended: Option<u64>,
    /// How many problems the guarantee checkers find.
    pub warnings: usize,
    /// The step check's verdict when the run differs from the narration.
    pub differs: Option<(usize, usize)>,
}

/// The live region. Changes to its props after the first render become the
/// text read out; the first render says nothing (the page has just opened).
#[function_component]
pub fn Announcer(props: &AnnouncerProps) -> Html {
    let lang = use_lang().lang;
    let said = use_state(Vec::<Announcement>::new);
    let seen = use_mut_ref(|| None::<(Option<usize>, Option<u64>, usize, Option<(usize, usize)>)>);
    {
        let (said, seen) = (said.clone(), seen.clone());
        let now = (props.step, props.ended, props.warnings, props.differs);
        use_effect_with(now, move |&(step, ended, warnings, differs)| {
            let before = seen.borrow_mut().replace((step, ended, warnings, differs));
            let Some((was_step, was_ended, was_warnings, was_differs)) = before else { return };
            // What changed since the last render, most important first; several
            // things can happen in one frame (a run that ends on a failed check).
            let mut news = Vec::new();
            if step.is_some() && step != was_step {
                news.extend(step.map(Announcement::Step));
            }
            if differs.is_some() && differs != was_differs {
                news.extend(differs.map(|(holding, claims)| Announcement::StepDiffers { holding, claims }));
            }
            if warnings > was_warnings {
                news.push(Announcement::Checkers(warnings));
            }
            if ended.is_some() && was_ended.is_none() {
                news.extend(ended.map(Announcement::Ended));
            }
            if !news.is_empty() {
                said.set(news);
            }
        });
    }
    let text = said.iter().map(|a| a.text(lang)).collect::<Vec<_>>().join(" ");
    html! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-announcer="">{ text }</div>
    }
}

/// The step check's verdict for the announcer: `Some((holding, claims))` when
/// the run on screen at the step's pause point differs from its narration
/// (the same check as the line under the narration, memoized the same way).
#[hook]
pub fn use_step_differs(
    step: Option<usize>,
    holding: bool,
    now: u64,
    records: &std::rc::Rc<Vec<rmqsim::Record>>,
    first_record: u64,
) -> Option<(usize, usize)> {
    use crate::tutorial::step_check::{check, StepCheck};
    use crate::views::common::Same;
    let verdict =
        use_memo((step, holding, now, Same(records.clone()), first_record), |(step, holding, now, records, first)| {
            let index = (*step)?;
            match check(index, *holding, *now, &records.0, *first)? {
                StepCheck::Differs { holding, claims, .. } => Some((holding, claims)),
                _ => None,
            }
        });
    *verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_are_worded_in_both_languages() {
        let step = &step(1).unwrap().title;
        assert_eq!(Announcement::Step(1).text(Lang::En), format!("Step 2 of {}: {}", STEPS.len(), step.get(Lang::En)));
        assert_eq!(
            Announcement::Step(1).text(Lang::Zh),
            format!("第 2 步，共 {} 步：{}", STEPS.len(), step.get(Lang::Zh))
        );
        assert_eq!(Announcement::Ended(30_000).text(Lang::En), "The run ended at 30 s of virtual time.");
        assert_eq!(Announcement::Ended(30_000).text(Lang::Zh), "运行结束，虚拟时间 30 s。");
        assert_eq!(
            Announcement::Checkers(4).text(Lang::En),
            "A guarantee check failed: 4 problem(s), see the Checkers view."
        );
        assert_eq!(Announcement::Checkers(4).text(Lang::Zh), "保证检查失败：发现 4 个问题，见“保证检查”视图。");
        assert_eq!(
            Announcement::StepDiffers { holding: 1, claims: 3 }.text(Lang::En),
            "A narration check failed: only 1 of 3 hold."
        );
        assert_eq!(
            Announcement::StepDiffers { holding: 1, claims: 3 }.text(Lang::Zh),
            "讲解核对失败：只有 1/3 项成立。"
        );
    }
}
