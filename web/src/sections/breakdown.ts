// Section 2: coverage by town/subdistrict and by industry, from coverageStats grouped by one
// dimension: stacked counts of each coverage status among operating organisations, and the
// coverage rate on a second axis. Clicking a bar opens the isolated-and-uncovered list of
// that group.

import { ApiError, gql, graphql, isAbort, Latest } from '../api';
import { ChartBox, colors } from '../charts';
import type { Context } from '../context';
import { serverExport } from '../csv';
import { h, Panel, replace } from '../dom';
import * as fmt from '../format';
import { label, order } from '../labels';
import type { CoverageGroup } from './overview';
import type { ListFilter } from './isolated';

const query = graphql`query CoverageBy($by: [GroupDimension!], $where: CoverageStatsWhere, $asOf: Date) {
  coverageStats(by: $by, where: $where, asOf: $asOf) {
    groups {
      keys { dimension value label }
      organizations operating own joint work uncovered
      isolated isolatedUncovered shouldHaveOwn coverageRate ownRate
    }
  }
}`;

interface Data {
  coverageStats: { groups: CoverageGroup[] };
}

type Status = 'OWN' | 'JOINT' | 'WORK' | 'UNCOVERED';
const field: Record<Status, keyof CoverageGroup> = { OWN: 'own', JOINT: 'joint', WORK: 'work', UNCOVERED: 'uncovered' };

function chartOption(groups: CoverageGroup[]) {
  const names = groups.map((g) => g.keys?.[0]?.label ?? '—');
  const rateName = '党组织覆盖率';
  const many = groups.length > 30;
  return {
    color: [...order.CoverageStatus.map((s) => colors[s as Status]), colors.rate],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: { dataIndex: number }[]) => {
        const g = groups[params[0].dataIndex];
        const rows = order.CoverageStatus.map((s) => `${label('CoverageStatus', s)}：${fmt.int(g[field[s as Status]] as number)}`);
        return [
          `<b>${escapeHTML(names[params[0].dataIndex])}</b>`,
          `运营中 ${fmt.int(g.operating)}（共 ${fmt.int(g.organizations)}）`,
          ...rows,
          `孤立且未覆盖：${fmt.int(g.isolatedUncovered)}`,
          `应建未建：${fmt.int(g.shouldHaveOwn)}`,
          `覆盖率 ${fmt.pct(g.coverageRate)}，单独建立率 ${fmt.pct(g.ownRate)}`,
        ].join('<br>');
      },
    },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 72, bottom: many ? 96 : 72 },
    dataZoom: many ? [{ type: 'slider', bottom: 8, height: 18, startValue: 0, endValue: 29 }, { type: 'inside' }] : [],
    xAxis: { type: 'category', data: names, axisLabel: { rotate: 35, interval: 0 } },
    yAxis: [
      { type: 'value', name: '运营中组织（家）' },
      { type: 'value', name: '覆盖率', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      ...order.CoverageStatus.map((s) => ({
        name: label('CoverageStatus', s),
        type: 'bar',
        stack: 'status',
        emphasis: { focus: 'series' },
        data: groups.map((g) => g[field[s as Status]]),
      })),
      {
        name: rateName,
        type: 'line',
        yAxisIndex: 1,
        symbolSize: 6,
        data: groups.map((g) => (g.coverageRate == null ? null : Math.round(g.coverageRate * 1000) / 10)),
      },
    ],
  };
}

function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function breakdownPanel(ctx: Context, id: string, title: string, dimension: 'AREA' | 'INDUSTRY', unit: string): Panel {
  // The groups as a file: the server's export of the panel's own query.
  const exportStatus = h('span', { class: 'meta', 'data-groups-export': '' });
  const exports = (['xlsx', 'csv'] as const).map((format) => {
    const b = h('button', { type: 'button', class: 'secondary small', 'data-action': `export-${format}`, title: `导出各组数据（${format}）` },
      format === 'xlsx' ? 'Excel' : 'CSV');
    b.addEventListener('click', async () => {
      b.disabled = true;
      replace(exportStatus, '正在导出…');
      try {
        await serverExport(query, { by: [dimension], where: ctx.statsWhere, asOf: ctx.asOf }, format, `${title}_${ctx.asOf ?? fmt.today()}`);
        replace(exportStatus, '');
        exportStatus.dataset.serverExported = format;
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'CLIENT';
        replace(exportStatus, h('span', { class: 'error' }, `导出失败：${err instanceof Error ? err.message : String(err)}（${code}）`));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  });
  const panel = new Panel({
    id,
    title,
    note: '柱为运营中组织按覆盖状态的数量，折线为党组织覆盖率；点击柱可查看该组的孤立且未覆盖组织。',
    controls: [...exports, exportStatus],
  });
  const box = new ChartBox(h('div', { class: 'chart' }));
  const caption = h('p', { class: 'meta' });
  panel.body.append(box.el, caption);
  const latest = new Latest();
  let groups: CoverageGroup[] = [];

  const load = async () => {
    panel.loading();
    const signal = latest.next();
    try {
      const d = await gql<Data>(query, { by: [dimension], where: ctx.statsWhere, asOf: ctx.asOf }, signal);
      groups = d.coverageStats.groups.filter((g) => g.organizations > 0);
      if (groups.length === 0) {
        panel.empty('统计范围内没有组织。');
        return;
      }
      panel.ready();
      panel.el.dataset.groups = String(groups.length);
      const chart = box.draw(chartOption(groups));
      chart.off('click');
      chart.on('click', (e) => {
        const g = groups[e.dataIndex ?? -1];
        const value = g?.keys?.[0]?.value;
        if (!value) return;
        const f: Partial<ListFilter> = dimension === 'AREA' ? { areaId: value } : { industryId: value };
        ctx.showList({ ...f, sector: ctx.scope, operating: 'true' });
      });
      replace(caption, `共 ${groups.length} ${unit}。`);
    } catch (err) {
      if (!isAbort(err)) panel.error(err, load);
    }
  };
  ctx.onScope(load);
  ctx.onAsOf(load);
  void load();
  return panel;
}

export function breakdown(ctx: Context): HTMLElement {
  return h(
    'div',
    { class: 'section-group two', id: 'breakdown' },
    breakdownPanel(ctx, 'by-area', '各乡镇（街道）覆盖情况', 'AREA', '个乡镇（街道）').el,
    breakdownPanel(ctx, 'by-industry', '各行业覆盖情况', 'INDUSTRY', '个行业').el,
  );
}
