// Imports the district's files from the dashboard's import panel (导入数据), against a
// cobuild server of its own (web_test.go starts it over the hand-drawn graph with one
// subdistrict: this test writes).
//
//   node web/test/import.mjs <baseURL> <screenshotDir> <adminToken> <analystToken> <town>
//
// An analyst sees the panel disabled, with the reason. An admin sees the kinds of file and
// downloads two templates; uploads a registry (组织名录.csv) with a bad row as a real import
// and sees the problem in the table and nothing written; uploads a good one as a dry run
// and sees what would change, nothing written; clicks 导入 Import and sees it written with
// the change log's newest seq, and the headline figures move by the two organisations
// added. Every upload is one multipart request with GraphQL-Preflight, sent by hash.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, CheckFailed, checks, expectEqual, fail, launch, ok, timeout } from './lib.mjs';

const [baseURL, shotDir, adminToken, analystToken, town] = process.argv.slice(2);
if (!baseURL || !shotDir || !adminToken || !analystToken || !town) {
  console.error('usage: node import.mjs <baseURL> <screenshotDir> <adminToken> <analystToken> <town>');
  process.exit(2);
}
/** How soon the other panels must show an import's organisations. */
const within = 10_000;

const gql = api(baseURL, adminToken);

/** The sequence number of the change log's newest change (0 when it holds none). */
async function lastSeq() {
  const d = await gql('{ changes(first: 500) { nodes { seq } } }');
  return Math.max(0, ...d.changes.nodes.map((n) => n.seq));
}

/** How many organisations the API names with the test's prefix. */
async function imported() {
  return (await gql('{ organizations(where: {nameContains: "上传测试"}) { totalCount } }')).organizations.totalCount;
}


// The files, as a district writes them: a registry with a bad headcount, then a good one.
const dir = await mkdtemp(path.join(os.tmpdir(), 'cobuild-import-'));
const header = '名称,类型,所在镇街,从业人数,经营状态,法定代表人\r\n';
const files = {};
for (const [name, second] of [['bad', '很多'], ['good', '25']]) {
  await mkdir(path.join(dir, name));
  files[name] = path.join(dir, name, '组织名录.csv');
  await writeFile(files[name], '\uFEFF' + header + `上传测试甲公司,企业,${town},18,在营,张三\r\n上传测试乙公司,企业,${town},${second},在营,李四\r\n`);
}

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
  // The multipart requests the page sends to /graphql.
  const uploads = [];
  p.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname === '/graphql' && r.method() === 'POST' && (r.headers()['content-type'] ?? '').startsWith('multipart/form-data')) {
      // The body's file parts are blobs, which the DevTools protocol gives on demand.
      uploads.push({ origin: u.origin, headers: r.headers(), body: r.postData() ?? r.fetchPostData().catch(() => undefined) });
    }
  });
  const signin = new URL('/signin', baseURL);
  signin.search = new URLSearchParams({ token, next: '/dashboard/' }).toString();
  await p.goto(signin.href, { waitUntil: 'domcontentloaded' });
  if (new URL(p.url()).pathname !== '/dashboard/') fail(`${name}: the sign-in link led to ${p.url()}`);
  const page = { name, p, uploads };
  pages.push(page);
  return page;
}

/** Waits until a panel is in one of the states. */
async function settled(page, panel, states = ['ready']) {
  await page.p
    .waitForFunction((s, states) => states.includes(document.querySelector(s)?.dataset.state), { timeout }, `[data-panel="${panel}"]`, states)
    .catch(async () => fail(`${page.name}: panel ${panel} is ${await page.p.$eval(`[data-panel="${panel}"]`, (e) => `${e.dataset.state}: ${e.textContent}`)}`));
}

async function shot(page, name, selector) {
  const el = selector ? await page.p.$(selector) : null;
  if (el) await el.screenshot({ path: path.join(shotDir, `${name}.png`) });
  else await page.p.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

/** The headline figures the import moves. */
async function figures(page) {
  await settled(page, 'counts');
  await settled(page, 'coverage');
  const value = (panel, id) => page.p.$eval(`[data-panel="${panel}"] [data-figure="${id}"]`, (e) => Number(e.dataset.value));
  return {
    enterprises: await value('counts', 'enterprises'),
    organizations: await value('coverage', 'organizations'),
    uncovered: await value('coverage', 'uncovered'),
  };
}

/** Chooses a file, sets the dry-run box, clicks the button and returns the report once shown. */
async function upload(page, file, dryRun) {
  const p = page.p;
  const input = await p.$('[data-panel="import"] [data-control="files"]');
  await input.uploadFile(file);
  const checked = await p.$eval('[data-control="dryRun"]', (e) => e.checked);
  if (checked !== dryRun) await p.click('[data-control="dryRun"]');
  const button = await p.$eval('[data-action="import"]', (e) => ({ text: e.textContent, disabled: e.disabled }));
  expectEqual(`${page.name}: the button for ${dryRun ? 'a dry run' : 'an import'}`, button, { text: dryRun ? '试运行' : '导入', disabled: false });
  const sent = page.uploads.length;
  await p.click('[data-action="import"]');
  return report(page, sent);
}

/** Waits for the report of the upload after the first sent ones and reads it. */
async function report(page, sent) {
  const p = page.p;
  await p
    .waitForFunction((n) => ['problems', 'checked', 'written', 'error'].includes(document.querySelector('[data-report]')?.dataset.state), { timeout }, sent)
    .catch(async () => fail(`${page.name}: no report: ${await p.$eval('[data-panel="import"]', (e) => e.textContent)}`));
  const r = await p.$eval('[data-report]', (e) => ({
    state: e.dataset.state,
    written: e.dataset.written,
    dryRun: e.dataset.dryRun,
    seq: e.dataset.seq,
    problemCount: e.dataset.problemCount,
    verdict: e.querySelector('[data-verdict]')?.textContent ?? '',
    sheets: [...e.querySelectorAll('[data-sheets] tbody tr')].map((t) => ({
      file: t.dataset.file,
      sheet: t.dataset.sheet,
      kind: t.dataset.kind,
      rows: Number(t.dataset.rows),
      bad: Number(t.dataset.bad),
      cells: [...t.cells].map((c) => c.textContent),
    })),
    problems: [...e.querySelectorAll('[data-problems] tbody tr')].map((t) => ({ code: t.dataset.code, row: Number(t.dataset.row), column: t.dataset.column, text: t.textContent })),
    changes: Object.fromEntries(
      [...e.querySelectorAll('[data-changes] tbody tr')].map((t) => [t.dataset.of, Object.fromEntries([...t.querySelectorAll('[data-change]')].map((c) => [c.dataset.change, Number(c.textContent)]))]),
    ),
    commit: !!e.querySelector('[data-action="commit"]'),
  }));
  if (r.state === 'error') fail(`${page.name}: the import failed: ${await p.$eval('[data-import-status]', (e) => e.textContent)}`);
  // The request: one multipart POST on this origin with the preflight header, by hash.
  const req = page.uploads[sent];
  if (!req || page.uploads.length !== sent + 1) fail(`${page.name}: ${page.uploads.length - sent} multipart requests sent, want 1`);
  if (req.origin !== new URL(baseURL).origin) fail(`${page.name}: the upload went to ${req.origin}`);
  if (req.headers['graphql-preflight'] !== '1') fail(`${page.name}: the upload carried no GraphQL-Preflight header: ${JSON.stringify(req.headers)}`);
  req.body = await req.body;
  if (req.body !== undefined) {
    const ops = /name="operations"\r\n\r\n(.*)\r\n/.exec(req.body);
    const operations = ops ? JSON.parse(ops[1]) : null;
    if (!operations?.extensions?.persistedQuery?.sha256Hash || operations.query !== undefined) fail(`${page.name}: the upload's operations were ${ops?.[1]}, want the hash alone`);
    if (!req.body.includes('filename="组织名录.csv"')) fail(`${page.name}: the upload does not name its file`);
  }
  ok(`${page.name}: one multipart request with GraphQL-Preflight${req.body !== undefined ? ', by hash' : ''}`);
  return r;
}

let failed = false;
try {
  // An analyst: the panel says why it is not theirs.
  const analyst = await signedIn('analyst', analystToken);
  await settled(analyst, 'import', ['empty']);
  const why = await analyst.p.$eval('[data-panel="import"]', (e) => ({ import: e.dataset.import, role: e.dataset.role, text: e.querySelector('.status').textContent }));
  expectEqual('analyst: the import panel', { import: why.import, role: why.role }, { import: 'disabled', role: 'ANALYST' });
  if (!why.text.includes('只有管理员') || !why.text.includes('分析员')) fail(`analyst: the reason reads "${why.text}"`);
  ok(`analyst: ${why.text}`);
  if (await analyst.p.$eval('[data-panel="import"] .panel-body', (e) => !e.hidden)) fail('analyst: the file picker is shown');
  await shot(analyst, '0-analyst', '[data-panel="import"]');
  await analyst.p.close();

  const admin = await signedIn('admin', adminToken);
  await settled(admin, 'import');
  const kinds = (await gql('{ importKinds { name title } }')).importKinds;
  const listed = await admin.p.$$eval('[data-kinds] li', (ls) =>
    ls.map((l) => ({ name: l.dataset.kind, links: [...l.querySelectorAll('a[data-template]')].map((a) => new URL(a.href).pathname) })),
  );
  expectEqual('admin: the kinds listed', listed.map((k) => k.name), kinds.map((k) => k.name));
  for (const k of listed) {
    if (JSON.stringify(k.links) !== JSON.stringify([`/import/template/${k.name}.xlsx`, `/import/template/${k.name}.csv`])) fail(`admin: ${k.name}'s templates are ${k.links}`);
  }
  ok(`admin: ${listed.length} kinds, each with its .xlsx and .csv template`);
  // Two templates, fetched as the links fetch them: with the page's cookie.
  const got = await admin.p.evaluate(async () => {
    const out = [];
    for (const a of [...document.querySelectorAll('[data-kind="organizations"] a[data-template]')]) {
      const res = await fetch(a.href);
      const bytes = new Uint8Array(await res.arrayBuffer());
      out.push({ status: res.status, type: res.headers.get('content-type'), head: new TextDecoder().decode(bytes.slice(0, 64)) });
    }
    return out;
  });
  if (got.length !== 2 || got.some((g) => g.status !== 200)) fail(`admin: templates ${JSON.stringify(got)}`);
  if (!got[0].type.includes('spreadsheetml') || !got[0].head.startsWith('PK')) fail(`admin: the .xlsx template is ${JSON.stringify(got[0])}`);
  if (!got[1].type.startsWith('text/csv') || !got[1].head.includes('名称')) fail(`admin: the .csv template is ${JSON.stringify(got[1])}`);
  ok('admin: the organizations templates download (.xlsx a workbook, .csv with its headers)');

  const before = await figures(admin);
  const seq0 = await lastSeq();
  console.log(`before: ${JSON.stringify(before)}, change log at ${seq0}`);

  // A registry with a bad row, imported for real: the problem is listed, nothing written.
  const bad = await upload(admin, files.bad, false);
  expectEqual('bad file: state, written, dry run', [bad.state, bad.written, bad.dryRun], ['problems', 'false', 'false']);
  expectEqual('bad file: problems listed', bad.problems.map((p) => ({ code: p.code, row: p.row, column: p.column })), [{ code: 'BAD_NUMBER', row: 3, column: '从业人数' }]);
  if (!bad.problems[0].text.includes('组织名录.csv') || !/[\u4e00-\u9fff]/.test(bad.problems[0].text)) fail(`bad file: the problem reads ${bad.problems[0].text}`);
  expectEqual('bad file: the problem count', bad.problemCount, '1');
  // The sheet of a CSV file is named by the file, whose name tells its kind.
  expectEqual('bad file: the sheet read', bad.sheets.map((s) => ({ file: s.file, sheet: s.sheet, kind: s.kind, rows: s.rows, bad: s.bad })), [
    { file: '组织名录.csv', sheet: '组织名录', kind: 'organizations', rows: 2, bad: 1 },
  ]);
  const cells = bad.sheets[0].cells;
  if (!cells.includes('UTF-8 BOM') || !cells.includes('法定代表人')) fail(`bad file: the sheet's cells ${JSON.stringify(cells)} name no encoding or ignored column`);
  ok(`bad file: the sheet row reads ${cells.join(' | ')}`);
  if (bad.commit) fail('bad file: 导入 Import is offered');
  expectEqual('bad file: the change log after it', await lastSeq(), seq0);
  expectEqual('bad file: organisations written', await imported(), 0);
  await shot(admin, '1-bad-row', '[data-panel="import"]');

  // The good one as a dry run: what would change, nothing written.
  const dry = await upload(admin, files.good, true);
  expectEqual('dry run: state, written, dry run', [dry.state, dry.written, dry.dryRun], ['checked', 'false', 'true']);
  expectEqual('dry run: problems', dry.problems.length, 0);
  expectEqual('dry run: organisations it would create', dry.changes.Organization?.NODE_CREATED, 2);
  if (!dry.commit) fail('dry run: no 导入 Import offered');
  ok(`dry run: ${dry.verdict}`);
  expectEqual('dry run: the change log after it', await lastSeq(), seq0);
  expectEqual('dry run: organisations written', await imported(), 0);
  await shot(admin, '2-dry-run', '[data-panel="import"]');

  // 导入 Import: written as the newest change; the figures move by the two organisations.
  const sent = admin.uploads.length;
  const clicked = Date.now();
  await admin.p.click('[data-action="commit"]');
  const done = await report(admin, sent);
  expectEqual('import: state, written, dry run', [done.state, done.written, done.dryRun], ['written', 'true', 'false']);
  const seq1 = await lastSeq();
  if (seq1 <= seq0) fail(`import: the change log is still at ${seq1}`);
  expectEqual('import: the seq shown', done.seq, String(seq1));
  if (!done.verdict.includes(`#${seq1}`)) fail(`import: the verdict reads ${done.verdict}`);
  expectEqual('import: organisations created', done.changes.Organization?.NODE_CREATED, 2);
  expectEqual('import: organisations written', await imported(), 2);
  const want = { enterprises: before.enterprises + 2, organizations: before.organizations + 2, uncovered: before.uncovered + 2 };
  await admin.p
    .waitForFunction(
      (want) => {
        const v = (panel, id) => Number(document.querySelector(`[data-panel="${panel}"] [data-figure="${id}"]`)?.dataset.value);
        return v('counts', 'enterprises') === want.enterprises && v('coverage', 'organizations') === want.organizations && v('coverage', 'uncovered') === want.uncovered;
      },
      { timeout: within, polling: 50 },
      want,
    )
    .catch(async () => fail(`import: figures ${JSON.stringify(await figures(admin))} after ${within} ms, want ${JSON.stringify(want)}`));
  ok(`import: the figures moved to ${JSON.stringify(want)} ${Date.now() - clicked} ms after the click`);
  expectEqual('import: the figures once settled', await figures(admin), want);
  await shot(admin, '3-imported', '[data-panel="import"]');
  await shot(admin, '4-page');

  if (problems.length > 0) fail('the browser reported:\n  ' + problems.join('\n  '));
  ok('no page errors or console errors');
} catch (err) {
  failed = true;
  console.error(`not ok - ${err instanceof CheckFailed ? err.message : err.stack}`);
  for (const page of pages) await shot(page, `failure-${page.name}`).catch(() => {});
  if (problems.length) console.error('the browser reported:\n  ' + problems.join('\n  '));
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(failed ? `FAIL after ${checks()} checks` : `PASS: ${checks()} checks`);
process.exit(failed ? 1 : 0);
