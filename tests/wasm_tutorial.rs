//! Browser tests of the tutorial components: Narration, Predict and
//! CodePanel are mounted in headless Chromium and the DOM is checked for what
//! a learner gets: Back / Next move between steps, the chapter menu jumps,
//! a prediction reveals its answer, the Python tab shows the tutorial's
//! `producer.send_sync(msg)`, and the highlighted line follows the newest
//! event. Native `cargo test` compiles this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rocketmq_sim::i18n::{Lang, LangContext};
use rocketmq_sim::tutorial::chapters::{first_step_of, step_count, step_index, CHAPTERS, STEPS};
use rocketmq_sim::tutorial::{CodePanel, Narration, Predict, PredictAnswer, SharedScenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn mount_point() -> Element {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

fn find(host: &Element, selector: &str) -> Element {
    host.query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing matches {selector}"))
}

fn text(host: &Element, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

fn all(host: &Element, selector: &str) -> Vec<Element> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn click(host: &Element, selector: &str) {
    find(host, selector).dyn_into::<HtmlElement>().unwrap().click();
}

/// The button whose text is exactly `label`.
fn button(host: &Element, label: &str) -> HtmlElement {
    all(host, "button")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlElement>().ok())
        .find(|b| b.text_content().as_deref().map(str::trim) == Some(label))
        .unwrap_or_else(|| panic!("no button labelled {label}"))
}

// ------------------------------------------------------------------ narration

#[derive(Clone, PartialEq, Properties)]
struct NarrationHostProps {
    lang: Lang,
    start: usize,
}

/// Owns the step index, as the lead's app will.
#[function_component]
fn NarrationHost(props: &NarrationHostProps) -> Html {
    let step = use_state(|| props.start);
    let on_step = {
        let step = step.clone();
        Callback::from(move |n: usize| step.set(n))
    };
    let context = LangContext { lang: props.lang, set_lang: Callback::noop() };
    html! {
        <ContextProvider<LangContext> {context}>
            <Narration step={*step} {on_step} />
        </ContextProvider<LangContext>>
    }
}

async fn mount_narration(lang: Lang, start: usize) -> (Element, yew::AppHandle<NarrationHost>) {
    let host = mount_point();
    let handle =
        yew::Renderer::<NarrationHost>::with_root_and_props(host.clone(), NarrationHostProps { lang, start }).render();
    yew::scheduler::flush().await;
    (host, handle)
}

fn title_of(index: usize, lang: Lang) -> &'static str {
    STEPS[index].title.get(lang)
}

#[wasm_bindgen_test]
async fn back_and_next_change_the_step() {
    let (host, handle) = mount_narration(Lang::En, 0).await;
    let total = step_count();

    assert!(text(&host, ".tut-step-title").ends_with(title_of(0, Lang::En)));
    assert_eq!(text(&host, ".tut-counter"), format!("Step 1 of {total}"));
    assert!(find(&host, ".tut-back").has_attribute("disabled"), "Back is disabled on the first step");
    assert_eq!(find(&host, ".tut-narration").get_attribute("data-step").as_deref(), Some(STEPS[0].id));

    button(&host, "Next").click();
    yew::scheduler::flush().await;
    assert!(text(&host, ".tut-step-title").ends_with(title_of(1, Lang::En)));
    assert_eq!(text(&host, ".tut-counter"), format!("Step 2 of {total}"));
    assert!(!find(&host, ".tut-back").has_attribute("disabled"));

    button(&host, "Next").click();
    yew::scheduler::flush().await;
    assert_eq!(text(&host, ".tut-counter"), format!("Step 3 of {total}"));

    button(&host, "Back").click();
    yew::scheduler::flush().await;
    assert!(text(&host, ".tut-step-title").ends_with(title_of(1, Lang::En)));
    assert!(text(&host, ".tut-text").contains(&STEPS[1].narration.en[..40]));

    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn next_is_disabled_on_the_last_step() {
    let last = step_count() - 1;
    let (host, handle) = mount_narration(Lang::En, last).await;
    assert!(find(&host, ".tut-next").has_attribute("disabled"));
    assert!(text(&host, ".tut-step-title").ends_with(title_of(last, Lang::En)));
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn the_chapter_menu_jumps_to_a_chapter() {
    let (host, handle) = mount_narration(Lang::En, 0).await;
    let delay = CHAPTERS.iter().position(|c| c.id == "delay").unwrap();
    click(&host, ".tut-chapter-item[data-chapter='delay']");
    yew::scheduler::flush().await;
    let first = first_step_of(delay).unwrap();
    assert!(text(&host, ".tut-step-title").ends_with(title_of(first, Lang::En)));
    assert!(text(&host, ".tut-chapter-menu summary").contains(CHAPTERS[delay].title.en));
    let current = find(&host, ".tut-chapter-item.is-current");
    assert_eq!(current.get_attribute("data-chapter").as_deref(), Some("delay"));
    assert_eq!(current.get_attribute("aria-current").as_deref(), Some("step"));
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn narration_speaks_chinese_first() {
    let (host, handle) = mount_narration(Lang::Zh, 0).await;
    assert!(text(&host, ".tut-step-title").ends_with(title_of(0, Lang::Zh)));
    assert_eq!(button(&host, "下一步").text_content().unwrap(), "下一步");
    assert!(text(&host, ".tut-counter").starts_with("第 1 步"));
    assert!(text(&host, ".tut-text").contains("brokerIP1=192.168.2.57"));
    handle.destroy();
    host.remove();
}

// ------------------------------------------------------------------ predict

#[derive(Clone, PartialEq, Properties)]
struct PredictHostProps {
    step: usize,
    answers: Rc<RefCell<Vec<PredictAnswer>>>,
}

#[function_component]
fn PredictHost(props: &PredictHostProps) -> Html {
    let answers = props.answers.clone();
    let on_answer = Callback::from(move |a: PredictAnswer| answers.borrow_mut().push(a));
    html! { <Predict step={props.step} lang={Some(Lang::En)} {on_answer} /> }
}

#[wasm_bindgen_test]
async fn choosing_reveals_the_answer_and_reports_it() {
    let index = step_index("retry-third").unwrap();
    let question = STEPS[index].predict.unwrap();
    let answers = Rc::new(RefCell::new(Vec::new()));
    let host = mount_point();
    let handle = yew::Renderer::<PredictHost>::with_root_and_props(
        host.clone(),
        PredictHostProps { step: index, answers: answers.clone() },
    )
    .render();
    yew::scheduler::flush().await;

    assert_eq!(text(&host, ".tut-question"), question.question.en);
    let radios = all(&host, "input[type=radio]");
    assert_eq!(radios.len(), question.choices.len());
    assert!(host.query_selector(".tut-reveal").unwrap().is_none(), "nothing revealed before choosing");

    let wrong = (question.answer + 1) % question.choices.len();
    radios[wrong].clone().dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;

    let verdict = text(&host, ".tut-verdict");
    assert!(verdict.starts_with("Not quite."), "{verdict}");
    assert!(verdict.contains(question.choices[question.answer].text.en));
    assert!(text(&host, ".tut-explanation").contains("reconsume_times = 2"));
    assert!(find(&host, ".tut-choice.is-right")
        .text_content()
        .unwrap()
        .contains(question.choices[question.answer].text.en));
    assert!(find(&host, "fieldset").has_attribute("disabled"));
    assert_eq!(*answers.borrow(), vec![PredictAnswer { step: index, choice: wrong, correct: false }]);

    button(&host, "Answer again").click();
    yew::scheduler::flush().await;
    assert!(host.query_selector(".tut-reveal").unwrap().is_none());
    let radios = all(&host, "input[type=radio]");
    radios[question.answer].clone().dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(text(&host, ".tut-verdict"), "Right!");
    assert!(answers.borrow().last().unwrap().correct);

    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn a_step_without_a_question_renders_nothing() {
    let host = mount_point();
    let handle = yew::Renderer::<PredictHost>::with_root_and_props(
        host.clone(),
        PredictHostProps { step: 0, answers: Rc::default() },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(host.query_selector(".tut-predict").unwrap().is_none());
    handle.destroy();
    host.remove();
}

// ------------------------------------------------------------------ code panel

#[derive(Clone, PartialEq, Properties)]
struct CodeHostProps {
    scenario: SharedScenario,
    event: Option<String>,
    node: Option<String>,
    results: Rc<RefCell<Vec<String>>>,
}

#[function_component]
fn CodeHost(props: &CodeHostProps) -> Html {
    let results = props.results.clone();
    let on_listener_result = Callback::from(move |r: String| results.borrow_mut().push(r));
    let context = LangContext { lang: Lang::Zh, set_lang: Callback::noop() };
    html! {
        <ContextProvider<LangContext> {context}>
            <CodePanel
                scenario={props.scenario.clone()}
                current_event={props.event.clone()}
                current_node={props.node.clone()}
                {on_listener_result}
            />
        </ContextProvider<LangContext>>
    }
}

fn tutorial_basic() -> SharedScenario {
    rmqsim::presets::find("tutorial-basic").unwrap().scenario().unwrap().into()
}

async fn mount_code(props: CodeHostProps) -> (Element, yew::AppHandle<CodeHost>) {
    let host = mount_point();
    let handle = yew::Renderer::<CodeHost>::with_root_and_props(host.clone(), props).render();
    yew::scheduler::flush().await;
    (host, handle)
}

fn running_line(host: &Element) -> Option<String> {
    host.query_selector(".tut-line.is-running .tut-src").unwrap().map(|e| e.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn the_python_tab_shows_the_tutorials_send_sync() {
    let props = CodeHostProps { scenario: tutorial_basic(), event: None, node: None, results: Rc::default() };
    let (host, handle) = mount_code(props).await;

    let python = find(&host, ".tut-tab[data-lang='Python']");
    assert_eq!(python.get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(find(&host, ".tut-listing").get_attribute("data-file").as_deref(), Some("producer.py"));
    let listing = text(&host, ".tut-listing");
    assert!(listing.contains("producer.send_sync(msg)"), "{listing}");
    assert!(listing.contains("msg.set_property(\"name\", \"micro services\")  # 类似http中的header"));
    let numbers: Vec<String> = all(&host, ".tut-ln").iter().map(|e| e.text_content().unwrap()).collect();
    assert_eq!(numbers.first().map(String::as_str), Some("1"));
    assert!(running_line(&host).is_none(), "no event, no highlight");

    // The consumer file, then Java.
    click(&host, ".tut-file-tab:nth-child(2)");
    yew::scheduler::flush().await;
    assert!(text(&host, ".tut-listing").contains("consumer.subscribe(topic, callback)"));
    click(&host, ".tut-tab[data-lang='Java']");
    yew::scheduler::flush().await;
    assert!(text(&host, ".tut-listing").contains("SendResult result = producer.send(msg);"));
    assert!(all(&host, ".tut-file-tab").iter().any(|t| t.text_content().unwrap().contains("Consumer.java")));

    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn the_highlighted_line_follows_the_event() {
    let results = Rc::new(RefCell::new(Vec::new()));
    let base = CodeHostProps { scenario: tutorial_basic(), event: None, node: None, results: results.clone() };
    let (host, mut handle) = mount_code(CodeHostProps { event: Some("send_attempt".into()), ..base.clone() }).await;
    assert_eq!(running_line(&host).as_deref(), Some("        ret = producer.send_sync(msg)"));
    let running = find(&host, ".tut-line.is-running");
    assert_eq!(running.get_attribute("aria-current").as_deref(), Some("true"));
    assert_eq!(running.get_attribute("data-line").as_deref(), Some("25"));

    // A delivery to the consumer: the panel follows to consumer.py and the callback's first line.
    handle.update(CodeHostProps {
        event: Some("delivered".into()),
        node: Some("python_consumer".into()),
        ..base.clone()
    });
    yew::scheduler::flush().await;
    assert_eq!(find(&host, ".tut-listing").get_attribute("data-file").as_deref(), Some("consumer.py"));
    assert!(running_line(&host).unwrap().trim_start().starts_with("print(msg.id"));

    handle.update(CodeHostProps {
        event: Some("consumed:CONSUME_SUCCESS".into()),
        node: Some("python_consumer".into()),
        ..base.clone()
    });
    yew::scheduler::flush().await;
    assert_eq!(running_line(&host).as_deref(), Some("    return ConsumeStatus.CONSUME_SUCCESS"));
    assert_eq!(all(&host, ".tut-line.is-running").len(), 1, "one running line at a time");

    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn the_listener_switch_asks_for_reconsume_later() {
    let results = Rc::new(RefCell::new(Vec::new()));
    let props = CodeHostProps { scenario: tutorial_basic(), event: None, node: None, results: results.clone() };
    let (host, handle) = mount_code(props).await;
    let success = find(&host, ".tut-result[data-result='CONSUME_SUCCESS']");
    assert_eq!(success.get_attribute("aria-pressed").as_deref(), Some("true"));
    click(&host, ".tut-result[data-result='RECONSUME_LATER']");
    yew::scheduler::flush().await;
    assert_eq!(*results.borrow(), vec!["RECONSUME_LATER".to_string()]);
    handle.destroy();
    host.remove();
}

#[wasm_bindgen_test]
async fn the_async_scenario_says_python_has_no_send_async() {
    let scenario: SharedScenario = rmqsim::presets::find("async-callbacks-lost").unwrap().scenario().unwrap().into();
    let props = CodeHostProps { scenario, event: None, node: None, results: Rc::default() };
    let (host, handle) = mount_code(props).await;
    assert!(text(&host, ".tut-notes").contains("没有 send_async"));
    assert!(host.query_selector(".tut-listener").unwrap().is_none(), "no consumer, no listener switch");
    handle.destroy();
    host.remove();
}

// ------------------------------------------------------------------ progress

#[wasm_bindgen_test]
fn progress_survives_local_storage() {
    use rocketmq_sim::tutorial::progress::{self, Progress, PROGRESS_STORAGE_KEY};
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(PROGRESS_STORAGE_KEY).unwrap();
    assert_eq!(progress::load(), Progress::default(), "nothing stored: the first step");

    let mut p = Progress::at(step_index("delay-impl-3").unwrap());
    p.answer(step_index("retry-third").unwrap(), 2);
    progress::save(&p);
    assert_eq!(storage.get_item(PROGRESS_STORAGE_KEY).unwrap().as_deref(), Some("v1;delay-impl-3;retry-third=2"));
    assert_eq!(progress::load(), p);

    storage.set_item(PROGRESS_STORAGE_KEY, "not progress").unwrap();
    assert_eq!(progress::load(), Progress::default(), "a damaged value starts over");
    storage.remove_item(PROGRESS_STORAGE_KEY).unwrap();
}
