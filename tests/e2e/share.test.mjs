// Sharing, as a learner does it: drive a run, kill a broker from its menu,
// read the run's fingerprint, verify it by an independent replay, take the
// share link and open it in a new browser context (same fingerprint at the
// same virtual time, verify says identical); a damaged link shows what is
// wrong over the normal app; importing a bad file or one over 1 MB says why
// and leaves the session as it was; export downloads JSON; the embedded
// player shows the cluster without the tutorial. Nothing here leaves
// 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

/** The fingerprint chip's data: full hex, virtual time and engine events. */
async function fingerprint(page) {
  const chip = page.locator('.fingerprint-chip');
  await chip.waitFor();
  return {
    hex: await chip.getAttribute('data-fingerprint'),
    t: Number(await chip.getAttribute('data-t')),
    events: Number(await chip.getAttribute('data-events')),
  };
}

/** Plays at 10× until virtual time passes `ms`, then pauses. */
async function playPast(page, ms) {
  await page.getByRole('slider', { name: 'Speed' }).fill('9');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(
    (ms) => Number(document.querySelector('.fingerprint-chip')?.getAttribute('data-t')) > ms,
    ms,
  );
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
}

/** Clicks "Replay and verify identical" and waits for the verdict. */
async function verify(page) {
  await page.getByRole('button', { name: 'Replay and verify identical' }).click();
  const verdict = page.locator('.verify-identical, .verify-differs');
  await verdict.waitFor();
  return verdict.textContent();
}

test('a shared link replays the run to the same fingerprint in a new browser', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?mode=playground' });
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();

  // Drive the run and kill broker-a from its menu (the fault palette).
  await playPast(page, 1_200);
  await page.getByRole('button', { name: /^broker-a, Broker, / }).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Actions for broker-a' }).getByRole('menuitem', { name: 'Kill' }).click();
  await page.getByRole('button', { name: 'broker-a, Broker, down · killed' }).waitFor();
  await playPast(page, 4_000);

  const original = await fingerprint(page);
  assert.match(original.hex, /^[0-9a-f]{16}$/);
  assert.match(await page.locator('.fingerprint-chip').textContent(), new RegExp(`Fingerprint ${original.hex.slice(0, 8)} · `));
  const verdict = await verify(page);
  assert.match(verdict, /Identical/);
  assert.ok(verdict.includes(original.hex.slice(0, 8)), verdict);

  // The share link: shown in a text field (and copied when the clipboard allows).
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const panel = page.getByRole('region', { name: 'Share and save' });
  await panel.waitFor();
  const link = await panel.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.ok(link.startsWith(`${app.server.url}/#s=`), link);
  assert.match(await panel.textContent(), /your 1 intervention\(s\)/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.url });
  await panel.getByRole('button', { name: 'Copy link' }).click();
  await page.getByRole('status').filter({ hasText: 'Link copied to the clipboard' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await screenshot(page, 'share-panel-en-1280x720');

  // Export: the whole session and the scenario alone, as JSON files.
  const [sessionFile] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export session (JSON)' }).click(),
  ]);
  assert.equal(sessionFile.suggestedFilename(), 'tutorial-basic.session.json');
  const session = JSON.parse(await readFile(await sessionFile.path(), 'utf8'));
  assert.equal(session.format, 'rmqsim-session');
  assert.equal(session.version, 1);
  assert.equal(session.interventions.length, 1);
  assert.equal(session.interventions[0].action.do, 'kill');
  assert.deepEqual(session.position, { t: original.t, events: original.events });
  assert.equal(session.fingerprint, original.hex);
  const [scenarioFile] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export scenario (JSON)' }).click(),
  ]);
  assert.equal(scenarioFile.suggestedFilename(), 'tutorial-basic.scenario.json');
  const scenario = JSON.parse(await readFile(await scenarioFile.path(), 'utf8'));
  assert.equal(scenario.name, 'tutorial-basic');
  assert.ok(scenario.cluster.brokers.length > 0);

  // A new browser context (nothing shared with the first) opens the link.
  const other = await openApp(app.browser, app.server, { path: link.slice(app.server.url.length) });
  const page2 = other.page;
  await page2.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page2.waitForFunction(
    (events) => Number(document.querySelector('.fingerprint-chip')?.getAttribute('data-events')) === events,
    original.events,
  );
  const replayed = await fingerprint(page2);
  assert.deepEqual(replayed, original, 'same fingerprint at the same virtual time and event');
  await page2.getByRole('button', { name: 'broker-a, Broker, down · killed' }).waitFor();
  await page2.getByRole('status').filter({ hasText: "The fingerprint matches the sharer's" }).waitFor();
  assert.equal(await page2.locator('.mode-playground').count(), 1, 'a shared link opens the playground');
  const verdict2 = await verify(page2);
  assert.match(verdict2, /Identical/);
  assert.ok(verdict2.includes(original.hex.slice(0, 8)), verdict2);
  await screenshot(page2, 'share-opened-en-1280x720');
  assert.deepEqual(other.problems, [], 'the opened link logs no errors');
  await other.context.close();

  assert.deepEqual(problems, [], 'the page logs no errors (CSP violations included)');
  await context.close();
});

test('a damaged link says what is wrong and the normal app loads', async () => {
  // Cut off: half a token.
  const doc = JSON.stringify({ format: 'rmqsim-session', version: 1, scenario: { cluster: { brokers: [{ name: 'b' }] } } });
  const token = Buffer.from(doc).toString('base64url');
  const cut = await openApp(app.browser, app.server, { path: `/#s=${token.slice(0, 41)}` });
  await cut.page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  const alert = cut.page.getByRole('alert').filter({ hasText: 'This share link could not be opened' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /cut off/);
  await cut.page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();
  await screenshot(cut.page, 'share-damaged-link-en-1280x720');
  assert.deepEqual(cut.problems, [], 'no panic, no console errors');
  await cut.context.close();

  // Not base64 at all, and a valid document whose scenario is wrong.
  const junk = await openApp(app.browser, app.server, { path: '/#s=abc$def' });
  const junkAlert = junk.page.getByRole('alert').filter({ hasText: 'This share link could not be opened' });
  await junkAlert.waitFor();
  assert.match(await junkAlert.textContent(), /not a share link.*character 4/);
  await junk.context.close();

  const bad = Buffer.from(
    JSON.stringify({ format: 'rmqsim-session', version: 1, scenario: { cluster: { nameservers: 99, brokers: [{ name: 'b' }] } } }),
  ).toString('base64url');
  const invalid = await openApp(app.browser, app.server, { path: `/#s=${bad}` });
  const invalidAlert = invalid.page.getByRole('alert').filter({ hasText: 'This share link could not be opened' });
  await invalidAlert.waitFor();
  assert.match(await invalidAlert.textContent(), /invalid scenario.*scenario\.cluster\.nameservers/);
  await invalid.page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await invalid.context.close();
});

test('importing a bad file or one over 1 MB leaves the session untouched', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?mode=playground' });
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await playPast(page, 1_100);
  const before = await fingerprint(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const input = page.locator('.import-input');

  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"cluster": x}') });
  let alert = page.getByRole('alert').filter({ hasText: 'Could not import broken.json' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /not JSON at byte 12/);
  assert.match(await alert.textContent(), /The current session is unchanged/);
  assert.deepEqual(await fingerprint(page), before);

  await input.setInputFiles({
    name: 'not-a-scenario.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"cluster": {"brokers": [{"name": "a", "colour": 1}]}}'),
  });
  alert = page.getByRole('alert').filter({ hasText: 'Could not import not-a-scenario.json' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /invalid scenario.*colour/);
  assert.deepEqual(await fingerprint(page), before);

  await input.setInputFiles({
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.alloc(1_100_000, 0x20),
  });
  alert = page.getByRole('alert').filter({ hasText: 'huge.json is 1100000 bytes' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /over 1 MB are not read/);
  assert.deepEqual(await fingerprint(page), before);
  await screenshot(page, 'share-import-refused-en-1280x720');

  // A good scenario file loads (paused at t = 0).
  const good = JSON.stringify({
    name: 'imported',
    seed: 9,
    until: '30s',
    cluster: { brokers: [{ name: 'broker-x' }] },
  });
  await input.setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(good) });
  await page.getByRole('status').filter({ hasText: 'Imported good.json (0 intervention(s))' }).waitFor();
  await page.getByRole('button', { name: 'Scenario: imported' }).waitFor();
  await page.getByRole('button', { name: /^broker-x, Broker, / }).waitFor();

  // Nothing is lost: the import can be undone, back to the same point of the run it replaced.
  await page.getByRole('button', { name: 'Undo import' }).click();
  await page.getByRole('status').filter({ hasText: 'Import undone' }).waitFor();
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();
  await page.waitForFunction(
    (t) => Number(document.querySelector('.fingerprint-chip')?.getAttribute('data-t')) === t,
    before.t,
  );
  assert.deepEqual(await fingerprint(page), before);

  assert.deepEqual(problems, []);
  await context.close();
});

test('the embedded player shows the cluster, the time bar and the views, without the tutorial', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?embed=retry-to-dlq' });
  const player = page.locator('.embed-shell');
  await player.waitFor();
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  assert.equal(await page.locator('.embed-title').textContent(), 'retry-to-dlq');
  assert.equal(await page.getByRole('heading', { name: 'Narration' }).count(), 0, 'no tutorial');
  assert.equal(await page.getByRole('button', { name: /^Scenario:/ }).count(), 0, 'no scenario picker');
  assert.equal(await page.getByRole('button', { name: 'Send messages…' }).count(), 0, 'no send form');
  assert.equal(await page.locator('.mode-switch, .share-bar').count(), 0, 'no mode switch, no share strip');
  assert.ok(await page.getByRole('slider', { name: 'Timeline' }).isVisible(), 'the time bar');
  assert.ok(await page.getByRole('tab', { name: /Queues/ }).isVisible(), 'the dock of views');
  const open = page.getByRole('link', { name: 'Open in the simulator' });
  assert.match(await open.getAttribute('href'), /\?mode=playground#s=[A-Za-z0-9_-]+$/);

  // Read-only: a node offers no fault menu.
  await page.getByRole('button', { name: /^broker-a, Broker, / }).click({ button: 'right' });
  assert.equal(await page.getByRole('menu').count(), 0, 'no fault palette');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.sim-clock-value')?.textContent.trim() !== '0.000 s');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await screenshot(page, 'share-embed-en-1280x720');

  // An unknown preset says so and shows the default.
  const unknown = await openApp(app.browser, app.server, { path: '/?embed=nope' });
  await unknown.page.getByRole('alert').filter({ hasText: 'No built-in scenario is called "nope"' }).waitFor();
  await unknown.context.close();

  assert.deepEqual(problems, []);
  await context.close();
});
