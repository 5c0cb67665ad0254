// The live feed (实时推送): what other officers' writes mean for coverage, over WebSocket
// at /graphql on the same origin, by the graphql-transport-ws protocol. The browser sends
// the sign-in cookie with the upgrade, so connection_init carries no token. Each event
// makes the page read its figures and its worklist again; a dropped connection is opened
// again, resuming after the last change seen, so that nothing between is missed.

import { endpoint, graphql } from './api';

export const coverageFeed = graphql`subscription CoverageFeed($after: Int) {
  coverageEvents(after: $after) { seq kind organizationId }
}`;

/** One event of the feed, as the dashboard reads it. */
export interface CoverageEvent {
  seq: number;
  kind: string;
  organizationId: string;
}

/** Where the feed stands: connecting, open (subscribed), or closed (waiting to reconnect). */
export type FeedState = 'connecting' | 'open' | 'closed';

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export interface FeedOptions {
  /** The sequence number of the newest change the page shows; null for from now on. */
  after: number | null;
  /** An event arrived. */
  onEvent: (e: CoverageEvent) => void;
  /** The feed reopened after a drop: what happened meanwhile may not all be in events. */
  onReconnect: () => void;
  /** The feed's state changed; error holds the server's code and message when it refused. */
  onState: (state: FeedState, error?: string) => void;
}

/** Runs the feed until stop(). */
export class LiveFeed {
  private ws?: WebSocket;
  private after: number | null;
  private attempt = 0;
  private opened = false;
  private stopped = false;
  private nextId = 1;
  /** The id of the subscription in force on the connection. */
  private current = '';
  /** True once the server did not know the operation's hash: its text goes with it. */
  private withText = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: FeedOptions) {
    this.after = opts.after;
  }

  /** The sequence number of the last change seen. */
  get last(): number | null {
    return this.after;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
  }

  private connect(): void {
    const url = new URL(endpoint, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.opts.onState('connecting');
    const ws = new WebSocket(url, 'graphql-transport-ws');
    this.ws = ws;
    ws.onopen = () => this.send({ type: 'connection_init', payload: {} });
    ws.onmessage = (ev) => {
      let msg: Message;
      try {
        msg = JSON.parse(String(ev.data)) as Message;
      } catch {
        return;
      }
      this.receive(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      this.opts.onState('closed');
      // 1 s, 2 s, 4 s … at most 30 s, a little spread so that many pages do not come back at once.
      const wait = Math.min(30_000, 1000 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
      this.attempt++;
      this.timer = setTimeout(() => this.connect(), wait);
    };
  }

  private send(msg: Message): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private subscribe(): void {
    const op = coverageFeed;
    const payload: Record<string, unknown> = { operationName: op.name, variables: { after: this.after } };
    if (op.sha256) payload.extensions = { persistedQuery: { version: 1, sha256Hash: op.sha256 } };
    if (!op.sha256 || this.withText) payload.query = op.query;
    this.current = String(this.nextId++);
    this.send({ type: 'subscribe', id: this.current, payload });
  }

  private receive(msg: Message): void {
    switch (msg.type) {
      case 'connection_ack':
        this.subscribe();
        this.attempt = 0;
        this.opts.onState('open');
        if (this.opened) this.opts.onReconnect();
        this.opened = true;
        return;
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'next': {
        if (msg.id !== this.current) return;
        const p = msg.payload as { data?: { coverageEvents?: CoverageEvent } | null; errors?: GraphQLError[] };
        if (p?.errors?.length) {
          this.refused(p.errors);
          return;
        }
        const e = p?.data?.coverageEvents;
        if (!e) return;
        if (this.after === null || e.seq > this.after) this.after = e.seq;
        this.opts.onEvent(e);
        return;
      }
      case 'error':
        if (msg.id !== this.current) return;
        this.refused((msg.payload as GraphQLError[]) ?? []);
        return;
      case 'complete':
        // The server ended the subscription in force: open it again from where it stopped.
        if (msg.id === this.current) this.ws?.close(1000);
        return;
    }
  }

  /** The server refused the subscription: send its text when it lacked the hash, else say why. */
  private refused(errors: GraphQLError[]): void {
    const code = errors[0]?.extensions?.code ?? 'UNKNOWN';
    if (code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'PERSISTED_QUERY_NOT_SUPPORTED') {
      if (!this.withText) {
        this.withText = true;
        this.subscribe();
      }
      return;
    }
    this.opts.onState('closed', `${code}：${errors[0]?.message ?? ''}`);
  }
}
