// The dashboard's one door to the server: GraphQL over POST on the same origin, by
// persisted query when the build gave the operation its hash.

/** An error the API reported, or a failure to reach it; code is the API's extensions.code. */
export class ApiError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** The endpoint, next to the dashboard on the same origin. */
export const endpoint = '/graphql';

/**
 * fetch for the endpoint: same origin only, and with the origin's cookies, so that a session
 * cookie (HttpOnly, set by the server) goes with every request of the dashboard and GraphiQL.
 */
export function sameOrigin(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(input, { ...init, mode: 'same-origin', credentials: 'same-origin' });
}

/** One GraphQL operation of the dashboard: its text, its name and, from the build, its sha256. */
export interface Operation {
  readonly query: string;
  readonly name?: string;
  /** Hex sha256 of query, by which the server knows the operation (persisted queries). */
  readonly sha256?: string;
}

/**
 * Tags the text of one of the dashboard's operations. The build (persisted.ts, a Vite
 * plugin) replaces each tagged text with an Operation carrying its name and sha256, and
 * lists it in dist/persisted-operations.json, which the server registers; this function
 * only runs where that plugin did not, and gives an operation sent in full.
 */
export function graphql(strings: TemplateStringsArray): Operation {
  return { query: strings.join('') };
}

/** False once the server said it takes no persisted queries: send every text in full. */
let persisting = true;

type Answer<T> = { res: Response; body: GraphQLResponse<T> };

/** Sends one request to the endpoint and reads its JSON answer. */
async function send<T>(init: RequestInit): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await sameOrigin(endpoint, { ...init, method: 'POST' });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError('无法连接服务器：' + (err instanceof Error ? err.message : String(err)), 'NETWORK');
  }
  if (res.status === 401) {
    // No sign-in, or it has expired: sign in again, then come back to this page.
    window.location.assign('/signin?next=' + encodeURIComponent(window.location.pathname + window.location.search));
    throw new ApiError('登录已失效，正在转到登录页。Signed out; going to the sign-in page.', 'UNAUTHENTICATED');
  }
  try {
    return { res, body: (await res.json()) as GraphQLResponse<T> };
  } catch {
    throw new ApiError(`服务器返回了无法解析的响应（HTTP ${res.status}）`, `HTTP_${res.status}`);
  }
}

/** Posts one request as JSON. */
function post<T>(body: Record<string, unknown>, signal?: AbortSignal): Promise<Answer<T>> {
  return send<T>({ headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body), signal });
}

/**
 * Runs one operation, each request of it sent by sendBody, and returns its data. Any
 * GraphQL error fails the whole call with the first error's message and code, because a
 * panel shown from partial data would mislead.
 *
 * An operation with a sha256 is first sent by its hash alone (automatic persisted queries):
 * the server knows the dashboard's operations from its build. When it answers
 * PERSISTED_QUERY_NOT_FOUND (it forgot, or runs a build without this operation) the text
 * follows with the hash, which the server then keeps; when it answers
 * PERSISTED_QUERY_NOT_SUPPORTED, the texts go in full from then on.
 */
async function run<T>(op: Operation, variables: Record<string, unknown>, sendBody: (body: Record<string, unknown>) => Promise<Answer<T>>): Promise<T> {
  const request: Record<string, unknown> = { operationName: op.name, variables };
  let answer: Answer<T>;
  if (op.sha256 && persisting) {
    const extensions = { persistedQuery: { version: 1, sha256Hash: op.sha256 } };
    answer = await sendBody({ ...request, extensions });
    const code = answer.body.errors?.[0]?.extensions?.code;
    if (code === 'PERSISTED_QUERY_NOT_FOUND') {
      answer = await sendBody({ ...request, query: op.query, extensions });
    } else if (code === 'PERSISTED_QUERY_NOT_SUPPORTED') {
      persisting = false;
      answer = await sendBody({ ...request, query: op.query });
    }
  } else {
    answer = await sendBody({ ...request, query: op.query });
  }
  const { res, body } = answer;
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    const more = body.errors.length > 1 ? `（另有 ${body.errors.length - 1} 个错误）` : '';
    throw new ApiError(first.message + more, first.extensions?.code ?? 'UNKNOWN');
  }
  if (!res.ok || body.data == null) {
    throw new ApiError(`服务器未返回数据（HTTP ${res.status}）`, `HTTP_${res.status}`);
  }
  return body.data;
}

/** Runs one operation over POST (see run) and returns its data. */
export function gql<T>(op: Operation, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  return run<T>(op, variables, (body) => post<T>(body, signal));
}

/**
 * Runs one operation that takes files (Upload variables) as a multipart request, by the
 * GraphQL multipart request specification: the part "operations" holds the request with
 * null in place of each file, "map" says which variable each file part fills, and the
 * files follow, each with its name. files maps a variable to its list of files. The
 * request carries GraphQL-Preflight, without which the server refuses a multipart
 * request (a form of another site cannot send such a header), and goes by hash first, as
 * gql does: the files are sent again with the text when the server asks for it.
 */
export function gqlUpload<T>(op: Operation, variables: Record<string, unknown>, files: Record<string, File[]>, signal?: AbortSignal): Promise<T> {
  const vars: Record<string, unknown> = { ...variables };
  const map: Record<string, string[]> = {};
  const parts: File[] = [];
  for (const [name, list] of Object.entries(files)) {
    vars[name] = list.map(() => null);
    list.forEach((f, i) => {
      map[String(parts.length)] = [`variables.${name}.${i}`];
      parts.push(f);
    });
  }
  return run<T>(op, vars, (body) => {
    const form = new FormData();
    form.append('operations', JSON.stringify(body));
    form.append('map', JSON.stringify(map));
    parts.forEach((f, i) => form.append(String(i), f, f.name));
    // No Content-Type: the browser writes multipart/form-data with its boundary.
    return send<T>({ headers: { Accept: 'application/json', 'GraphQL-Preflight': '1' }, body: form, signal });
  });
}

/** True when err comes from an aborted request, which a newer one replaced. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/**
 * Keeps one request in flight per panel: each call of next() aborts the previous
 * request, so that a slow answer to an old filter never overwrites a newer one.
 */
export class Latest {
  private ctrl?: AbortController;

  next(): AbortSignal {
    this.ctrl?.abort();
    this.ctrl = new AbortController();
    return this.ctrl.signal;
  }
}
