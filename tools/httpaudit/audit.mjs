// Runs the GraphQL-over-HTTP audits of graphql-http (auditServer: every MUST, SHOULD and
// MAY of the spec it checks) against a server's GraphQL endpoint, and prints one line per
// audit. Exits 1 when any audit is not ok (an error, a warning or a notice), 2 on bad
// arguments.
//
//   node tools/httpaudit/audit.mjs <url> [--header 'Name: value']...
//
// Each --header is sent with every request of the audits, e.g. an Authorization header.

import { auditServer } from 'graphql-http';

const args = process.argv.slice(2);
const url = args.shift();
const headers = new Headers();
while (args.length > 0) {
  const flag = args.shift();
  const value = args.shift();
  const at = value?.indexOf(':') ?? -1;
  if (flag !== '--header' || at <= 0) {
    console.error(`usage: node audit.mjs <url> [--header 'Name: value']...; got ${JSON.stringify([flag, value])}`);
    process.exit(2);
  }
  headers.append(value.slice(0, at).trim(), value.slice(at + 1).trim());
}
if (!url) {
  console.error("usage: node audit.mjs <url> [--header 'Name: value']...");
  process.exit(2);
}

/** fetch with the extra headers added to those of each audit's request. */
function fetchWithHeaders(input, init = {}) {
  const h = new Headers(init.headers);
  for (const [k, v] of headers) h.set(k, v);
  return fetch(input, { ...init, headers: h });
}

const results = await auditServer({ url, fetchFn: fetchWithHeaders });
let bad = 0;
for (const r of results) {
  if (r.status === 'ok') {
    console.log(`ok ${r.id} ${r.name}`);
    continue;
  }
  bad++;
  let body = '';
  try {
    body = await r.response.text();
  } catch {
    // The audit already read it.
  }
  console.log(`not ok (${r.status}) ${r.id} ${r.name}: ${r.reason}`);
  console.log(`  HTTP ${r.response.status} ${r.response.headers.get('content-type') ?? ''} ${body.slice(0, 300)}`);
}
console.log(`${results.length - bad} passed, ${bad} failed`);
process.exit(bad > 0 ? 1 : 0);
