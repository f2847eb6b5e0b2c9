// One consumer group whose members subscribe differently (订阅关系不一致), as
// a learner meets it in chapter 2: under the Python (C++) client 6 of the 9
// messages are consumed and the checkers flag the group; the compared step
// under the Java client asks how many arrive (2) and the checkers name the
// group, the topic and both expressions. Photographed in both languages, at
// desktop and phone size.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp, settled } from './support.mjs';

const app = servedApp();

const stepTitle = (page) => page.locator('.tut-step-title').textContent();

test('mixed subscriptions in one group: fewer messages under C++, fewer still under Java, and the checkers say why', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  const next = page.getByRole('button', { name: 'Next', exact: true });
  await page.getByRole('heading', { name: /^1\.1 / }).waitFor();
  await page.locator('.tut-chapter-menu > summary').click();
  await page.getByRole('button', { name: /^2\. / }).click();
  await page.getByRole('heading', { name: /^2\.1 / }).waitFor();
  for (let i = 0; i < 12 && !/One group, two different subscriptions/.test(await stepTitle(page)); i++) {
    await settled(page);
    const question = page.locator('.guide-hold');
    if (await question.count()) {
      // Earlier steps' questions: any answer releases the run.
      await page.getByRole('radio').first().check();
    }
    await next.click();
  }
  assert.match(await stepTitle(page), /^2\.\d+ One group, two different subscriptions$/);
  await settled(page);
  const checkersTab = page.getByRole('tab', { name: /^Checkers/ });
  await checkersTab.click();
  const checkers = page.getByRole('region', { name: 'Guarantee checkers' });
  await checkers.waitFor();
  const card = checkers.getByRole('listitem', { name: 'Differing subscriptions' });
  await card.waitFor();
  const text = await card.textContent();
  assert.match(text, /only-a-c/);
  assert.match(text, /TagA \|\| TagC/);
  assert.match(text, /TagB/);
  await screenshot(page, 'mixed-subscriptions-cpp');

  // The Java comparison asks first: 2 of the 9 arrive.
  await next.click();
  await page.getByRole('heading', { name: /Compare: the same group under the Java client/ }).waitFor();
  await page.getByRole('radio', { name: '2', exact: true }).check();
  await page.getByText('Right!').waitFor();
  await settled(page);
  await checkersTab.click();
  await card.waitFor();
  assert.match(await card.textContent(), /only-a-c/);
  await screenshot(page, 'mixed-subscriptions-java');

  // The same in Chinese.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: /对比：同样的组，Java 客户端/ }).waitFor();
  const zhCard = page.getByRole('listitem', { name: '订阅关系不一致' });
  await zhCard.waitFor();
  assert.match(await zhCard.textContent(), /only-a-c/);
  await screenshot(page, 'mixed-subscriptions-java-zh');

  // And on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await zhCard.waitFor();
  await screenshot(page, 'mixed-subscriptions-java-zh-phone');

  assert.deepEqual(problems, []);
  await context.close();
});
