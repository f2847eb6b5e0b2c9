// Every chapter, forward and back, in both languages. For zh and en a fresh
// learner walks all steps with Next (下一步), answering each question when it
// holds the run, and at every step asserts that the narrated outcome is what
// the simulator shows: the clock stands at the pause point the narration
// names, and the narration check (the step's claims evaluated against the
// trace on screen) says they all hold. Then Back walks to the first step and
// a few earlier steps must come back exactly as they were: same virtual
// time, same trace length, same newest events, same nodes and badges.
// One step per chapter is photographed in each language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp, stepSettled } from './support.mjs';

const app = servedApp();

const LANGS = {
  zh: { locale: 'zh-CN', next: '下一步', back: '上一步' },
  en: { locale: 'en-US', next: 'Next', back: 'Back' },
};

/** Step n of m from the counter ("Step 3 of 57", "第 3 步，共 57 步"). */
async function counter(page) {
  const [n, m] = ((await page.locator('.tut-counter').textContent()).match(/\d+/g) ?? []).map(Number);
  return { n, m };
}


/** What the learner sees of the run, in a form two visits can compare. */
function visible(page) {
  return page.evaluate(() => {
    const text = (sel) => document.querySelector(sel)?.textContent?.trim() ?? '';
    const parse = (t) => {
      let ms = 0;
      for (const [, v, u] of t.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)\b/g)) {
        ms += Number(v) * { h: 3_600_000, min: 60_000, m: 60_000, s: 1000 }[u];
      }
      return Math.round(ms);
    };
    return {
      title: text('.tut-step-title'),
      clock: parse(text('.sim-clock-value')),
      pause: parse(text('.tut-pause').split(/[:：]/).slice(1).join(':')),
      check: text('.tut-check'),
      feedCount: text('.feed-count'),
      newest: [...document.querySelectorAll('.feed-line')].slice(0, 3).map((li) => li.textContent.trim()),
      nodes: [...document.querySelectorAll('.sim-cluster g[data-node]')].map(
        (g) => `${g.querySelector('.node-hit').getAttribute('aria-label')} ${g.getAttribute('class')}`,
      ),
    };
  });
}

async function walk(lang) {
  const { next, back, locale } = LANGS[lang];
  const { context, page, problems } = await openApp(app.browser, app.server, { locale });
  const started = Date.now();
  const nextButton = page.getByRole('button', { name: next, exact: true });
  const backButton = page.getByRole('button', { name: back, exact: true });
  await page.locator('.tut-step-title').waitFor();
  const { n: first, m: total } = await counter(page);
  assert.equal(first, 1, 'a fresh learner starts at the first step');
  assert.ok(total >= 50, `the curriculum has its steps (${total})`);

  const seen = [];
  let chapter = '';
  let questions = 0;
  for (let n = 1; n <= total; n++) {
    let verdict = await stepSettled(page, n);
    if (verdict === 'waiting') {
      // The question holds the run before its outcome; any answer releases it.
      questions += 1;
      await page.locator('.tut-predict input[type=radio]').first().check();
      verdict = await stepSettled(page, n);
    }
    const state = await visible(page);
    assert.equal(verdict, 'holds', `${lang} step ${n} "${state.title}": ${state.check}`);
    assert.equal(state.clock, state.pause, `${lang} step ${n} "${state.title}" stands at its pause point`);
    assert.ok(state.nodes.length > 0, `${lang} step ${n}: the cluster is drawn`);
    seen.push(state);
    const chapterNow = state.title.split('.')[0];
    if (chapterNow !== chapter) {
      chapter = chapterNow;
      await screenshot(page, `walk-${lang}-chapter-${chapter.padStart(2, '0')}`);
    }
    if (n < total) await nextButton.click();
  }
  assert.ok(await nextButton.isDisabled(), 'nothing after the last step');
  assert.ok(questions >= 5, `questions were asked and answered (${questions})`);
  const forward = Date.now() - started;

  // Back to the start: each step settles where it was; some are compared in full.
  const exact = new Set([1, 3, 9, Math.floor(total / 2), total - 2, total - 1]);
  for (let n = total - 1; n >= 1; n--) {
    await backButton.click();
    const verdict = await stepSettled(page, n);
    assert.equal(verdict, 'holds', `${lang} back at step ${n}: answered steps show their outcome`);
    if (exact.has(n)) {
      assert.deepEqual(await visible(page), seen[n - 1], `${lang} step ${n} is restored exactly`);
    } else {
      const { title, clock } = await visible(page);
      assert.deepEqual({ title, clock }, { title: seen[n - 1].title, clock: seen[n - 1].clock });
    }
  }
  assert.ok(await backButton.isDisabled(), 'nothing before the first step');
  assert.deepEqual(problems, [], 'the page logs no errors');
  await context.close();
  return { forward, total: Date.now() - started, steps: total, questions };
}

test('every chapter forward and back, in Chinese and in English', async () => {
  for (const lang of ['zh', 'en']) {
    const timing = await walk(lang);
    console.log(`# ${lang}: ${timing.steps} steps, ${timing.questions} questions, forward ${timing.forward} ms, forward and back ${timing.total} ms`);
  }
});
