// What the browser tests that run against a server of their own share (record.mjs,
// import.mjs, round.mjs): the checks they count, the API as an admin sees it, and a headless
// Chromium with the dashboard's language.

import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

export const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
/** How long a page may take to show what a check waits for. */
export const timeout = 60_000;

let count = 0;
/** The checks passed so far. */
export const checks = () => count;
export function ok(what) {
  count++;
  console.log(`ok ${count} - ${what}`);
}
export class CheckFailed extends Error {}
export function fail(what) {
  throw new CheckFailed(what);
}
export function expectEqual(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  ok(`${what} = ${JSON.stringify(want)}`);
}

/** A GraphQL client of the server at baseURL with a bearer token; an error fails the check. */
export function api(baseURL, token) {
  return async function gql(query, variables = {}) {
    const res = await fetch(new URL('/graphql', baseURL), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors?.length) fail(`API: ${body.errors[0].message} (${body.errors[0].extensions?.code})`);
    return body.data;
  };
}

/** Empties the screenshot folder of its pictures and starts the browser. */
export async function launch(shotDir) {
  await mkdir(shotDir, { recursive: true });
  for (const f of await readdir(shotDir)) if (f.endsWith('.png')) await rm(path.join(shotDir, f));
  return puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--lang=zh-CN', '--window-size=1440,900'],
  });
}
