// Drives the dashboard in headless Chromium against a running cobuild server, and checks
// what it shows against answers this script reads from /graphql itself. The only figures
// written here are those of the source (docs/domain.md): 14,673 enterprises and 313 social
// organisations.
//
//   node web/test/dashboard.mjs <baseURL> <screenshotDir> <token>
//
// The token (an admin's) signs the browser in through the sign-in link, and goes with this
// script's own requests as a bearer token.
//
// Chromium is /usr/bin/chromium, or the path in CHROMIUM. Exits non-zero on the first
// check that fails, after saving a screenshot of the page as it was.

import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [baseURL, shotDir, token] = process.argv.slice(2);
if (!baseURL || !shotDir || !token) {
  console.error('usage: node dashboard.mjs <baseURL> <screenshotDir> <token>');
  process.exit(2);
}
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
const timeout = 120_000;
const sourceFigures = { enterprises: 14673, social: 313 };

let checks = 0;
function ok(what) {
  checks++;
  console.log(`ok ${checks} - ${what}`);
}
class CheckFailed extends Error {}
function fail(what) {
  throw new CheckFailed(what);
}
function expectEqual(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  ok(`${what} = ${JSON.stringify(want)}`);
}

/** Asks the API directly. */
async function gql(query, variables = {}) {
  const res = await fetch(new URL('/graphql', baseURL), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) fail(`API: ${body.errors[0].message} (${body.errors[0].extensions?.code})`);
  return body.data;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await mkdir(shotDir, { recursive: true });
for (const f of await readdir(shotDir)) if (f.endsWith('.png')) await rm(path.join(shotDir, f));
const downloads = path.join(shotDir, 'downloads');
await rm(downloads, { recursive: true, force: true });
await mkdir(downloads, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=zh-CN', '--window-size=1440,900'],
});
const problems = [];
let page;

async function newPage() {
  const p = await browser.newPage();
  await p.setViewport({ width: 1440, height: 900 });
  p.setDefaultTimeout(timeout);
  // Chromium reports what the Content-Security-Policy refused only in its own log; the page
  // tells the console too, where the check below hears it.
  await p.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content-Security-Policy refused ${e.blockedURI || 'inline'} (${e.violatedDirective})`));
  });
  p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  p.on('requestfailed', (r) => {
    if (!r.failure()?.errorText.includes('ERR_ABORTED')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  return p;
}

/** Waits until a panel leaves the loading state, and fails with its message if it shows an error. */
async function settled(p, panel, want = 'ready') {
  const sel = `[data-panel="${panel}"]`;
  await p.waitForFunction((s) => ['ready', 'empty', 'error'].includes(document.querySelector(s)?.dataset.state), { timeout }, sel);
  const state = await p.$eval(sel, (e) => e.dataset.state);
  if (state !== want) {
    const status = await p.$eval(`${sel} .status`, (e) => e.textContent);
    fail(`panel ${panel} is ${state}, want ${want}: ${status}`);
  }
  ok(`panel ${panel} is ${want}`);
}

/** The raw values of the figures shown in a panel, by data-figure. */
async function figures(p, panel) {
  return p.$$eval(`[data-panel="${panel}"] [data-figure]`, (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.figure, { value: e.dataset.value, text: e.querySelector('.figure-value').textContent }])),
  );
}

/** Waits until the figures of a panel hold the wanted values; returns them. */
async function figuresEqual(p, panel, want) {
  try {
    await p.waitForFunction(
      (panel, want) => {
        const el = document.querySelector(`[data-panel="${panel}"]`);
        if (el?.dataset.state !== 'ready') return false;
        return Object.entries(want).every(([k, v]) => el.querySelector(`[data-figure="${k}"]`)?.dataset.value === String(v));
      },
      { timeout },
      panel,
      want,
    );
  } catch {
    const got = await figures(p, panel);
    fail(`panel ${panel}: figures ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  for (const [k, v] of Object.entries(want)) ok(`${panel}: ${k} shows ${v}`);
  return figures(p, panel);
}

async function shot(p, name, selector) {
  const file = path.join(shotDir, `${name}.png`);
  if (selector) await (await p.$(selector)).screenshot({ path: file });
  else await p.screenshot({ path: file, fullPage: true });
}

const int = (n) => new Intl.NumberFormat('zh-CN').format(n);
const pct = (r) => (r == null ? '—' : (r * 100).toFixed(1) + '%');

async function headline(p) {
  await settled(p, 'counts');
  const want = await gql(`{
    e: organizations(where: {kind: [ENTERPRISE]}) { totalCount }
    s: organizations(where: {sector: [SOCIAL]}) { totalCount }
  }`);
  expectEqual('API: enterprises (kind ENTERPRISE)', want.e.totalCount, sourceFigures.enterprises);
  expectEqual('API: social organisations (sector SOCIAL)', want.s.totalCount, sourceFigures.social);
  const got = await figuresEqual(p, 'counts', { enterprises: sourceFigures.enterprises, social: sourceFigures.social });
  expectEqual('displayed enterprise count', got.enterprises.text, int(sourceFigures.enterprises));
  expectEqual('displayed social-organisation count', got.social.text, int(sourceFigures.social));

  await settled(p, 'coverage');
  const scope = await p.$eval('[data-control="scope"]', (e) => e.value);
  const where = scope ? { sector: scope.split(',') } : null;
  const { coverageStats: s } = await gql(
    `query($where: CoverageStatsWhere) { coverageStats(where: $where) { total {
      organizations operating own joint work uncovered isolated isolatedUncovered shouldHaveOwn coverageRate ownRate } } }`,
    { where },
  );
  const t = s.total;
  const shown = await figuresEqual(p, 'coverage', {
    organizations: t.organizations,
    operating: t.operating,
    own: t.own,
    joint: t.joint,
    work: t.work,
    uncovered: t.uncovered,
    isolated: t.isolated,
    isolatedUncovered: t.isolatedUncovered,
    shouldHaveOwn: t.shouldHaveOwn,
  });
  expectEqual('displayed coverage rate', shown.coverageRate.text, pct(t.coverageRate));
  expectEqual('displayed own-organisation rate', shown.ownRate.text, pct(t.ownRate));
  return { scope, total: t };
}

async function breakdown(p, scope) {
  const where = scope ? { sector: scope.split(',') } : null;
  for (const [panel, by] of [['by-area', 'AREA'], ['by-industry', 'INDUSTRY']]) {
    await settled(p, panel);
    const { coverageStats } = await gql(
      `query($by: [GroupDimension!], $where: CoverageStatsWhere) { coverageStats(by: $by, where: $where) { groups { organizations } } }`,
      { by: [by], where },
    );
    const groups = coverageStats.groups.filter((g) => g.organizations > 0).length;
    expectEqual(`${panel}: groups charted`, await p.$eval(`[data-panel="${panel}"]`, (e) => Number(e.dataset.groups)), groups);
    const drawn = await p.$eval(`[data-panel="${panel}"] canvas`, (c) => c.width > 0 && c.height > 0);
    if (!drawn) fail(`${panel}: the chart has no canvas`);
    ok(`${panel}: chart drawn`);
  }
}

async function grading(p) {
  const { rounds } = await gql('{ rounds { round } }');
  if (rounds.length === 0) fail('API: no evaluation rounds');
  await settled(p, 'grading');
  for (const { round } of rounds.slice(0, 2)) {
    await p.select('[data-control="round"]', round);
    const { grading: g } = await gql('query($r: String) { grading(round: $r) { evaluated tiers { tier count } weakTwoRounds { id } } }', { r: round });
    const want = { evaluated: g.evaluated, weakTwoRounds: g.weakTwoRounds.length };
    for (const t of g.tiers) want['tier-' + t.tier] = t.count;
    await figuresEqual(p, 'grading', want);
  }
  if (rounds.length >= 2) {
    await settled(p, 'movement');
    const from = await p.$eval('[data-control="from"]', (e) => e.value);
    const to = await p.$eval('[data-control="to"]', (e) => e.value);
    const { gradeMovement: m } = await gql('query($f: String!, $t: String!) { gradeMovement(from: $f, to: $t) { compared fell { after { id } } rose { after { id } } } }', {
      f: from,
      t: to,
    });
    await figuresEqual(p, 'movement', { compared: m.compared, fell: m.fell.length, rose: m.rose.length });
    const cells = await p.$eval('[data-panel="movement"] canvas', (c) => c.width > 0);
    if (!cells) fail('movement: no heatmap canvas');
    ok(`movement ${from} → ${to}: heatmap drawn`);
  }
  // The round in progress: its counts when one is open, else the newest finalised named.
  const { evaluationRounds: all } = await gql('{ evaluationRounds { round status } }');
  const open = all.find((r) => r.status === 'OPEN');
  if (open) {
    const { evaluationRound: e } = await gql('query($r: String!) { evaluationRound(round: $r) { toEvaluate missingCount } }', { r: open.round });
    await figuresEqual(p, 'round-progress', { toEvaluate: e.toEvaluate, missing: e.missingCount, complete: e.toEvaluate - e.missingCount });
  } else {
    await settled(p, 'round-progress', 'empty');
    const text = await p.$eval('[data-panel="round-progress"] .status', (e) => e.textContent);
    const newest = all.find((r) => r.status === 'FINALISED');
    if (newest && !text.includes(newest.round)) fail(`round-progress: "${text}" does not name the newest finalised round ${newest.round}`);
    ok('round-progress: no round open, the newest finalised named');
  }
}

/** The where the list's controls stand for, built here from what the controls show. */
async function listWhere(p) {
  const f = await p.$$eval('[data-panel="isolated"] [data-filter]', (els) => Object.fromEntries(els.map((e) => [e.dataset.filter, e.value])));
  const w = { coverage: ['UNCOVERED'], isolated: true };
  if (f.sector) w.sector = f.sector.split(',');
  if (f.kind) w.kind = [f.kind];
  for (const k of ['areaId', 'parkId', 'industryId']) if (f[k]) w[k] = f[k];
  if (f.sizeBand) w.sizeBand = [f.sizeBand];
  if (f.aboveScale) w.aboveScale = f.aboveScale === 'true';
  if (f.operating) w.operating = f.operating === 'true';
  if (f.nameContains?.trim()) w.nameContains = f.nameContains.trim();
  const [field, direction] = f.sort.split(':');
  return { where: w, sort: { field, direction } };
}

const pageQuery = `query($where: OrganizationWhere!, $sort: OrganizationSort, $first: Int, $after: String) {
  organizations(where: $where, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id name }
  }
}`;

async function shownTotal(p) {
  return p.$eval('[data-panel="isolated"] [data-total]', (e) => (e.dataset.total === '' ? null : Number(e.dataset.total)));
}

async function waitTotal(p, want, what) {
  try {
    await p.waitForFunction(
      (want) => {
        const panel = document.querySelector('[data-panel="isolated"]');
        return panel.dataset.state !== 'loading' && panel.querySelector('[data-total]').dataset.total === String(want);
      },
      { timeout },
      want,
    );
  } catch {
    fail(`${what}: list shows total ${await shownTotal(p)}, want ${want}`);
  }
  ok(`${what}: list total ${want} matches the API's totalCount`);
}

async function rowIds(p) {
  return p.$$eval('[data-panel="isolated"] tbody tr', (rows) => rows.map((r) => r.dataset.id));
}

async function list(p, headline) {
  await settled(p, 'isolated');
  let q = await listWhere(p);
  let api = (await gql(pageQuery, { ...q, first: 20 })).organizations;
  await waitTotal(p, api.totalCount, 'default filter');
  expectEqual('first page rows', await rowIds(p), api.nodes.map((n) => n.id));
  if (q.where.operating === true && JSON.stringify(q.where.sector) === JSON.stringify(headline.sector)) {
    expectEqual('list total equals the headline isolated-and-uncovered figure', api.totalCount, headline.isolatedUncovered);
  }
  const before = api.totalCount;

  // A town with some, but not all, of them.
  const towns = await p.$$eval('[data-filter="areaId"] option', (os) => os.map((o) => o.value).filter(Boolean));
  let chosen = null;
  for (const id of towns) {
    const n = (await gql(pageQuery, { ...q, where: { ...q.where, areaId: id }, first: 1 })).organizations.totalCount;
    if (n > 20 && n < before) {
      chosen = { id, n };
      break;
    }
  }
  if (!chosen) fail('no town holds part of the list');
  await p.select('[data-filter="areaId"]', chosen.id);
  q = await listWhere(p);
  expectEqual('filter applied to the query', q.where.areaId, chosen.id);
  api = (await gql(pageQuery, { ...q, first: 20 })).organizations;
  await waitTotal(p, api.totalCount, `town ${chosen.id}`);
  if (api.totalCount === before) fail('the count did not change with the filter');
  ok(`count changed with the filter: ${before} → ${api.totalCount}`);
  expectEqual('filtered first page rows', await rowIds(p), api.nodes.map((n) => n.id));

  // The next page, by cursor.
  const next = (await gql(pageQuery, { ...q, first: 20, after: api.pageInfo.endCursor })).organizations;
  await p.click('[data-panel="isolated"] [data-action="next"]');
  await p.waitForFunction(() => document.querySelector('[data-panel="isolated"] [data-page]')?.dataset.page === '1' && document.querySelector('[data-panel="isolated"]').dataset.state === 'ready');
  expectEqual('second page rows', await rowIds(p), next.nodes.map((n) => n.id));
  await shot(p, '2-isolated-filtered', '[data-panel="isolated"]');

  // The whole filtered list as CSV.
  const cdp = await p.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await p.click('[data-panel="isolated"] [data-action="csv"]');
  await p.waitForFunction(() => document.querySelector('[data-export-status]')?.dataset.exported, { timeout });
  let csvFile;
  for (let i = 0; i < 100 && !csvFile; i++) {
    csvFile = (await readdir(downloads)).find((f) => f.endsWith('.csv'));
    if (!csvFile) await sleep(200);
  }
  if (!csvFile) fail('no CSV was downloaded');
  const bytes = await readFile(path.join(downloads, csvFile));
  expectEqual('CSV starts with the UTF-8 byte-order mark', [...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCSV(bytes.subarray(3).toString('utf8'));
  expectEqual('CSV rows (all pages)', rows.length - 1, api.totalCount);
  expectEqual('CSV header starts with', rows[0].slice(0, 2), ['名称', '统一社会信用代码']);
  expectEqual('CSV first row', rows[1][0], api.nodes[0].name);

  // The server's exports of the same query (/export): .xlsx and CSV, every row, every field.
  const seen = new Set(await readdir(downloads));
  for (const format of ['xlsx', 'csv']) {
    await p.click(`[data-panel="isolated"] [data-action="export-${format}"]`);
    await p
      .waitForFunction((f) => document.querySelector('[data-panel="isolated"] [data-export-status]')?.dataset.serverExported === f, { timeout }, format)
      .catch(async () => fail(`the server's ${format} export did not finish: ${await p.$eval('[data-panel="isolated"] [data-export-status]', (e) => e.textContent)}`));
    let file;
    for (let i = 0; i < 100 && !file; i++) {
      file = (await readdir(downloads)).find((f) => f.endsWith('.' + format) && !seen.has(f));
      if (!file) await sleep(200);
    }
    if (!file) fail(`no .${format} was downloaded by the server's export`);
    seen.add(file);
    const b = await readFile(path.join(downloads, file));
    if (format === 'xlsx') {
      expectEqual('the server\'s .xlsx is a zip', b.subarray(0, 2).toString('latin1'), 'PK');
      continue;
    }
    expectEqual('the server\'s CSV starts with the UTF-8 byte-order mark', [...b.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const got = parseCSV(b.subarray(3).toString('utf8'));
    expectEqual('the server\'s CSV rows (all pages)', got.length - 1, api.totalCount);
    expectEqual('the server\'s CSV header starts with', got[0].slice(0, 2), ['编号', '名称']);
    expectEqual('the server\'s CSV first row', got[1].slice(0, 2), [api.nodes[0].id, api.nodes[0].name]);
  }
  ok('the server exported the list as .xlsx and CSV');

  // The coverage by town as a file, from its panel.
  await p.click('[data-panel="by-area"] [data-action="export-csv"]');
  await p
    .waitForFunction(() => document.querySelector('[data-panel="by-area"] [data-groups-export]')?.dataset.serverExported === 'csv', { timeout })
    .catch(() => fail('the coverage by town was not exported'));
  let groupsFile;
  for (let i = 0; i < 100 && !groupsFile; i++) {
    groupsFile = (await readdir(downloads)).find((f) => f.endsWith('.csv') && !seen.has(f));
    if (!groupsFile) await sleep(200);
  }
  if (!groupsFile) fail('no CSV of the coverage by town was downloaded');
  const groupRows = parseCSV((await readFile(path.join(downloads, groupsFile))).subarray(3).toString('utf8'));
  expectEqual('the coverage by town\'s CSV header starts with', groupRows[0].slice(0, 3), ['分组维度', '分组编号', '分组名称']);
  const shownGroups = Number(await p.$eval('[data-panel="by-area"]', (e) => e.dataset.groups));
  if (!(groupRows.length - 1 >= shownGroups && shownGroups > 0)) fail(`the coverage by town's CSV holds ${groupRows.length - 1} groups; the panel shows ${shownGroups}`);
  ok(`the coverage by town exported: ${groupRows.length - 1} groups`);

  // Nothing matches: the empty state.
  await p.type('[data-filter="nameContains"]', '不存在的组织名称');
  await p.waitForFunction(() => document.querySelector('[data-panel="isolated"]').dataset.state === 'empty', { timeout }).catch(() => fail('no empty state for a name nothing has'));
  ok('panel isolated is empty for a name nothing has');
  expectEqual('empty list total', await shownTotal(p), 0);
  await p.click('[data-panel="isolated"] [data-action="reset"]');
  await settled(p, 'isolated');
}

function parseCSV(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

const egoQuery = `query($id: ID!) { egoNetwork(id: $id, hops: 1, maxNodes: 150) { nodes { node { id label } } } }`;

async function egoIds(id) {
  return (await gql(egoQuery, { id })).egoNetwork.nodes.map((n) => n.node);
}

async function drawnNodes(p) {
  return p.$eval('[data-cy]', (el) => {
    el.scrollIntoView({ block: 'center', behavior: 'instant' });
    const cy = el._cyreg?.cy;
    const box = el.getBoundingClientRect();
    return cy.nodes().map((n) => {
      const r = n.renderedPosition();
      return { id: n.id(), x: box.left + r.x, y: box.top + r.y, inside: r.x >= 0 && r.y >= 0 && r.x <= box.width && r.y <= box.height };
    });
  });
}

async function networkView(p) {
  // 宣城仁杰医院 is named in the source; search it by part of its name.
  const name = '宣城仁杰医院';
  await p.type('[data-control="search"]', '仁杰');
  await p.click('#network-search button[type="submit"]');
  await settled(p, 'network-search');
  const { organizations } = await gql('query($n: String!) { organizations(where: {nameContains: $n}, first: 1) { nodes { id } } }', { n: name });
  const id = organizations.nodes[0].id;
  await p.click(`#network-search .result[data-id="${id}"]`);
  const first = await egoIds(id);
  await p.waitForFunction((n) => document.querySelector('[data-panel="network"]')?.dataset.nodes === String(n), { timeout }, first.length).catch(async () => {
    fail(`network: ${await p.$eval('[data-panel="network"]', (e) => `${e.dataset.state} ${e.dataset.nodes}`)} nodes drawn, want ${first.length}`);
  });
  await settled(p, 'network');
  let nodes = await drawnNodes(p);
  expectEqual('network nodes drawn for ' + name, nodes.map((n) => n.id).sort(), first.map((n) => n.id).sort());
  if (!nodes.every((n) => n.inside)) fail('network: some nodes are outside the view');
  ok('every node is inside the view');
  const painted = await p.$$eval('[data-cy] canvas', (cs) =>
    cs.some((c) => {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (!d) return false;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n > 500;
    }),
  );
  if (!painted) fail('network: the canvas is blank');
  ok('network canvas painted');
  await shot(p, '3-network', '[data-panel="network"]');

  // Click the neighbour whose own ties add most to the view, and expect the union.
  const have = new Set(first.map((n) => n.id));
  let target = null;
  for (const n of first.filter((n) => n.id !== id)) {
    const more = await egoIds(n.id);
    const union = new Set([...have, ...more.map((m) => m.id)]);
    if (union.size > have.size && (!target || union.size > target.union.size)) target = { id: n.id, union };
  }
  if (!target) fail('network: no neighbour adds ties');
  // Where the nodes are now: the screenshot may have scrolled the page since.
  nodes = await drawnNodes(p);
  const at = nodes.find((n) => n.id === target.id);
  await p.mouse.click(at.x, at.y);
  await p
    .waitForFunction(
      (n) => {
        const el = document.querySelector('[data-panel="network"]');
        return el.dataset.state === 'ready' && el.dataset.nodes === String(n) && el.dataset.expanded === '2';
      },
      { timeout },
      target.union.size,
    )
    .catch(async () => {
      fail(`network after click: ${await p.$eval('[data-panel="network"]', (e) => JSON.stringify(e.dataset))}, want ${target.union.size} nodes`);
    });
  nodes = await drawnNodes(p);
  expectEqual(`nodes after clicking ${target.id}`, nodes.map((n) => n.id).sort(), [...target.union].sort());
  await shot(p, '4-network-expanded', '[data-panel="network"]');
}

/**
 * Watches where a page's requests go, and whether its requests to /graphql carry the
 * origin's cookies (the raw headers Chromium sent, from the DevTools protocol): report()
 * fails on any request to another origin, on a /graphql request without the cookie, or
 * when there was no /graphql request at all.
 */
async function watchRequests(p, what) {
  const origin = new URL(baseURL).origin;
  const elsewhere = [];
  const bodies = [];
  p.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) elsewhere.push(r.url());
    if (u.origin === origin && u.pathname === '/graphql' && r.method() === 'POST') bodies.push(JSON.parse(r.postData() ?? '{}'));
  });
  const cdp = await p.createCDPSession();
  await cdp.send('Network.enable');
  const urls = new Map();
  const sent = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => sent.set(e.requestId, e.headers));
  await p.setCookie({ name: testCookie.name, value: testCookie.value, url: baseURL, httpOnly: true, sameSite: 'Strict' });
  return {
    report() {
      if (elsewhere.length) fail(`${what}: requests left ${origin}:\n  ${elsewhere.join('\n  ')}`);
      ok(`${what}: every request went to ${origin}`);
      const api = [...urls].filter(([, url]) => new URL(url).pathname === '/graphql').map(([id]) => id);
      if (api.length === 0) fail(`${what}: no request to /graphql`);
      const cookie = `${testCookie.name}=${testCookie.value}`;
      const without = api.filter((id) => {
        const h = sent.get(id) ?? {};
        const value = Object.entries(h).find(([k]) => k.toLowerCase() === 'cookie')?.[1] ?? '';
        return !value.split(/;\s*/).includes(cookie);
      });
      if (without.length) fail(`${what}: ${without.length} of ${api.length} requests to /graphql went without the origin's cookies`);
      ok(`${what}: all ${api.length} requests to /graphql carried the origin's cookies`);
    },
    /** Every operation went by its hash alone: the server knew each from the build. */
    persisted() {
      const full = bodies.filter((b) => b.query !== undefined || !b.extensions?.persistedQuery?.sha256Hash);
      if (full.length) fail(`${what}: ${full.length} of ${bodies.length} requests sent the text of ${[...new Set(full.map((b) => b.operationName))].join(', ')}`);
      const names = [...new Set(bodies.map((b) => b.operationName))].sort();
      ok(`${what}: all ${bodies.length} requests sent a registered hash, never a text (${names.join(', ')})`);
    },
  };
}

/** An HttpOnly cookie of the test server's origin, as a session cookie would be. */
const testCookie = { name: 'cobuild_check', value: 'same-origin' };

/** The text Monaco shows in the editor inside sel, without its rendering's spaces. */
async function editorText(p, sel) {
  return p.$eval(`${sel} .view-lines`, (e) => e.innerText.replace(/\u00a0/g, ' ').trim());
}

/**
 * GraphiQL at / renders from the server's own files under its Content-Security-Policy, runs
 * an operation typed into its editor, and shows the API's answer.
 */
async function graphiql() {
  const p = await newPage();
  const watch = await watchRequests(p, 'GraphiQL');
  const res = await p.goto(new URL('/', baseURL).href, { waitUntil: 'domcontentloaded' });
  if (!res.ok()) fail(`GET /: status ${res.status()}`);
  const policy = res.headers()['content-security-policy'] ?? '';
  if (!/default-src '(self|none)'/.test(policy) || /https?:|wss?:|\*/.test(policy)) fail(`GET /: Content-Security-Policy ${JSON.stringify(policy)} names other origins`);
  ok(`GraphiQL is served with a Content-Security-Policy of its own origin only`);
  await p.waitForSelector('.graphiql-query-editor .monaco-editor .view-lines', { timeout });
  // The schema is read before the editor offers fields; the documentation button follows it.
  await p.waitForFunction(() => document.querySelector('.graphiql-query-editor .view-lines')?.innerText.includes('rules'), { timeout });
  ok('GraphiQL renders its editor with the default query');
  // Monaco falls back to the page's own thread, with a warning only, when it cannot start
  // a worker: the GraphQL language worker must be running.
  for (let i = 0; i < 100 && !p.workers().some((w) => w.url().includes('graphql.worker')); i++) await sleep(100);
  const workers = p.workers().map((w) => new URL(w.url()).pathname);
  if (!workers.some((u) => u.includes('graphql.worker'))) fail(`GraphiQL: no GraphQL worker runs (workers: ${JSON.stringify(workers)})`);
  ok(`GraphiQL's editor runs its workers from this origin: ${workers.map((u) => path.basename(u)).join(', ')}`);

  const query = '{ rules { goldFloor } }';
  await p.click('.graphiql-query-editor .view-lines');
  await p.keyboard.down('Control');
  await p.keyboard.press('KeyA');
  await p.keyboard.up('Control');
  await p.keyboard.press('Backspace');
  // The text arrives as one input, as a paste or an input method gives it: typed key by key,
  // what Monaco makes of it would hang on when its completion list opens (it closes
  // brackets, and a list open at a space may take it).
  await p.keyboard.sendCharacter(query);
  await p.keyboard.press('Escape'); // close any completion list
  expectEqual('GraphiQL: the operation typed into the editor', await editorText(p, '.graphiql-query-editor'), query);

  const { rules } = await gql('{ rules { goldFloor } }');
  await p.click('.graphiql-execute-button');
  const want = `"goldFloor": ${rules.goldFloor}`;
  try {
    await p.waitForFunction((w) => document.querySelector('.result-window .view-lines')?.innerText.replace(/\u00a0/g, ' ').includes(w), { timeout }, want);
  } catch {
    fail(`GraphiQL: the response shows ${JSON.stringify(await editorText(p, '.result-window'))}, want it to contain ${want}`);
  }
  ok(`GraphiQL shows the answer: ${want}`);
  await shot(p, '7-graphiql');
  watch.report();
  await p.close();
}

/**
 * A panel whose query fails shows the API's message and code, and the others carry on. And
 * a server that does not know an operation's hash (PERSISTED_QUERY_NOT_FOUND, as one that
 * restarted from another build would answer) gets its text with the hash, and the panel
 * shows as usual.
 */
async function errorState() {
  const p = await newPage();
  await p.setRequestInterception(true);
  const counts = [];
  p.on('request', (r) => {
    const body = r.url().endsWith('/graphql') ? JSON.parse(r.postData() ?? '{}') : {};
    if (body.operationName === 'RegistryCounts') counts.push(body);
    if (body.operationName === 'Grading') {
      r.respond({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ data: null, errors: [{ message: 'Neo4j 暂不可用', extensions: { code: 'UNAVAILABLE' } }] }),
      });
    } else if (body.operationName === 'RegistryCounts' && body.query === undefined) {
      r.respond({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }),
      });
    } else r.continue();
  });
  await p.goto(new URL('/dashboard/', baseURL).href, { waitUntil: 'domcontentloaded' });
  await settled(p, 'grading', 'error');
  const text = await p.$eval('[data-panel="grading"] .status', (e) => e.textContent);
  if (!text.includes('Neo4j 暂不可用') || !text.includes('UNAVAILABLE')) fail(`error state shows "${text}"`);
  ok(`error state shows the message and code: ${text}`);
  await settled(p, 'counts');
  const hash = counts[0]?.extensions?.persistedQuery?.sha256Hash;
  const sent = counts.map((b) => (b.query === undefined ? 'hash' : b.extensions?.persistedQuery?.sha256Hash === hash ? 'text and hash' : 'text'));
  expectEqual('RegistryCounts after PERSISTED_QUERY_NOT_FOUND: what the page sent', sent, ['hash', 'text and hash']);
  await figuresEqual(p, 'counts', { enterprises: sourceFigures.enterprises });
  await shot(p, '6-error-state', '#grading-section');
  await p.close();
}

let failed = false;
try {
  page = await newPage();
  const watch = await watchRequests(page, 'dashboard');
  // Not signed in yet: the dashboard sends the browser to the sign-in page.
  const before = await page.goto(new URL('/dashboard/', baseURL).href, { waitUntil: 'domcontentloaded' });
  if (new URL(page.url()).pathname !== '/signin' || before.status() !== 200) fail(`GET /dashboard/ without a token: at ${page.url()}, status ${before.status()}`);
  if (!(await page.$('form[action="/signin"] textarea[name="token"]'))) fail('the sign-in page has no form to paste a token in');
  ok('without a token the dashboard sends the browser to the sign-in page');
  const signin = new URL('/signin', baseURL);
  signin.search = new URLSearchParams({ token, next: '/dashboard/' }).toString();
  const res = await page.goto(signin.href, { waitUntil: 'domcontentloaded' });
  if (new URL(page.url()).pathname !== '/dashboard/') fail(`the sign-in link led to ${page.url()}`);
  if (!res.ok() && res.status() !== 304) fail(`GET /dashboard/: status ${res.status()}`);
  ok('the sign-in link signs in and opens the dashboard');
  const { scope, total } = await headline(page);
  await breakdown(page, scope);
  await grading(page);
  await shot(page, '1-overview');
  await list(page, { sector: scope ? scope.split(',') : undefined, isolatedUncovered: total.isolatedUncovered });
  await networkView(page);
  await shot(page, '5-dashboard');
  watch.report();
  watch.persisted();
  await errorState();
  await graphiql();
  // The error state above is made on purpose; other problems are real.
  const real = problems.filter((m) => !m.includes('Neo4j 暂不可用'));
  if (real.length > 0) fail('the browser reported:\n  ' + real.join('\n  '));
  ok('no page errors, console errors or failed requests');
} catch (err) {
  failed = true;
  console.error(`not ok - ${err instanceof CheckFailed ? err.message : err.stack}`);
  if (page) await shot(page, 'failure').catch(() => {});
} finally {
  await browser.close();
}
console.log(failed ? `FAIL after ${checks} checks` : `PASS: ${checks} checks`);
process.exit(failed ? 1 : 0);
