// Section 3: the grading of a round (tiers and stars) and how tiers moved between two rounds.

import { gql, graphql, isAbort, Latest } from '../api';
import { ChartBox, colors } from '../charts';
import type { Context } from '../context';
import { h, Panel, replace, select } from '../dom';
import * as fmt from '../format';
import { label, order } from '../labels';

const gradingQuery = graphql`query Grading($round: String) {
  grading(round: $round) {
    round evaluated previousRound
    tiers { tier label count }
    stars { tier stars count }
    weakTwoRounds { id name }
  }
}`;

interface Grading {
  round: string;
  evaluated: number;
  previousRound: string | null;
  tiers: { tier: Tier; label: string; count: number }[];
  stars: { tier: Tier; stars: number; count: number }[];
  weakTwoRounds: { id: string; name: string }[];
}

const movementQuery = graphql`query GradeMovement($from: String!, $to: String!) {
  gradeMovement(from: $from, to: $to) {
    from to compared
    matrix { from to count }
    fell { ...move }
    rose { ...move }
  }
}
fragment move on Move {
  partyOrganization { id name organization { id name } }
  before { score tier tierLabel stars }
  after { score tier tierLabel stars }
}`;

interface Move {
  partyOrganization: { id: string; name: string; organization: { id: string; name: string } | null };
  before: { score: number; tier: Tier; tierLabel: string; stars: number };
  after: { score: number; tier: Tier; tierLabel: string; stars: number };
}

interface Movement {
  from: string;
  to: string;
  compared: number;
  matrix: { from: Tier; to: Tier; count: number }[];
  fell: Move[];
  rose: Move[];
}

type Tier = 'GOLD' | 'SILVER' | 'BRONZE' | 'WEAK';

function tierFigure(id: string, title: string, count: number, total: number, tier?: Tier): HTMLElement {
  return h(
    'div',
    { class: 'figure', 'data-figure': id, 'data-value': String(count), style: tier ? `border-top-color:${colors[tier]}` : undefined },
    h('span', { class: 'figure-title' }, title),
    h('span', { class: 'figure-value' }, fmt.int(count)),
    tier ? h('span', { class: 'figure-sub' }, `占 ${fmt.pct(total > 0 ? count / total : null)}`) : null,
  );
}

function gradingPanel(ctx: Context): Panel {
  const rounds = ctx.ref.rounds;
  const picker = select({ 'aria-label': '测评轮次', 'data-control': 'round' }, rounds.map((r) => [r.round, `${r.round}（${r.date}）`]), rounds[0]?.round ?? '');
  const panel = new Panel({ id: 'grading', title: '三色分类与星级', controls: [h('label', null, '测评轮次 ', picker)] });
  const figures = h('div', { class: 'figures' });
  const tiersChart = new ChartBox(h('div', { class: 'chart small', title: '三色分类' }));
  const starsChart = new ChartBox(h('div', { class: 'chart small', title: '各类型的星级' }));
  const weak = h('p', { class: 'meta' });
  panel.body.append(figures, h('div', { class: 'charts-row' }, tiersChart.el, starsChart.el), weak);

  const latest = new Latest();
  const load = async () => {
    if (rounds.length === 0) {
      panel.empty('尚无测评轮次。');
      return;
    }
    panel.loading();
    const signal = latest.next();
    try {
      const { grading: g } = await gql<{ grading: Grading }>(gradingQuery, { round: picker.value }, signal);
      if (g.evaluated === 0) {
        panel.empty(`${g.round} 轮次没有测评记录。`);
        return;
      }
      const tiers = order.Tier.map((t) => g.tiers.find((x) => x.tier === t) ?? { tier: t as Tier, label: label('Tier', t), count: 0 });
      replace(
        figures,
        tierFigure('evaluated', '参评党组织', g.evaluated, g.evaluated),
        tiers.map((t) => tierFigure('tier-' + t.tier, t.label, t.count, g.evaluated, t.tier)),
        tierFigure('weakTwoRounds', '连续两轮软弱涣散', g.weakTwoRounds.length, g.evaluated),
      );
      panel.ready();
      tiersChart.draw({
        tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
        legend: { bottom: 0, itemWidth: 12, itemHeight: 12 },
        series: [
          {
            name: '三色分类',
            type: 'pie',
            radius: ['40%', '66%'],
            center: ['50%', '42%'],
            label: { show: false },
            data: tiers.map((t) => ({ name: t.label, value: t.count, itemStyle: { color: colors[t.tier] } })),
          },
        ],
      });
      const maxStars = Math.max(0, ...g.stars.map((s) => s.stars));
      const starSeries = [];
      for (let s = 0; s <= maxStars; s++) {
        const data = tiers.map((t) => g.stars.find((x) => x.tier === t.tier && x.stars === s)?.count ?? 0);
        if (data.every((n) => n === 0)) continue;
        starSeries.push({ name: s === 0 ? '无星级' : `${s}星`, type: 'bar', stack: 'stars', data, emphasis: { focus: 'series' } });
      }
      starsChart.draw({
        color: ['#95a5a6', '#f9e79f', '#f7dc6f', '#f4d03f', '#f1c40f', '#d4ac0d', '#b7950b'],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { bottom: 0, itemWidth: 12, itemHeight: 12 },
        grid: { left: 40, right: 8, top: 16, bottom: 64 },
        xAxis: { type: 'category', data: tiers.map((t) => t.label), axisLabel: { interval: 0, fontSize: 11 } },
        yAxis: { type: 'value' },
        series: starSeries,
      });
      replace(
        weak,
        g.previousRound
          ? g.weakTwoRounds.length > 0
            ? `在 ${g.previousRound} 与 ${g.round} 两轮均为${label('Tier', 'WEAK')}：${g.weakTwoRounds.map((p) => p.name).join('、')}。`
            : `没有党组织在 ${g.previousRound} 与 ${g.round} 两轮均为${label('Tier', 'WEAK')}。`
          : `${g.round} 是第一轮测评。`,
      );
    } catch (err) {
      if (!isAbort(err)) panel.error(err, load);
    }
  };
  picker.addEventListener('change', load);
  void load();
  return panel;
}

function moveTable(title: string, moves: Move[], id: string): HTMLElement {
  const shown = 6;
  const body = h('tbody');
  const fill = (all: boolean) =>
    replace(
      body,
      (all ? moves : moves.slice(0, shown)).map((m) =>
        h(
          'tr',
          null,
          h('td', null, m.partyOrganization.name, m.partyOrganization.organization ? h('div', { class: 'sub' }, m.partyOrganization.organization.name) : null),
          h('td', null, `${m.before.tierLabel} ${fmt.score(m.before.score)}`),
          h('td', null, `${m.after.tierLabel} ${fmt.score(m.after.score)}`),
        ),
      ),
    );
  fill(false);
  const more =
    moves.length > shown
      ? h('button', { type: 'button', class: 'link', onclick: (e: Event) => { fill(true); (e.target as HTMLElement).remove(); } }, `显示全部 ${moves.length} 个`)
      : null;
  return h(
    'div',
    { class: 'moves', 'data-list': id, 'data-count': String(moves.length) },
    h('h3', null, `${title}（${fmt.int(moves.length)}）`),
    moves.length === 0
      ? h('p', { class: 'meta' }, '无。')
      : h('table', { class: 'table compact' }, h('thead', null, h('tr', null, h('th', null, '党组织'), h('th', null, '前'), h('th', null, '后'))), body),
    more,
  );
}

function movementPanel(ctx: Context): Panel {
  const rounds = ctx.ref.rounds;
  const opts: [string, string][] = rounds.map((r) => [r.round, r.round]);
  const from = select({ 'aria-label': '起始轮次', 'data-control': 'from' }, opts, rounds[1]?.round ?? rounds[0]?.round ?? '');
  const to = select({ 'aria-label': '比较轮次', 'data-control': 'to' }, opts, rounds[0]?.round ?? '');
  const panel = new Panel({ id: 'movement', title: '等级变动', controls: [h('label', null, '从 ', from), h('label', null, ' 到 ', to)] });
  const figures = h('div', { class: 'figures' });
  const heat = new ChartBox(h('div', { class: 'chart small' }));
  const axes = h('p', { class: 'meta' });
  const lists = h('div', { class: 'charts-row' });
  panel.body.append(figures, heat.el, axes, lists);

  const latest = new Latest();
  const load = async () => {
    if (rounds.length < 2) {
      panel.empty('至少需要两轮测评才能比较。');
      return;
    }
    if (from.value === to.value) {
      panel.empty('请选择两个不同的轮次。');
      return;
    }
    panel.loading();
    const signal = latest.next();
    try {
      const { gradeMovement: m } = await gql<{ gradeMovement: Movement }>(movementQuery, { from: from.value, to: to.value }, signal);
      if (m.compared === 0) {
        panel.empty(`没有党组织同时参加 ${m.from} 与 ${m.to} 两轮测评。`);
        return;
      }
      const stayed = m.compared - m.fell.length - m.rose.length;
      replace(
        figures,
        tierFigure('compared', '两轮均参评', m.compared, m.compared),
        tierFigure('fell', '下降', m.fell.length, m.compared),
        tierFigure('rose', '上升', m.rose.length, m.compared),
        tierFigure('stayed', '持平', stayed, m.compared),
      );
      panel.ready();
      const tiers = order.Tier;
      const names = tiers.map((t) => label('Tier', t));
      const max = Math.max(1, ...m.matrix.map((c) => c.count));
      heat.draw({
        tooltip: {
          formatter: (p: { data: [number, number, number] }) => `${m.from} ${names[p.data[1]]} → ${m.to} ${names[p.data[0]]}：${p.data[2]} 个`,
        },
        grid: { left: 96, right: 16, top: 32, bottom: 8 },
        xAxis: { type: 'category', data: names, position: 'top', splitArea: { show: true } },
        yAxis: { type: 'category', data: names, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max, show: false, inRange: { color: ['#fdfefe', '#f5b7b1', '#c0392b'] } },
        series: [
          {
            name: '等级变动',
            type: 'heatmap',
            label: { show: true },
            data: m.matrix.map((c) => [tiers.indexOf(c.to), tiers.indexOf(c.from), c.count]),
          },
        ],
      });
      replace(axes, `每行是 ${m.from} 的等级，每列是 ${m.to} 的等级，格中为党组织数；对角线为等级未变。`);
      replace(lists, moveTable('下降', m.fell, 'fell'), moveTable('上升', m.rose, 'rose'));
    } catch (err) {
      if (!isAbort(err)) panel.error(err, load);
    }
  };
  from.addEventListener('change', load);
  to.addEventListener('change', load);
  void load();
  return panel;
}

const roundsQuery = graphql`query EvaluationRounds {
  evaluationRounds { round roundDate status statusLabel evaluated entered }
}`;

interface EvaluationRound {
  round: string;
  roundDate: string;
  status: 'OPEN' | 'FINALISED';
  statusLabel: string;
  evaluated: number;
  entered: number;
}

const progressQuery = graphql`query RoundProgress($round: String!) {
  evaluationRound(round: $round) {
    round roundDate toEvaluate missingCount
    missing(first: 20) { partyOrganization { id name organization { name } } entered missing }
  }
}`;

interface Progress {
  round: string;
  roundDate: string;
  toEvaluate: number;
  missingCount: number;
  missing: { partyOrganization: { id: string; name: string; organization: { name: string } | null }; entered: string[]; missing: string[] }[];
}

/** The round in progress (测评进行中): who still lacks scores, read again on every change. */
function progressPanel(ctx: Context): Panel {
  const refresh = h('button', { type: 'button', class: 'link', 'data-control': 'refresh-round' }, '刷新');
  const panel = new Panel({ id: 'round-progress', title: '测评进行中', controls: [refresh] });
  const figures = h('div', { class: 'figures' });
  const list = h('div', { class: 'moves', 'data-list': 'missing' });
  const note = h('p', { class: 'meta' });
  panel.body.append(figures, list, note);

  const latest = new Latest();
  const load = async () => {
    panel.loading();
    const signal = latest.next();
    try {
      const { evaluationRounds: rounds } = await gql<{ evaluationRounds: EvaluationRound[] }>(roundsQuery, {}, signal);
      const open = rounds.find((r) => r.status === 'OPEN');
      const finalised = rounds.find((r) => r.status === 'FINALISED');
      if (!open) {
        panel.empty(finalised ? `当前没有进行中的测评轮次；最新已定级的是 ${finalised.round}（${fmt.int(finalised.evaluated)} 个党组织）。` : '尚无测评轮次。');
        return;
      }
      const { evaluationRound: p } = await gql<{ evaluationRound: Progress }>(progressQuery, { round: open.round }, signal);
      const complete = p.toEvaluate - p.missingCount;
      replace(
        figures,
        tierFigure('toEvaluate', `${p.round} 应参评`, p.toEvaluate, p.toEvaluate),
        tierFigure('complete', '三类评分已齐', complete, p.toEvaluate),
        tierFigure('missing', '尚缺评分', p.missingCount, p.toEvaluate),
      );
      const body = h(
        'tbody',
        null,
        p.missing.map((m) =>
          h(
            'tr',
            null,
            h('td', null, m.partyOrganization.name, m.partyOrganization.organization ? h('div', { class: 'sub' }, m.partyOrganization.organization.name) : null),
            h('td', null, m.missing.map((g) => label('EvaluatorGroup', g)).join('、')),
          ),
        ),
      );
      replace(
        list,
        p.missing.length === 0
          ? h('p', { class: 'meta' }, '所有党组织的三类评分均已录入，可以定级。')
          : h('table', { class: 'table compact' }, h('thead', null, h('tr', null, h('th', null, '党组织'), h('th', null, '尚缺'))), body),
      );
      list.dataset.count = String(p.missingCount);
      replace(note, p.missingCount > p.missing.length ? `列出前 ${p.missing.length} 个，共 ${fmt.int(p.missingCount)} 个尚缺评分；测评日期 ${p.roundDate}。` : `测评日期 ${p.roundDate}。`);
      panel.ready();
    } catch (err) {
      if (!isAbort(err)) panel.error(err, load);
    }
  };
  refresh.addEventListener('click', load);
  ctx.onChange(load);
  void load();
  return panel;
}

export function grading(ctx: Context): HTMLElement {
  return h('div', { class: 'section-group two', id: 'grading-section' }, gradingPanel(ctx).el, movementPanel(ctx).el, progressPanel(ctx).el);
}
