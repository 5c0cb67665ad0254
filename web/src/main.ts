// The cobuild dashboard: headline figures, coverage by area and industry, grading, the
// isolated-and-uncovered list, the network of any organisation and, for admins, the import of
// the district's files, all through /graphql.

import './style.css';
import { gql } from './api';
import { Context, referenceQuery, type Reference } from './context';
import { h, Panel, replace } from './dom';
import { loadLabels } from './labels';
import { LiveFeed, type FeedState } from './live';
import { breakdown } from './sections/breakdown';
import { grading } from './sections/grading';
import { imports } from './sections/imports';
import { isolated } from './sections/isolated';
import { network } from './sections/network';
import { overview } from './sections/overview';
import { defaultFilter } from './sections/isolated';
import * as fmt from './format';

const app = document.getElementById('app')!;

/** What the live feed's state is called in the header. */
const feedText: Record<FeedState, string> = { connecting: '实时更新：连接中…', open: '实时更新：已连接', closed: '实时更新：已断开，稍后重连' };

function header(ctx: Context | null, live?: HTMLElement): HTMLElement {
  const district = ctx?.district?.name ?? '';
  const day = h('input', { type: 'date', 'aria-label': '统计日期', 'data-control': 'asOf' });
  day.addEventListener('change', () => ctx?.setAsOf(day.value && day.value !== fmt.today() ? day.value : null));
  const nav = [
    ['overview', '总览'],
    ['breakdown', '分布'],
    ['grading-section', '测评分级'],
    ['isolated', '孤立且未覆盖'],
    ['network-section', '关系网络'],
    ['import-section', '导入数据'],
  ];
  return h(
    'header',
    { class: 'top' },
    h('div', { class: 'title' }, h('h1', null, `${district}共建网络数据看板`), h('p', { class: 'sub' }, '非公企业和社会组织党建工作的覆盖、测评与共建关系')),
    ctx
      ? h(
          'div',
          { class: 'top-controls' },
          h('label', null, '统计日期 ', day),
          h('span', { class: 'sub' }, '不选为今天；用于覆盖、孤立与共建关系'),
          live,
        )
      : null,
    h('nav', null, nav.map(([id, text]) => h('a', { href: '#' + id }, text))),
  );
}

async function start(): Promise<void> {
  const boot = new Panel({ id: 'boot', title: '正在连接', className: 'wide' });
  replace(app, header(null), h('main', null, boot.el));
  try {
    const [ref] = await Promise.all([gql<Reference>(referenceQuery), loadLabels()]);
    const ctx = new Context(ref);
    if (ctx.district) document.title = `${ctx.district.name}共建网络数据看板`;
    ctx.setScope(defaultFilter.sector);
    const live = h('span', { class: 'live sub', 'data-live': 'connecting', title: '其他用户登记的工作会即时反映在本页' }, feedText.connecting);
    replace(app, header(ctx, live), h('main', null, overview(ctx), breakdown(ctx), grading(ctx), isolated(ctx), network(ctx), imports(ctx)));
    // Others' writes: follow the feed from the change the headline figures were read at.
    await ctx.firstFigures;
    const feed = new LiveFeed({
      after: ctx.seq,
      onEvent: (e) => ctx.changed(e.seq),
      onReconnect: () => ctx.changed(),
      onState: (state, error) => {
        live.dataset.live = state;
        replace(live, error ? `${feedText[state]}（${error}）` : feedText[state]);
      },
    });
    feed.start();
  } catch (err) {
    boot.error(err, () => void start());
  }
}

void start();
