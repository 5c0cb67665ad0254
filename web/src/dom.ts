// Small DOM helpers: element construction and the loading / empty / error states that every
// panel shows the same way.

import { ApiError } from './api';

export type Child = Node | string | number | null | undefined | false | Child[];
type Props = Record<string, unknown>;

/** Creates an element: props set attributes (class, data-*, aria-*...), on* listeners and value-like properties. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces every child of el. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A select of options [value, label]; the first option may stand for "any". */
export function select(props: Props, options: [string, string][], value = ''): HTMLSelectElement {
  const el = h('select', props, options.map(([v, l]) => h('option', { value: v }, l)));
  el.value = value;
  return el;
}

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

/**
 * A card of the dashboard with a title, controls and a body, and one place that says
 * whether its content is loading, empty, or failed (with the API's message and code).
 * The state is also in data-state, for styling and for the browser test.
 */
export class Panel {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private readonly status: HTMLElement;

  constructor(opts: { id: string; title: string; note?: Child; controls?: Child[]; className?: string }) {
    this.status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = h('div', { class: 'panel-body' });
    this.el = h(
      'section',
      { class: 'panel ' + (opts.className ?? ''), id: opts.id, 'data-panel': opts.id, 'data-state': 'loading' },
      h('header', { class: 'panel-head' }, h('h2', null, opts.title), opts.controls ? h('div', { class: 'controls' }, opts.controls) : null),
      opts.note ? h('p', { class: 'note' }, opts.note) : null,
      this.status,
      this.body,
    );
    this.loading();
  }

  get state(): PanelState {
    return this.el.dataset.state as PanelState;
  }

  /** Shows that data is on its way; what was shown stays, dimmed, until it arrives. */
  loading(message = '加载中…'): void {
    this.el.dataset.state = 'loading';
    replace(this.status, h('span', { class: 'spinner', 'aria-hidden': 'true' }), message);
    this.status.className = 'status loading';
  }

  ready(): void {
    this.el.dataset.state = 'ready';
    this.status.className = 'status';
    replace(this.status);
    this.body.hidden = false;
  }

  /** Shows that the answer holds nothing, and hides the body. */
  empty(message: string): void {
    this.el.dataset.state = 'empty';
    this.status.className = 'status empty';
    replace(this.status, message);
    this.body.hidden = true;
  }

  /**
   * Shows the API's message and code, with a retry button when retry is given. The body is
   * hidden unless keepBody: a failed step on top of good content (say, expanding a graph)
   * leaves that content in view.
   */
  error(err: unknown, retry?: () => void, keepBody = false): void {
    this.el.dataset.state = 'error';
    this.status.className = 'status error';
    const code = err instanceof ApiError ? err.code : 'CLIENT';
    const message = err instanceof Error ? err.message : String(err);
    replace(
      this.status,
      h('strong', null, '加载失败：'),
      h('span', { class: 'error-message' }, message),
      h('code', { class: 'error-code' }, code),
      retry ? h('button', { type: 'button', class: 'link', onclick: retry }, '重试') : null,
    );
    this.body.hidden = !keepBody;
  }
}
