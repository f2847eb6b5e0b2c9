// The release build served from a sub-path, as GitHub Pages serves a project
// (http://host/rocketmq-sim/): the app opens there and registers its service
// worker for that path; a share link (`#s=…`) and the embedded player's
// "Open in the simulator" link (`?mode=playground#s=…`) point under it and
// open there; `?embed=` plays there; the Challenges mode gets its
// challenges.json; the code lab loads its wasm, MicroPython and workers from
// there and runs the tutorial's programs, and once it has, runs them again
// with the network off. No request leaves the sub-path.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openApp, serveDist } from './support.mjs';

const BASE = '/rocketmq-sim/';
let server;
let browser;

before(async () => {
  server = await serveDist({ base: BASE });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The fingerprint chip's hex and virtual time. */
async function fingerprint(page) {
  const chip = page.locator('.fingerprint-chip');
  await chip.waitFor();
  return { hex: await chip.getAttribute('data-fingerprint'), t: Number(await chip.getAttribute('data-t')) };
}

test('under a sub-path the app, its worker, share links and the embedded player stay under it', async () => {
  assert.ok(server.url.endsWith('/rocketmq-sim'));
  const { context, page, problems } = await openApp(browser, server, { locale: 'en-US', path: '/' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, `${server.url}/`);

  // A share link from the playground, after a second of play.
  await page.goto(`${server.url}/?mode=playground`);
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page.getByRole('slider', { name: 'Speed' }).fill('9');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => Number(document.querySelector('.fingerprint-chip')?.getAttribute('data-t')) > 1_000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  const original = await fingerprint(page);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.getByRole('region', { name: 'Share and save' }).getByRole('textbox', { name: 'Share link' }).inputValue();
  assert.ok(link.startsWith(`${server.url}/#s=`), link);

  // Opened in another browser: the same run, under the sub-path.
  const other = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
  const shared = await other.newPage();
  await shared.goto(link);
  await shared.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await shared.waitForFunction((t) => document.querySelector('.fingerprint-chip')?.getAttribute('data-t') === String(t), original.t);
  assert.deepEqual(await fingerprint(shared), original);

  // The embedded player there, and its way into the simulator.
  await shared.goto(`${server.url}/?embed=retry-to-dlq`);
  await shared.locator('.embed-shell').waitFor();
  assert.equal(await shared.locator('.embed-title').textContent(), 'retry-to-dlq');
  const open = shared.getByRole('link', { name: 'Open in the simulator' });
  const into = new URL(await open.getAttribute('href'), shared.url()).href;
  assert.match(into, new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/\\?mode=playground#s=[A-Za-z0-9_-]+$`));
  await shared.goto(into);
  await shared.getByRole('button', { name: 'Scenario: retry-to-dlq' }).waitFor();
  await other.close();

  // Challenges: the built-in list comes from challenges.json next to the page.
  const loaded = page.waitForResponse((r) => r.url() === `${server.url}/challenges.json` && r.ok());
  await page.goto(`${server.url}/?mode=challenges`);
  await loaded;
  await page.getByRole('complementary', { name: 'Challenges' }).getByText(/of 17 solved/).waitFor();

  assert.deepEqual(problems, []);
  assert.deepEqual(server.misses, [], 'no request outside the sub-path');
  await context.close();
});

test('under a sub-path the code lab runs, and runs again offline once it has', async () => {
  const { context, page, problems } = await openApp(browser, server, { locale: 'en-US', path: '/?mode=lab' });
  await page.locator('.lab-panel').waitFor();
  // The first visit is not isolated: the lab offers a reload once the worker is active.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Enable and reload' }).click()]);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);

  // Runs the programs: waits until the run has been busy (Run gone) and is over.
  const run = async () => {
    await page.evaluate(() => {
      window.__labBusy = false;
      const seen = () => { if (document.querySelector('.lab-toolbar') && !document.querySelector('.lab-run')) window.__labBusy = true; };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true });
    });
    await page.locator('.lab-run').click();
    await page.waitForFunction(() => window.__labBusy);
    await page.waitForFunction(() => document.querySelector('.lab-run') && document.querySelector('.lab-status.is-done, .lab-status.is-error'), null, { timeout: 60_000 });
    return (await page.locator('.lab-status.is-done, .lab-status.is-error').first().textContent()).trim();
  };
  const done = /^Run recorded, to 01:00\.000\. Fingerprint ([0-9a-f]{16})\./;
  const online = await run();
  assert.match(online, done);

  // The lab's files joined the worker's cache on first use, under the sub-path.
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) urls.push(...(await (await caches.open(name)).keys()).map((r) => r.url));
    return urls.filter((u) => u.includes('/lab/')).map((u) => new URL(u).pathname).sort();
  });
  for (const file of ['lab.js', 'lab_bg.wasm', 'host.mjs', 'worker.js', 'runtime.mjs', 'micropython.mjs', 'micropython.wasm']) {
    assert.ok(cached.includes(`${BASE}lab/${file}`), `${file} cached: ${JSON.stringify(cached)}`);
  }

  await context.setOffline(true);
  await page.reload();
  await page.locator('.lab-panel').waitFor();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const offline = await run();
  assert.equal(offline.match(done)?.[1], online.match(done)[1], 'offline, the same fingerprint');

  assert.deepEqual(problems, []);
  assert.deepEqual(server.misses, [], 'no request outside the sub-path');
  await context.close();
});
