// Accessibility audit: axe-core's WCAG 2.1 A and AA rules on every screen
// and dialog — the tutorial, the playground, each dock view, the send
// dialog, a node's fault menu, the inspector, the scenario picker, the share
// panel (with an import refused), the A/B comparison, the cluster builder,
// the shortcut sheet, the challenges (list and one challenge) and the code
// lab — in Chinese and in English, at desktop and phone size. Any violation
// fails the test, naming the rule, its impact and the offending elements.
//
// The page has a strict CSP (no inline or injected scripts), so the context
// bypasses it for this test only, to inject axe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp } from './support.mjs';

const app = servedApp();

const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
};
const LANGS = { zh: 'zh-CN', en: 'en-US' };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * Rules Lighthouse's accessibility score also counts that the WCAG tags
 * leave out (best practices, and label-content-name-mismatch, which axe
 * marks experimental and so skips unless named).
 */
const EXTRA = [
  'label-content-name-mismatch', 'heading-order', 'empty-heading', 'landmark-one-main', 'skip-link', 'tabindex',
  'table-duplicate-name', 'image-redundant-alt', 'identical-links-same-purpose', 'target-size',
];

/** Both languages' names of the controls the audit opens. */
const N = {
  send: /^(Send messages…|发送消息…)$/,
  sendDialog: /^(Send messages|发送消息)$/,
  share: /^(Share|分享)$/,
  compare: /^(Compare|对比)$/,
  compareDialog: /^(A\/B comparison|A\/B 对比)$/,
  builder: /^(Build a cluster…|搭建集群…)$/,
  builderDialog: /^(Build a cluster|搭建集群)$/,
  scenario: /^(Scenario|场景): /,
  brokerA: /^broker-a(, |，)/,
  menu: /^(Actions for broker-a|broker-a 的操作)$/,
  close: /^(Close|关闭)$/,
};

/** Runs axe on the page as it stands; returns the violations as readable lines. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
  }
  const violations = await page.evaluate(async ([tags, extra]) => {
    const rules = Object.fromEntries(extra.map((id) => [id, { enabled: true }]));
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').slice(0, 160)}` : ''}`),
    }));
  }, [TAGS, EXTRA]);
  return violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n      ${v.nodes.slice(0, process.env.A11Y_ALL ? undefined : 12).join('\n      ')}`);
}

/** A fresh context in `locale` at `size`, CSP bypassed for axe. */
async function open(locale, size, path) {
  const context = await app.browser.newContext({ locale, bypassCSP: true, ...SIZES[size] });
  const page = await context.newPage();
  await page.goto(app.server.url + path);
  return { context, page };
}

/** Waits for the simulator's shell (the cluster drawing) to be on screen. */
const shell = (page) => page.locator('.sim-cluster').first().waitFor();

/**
 * Activates a control from the keyboard (focus, Enter): the same on every
 * screen size, whatever may overlap the control on a small screen.
 */
async function press(locator) {
  await locator.focus();
  await locator.page().keyboard.press('Enter');
}

/**
 * The screens: each gets a fresh page at `path`, then `setup` brings it to
 * the state audited. Returns what was found per screen.
 */
const SCREENS = [
  { name: 'tutorial', path: '/', setup: async (page) => { await shell(page); await page.locator('.tut-step-title').waitFor(); } },
  {
    name: 'tutorial, a later step',
    path: '/',
    setup: async (page) => {
      // The app's Next (index.html's static step shows a disabled one before the app mounts).
      await page.locator('.tut-next:not([disabled])').waitFor();
      await press(page.getByRole('button', { name: /^(Next|下一步)$/ }));
      await page.waitForFunction(() => /^(Step 2 of|第 2 步)/.test(document.querySelector('[data-announcer]')?.textContent ?? ''));
      await page.locator('.tut-predict').waitFor();
    },
  },
  {
    name: 'tutorial, a question answered',
    path: '/',
    setup: async (page) => {
      // The app's Next (index.html's static step shows a disabled one before the app mounts).
      await page.locator('.tut-next:not([disabled])').waitFor();
      await press(page.getByRole('button', { name: /^(Next|下一步)$/ }));
      const choice = page.locator('.tut-predict input[type=radio]').first();
      await choice.focus();
      await page.keyboard.press('Space');
      await page.locator('.tut-reveal').waitFor();
    },
  },
  { name: 'playground', path: '/?mode=playground', setup: async (page) => { await shell(page); } },
  {
    name: 'send dialog',
    path: '/?mode=playground',
    setup: async (page) => {
      await press(page.getByRole('button', { name: N.send }));
      await page.getByRole('dialog', { name: N.sendDialog }).waitFor();
    },
  },
  {
    name: 'fault menu',
    path: '/?mode=playground',
    setup: async (page) => {
      const node = page.getByRole('button', { name: N.brokerA });
      await node.focus();
      await page.keyboard.press('Shift+F10');
      await page.getByRole('menu', { name: N.menu }).waitFor();
    },
  },
  {
    name: 'fault form with a refused value',
    path: '/?mode=playground',
    setup: async (page) => {
      await page.getByRole('button', { name: N.brokerA }).focus();
      await page.keyboard.press('Shift+F10');
      await page.getByRole('menu', { name: N.menu }).waitFor();
      for (let i = 0; i < 12; i += 1) {
        if (/^(Slow disk…|磁盘变慢…)$/.test(await page.evaluate(() => document.activeElement.textContent.trim()))) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await page.locator('form.param-form').waitFor();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('x');
      await page.keyboard.press('Enter');
      await page.locator('form.param-form .form-error').waitFor();
    },
  },
  {
    name: 'link menu',
    path: '/?mode=playground',
    setup: async (page) => {
      await page.getByRole('button', { name: /^(Link|链路) / }).first().focus();
      await page.keyboard.press('Enter');
      await page.getByRole('menu').waitFor();
    },
  },
  {
    name: 'inspector',
    path: '/?mode=playground',
    setup: async (page) => {
      const node = page.getByRole('button', { name: N.brokerA });
      await node.focus();
      await page.keyboard.press('Enter');
      await page.locator('.inspector-name').waitFor();
    },
  },
  {
    name: 'scenario picker',
    path: '/?mode=playground',
    setup: async (page) => {
      await press(page.getByRole('button', { name: N.scenario }));
      await page.locator('.scenario-picker, [role=dialog], [role=listbox], [role=menu]').first().waitFor();
    },
  },
  {
    name: 'share panel and a refused import',
    path: '/?mode=playground',
    setup: async (page) => {
      await press(page.getByRole('button', { name: N.share }));
      await page.locator('.import-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
      await page.getByRole('alert').first().waitFor();
    },
  },
  {
    name: 'A/B comparison',
    path: '/?mode=playground',
    setup: async (page) => {
      await press(page.getByRole('button', { name: N.compare }));
      const dialog = page.getByRole('dialog', { name: N.compareDialog });
      await dialog.waitFor();
      await dialog.locator('.compare-hashes').waitFor();
    },
  },
  {
    name: 'cluster builder',
    path: '/?mode=playground',
    setup: async (page) => {
      await press(page.getByRole('button', { name: N.builder }));
      await page.getByRole('dialog', { name: N.builderDialog }).waitFor();
    },
  },
  {
    name: 'shortcut sheet',
    path: '/?mode=playground',
    setup: async (page) => {
      await shell(page);
      await page.locator('body').focus();
      await page.keyboard.press('?');
      await page.locator('.shortcut-sheet').waitFor();
    },
  },
  {
    name: 'a run played to its end',
    path: '/?mode=playground',
    setup: async (page) => {
      await shell(page);
      const timeline = page.getByRole('slider', { name: /^(Timeline|时间线)$/ });
      await timeline.focus();
      await page.keyboard.press('End');
      await page.waitForFunction(() => !document.querySelector('.tb-stop'));
    },
  },
  {
    name: 'message passport',
    path: '/?mode=playground',
    setup: async (page) => {
      await shell(page);
      await page.getByRole('slider', { name: /^(Timeline|时间线)$/ }).focus();
      await page.keyboard.press('End');
      await page.waitForFunction(() => !document.querySelector('.tb-stop') && document.querySelector('.msg-link'));
      await press(page.locator('.msg-link').first());
      await page.locator('.view-passport').waitFor();
    },
  },
  { name: 'embedded player', path: '/?embed=retry-to-dlq', setup: async (page) => { await page.locator('.embed-shell').waitFor(); await shell(page); } },
  { name: 'challenges', path: '/?mode=challenges', setup: async (page) => { await page.locator('li[data-challenge]').first().waitFor(); } },
  {
    name: 'one challenge',
    path: '/?mode=challenges',
    setup: async (page) => {
      const first = page.locator('li[data-challenge] button').first();
      await first.waitFor();
      await press(first);
      await page.locator('.ch-goal').waitFor();
    },
  },
  {
    name: 'a challenge checked and not met',
    path: '/?mode=challenges',
    setup: async (page) => {
      const first = page.locator('li[data-challenge] button').first();
      await first.waitFor();
      await press(first);
      await press(page.getByRole('button', { name: /^(Check my run|检查我的运行)$/ }));
      await page.locator('.ch-result').waitFor();
    },
  },
  { name: 'code lab', path: '/?mode=lab', setup: async (page) => { await page.locator('.lab-panel').waitFor(); await page.locator('textarea.lab-code').waitFor(); } },
];

/**
 * The dock's views: each tab of the playground's dock, audited in turn. The
 * tabs are reached from the keyboard (focus on the selected tab, then the
 * right arrow), which is how the dock is meant to be walked anyway.
 */
async function auditDock(page, found, audited) {
  await shell(page);
  const tabs = page.getByRole('tablist', { name: /^(Views|视图)$/ }).getByRole('tab');
  const count = await tabs.count();
  assert.ok(count >= 5, `the dock has its views (found ${count} tabs)`);
  await tabs.first().focus();
  for (let i = 0; i < count; i += 1) {
    if (i > 0) await page.keyboard.press('ArrowRight');
    await page.waitForFunction((n) => document.querySelectorAll('.dock-tabs [role=tab]')[n]?.getAttribute('aria-selected') === 'true', i);
    const label = (await tabs.nth(i).textContent()).trim();
    for (const line of await audit(page)) found.push(`dock view "${label}": ${line}`);
    audited.push(label);
  }
}

for (const [lang, locale] of Object.entries(LANGS)) {
  for (const size of Object.keys(SIZES)) {
    test(`axe finds no WCAG 2.1 A/AA violation: ${lang}, ${size}`, async (t) => {
      const found = [];
      const screens = process.env.A11Y_ONLY ? SCREENS.filter((s) => s.name.includes(process.env.A11Y_ONLY)) : SCREENS;
      for (const screen of screens) {
        const { context, page } = await open(locale, size, screen.path);
        try {
          await screen.setup(page);
          const expected = locale === 'zh-CN' ? 'zh-CN' : 'en';
          assert.equal(await page.locator('html').getAttribute('lang'), expected, `${screen.name}: html lang follows the language`);
          for (const line of await audit(page)) found.push(`${screen.name}: ${line}`);
          t.diagnostic(`audited: ${screen.name}`);
        } catch (error) {
          found.push(`${screen.name}: could not be audited: ${error.message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
      }
      if (!process.env.A11Y_ONLY || 'dock'.includes(process.env.A11Y_ONLY)) {
        const { context, page } = await open(locale, size, '/?mode=playground');
        try {
          const views = [];
          await auditDock(page, found, views);
          t.diagnostic(`audited the dock's views: ${views.join(', ')}`);
        } catch (error) {
          found.push(`dock: could not be audited: ${error.message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
      }
      assert.equal(found.length, 0, `\n${found.join('\n')}`);
    });
  }
}

test('the viewport lets the reader zoom', async () => {
  const { context, page } = await open('en-US', 'phone', '/');
  try {
    const viewport = await page.locator('meta[name=viewport]').getAttribute('content');
    assert.doesNotMatch(viewport, /user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*(0|1(\.0*)?)\b/, viewport);
  } finally {
    await context.close();
  }
});
