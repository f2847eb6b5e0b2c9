// The tutorial as a learner walks it in the built app: it opens on the first
// step; Next runs each step to the point its narration describes, a question
// holds the run until it is answered, Back restores every earlier step; the
// narrated outcomes are on screen (five SEND_OKs after send_message_sync(5),
// the retries in the Retry & DLQ view, a duplicate counted by the checkers);
// the narration switches to Chinese; a reload restores the learner's place
// and answer. Every dock view and the message passport are photographed.
// Controls are found by role and accessible name; virtual time is awaited,
// never slept for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockMs, openApp, screenshot, servedApp, settled } from './support.mjs';

const app = servedApp();

const stepTitle = (page) => page.locator('.tut-step-title').textContent();

test('a learner walks the tutorial, answers, sees each outcome, switches language and comes back', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  const next = page.getByRole('button', { name: 'Next', exact: true });
  const back = page.getByRole('button', { name: 'Back', exact: true });
  const narration = page.getByRole('region', { name: 'Narration' });

  // The tutorial is what opens, on its first step, paused where it says.
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Tutorial', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.equal(await settled(page), 50);
  await page.getByRole('button', { name: /^broker-a, Broker, up$/ }).waitFor();
  assert.match(await narration.textContent(), /brokerIP1=192\.168\.2\.57/);
  await screenshot(page, 'tutorial-step1');

  // Step 2 asks before it shows: the run waits at its start.
  const visited = [{ title: await stepTitle(page), at: 50 }];
  await next.click();
  await page.getByRole('heading', { name: '1.2 Registering again every 30 s' }).waitFor();
  assert.equal(await settled(page), 0, 'held before the outcome');
  await page.getByRole('status').filter({ hasText: 'The run waits' }).waitFor();
  assert.equal(await page.getByText('Right!').count(), 0);
  await screenshot(page, 'tutorial-predict');
  await page.getByRole('radio', { name: '40 s' }).check();
  await page.getByText('Right!').waitFor();
  assert.equal(await settled(page), 41_000, 'answered: the run goes on to the pause point');
  await screenshot(page, 'tutorial-answered');
  visited.push({ title: await stepTitle(page), at: 41_000 });

  // On to send_message_sync(5), step 10, one Next at a time.
  for (let n = 3; n <= 10; n++) {
    await next.click();
    await page.locator('.tut-counter').getByText(`Step ${n} of `).waitFor();
    visited.push({ title: await stepTitle(page), at: await settled(page) });
  }
  assert.equal(visited[9].title, '3.1 send_message_sync(5)');
  assert.equal(visited[9].at, 1030);
  const feed = page.getByRole('list', { name: 'Event feed, newest first' });
  const sendOk = feed.getByRole('listitem').filter({ hasText: /producer: msg #\d+ SEND_OK/ });
  assert.equal(await sendOk.count(), 5, 'five sends, each SEND_OK, in the feed');
  await screenshot(page, 'tutorial-sync-send');

  // The same moment as queue lanes: the five messages at their offsets.
  await page.getByRole('tab', { name: 'Queues' }).click();
  const queues = page.getByRole('region', { name: 'Queues', exact: true });
  await queues.waitFor();
  const lanes = queues.getByRole('listitem').filter({ hasText: /^q\d/ });
  assert.equal(await lanes.count(), 4, 'one lane per queue of TopicTest');
  for (let msg = 1; msg <= 5; msg++) {
    await queues.getByRole('button', { name: new RegExp(`^Message ${msg} at offset \\d+`) }).waitFor();
  }
  await screenshot(page, 'view-queues');
  await page.getByRole('tab', { name: 'Events' }).click();

  // Back through every step: each is exactly as it was.
  for (let n = 9; n >= 1; n--) {
    await back.click();
    await page.locator('.tut-counter').getByText(`Step ${n} of `).waitFor();
    assert.equal(await stepTitle(page), visited[n - 1].title);
    assert.equal(await settled(page), visited[n - 1].at, `step ${n} back at its own moment`);
  }
  assert.ok(await back.isDisabled(), 'nothing before the first step');

  // The narration speaks Chinese after the switch.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '1.1 一个 NameServer，一个 Broker' }).waitFor();
  assert.match(await page.getByRole('region', { name: '讲解' }).textContent(), /注册/);
  assert.equal(await page.getByRole('button', { name: '教程' }).getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'tutorial-zh');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();

  // Delayed messages: the message waits in a delay level; the queues as lanes.
  const chapter = async (name) => {
    await page.locator('.tut-chapter-menu > summary').click();
    await page.getByRole('button', { name }).click();
  };
  await chapter('8. Delayed messages');
  await page.getByRole('heading', { name: /^8\.1 / }).waitFor();
  await settled(page);
  await next.click();
  await page.getByRole('heading', { name: /^8\.2 How it works 1\/5/ }).waitFor();
  await settled(page);
  await page.getByRole('tab', { name: 'Delay levels' }).click();
  const delay = page.getByRole('region', { name: 'Delay levels (SCHEDULE_TOPIC_XXXX)' });
  await delay.waitFor();
  assert.match(await delay.textContent(), /[1-9]\d* waiting/);
  await screenshot(page, 'view-delay');

  // When consumption fails: the retries, then one message's passport.
  await chapter('10. When consumption fails');
  await page.getByRole('heading', { name: /^10\.1 / }).waitFor();
  await settled(page);
  await next.click();
  await page.getByRole('heading', { name: '10.2 After the 3rd failure' }).waitFor();
  await settled(page);
  await page.getByRole('radio', { name: '1 min' }).check();
  await page.getByText('Right!').waitFor();
  assert.equal(await settled(page), 105_400);
  await page.getByRole('tab', { name: 'Retry & DLQ' }).click();
  const retry = page.getByRole('region', { name: 'Retry and dead letters' });
  await retry.waitFor();
  const retryText = await retry.textContent();
  assert.match(retryText, /Sent back/);
  assert.match(retryText, /%RETRY%g1/);
  assert.match(retryText, /4\s*Failed/, 'four failures so far');
  await screenshot(page, 'view-retry');
  await retry.getByRole('button', { name: 'Open the passport of message 1' }).first().click();
  const passport = page.getByRole('complementary', { name: 'Passport of message #1' });
  await passport.waitFor();
  assert.match(await passport.textContent(), /RECONSUME_LATER/);
  await screenshot(page, 'passport');
  await passport.getByRole('button', { name: 'Close' }).click();
  await passport.waitFor({ state: 'detached' });

  // A consumer crash: the checkers count the duplicates on their tab.
  await chapter('6. Normal messages');
  await page.getByRole('heading', { name: /^6\.1 / }).waitFor();
  for (let n = 2; n <= 5; n++) {
    await next.click();
    await page.getByRole('heading', { name: new RegExp(`^6\\.${n} `) }).waitFor();
    await settled(page);
  }
  assert.equal(await stepTitle(page), '6.5 After a consumer crash: duplicates');
  await page.getByRole('radio', { name: 'Offset 3' }).check();
  await page.getByText('Right!').waitFor();
  const duplicatesAt = await settled(page);
  const checkersTab = page.getByRole('tab', { name: /^Checkers \([1-9]\d* warnings\)$/ });
  assert.match(await checkersTab.locator('.tab-badge').textContent(), /^[1-9]\d*$/, 'the tab counts the warnings');
  await checkersTab.click();
  const checkers = page.getByRole('region', { name: 'Guarantee checkers' });
  await checkers.waitFor();
  assert.match(await checkers.getByRole('listitem', { name: 'Duplicates' }).textContent(), /Warning/);
  await screenshot(page, 'view-checkers');

  // A reload comes back to the same step, its answer and its moment.
  await page.reload();
  await page.getByRole('heading', { name: '6.5 After a consumer crash: duplicates' }).waitFor();
  await page.getByText('Right!').waitFor();
  assert.equal(await settled(page), duplicatesAt);
  assert.equal(await page.getByRole('radio', { name: 'Offset 3' }).isChecked(), true);

  assert.deepEqual(problems, [], 'the page logs no errors (CSP violations included)');
  await context.close();
});

test('the playground keeps free driving, and the tutorial comes back where it was', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  await page.getByRole('button', { name: 'Playground', exact: true }).click();
  await page.getByRole('heading', { name: 'Playground' }).waitFor();
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).click();
  await page.getByRole('button', { name: /^retry-to-dlq/ }).click();
  await page.getByRole('button', { name: /^c1, Consumer, up$/ }).waitFor();
  assert.equal(await clockMs(page), 0, 'a preset starts paused at t = 0');
  await screenshot(page, 'tutorial-playground');

  await page.getByRole('button', { name: /^Back to the tutorial/ }).click();
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  assert.equal(await settled(page), 50);
  await page.getByRole('button', { name: /^python_consumer, Consumer, up$/ }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
