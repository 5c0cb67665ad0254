// Section 1: the headline figures. Registry counts come from organisation lists, coverage
// figures from coverageStats; each has its own panel, so that one failing leaves the other.

import { gql, graphql, isAbort, Latest } from '../api';
import type { Context } from '../context';
import { h, Panel, replace, select, type Child } from '../dom';
import * as fmt from '../format';
import { label } from '../labels';

const countsQuery = graphql`query RegistryCounts {
  enterprises: organizations(where: {kind: [ENTERPRISE]}) { totalCount }
  social: organizations(where: {sector: [SOCIAL]}) { totalCount }
  hospitals: organizations(where: {kind: [HOSPITAL]}) { totalCount }
  communities: organizations(where: {kind: [COMMUNITY]}) { totalCount }
  partyOrganizations { totalCount }
}`;

interface Counts {
  enterprises: { totalCount: number };
  social: { totalCount: number };
  hospitals: { totalCount: number };
  communities: { totalCount: number };
  partyOrganizations: { totalCount: number };
}

const statsQuery = graphql`query HeadlineCoverage($where: CoverageStatsWhere, $asOf: Date) {
  coverageStats(where: $where, asOf: $asOf) {
    asOf
    total {
      organizations operating own joint work uncovered
      isolated isolatedUncovered shouldHaveOwn coverageRate ownRate
    }
    provenance { computedAt graphVersion }
  }
}`;

export interface CoverageGroup {
  keys?: { dimension: string; value: string | null; label: string }[];
  organizations: number;
  operating: number;
  own: number;
  joint: number;
  work: number;
  uncovered: number;
  isolated: number;
  isolatedUncovered: number;
  shouldHaveOwn: number;
  coverageRate: number | null;
  ownRate: number | null;
}

interface Stats {
  coverageStats: { asOf: string; total: CoverageGroup; provenance: { computedAt: string; graphVersion: string } };
}

/** A headline figure: its value is also kept raw in data-value. */
function figure(id: string, title: string, value: number | null, shown: string, sub?: Child, onclick?: () => void): HTMLElement {
  return h(
    onclick ? 'button' : 'div',
    {
      class: 'figure' + (onclick ? ' clickable' : ''),
      'data-figure': id,
      'data-value': value == null ? '' : String(value),
      type: onclick ? 'button' : undefined,
      onclick,
    },
    h('span', { class: 'figure-title' }, title),
    h('span', { class: 'figure-value' }, shown),
    sub ? h('span', { class: 'figure-sub' }, sub) : null,
  );
}

/** The scopes the coverage figures can count, as [sectors joined by commas, label]. */
function scopes(): [string, string][] {
  return [
    ['ENTERPRISE,SOCIAL', `${label('Sector', 'ENTERPRISE')}和${label('Sector', 'SOCIAL')}`],
    ['ENTERPRISE', label('Sector', 'ENTERPRISE')],
    ['SOCIAL', label('Sector', 'SOCIAL')],
    ['', '全部组织'],
  ];
}

export function overview(ctx: Context): HTMLElement {
  const counts = new Panel({ id: 'counts', title: '主体数量', className: 'wide' });
  const grid1 = h('div', { class: 'figures' });
  counts.body.append(grid1);

  const loadCounts = async () => {
    counts.loading();
    try {
      const d = await gql<Counts>(countsQuery);
      replace(
        grid1,
        figure('enterprises', label('OrgKind', 'ENTERPRISE'), d.enterprises.totalCount, fmt.int(d.enterprises.totalCount), '家'),
        figure('social', label('Sector', 'SOCIAL'), d.social.totalCount, fmt.int(d.social.totalCount), `家，含${label('OrgKind', 'HOSPITAL')} ${fmt.int(d.hospitals.totalCount)} 家`),
        figure('communities', label('OrgKind', 'COMMUNITY'), d.communities.totalCount, fmt.int(d.communities.totalCount), '个'),
        figure('partyOrganizations', '党组织', d.partyOrganizations.totalCount, fmt.int(d.partyOrganizations.totalCount), '个'),
      );
      counts.ready();
    } catch (err) {
      counts.error(err, loadCounts);
    }
  };

  const scope = select({ 'aria-label': '统计范围', 'data-control': 'scope' }, scopes(), ctx.scope.join(','));
  scope.addEventListener('change', () => ctx.setScope(scope.value ? scope.value.split(',') : []));
  const stats = new Panel({
    id: 'coverage',
    title: '党组织覆盖',
    className: 'wide',
    controls: [h('label', null, '统计范围 ', scope)],
  });
  const grid2 = h('div', { class: 'figures' });
  const meta = h('p', { class: 'meta' });
  stats.body.append(grid2, meta);

  const latest = new Latest();
  // Answers older than a change the page knows of are read again, a little later each time
  // (at most a second apart), for half a minute at most.
  let behind = 0;
  const loadStats = async () => {
    stats.loading();
    const signal = latest.next();
    try {
      const d = await gql<Stats>(statsQuery, { where: ctx.statsWhere, asOf: ctx.asOf }, signal);
      const t = d.coverageStats.total;
      const version = d.coverageStats.provenance.graphVersion;
      if (ctx.behind(version) && behind < 40) setTimeout(() => void loadStats(), Math.min(1000, 200 * ++behind));
      else behind = 0;
      ctx.noteSeq(Number(version));
      if (t.organizations === 0) {
        stats.empty('统计范围内没有组织。');
        ctx.figuresShown();
        return;
      }
      replace(
        grid2,
        figure('organizations', '组织总数', t.organizations, fmt.int(t.organizations), '含已停业'),
        figure('operating', '运营中', t.operating, fmt.int(t.operating), '覆盖率的分母'),
        figure('coverageRate', '党组织覆盖率', t.coverageRate, fmt.pct(t.coverageRate), '（单独建立 + 联合覆盖）÷ 运营中'),
        figure('ownRate', '单独建立率', t.ownRate, fmt.pct(t.ownRate), '单独建立 ÷ 运营中'),
        figure('own', label('CoverageStatus', 'OWN'), t.own, fmt.int(t.own)),
        figure('joint', label('CoverageStatus', 'JOINT'), t.joint, fmt.int(t.joint)),
        figure('work', label('CoverageStatus', 'WORK'), t.work, fmt.int(t.work)),
        figure('uncovered', label('CoverageStatus', 'UNCOVERED'), t.uncovered, fmt.int(t.uncovered)),
        figure('isolated', '孤立（无共建关系）', t.isolated, fmt.int(t.isolated)),
        figure('isolatedUncovered', '孤立且未覆盖', t.isolatedUncovered, fmt.int(t.isolatedUncovered), '查看名单 →', () => ctx.showList({ sector: ctx.scope, operating: 'true' })),
        figure('shouldHaveOwn', '应建未建', t.shouldHaveOwn, fmt.int(t.shouldHaveOwn), '正式党员达到单独建立条件但未建'),
      );
      replace(
        meta,
        `统计日期 ${d.coverageStats.asOf}；计数均为运营中的组织（组织总数除外）；计算于 ${new Date(d.coverageStats.provenance.computedAt).toLocaleString('zh-CN')}。`,
      );
      stats.ready();
      ctx.figuresShown();
    } catch (err) {
      if (isAbort(err)) return;
      stats.error(err, loadStats);
      ctx.figuresShown();
    }
  };

  ctx.onScope(loadStats);
  ctx.onAsOf(loadStats);
  ctx.onChange(loadStats);
  // An import (or any write that adds organisations) changes the registry's counts too.
  ctx.onChange(loadCounts);
  void loadCounts();
  void loadStats();
  return h('div', { class: 'section-group', id: 'overview' }, counts.el, stats.el);
}
