// Records work from the dashboard in one browser and watches it arrive in another, against
// a cobuild server of its own (web_test.go starts it over the hand-drawn graph: this test
// writes).
//
//   node web/test/record.mjs <baseURL> <screenshotDir> <adminToken> <analystToken>
//
// Two browser contexts (two browsers, as far as cookies go) sign in as an admin, each by
// the sign-in link. In A, 指派 Assign then 确认 Confirm on the first worklist row: the row
// leaves A's list, and B, by the live feed alone, loses that organisation from its list
// and shows one uncovered organisation fewer, within a few seconds. Then an analyst's
// confirm shows FORBIDDEN in the row, and nothing is written.

import path from 'node:path';
import { api, CheckFailed, checks, expectEqual, fail, launch, ok, timeout } from './lib.mjs';

const [baseURL, shotDir, adminToken, analystToken] = process.argv.slice(2);
if (!baseURL || !shotDir || !adminToken || !analystToken) {
  console.error('usage: node record.mjs <baseURL> <screenshotDir> <adminToken> <analystToken>');
  process.exit(2);
}
/** How soon the second browser must show the write. */
const within = 10_000;

const gql = api(baseURL, adminToken);


const browser = await launch(shotDir);
const problems = [];
const pages = [];

/** A page in a browser context of its own, signed in with token through the sign-in link. */
async function signedIn(name, token) {
  const context = await browser.createBrowserContext();
  const p = await context.newPage();
  await p.setViewport({ width: 1440, height: 900 });
  p.setDefaultTimeout(timeout);
  p.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${name}: console error: ${m.text()}`);
  });
  // What the page sends on its WebSockets, from the DevTools protocol.
  const frames = [];
  const cdp = await p.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameSent', (e) => frames.push(JSON.parse(e.response.payloadData)));
  const received = [];
  cdp.on('Network.webSocketFrameReceived', (e) => received.push(e.response.payloadData));
  const signin = new URL('/signin', baseURL);
  signin.search = new URLSearchParams({ token, next: '/dashboard/' }).toString();
  await p.goto(signin.href, { waitUntil: 'domcontentloaded' });
  if (new URL(p.url()).pathname !== '/dashboard/') fail(`${name}: the sign-in link led to ${p.url()}`);
  const page = { name, p, frames, received };
  pages.push(page);
  return page;
}

/** Waits until a panel is ready. */
async function ready(page, panel) {
  await page.p
    .waitForFunction((s) => document.querySelector(s)?.dataset.state === 'ready', { timeout }, `[data-panel="${panel}"]`)
    .catch(async () => fail(`${page.name}: panel ${panel} is ${await page.p.$eval(`[data-panel="${panel}"]`, (e) => `${e.dataset.state}: ${e.textContent}`)}`));
}

/** Waits until the live feed is subscribed. */
async function live(page) {
  await page.p
    .waitForFunction(() => document.querySelector('[data-live]')?.dataset.live === 'open', { timeout })
    .catch(async () => fail(`${page.name}: live feed ${await page.p.$eval('[data-live]', (e) => `${e.dataset.live}: ${e.textContent}`)}`));
  ok(`${page.name}: the live feed is open`);
}

/** Waits until every panel of the page has its answer, whichever it is. */
async function settledAll(page) {
  await page.p.waitForFunction(() => [...document.querySelectorAll('[data-panel]')].every((e) => e.dataset.state !== 'loading'), { timeout });
}

/** Waits until the server builds no snapshot (the pages' first requests start some). */
async function idle() {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(new URL('/metrics', baseURL), { headers: { Authorization: `Bearer ${adminToken}` } });
    const m = /^cobuild_snapshot_builds_running (\d+)/m.exec(await res.text());
    if (m && m[1] === '0') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  fail('the server kept building snapshots for a minute');
}

const rowIds = (page) => page.p.$$eval('[data-panel="isolated"] tbody tr', (rows) => rows.map((r) => r.dataset.id));
const figure = (page, id) => page.p.$eval(`[data-panel="coverage"] [data-figure="${id}"]`, (e) => Number(e.dataset.value));

async function shot(page, name) {
  await page.p.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** The page's uncovered figures and its worklist's total, once both have their answer. */
async function counts(page) {
  await ready(page, 'coverage');
  await page.p.waitForFunction(() => ['ready', 'empty'].includes(document.querySelector('[data-panel="isolated"]')?.dataset.state), { timeout });
  return {
    uncovered: await figure(page, 'uncovered'),
    isolatedUncovered: await figure(page, 'isolatedUncovered'),
    total: await page.p.$eval('[data-panel="isolated"] [data-total]', (e) => Number(e.dataset.total)),
  };
}

/**
 * In writer, 指派 Assign then 确认 Confirm on target's row; the row leaves writer's list,
 * and watcher, by the live feed alone, loses it and shows the figures one fewer: uncovered
 * for a cover (an instructor, a party organisation), isolated and uncovered for every one.
 * Returns how long watcher took after the confirm.
 */
async function record(writer, watcher, target) {
  const suggested = target.coverageCandidates[0]?.node;
  if (!suggested) fail(`${target.id} has no candidate`);
  const covers = suggested.label !== 'Organization';
  const before = await counts(watcher);
  const want = { uncovered: before.uncovered - (covers ? 1 : 0), isolatedUncovered: before.isolatedUncovered - 1, total: before.total - 1 };

  // Click 1 shows the suggestion with a confirm button; click 2 writes.
  const row = `[data-panel="isolated"] tr[data-id="${target.id}"]`;
  await writer.p.click(`${row} [data-action="assign"]`);
  await writer.p.waitForSelector(`${row} [data-action="confirm"]`);
  const suggestion = await writer.p.$eval(`${row} [data-suggestion]`, (e) => ({ id: e.dataset.suggestion, text: e.textContent }));
  expectEqual(`${writer.name}: the suggestion shown for ${target.name}`, suggestion.id, suggested.id);
  if (!suggestion.text.includes(suggested.name)) fail(`${writer.name}: the suggestion reads ${suggestion.text}, want ${suggested.name}`);
  await shot(writer, `${target.name}-1-confirm`);
  const clicked = Date.now();
  await writer.p.click(`${row} [data-action="confirm"]`);
  await writer.p
    .waitForFunction((s) => !document.querySelector(s), { timeout: within }, row)
    .catch(async () => fail(`${writer.name}: the row stayed: ${await writer.p.$eval(row, (e) => e.querySelector('[data-record]').textContent)}`));
  ok(`${writer.name}: the row of ${target.name} (${suggested.label} ${suggested.name}) left the list after ${Date.now() - clicked} ms`);

  // The watcher: by the feed alone.
  await watcher.p
    .waitForFunction(
      (s, want) =>
        !document.querySelector(s) &&
        document.querySelector('[data-panel="isolated"]')?.dataset.state !== 'loading' &&
        document.querySelector('[data-panel="coverage"]')?.dataset.state === 'ready' &&
        document.querySelector('[data-figure="uncovered"]')?.dataset.value === String(want.uncovered) &&
        document.querySelector('[data-figure="isolatedUncovered"]')?.dataset.value === String(want.isolatedUncovered),
      { timeout: within, polling: 50 },
      row,
      want,
    )
    .catch(async () =>
      fail(`${watcher.name} after ${within} ms: rows ${JSON.stringify(await rowIds(watcher))}, figures ${JSON.stringify(await counts(watcher))}, want ${target.id} gone and ${JSON.stringify(want)}`),
    );
  const seen = Date.now() - clicked;
  ok(`${watcher.name}: ${target.name} left the worklist and the figures fell to ${JSON.stringify(want)}, ${seen} ms after the confirm`);
  await shot(watcher, `${target.name}-2-seen`);
  for (const page of [writer, watcher]) {
    const got = await page.p.waitForFunction(() => document.querySelector('[data-panel="isolated"]')?.dataset.state !== 'loading').then(() => counts(page));
    expectEqual(`${page.name}: figures and list total after ${target.name}`, got, want);
  }
  const after = (await gql('query($id: ID!) { organization(id: $id) { coverage { status isolated } } }', { id: target.id })).organization.coverage;
  if (covers ? after.status === 'UNCOVERED' : after.isolated) fail(`API: ${target.id} is ${JSON.stringify(after)}`);
  ok(`API: ${target.name} is now ${after.status}${after.isolated ? ', isolated' : ', in the network'}`);
  return seen;
}

let failed = false;
try {
  const a = await signedIn('A', adminToken);
  const b = await signedIn('B', adminToken);
  for (const page of [a, b]) {
    await ready(page, 'coverage');
    await ready(page, 'isolated');
    await live(page);
    await settledAll(page);
  }
  await idle();
  ok('the server builds no snapshot');
  const listed = (await gql(`{ organizations(where: {coverage: [UNCOVERED], isolated: true, sector: [ENTERPRISE, SOCIAL], operating: true}, sort: {field: HEADCOUNT, direction: DESC}) {
    totalCount nodes { id name kind coverageCandidates(first: 1) { node { id label kind name } } } } }`)).organizations;
  expectEqual('A: worklist rows', await rowIds(a), listed.nodes.map((n) => n.id));
  expectEqual('B: worklist rows', await rowIds(b), listed.nodes.map((n) => n.id));
  if (listed.nodes.length < 3) fail(`the worklist holds ${listed.nodes.length}, want 3 to record`);

  // The first row, recorded in A and seen in B.
  const times = [await record(a, b, listed.nodes[0])];

  // Both feeds subscribed by the registered hash (the server's persisted queries take it
  // over WebSocket too), from the graph version of the figures.
  for (const page of [a, b]) {
    const subs = page.frames.filter((f) => f.type === 'subscribe');
    if (subs.length === 0) fail(`${page.name}: no subscribe message`);
    const withText = subs.filter((f) => f.payload.query !== undefined);
    expectEqual(`${page.name}: subscriptions that sent the text`, withText.length, 0);
    if (typeof subs[0].payload.variables.after !== 'number') fail(`${page.name}: subscribed after ${JSON.stringify(subs[0].payload.variables.after)}, want the figures' graph version`);
    ok(`${page.name}: subscribed by hash after change ${subs[0].payload.variables.after}`);
  }

  // An analyst may read, not write: the row says FORBIDDEN, and nothing changes.
  const c = await signedIn('C (analyst)', analystToken);
  await ready(c, 'isolated');
  const rowC = `[data-panel="isolated"] tr[data-id="${listed.nodes[1].id}"]`;
  await c.p.click(`${rowC} [data-action="assign"]`);
  await c.p.click(`${rowC} [data-action="confirm"]`);
  const code = await c.p
    .waitForSelector(`${rowC} [data-error-code]`, { timeout: within })
    .then((e) => e.evaluate((x) => ({ code: x.dataset.errorCode, text: x.textContent })))
    .catch(() => fail('C: no error shown in the row'));
  expectEqual('C: the code shown in the row', code.code, 'FORBIDDEN');
  if (!/[\u4e00-\u9fff]/.test(code.text) || !/[A-Za-z]{3,}/.test(code.text.replace('FORBIDDEN', ''))) fail(`C: the message "${code.text}" is not in Chinese and English`);
  ok(`C: the row shows ${code.text}`);
  await shot(c, 'analyst-forbidden');
  expectEqual('C: the row stays', (await rowIds(c)).includes(listed.nodes[1].id), true);
  await c.p.close();

  // The other two, the other way round and back: each kind of coverer.
  times.push(await record(b, a, listed.nodes[1]));
  times.push(await record(a, b, listed.nodes[2]));
  for (const page of [a, b]) {
    await page.p.waitForFunction(() => document.querySelector('[data-panel="isolated"]')?.dataset.state === 'empty', { timeout: within }).catch(() => fail(`${page.name}: the worklist is not empty`));
    ok(`${page.name}: the worklist is empty`);
  }

  if (problems.length > 0) fail('the browser reported:\n  ' + problems.join('\n  '));
  ok('no page errors or console errors');
  console.log(`the other browser showed each write ${times.join(', ')} ms after its confirm`);
} catch (err) {
  failed = true;
  console.error(`not ok - ${err instanceof CheckFailed ? err.message : err.stack}`);
  for (const page of pages) {
    await shot(page, `failure-${page.name[0]}`).catch(() => {});
    console.error(`${page.name} sent on its WebSocket: ${page.frames.map((f) => JSON.stringify(f)).join(' ')}`);
    console.error(`${page.name} received on its WebSocket: ${page.received.join(' ')}`);
  }
  if (problems.length) console.error('the browser reported:\n  ' + problems.join('\n  '));
} finally {
  await browser.close();
}
console.log(failed ? `FAIL after ${checks()} checks` : `PASS: ${checks()} checks`);
process.exit(failed ? 1 : 0);
