// The dashboard's one door to the server: GraphQL over POST on the same origin.

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

/**
 * Runs one operation and returns its data. Any GraphQL error fails the whole call with the
 * first error's message and code, because a panel shown from partial data would mislead.
 */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await sameOrigin(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('无法连接服务器：' + (err instanceof Error ? err.message : String(err)), 'NETWORK');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`服务器返回了无法解析的响应（HTTP ${res.status}）`, `HTTP_${res.status}`);
  }
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
