// Runs a whole evaluation round (评星定级) through the API and watches the dashboard show it,
// against a cobuild server of its own (web_test.go starts it over the hand-drawn graph: this
// test writes).
//
//   node web/test/round.mjs <baseURL> <screenshotDir> <adminToken>
//
// An admin's page shows no round in progress. The round is opened through the API: the
// round-in-progress panel (测评进行中), refreshed (刷新: a round's writes make no event of
// the live feed, which tells of coverage), shows it with the counts of evaluationRound. Two
// groups' scores of every party organisation to be evaluated are entered: all still lack
// the third, and the panel's rows say so. The third group's are entered: the panel's
// missing count drops to 0. The round is finalised; after a reload (the round picker lists the
// rounds the page read as it loaded) it is picked in the grading panel (三色分类与星级),
// whose tier counts are those the script computes from the scores and the rules.

import path from 'node:path';
import { api, CheckFailed, checks, expectEqual, fail, launch, ok, timeout } from './lib.mjs';

const [baseURL, shotDir, adminToken] = process.argv.slice(2);
if (!baseURL || !shotDir || !adminToken) {
  console.error('usage: node round.mjs <baseURL> <screenshotDir> <adminToken>');
  process.exit(2);
}
/** How soon the page must show a write, by the live feed. */
const within = 10_000;

const gql = api(baseURL, adminToken);

// The latest May or November round begun by today, on its 1st: every day of it is past.
const now = new Date();
const [year, month] = [now.getUTCFullYear(), now.getUTCMonth() + 1];
const round = month >= 11 ? `${year}-11` : month >= 5 ? `${year}-05` : `${year - 1}-11`;
const roundDate = `${round}-01`;

/** The round as the API tells it, with its whole missing list. */
async function progress() {
  const d = await gql(
    `query($r: String!) { evaluationRound(round: $r) { status toEvaluate missingCount missing(first: 1000) { partyOrganization { id } entered missing } } }`,
    { r: round },
  );
  return d.evaluationRound;
}

// The final score and tier, as docs/domain.md states them, from the rules in force.
const { rules } = await gql('{ rules { goldFloor silverFloor bronzeFloor dimensionMax selfWeight publicWeight committeeWeight } }');
const hundredths = (x) => Math.round(x * 100);
function tierOf(score) {
  const s = hundredths(score);
  if (s >= hundredths(rules.goldFloor)) return 'GOLD';
  if (s >= hundredths(rules.silverFloor)) return 'SILVER';
  if (s >= hundredths(rules.bronzeFloor)) return 'BRONZE';
  return 'WEAK';
}
/** Seven scores, each the share of its dimension's maximum, in hundredths. */
const sheet = (share) => rules.dimensionMax.map((m) => hundredths(m * share) / 100);
const total = (scores) => scores.reduce((a, b) => a + b, 0);
function finalScore(s) {
  const w = total(s.SELF) * rules.selfWeight + total(s.PUBLIC) * rules.publicWeight + total(s.COMMITTEE) * rules.committeeWeight;
  return Math.round(w * 100 + 1e-7) / 100;
}
// Shares of each group's maximum, one set a party organisation in turn: with the default
// rules full marks are gold (100), then bronze (67), silver (79.5) and weak (50).
const shares = [
  { SELF: 1, PUBLIC: 1, COMMITTEE: 1 },
  { SELF: 0.8, PUBLIC: 0.7, COMMITTEE: 0.6 },
  { SELF: 0.9, PUBLIC: 0.8, COMMITTEE: 0.75 },
  { SELF: 0.5, PUBLIC: 0.5, COMMITTEE: 0.5 },
];


const browser = await launch(shotDir);
const problems = [];
let page;

/** A page signed in with token through the sign-in link. */
async function signedIn(token) {
  const p = await browser.newPage();
  await p.setViewport({ width: 1440, height: 900 });
  p.setDefaultTimeout(timeout);
  p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  const signin = new URL('/signin', baseURL);
  signin.search = new URLSearchParams({ token, next: '/dashboard/' }).toString();
  await p.goto(signin.href, { waitUntil: 'domcontentloaded' });
  if (new URL(p.url()).pathname !== '/dashboard/') fail(`the sign-in link led to ${p.url()}`);
  return p;
}

/** Waits until a panel is in one of the states. */
async function settled(panel, states = ['ready']) {
  await page
    .waitForFunction((s, states) => states.includes(document.querySelector(s)?.dataset.state), { timeout }, `[data-panel="${panel}"]`, states)
    .catch(async () => fail(`panel ${panel} is ${await page.$eval(`[data-panel="${panel}"]`, (e) => `${e.dataset.state}: ${e.textContent}`)}`));
}

async function shot(name, selector) {
  const el = selector ? await page.$(selector) : null;
  if (el) await el.screenshot({ path: path.join(shotDir, `${name}.png`) });
  else await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** What the round-in-progress panel shows. */
function shown() {
  return page.$eval('[data-panel="round-progress"]', (e) => {
    const v = (id) => {
      const f = e.querySelector(`[data-figure="${id}"]`);
      return f ? Number(f.dataset.value) : null;
    };
    return {
      state: e.dataset.state,
      title: e.querySelector('[data-figure="toEvaluate"] .figure-title')?.textContent ?? null,
      toEvaluate: v('toEvaluate'),
      complete: v('complete'),
      missing: v('missing'),
      listed: e.querySelectorAll('[data-list="missing"] tbody tr').length,
      lacking: [...new Set([...e.querySelectorAll('[data-list="missing"] tbody tr td:nth-child(2)')].map((td) => td.textContent))],
      text: e.textContent,
    };
  });
}

/**
 * Clicks the panel's 刷新 Refresh and waits until it shows want. The live feed carries
 * coverage events only, and a round's writes make none: the button is how the page learns
 * of them.
 */
async function panelShows(what, want, since) {
  await page.click('[data-panel="round-progress"] [data-control="refresh-round"]');
  const pick = (s) => ({ state: s.state, toEvaluate: s.toEvaluate, complete: s.complete, missing: s.missing, listed: s.listed, lacking: s.lacking });
  await page
    .waitForFunction(
      (want) => {
        const e = document.querySelector('[data-panel="round-progress"]');
        const v = (id) => Number(e.querySelector(`[data-figure="${id}"]`)?.dataset.value);
        return (
          e.dataset.state === 'ready' &&
          v('toEvaluate') === want.toEvaluate &&
          v('complete') === want.complete &&
          v('missing') === want.missing &&
          e.querySelectorAll('[data-list="missing"] tbody tr').length === want.listed &&
          JSON.stringify([...new Set([...e.querySelectorAll('[data-list="missing"] tbody tr td:nth-child(2)')].map((td) => td.textContent))]) ===
            JSON.stringify(want.lacking)
        );
      },
      { timeout: within, polling: 50 },
      want,
    )
    .catch(async () => fail(`${what}: the panel shows ${JSON.stringify(pick(await shown()))} after ${within} ms, want ${JSON.stringify(want)}`));
  const s = await shown();
  expectEqual(`${what}: the panel refreshed, ${Date.now() - since} ms after the write`, pick(s), want);
  return s;
}

let failed = false;
try {
  page = await signedIn(adminToken);
  await settled('round-progress', ['empty']);
  const none = await shown();
  if (!none.text.includes('尚无测评轮次')) fail(`before the round: the panel reads "${none.text}"`);
  ok(`before the round: the panel reads ${none.text.trim()}`);
  await settled('grading', ['empty']);

  // 1. Opened through the API: the panel shows it open, with evaluationRound's counts.
  let since = Date.now();
  await gql('mutation($r: String!, $d: Date) { openRound(round: $r, roundDate: $d) { change { seq } } }', { r: round, d: roundDate });
  const opened = await progress();
  if (opened?.status !== 'OPEN' || opened.toEvaluate < 2) fail(`the opened round: ${JSON.stringify(opened)}`);
  expectEqual('opened: the API lists every party organisation to be evaluated as missing', [opened.missingCount, opened.missing.length], [opened.toEvaluate, opened.toEvaluate]);
  const open1 = await panelShows('opened', { state: 'ready', toEvaluate: opened.toEvaluate, complete: 0, missing: opened.missingCount, listed: Math.min(20, opened.missingCount), lacking: ['组织自评、党员群众测评、党(工)委复评'] }, since);
  expectEqual('opened: the panel names the round', open1.title, `${round} 应参评`);
  await shot('1-opened', '[data-panel="round-progress"]');

  // 2. Scores for every party organisation to be evaluated, tiers computed as they go.
  const pos = opened.missing.map((m) => m.partyOrganization.id);
  const scores = {};
  const want = { GOLD: 0, SILVER: 0, BRONZE: 0, WEAK: 0 };
  pos.forEach((po, i) => {
    const share = shares[i % shares.length];
    scores[po] = { SELF: sheet(share.SELF), PUBLIC: sheet(share.PUBLIC), COMMITTEE: sheet(share.COMMITTEE) };
    const score = finalScore(scores[po]);
    want[tierOf(score)]++;
    console.log(`${po}: final score ${score}, ${tierOf(score)}`);
  });
  if (Object.values(want).filter((n) => n > 0).length < 2) fail(`the scores give one tier only: ${JSON.stringify(want)}`);
  const rows = (groups) => pos.flatMap((po) => groups.map((group) => ({ partyOrganizationId: po, group, scores: scores[po][group] })));
  const enter = 'mutation($r: String!, $rows: [ScoreRowInput!]!) { enterScores(round: $r, rows: $rows) { change { seq } } }';

  // Two groups first: every party organisation still lacks the committee's.
  since = Date.now();
  await gql(enter, { r: round, rows: rows(['SELF', 'PUBLIC']) });
  const half = await progress();
  expectEqual('two groups entered: the API', [half.missingCount, [...new Set(half.missing.flatMap((m) => m.missing))]], [opened.toEvaluate, ['COMMITTEE']]);
  await panelShows('two groups entered', { state: 'ready', toEvaluate: opened.toEvaluate, complete: 0, missing: half.missingCount, listed: Math.min(20, half.missingCount), lacking: ['党(工)委复评'] }, since);

  // The third: nobody is missing.
  since = Date.now();
  await gql(enter, { r: round, rows: rows(['COMMITTEE']) });
  const full = await progress();
  expectEqual('all entered: the API', [full.toEvaluate, full.missingCount, full.missing.length], [opened.toEvaluate, 0, 0]);
  const full1 = await panelShows('all entered', { state: 'ready', toEvaluate: opened.toEvaluate, complete: opened.toEvaluate, missing: 0, listed: 0, lacking: [] }, since);
  if (!full1.text.includes('可以定级')) fail(`all entered: the panel reads "${full1.text}"`);
  ok('all entered: the panel says the round can be finalised');
  await shot('2-entered', '[data-panel="round-progress"]');

  // 3. Finalised; the page reloaded lists the round, and its grading is the script's.
  await gql('mutation($r: String!) { finaliseRound(round: $r) { change { seq } } }', { r: round });
  expectEqual('finalised: the API', (await progress()).status, 'FINALISED');
  await page.reload({ waitUntil: 'domcontentloaded' });
  await settled('round-progress', ['empty']);
  const after = await shown();
  if (!after.text.includes(`最新已定级的是 ${round}（${pos.length} 个党组织）`)) fail(`finalised: the panel reads "${after.text}"`);
  ok(`finalised: the panel reads ${after.text.trim()}`);
  await settled('grading');
  const options = await page.$$eval('[data-panel="grading"] [data-control="round"] option', (os) => os.map((o) => o.value));
  if (!options.includes(round)) fail(`finalised: the round picker lists ${JSON.stringify(options)}`);
  await page.select('[data-panel="grading"] [data-control="round"]', round);
  await settled('grading');
  const tiers = await page.$eval('[data-panel="grading"]', (e) => {
    const v = (id) => Number(e.querySelector(`[data-figure="${id}"]`)?.dataset.value);
    return { evaluated: v('evaluated'), GOLD: v('tier-GOLD'), SILVER: v('tier-SILVER'), BRONZE: v('tier-BRONZE'), WEAK: v('tier-WEAK') };
  });
  expectEqual(`finalised: the grading panel's counts of ${round}`, tiers, { evaluated: pos.length, ...want });
  await shot('3-graded', '[data-panel="grading"]');
  await shot('4-page');

  if (problems.length > 0) fail('the browser reported:\n  ' + problems.join('\n  '));
  ok('no page errors or console errors');
} catch (err) {
  failed = true;
  console.error(`not ok - ${err instanceof CheckFailed ? err.message : err.stack}`);
  if (page) await shot('failure').catch(() => {});
  if (problems.length) console.error('the browser reported:\n  ' + problems.join('\n  '));
} finally {
  await browser.close();
}
console.log(failed ? `FAIL after ${checks()} checks` : `PASS: ${checks()} checks`);
process.exit(failed ? 1 : 0);
