//! The tutorial's first step as static HTML, written into `index.html` so a
//! learner reads it while the wasm is still downloading (ARCHITECTURE.md,
//! "Boot"). The app replaces it when it mounts.
//!
//! The block between the `first-step` markers in `index.html` must be exactly
//! what [`block`] renders from the curriculum and the UI text, in both
//! languages; the test below fails otherwise and says how to rewrite it:
//! `RMQSIM_WRITE_FIRST_STEP=1 cargo test -p rocketmq-sim first_screen`.
//! Only tests compile this module, so it costs the bundle nothing.

use super::chapters::{position_in_chapter, step_count, CHAPTERS, STEPS};
use super::ui_text::{self, BACK, CHAPTER_MENU, NARRATION_LABEL, NEXT, PAUSE_AT};
use crate::i18n::{st, t, Key, Lang, SimKey};

pub const BEGIN: &str = "<!-- first-step:begin (src/tutorial/first_screen.rs writes this block) -->";
pub const END: &str = "<!-- first-step:end -->";

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One language's narration, shaped like [`super::Narration`]'s markup so
/// the app's CSS lays it out in the same place.
fn narration(lang: Lang, indent: &str) -> String {
    let step = &STEPS[0];
    let chapter = &CHAPTERS[step.chapter];
    let (chapter_no, step_no) = position_in_chapter(0).map(|(c, s)| (c + 1, s)).unwrap_or((1, 1));
    let code = lang.code();
    let tag = lang.tag();
    let mut out = String::new();
    let mut line = |depth: usize, text: String| {
        out.push_str(indent);
        out.push_str(&"  ".repeat(depth));
        out.push_str(&text);
        out.push('\n');
    };
    line(
        0,
        format!(
            "<section class=\"tut-narration\" lang=\"{tag}\" data-lang=\"{code}\" aria-label=\"{}\">",
            esc(NARRATION_LABEL.get(lang))
        ),
    );
    line(
        1,
        format!(
            "<p class=\"tut-chapter-menu boot-chapter\"><span class=\"tut-menu-label\">{}</span> {chapter_no}. {}</p>",
            esc(CHAPTER_MENU.get(lang)),
            esc(chapter.title.get(lang))
        ),
    );
    line(1, format!("<h2 class=\"tut-step-title\">{chapter_no}.{step_no} {}</h2>", esc(step.title.get(lang))));
    line(1, "<div class=\"tut-text\">".to_string());
    for p in step.narration.get(lang).split("\n\n") {
        let p = p.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
        line(2, format!("<p class=\"tut-para\">{}</p>", esc(&p)));
    }
    line(1, "</div>".to_string());
    line(
        1,
        format!(
            "<p class=\"tut-pause\">{}: {}</p>",
            esc(PAUSE_AT.get(lang)),
            esc(&ui_text::format_time(step.pause_ms))
        ),
    );
    line(1, "<div class=\"tut-nav\">".to_string());
    line(2, format!("<button type=\"button\" class=\"tut-back\" disabled>{}</button>", esc(BACK.get(lang))));
    line(2, format!("<span class=\"tut-counter\">{}</span>", esc(&ui_text::step_of(lang, 1, step_count()))));
    line(2, format!("<button type=\"button\" class=\"tut-next\" disabled>{}</button>", esc(NEXT.get(lang))));
    line(1, "</div>".to_string());
    line(0, "</section>".to_string());
    out
}

/// The whole block, markers included, indented for `index.html`'s `#boot`.
pub fn block() -> String {
    let i = "        ";
    let both = |key: Key| {
        Lang::ALL
            .iter()
            .map(|&l| format!("<span lang=\"{}\" data-lang=\"{}\">{}</span>", l.tag(), l.code(), esc(t(l, key))))
            .collect::<String>()
    };
    let mut out = String::new();
    out.push_str(&format!("      {BEGIN}\n"));
    out.push_str("      <div class=\"shell sim-shell mode-tutorial boot-shell\" aria-busy=\"true\">\n");
    out.push_str("        <header class=\"app-header\">\n");
    out.push_str("          <div class=\"brand\">\n");
    out.push_str("            <svg class=\"brand-mark\" viewBox=\"0 0 32 32\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"brand-mark-bg\" x=\"1\" y=\"1\" width=\"30\" height=\"30\" rx=\"8\" /><rect class=\"brand-mark-lane\" x=\"8\" y=\"9\" width=\"16\" height=\"3\" rx=\"1.5\" /><rect class=\"brand-mark-lane\" x=\"8\" y=\"14.5\" width=\"11\" height=\"3\" rx=\"1.5\" /><rect class=\"brand-mark-lane\" x=\"8\" y=\"20\" width=\"14\" height=\"3\" rx=\"1.5\" /></svg>\n");
    out.push_str("            <div class=\"brand-text\">\n");
    out.push_str(&format!("              <h1 class=\"brand-title\">{}</h1>\n", both(Key::AppTitle)));
    out.push_str(&format!("              <p class=\"brand-tagline\">{}</p>\n", both(Key::AppTagline)));
    out.push_str("            </div>\n");
    out.push_str("          </div>\n");
    // The mode switch, the badge and the language switch as the header draws
    // them (src/components/header.rs), inert, so the header is as tall as the
    // app's and the step does not move when the app replaces it.
    out.push_str("          <div class=\"mode-switch\" aria-hidden=\"true\">\n");
    for (key, active) in [
        (SimKey::ModeTutorial, true),
        (SimKey::ModePlayground, false),
        (SimKey::ModeChallenges, false),
        (SimKey::ModeLab, false),
    ] {
        let class = if active { "mode-option is-active" } else { "mode-option" };
        let labels = Lang::ALL
            .iter()
            .map(|&l| format!("<span data-lang=\"{}\">{}</span>", l.code(), esc(st(l, key))))
            .collect::<String>();
        out.push_str(&format!("            <button type=\"button\" class=\"{class}\" disabled>{labels}</button>\n"));
    }
    out.push_str("          </div>\n");
    out.push_str("          <div class=\"header-tools\">\n");
    out.push_str(&format!(
        "            <p class=\"sim-badge\"><span class=\"sim-badge-dot\" aria-hidden=\"true\"></span><span class=\"sim-badge-text\">{}</span></p>\n",
        both(Key::SimulatedBadge)
    ));
    out.push_str("            <div class=\"lang-switch\" aria-hidden=\"true\">");
    for l in Lang::ALL {
        out.push_str(&format!(
            "<button type=\"button\" class=\"lang-option\" lang=\"{}\" data-boot-lang=\"{}\" disabled>{}</button>",
            l.tag(),
            l.code(),
            l.endonym()
        ));
    }
    out.push_str("</div>\n");
    out.push_str("          </div>\n");
    out.push_str("        </header>\n");
    out.push_str("        <aside class=\"guide tutorial-guide\">\n");
    out.push_str("          <section class=\"panel narration\">\n");
    for lang in Lang::ALL {
        out.push_str(&narration(lang, &format!("{i}    ")));
    }
    out.push_str("          </section>\n");
    out.push_str("        </aside>\n");
    out.push_str("        <main class=\"cluster sim-cluster\"></main>\n");
    out.push_str("      </div>\n");
    out.push_str(&format!("      {END}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/index.html");

    #[test]
    fn index_html_carries_the_first_step_as_the_curriculum_says() {
        let html = std::fs::read_to_string(INDEX).expect("index.html");
        let start = html.find(BEGIN).expect("index.html has the first-step:begin marker");
        let line_start = html[..start].rfind('\n').map_or(0, |n| n + 1);
        let end = html.find(END).expect("index.html has the first-step:end marker") + END.len() + 1;
        let want = block();
        if html[line_start..end] != want {
            if std::env::var_os("RMQSIM_WRITE_FIRST_STEP").is_some() {
                let new = format!("{}{}{}", &html[..line_start], want, &html[end..]);
                std::fs::write(INDEX, new).expect("write index.html");
                return;
            }
            panic!(
                "index.html's static first step differs from the curriculum (src/tutorial/chapters.rs); \
                 rewrite it with: RMQSIM_WRITE_FIRST_STEP=1 cargo test -p rocketmq-sim first_screen\n\nwant:\n{want}"
            );
        }
    }

    #[test]
    fn the_block_holds_both_languages_and_escapes_markup() {
        let b = block();
        for lang in Lang::ALL {
            assert!(b.contains(&esc(STEPS[0].title.get(lang))), "{lang:?} title");
            assert!(b.contains(&format!("data-lang=\"{}\"", lang.code())));
        }
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert!(!b.contains("\n\n"));
    }
}
