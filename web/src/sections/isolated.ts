// Section 4: the isolated-and-uncovered organisations, filtered, paged by cursor, each row
// with the reason and the best candidate coverers, and the whole filtered list as CSV.

import { ApiError, gql, graphql, isAbort, Latest, type Operation } from '../api';
import type { Context } from '../context';
import { download, serverExport, toCSV } from '../csv';
import { h, Panel, replace, select } from '../dom';
import * as fmt from '../format';
import { label, options, order } from '../labels';
import { nodeLabel } from './network';

/** The list's filters as the controls hold them; '' means any. */
export interface ListFilter {
  sector: string[];
  kind: string;
  areaId: string;
  parkId: string;
  industryId: string;
  sizeBand: string;
  aboveScale: '' | 'true' | 'false';
  operating: '' | 'true' | 'false';
  nameContains: string;
  sort: string;
}

const any: ListFilter = {
  sector: [],
  kind: '',
  areaId: '',
  parkId: '',
  industryId: '',
  sizeBand: '',
  aboveScale: '',
  operating: '',
  nameContains: '',
  sort: 'HEADCOUNT:DESC',
};

/** What the list shows when the page opens: operating organisations of the managed sectors. */
export const defaultFilter: ListFilter = { ...any, sector: ['ENTERPRISE', 'SOCIAL'], operating: 'true' };

const pageSize = 20;
/** Rows per request of the CSV export; the server's default page size when it allows less. */
const exportPageSize = 500;

const listQuery = graphql`query IsolatedUncovered($where: OrganizationWhere!, $sort: OrganizationSort, $first: Int, $after: String, $asOf: Date) {
  census: coverageStats(asOf: $asOf) { provenance { graphVersion } }
  organizations(where: $where, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name version kind kindLabel creditCode headcount partyMembers sizeBand aboveScale operating
      area { name } park { name } community { name } industry { name }
      coverage(asOf: $asOf) { statusLabel shouldHaveOwn reasonLabel }
      coverageCandidates(first: 3, asOf: $asOf) { node { id label kind name } score reasonLabels }
    }
  }
}`;

// The work an officer records from a row (登记): the suggested coverer covers it. Each is one
// mutation; a confirm sends a new idempotency key, so that a retry by the network writes once,
// and the version of the row as it was listed: when someone else changed the organisation
// meanwhile, the server answers CONFLICT and the row says so.
const assignInstructor = graphql`mutation AssignInstructor($personId: ID!, $organizationId: ID!, $expectedVersion: Int, $idempotencyKey: String) {
  assignPerson(personId: $personId, organizationId: $organizationId, role: INSTRUCTOR, expectedVersion: $expectedVersion, idempotencyKey: $idempotencyKey) {
    replayed change { seq } organization { id coverage { status } }
  }
}`;

const coverByPartyOrganization = graphql`mutation CoverByPartyOrganization($organizationId: ID!, $partyOrganizationId: ID!, $mode: CoverMode!, $expectedVersion: Int, $idempotencyKey: String) {
  coverOrganization(organizationId: $organizationId, partyOrganizationId: $partyOrganizationId, mode: $mode, expectedVersion: $expectedVersion, idempotencyKey: $idempotencyKey) {
    replayed change { seq } organization { id coverage { status } }
  }
}`;

const linkWithCommunity = graphql`mutation LinkWithCommunity($organizationId: ID!, $communityId: ID!, $mode: CoBuildMode!, $expectedVersion: Int, $idempotencyKey: String) {
  linkCommunity(organizationId: $organizationId, communityId: $communityId, mode: $mode, expectedVersion: $expectedVersion, idempotencyKey: $idempotencyKey) {
    replayed change { seq } organization { id coverage { status } }
  }
}`;

/** How a joint, regional or industry party organisation covers: its kind's cover mode. */
const coverMode: Record<string, string> = { JOINT_BRANCH: 'JOINT', REGIONAL: 'REGIONAL', INDUSTRY: 'INDUSTRY' };

interface Written {
  change: { seq: number };
}

/** The mutation that records a candidate's cover of an organisation; null when none does. */
function workOf(o: Row, c: Candidate): { op: Operation; field: string; variables: Record<string, unknown> } | null {
  if (c.node.label === 'Person') {
    return { op: assignInstructor, field: 'assignPerson', variables: { personId: c.node.id, organizationId: o.id, expectedVersion: o.version } };
  }
  if (c.node.label === 'PartyOrg' && c.node.kind && coverMode[c.node.kind]) {
    return {
      op: coverByPartyOrganization,
      field: 'coverOrganization',
      variables: { organizationId: o.id, partyOrganizationId: c.node.id, mode: coverMode[c.node.kind], expectedVersion: o.version },
    };
  }
  if (c.node.label === 'Organization' && c.node.kind === 'COMMUNITY') {
    return {
      op: linkWithCommunity,
      field: 'linkCommunity',
      variables: {
        organizationId: o.id,
        communityId: c.node.id,
        mode: o.kind === 'ENTERPRISE' ? 'SHEQI' : 'SHUANGSHE',
        expectedVersion: o.version,
      },
    };
  }
  return null;
}

/** A random idempotency key; crypto.randomUUID needs a secure context, which 127.0.0.1 is. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

type Candidate = Row['coverageCandidates'][number];

interface Row {
  id: string;
  name: string;
  /** The sequence number of the last change to it: a write sends it back, so that one
   * made after another officer's is refused with CONFLICT rather than doubled. */
  version: number;
  kind: string;
  kindLabel: string;
  creditCode: string | null;
  headcount: number;
  partyMembers: number;
  sizeBand: string;
  aboveScale: boolean;
  operating: boolean;
  area: { name: string } | null;
  park: { name: string } | null;
  community: { name: string } | null;
  industry: { name: string } | null;
  coverage: { statusLabel: string; shouldHaveOwn: boolean; reasonLabel: string };
  coverageCandidates: { node: { id: string; label: string; kind: string | null; name: string }; score: number; reasonLabels: string[] }[];
}

interface Page {
  census: { provenance: { graphVersion: string } };
  organizations: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Row[] };
}

/** The OrganizationWhere of a filter: always uncovered and isolated, on the chosen day. */
export function whereOf(f: ListFilter, asOf: string | null): Record<string, unknown> {
  const w: Record<string, unknown> = { coverage: ['UNCOVERED'], isolated: true };
  if (f.sector.length > 0) w.sector = f.sector;
  if (f.kind) w.kind = [f.kind];
  if (f.areaId) w.areaId = f.areaId;
  if (f.parkId) w.parkId = f.parkId;
  if (f.industryId) w.industryId = f.industryId;
  if (f.sizeBand) w.sizeBand = [f.sizeBand];
  if (f.aboveScale) w.aboveScale = f.aboveScale === 'true';
  if (f.operating) w.operating = f.operating === 'true';
  if (f.nameContains.trim()) w.nameContains = f.nameContains.trim();
  if (asOf) w.asOf = asOf;
  return w;
}

function sortOf(f: ListFilter): { field: string; direction: string } {
  const [field, direction] = f.sort.split(':');
  return { field, direction };
}

/** What a candidate coverer is: people among the candidates are serving instructors. */
function candidateKind(c: Candidate): string {
  return c.node.label === 'Person' ? label('PersonRole', 'INSTRUCTOR') : nodeLabel(c.node.label, c.node.kind);
}

function candidateText(c: Candidate): string {
  return `${c.node.name}（${candidateKind(c)}，${fmt.score(c.score)}）`;
}

export function isolated(ctx: Context): HTMLElement {
  let filter: ListFilter = { ...defaultFilter };
  // cursors[i] is the `after` of page i; page 0 starts at the beginning.
  let cursors: (string | null)[] = [null];
  let total = 0;

  const yesNo: [string, string][] = [['', '不限'], ['true', '是'], ['false', '否']];
  const controls = {
    sector: select({ 'data-filter': 'sector' }, [
      ['', '不限'],
      ['ENTERPRISE,SOCIAL', `${label('Sector', 'ENTERPRISE')}和${label('Sector', 'SOCIAL')}`],
      ...options('Sector', ['ENTERPRISE', 'SOCIAL', 'PUBLIC']),
    ]),
    kind: select({ 'data-filter': 'kind' }, [['', '不限'], ...options('OrgKind', order.OrgKind)]),
    areaId: select({ 'data-filter': 'areaId' }, [['', '不限'], ...ctx.towns.map((a): [string, string] => [a.id, a.name])]),
    parkId: select({ 'data-filter': 'parkId' }, [['', '不限'], ...ctx.parks.map((a): [string, string] => [a.id, a.name])]),
    industryId: select({ 'data-filter': 'industryId' }, [['', '不限'], ...ctx.ref.industries.map((i): [string, string] => [i.id, i.name])]),
    sizeBand: select({ 'data-filter': 'sizeBand' }, [['', '不限'], ...options('SizeBand', order.SizeBand)]),
    aboveScale: select({ 'data-filter': 'aboveScale' }, yesNo),
    operating: select({ 'data-filter': 'operating' }, [['', '不限'], ['true', '运营中'], ['false', '已停业']]),
    sort: select({ 'data-filter': 'sort' }, [
      ['HEADCOUNT:DESC', `${label('OrganizationSortField', 'HEADCOUNT')}（多到少）`],
      ['PARTY_MEMBERS:DESC', `${label('OrganizationSortField', 'PARTY_MEMBERS')}（多到少）`],
      ['NAME:ASC', label('OrganizationSortField', 'NAME')],
      ['REGISTERED_ON:DESC', `${label('OrganizationSortField', 'REGISTERED_ON')}（新到旧）`],
    ]),
  };
  const nameInput = h('input', { type: 'search', placeholder: '名称包含…', 'data-filter': 'nameContains', 'aria-label': '名称包含' });

  const show = () => {
    controls.sector.value = filter.sector.join(',');
    controls.kind.value = filter.kind;
    controls.areaId.value = filter.areaId;
    controls.parkId.value = filter.parkId;
    controls.industryId.value = filter.industryId;
    controls.sizeBand.value = filter.sizeBand;
    controls.aboveScale.value = filter.aboveScale;
    controls.operating.value = filter.operating;
    controls.sort.value = filter.sort;
    nameInput.value = filter.nameContains;
  };
  const read = () => {
    filter = {
      sector: controls.sector.value ? controls.sector.value.split(',') : [],
      kind: controls.kind.value,
      areaId: controls.areaId.value,
      parkId: controls.parkId.value,
      industryId: controls.industryId.value,
      sizeBand: controls.sizeBand.value,
      aboveScale: controls.aboveScale.value as ListFilter['aboveScale'],
      operating: controls.operating.value as ListFilter['operating'],
      nameContains: nameInput.value,
      sort: controls.sort.value,
    };
  };

  const labelled = (text: string, control: HTMLElement) => h('label', { class: 'filter' }, h('span', null, text), control);
  const reset = h('button', { type: 'button', class: 'secondary', 'data-action': 'reset' }, '重置筛选');
  const exportButton = h('button', { type: 'button', 'data-action': 'csv' }, '下载 CSV');
  // The server's export of the same query: every field the list reads, Chinese headers.
  const xlsxButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'export-xlsx', title: '服务器导出：列表查询的全部字段' }, '导出 Excel');
  const serverCsvButton = h('button', { type: 'button', class: 'secondary', 'data-action': 'export-csv', title: '服务器导出：列表查询的全部字段' }, '导出 CSV');
  const exportStatus = h('span', { class: 'meta', 'data-export-status': '' });
  const filters = h(
    'div',
    { class: 'filters' },
    labelled('领域', controls.sector),
    labelled('类型', controls.kind),
    labelled('乡镇/街道', controls.areaId),
    labelled('园区', controls.parkId),
    labelled('行业', controls.industryId),
    labelled('规模', controls.sizeBand),
    labelled('规上企业', controls.aboveScale),
    labelled('经营状态', controls.operating),
    labelled('名称', nameInput),
    labelled('排序', controls.sort),
    h('div', { class: 'filter-actions' }, reset, exportButton, xlsxButton, serverCsvButton, exportStatus),
  );

  const panel = new Panel({
    id: 'isolated',
    title: '孤立且未覆盖组织',
    className: 'wide',
    note: '没有任何共建关系、也没有党组织或工作覆盖的组织，附原因与最合适的候选覆盖方（得分越高越合适）。',
  });
  const count = h('span', { class: 'count', 'data-total': '' });
  const status = panel.el.querySelector('.status');
  panel.el.insertBefore(filters, status);
  panel.el.insertBefore(h('p', { class: 'summary' }, count), status);
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['名称', '类型', '乡镇/街道', '园区', '行业', '规模', '从业人数', '正式党员', '原因', '候选覆盖方', '登记'].map((t) => h('th', null, t)),
      ),
    ),
    tbody,
  );
  const prev = h('button', { type: 'button', class: 'secondary', 'data-action': 'prev' }, '上一页');
  const next = h('button', { type: 'button', class: 'secondary', 'data-action': 'next' }, '下一页');
  const pageInfo = h('span', { class: 'meta', 'data-page': '' });
  panel.body.append(h('div', { class: 'table-wrap' }, table), h('div', { class: 'pager' }, prev, pageInfo, next));

  /**
   * The row's 登记 cell: 指派 shows the suggested coverer with 确认, and 确认 records the
   * cover. Written, the row leaves the list and the figures are read again; refused, the
   * cell shows the server's code and message (FORBIDDEN for a role that only reads).
   */
  const recordCell = (o: Row): HTMLElement => {
    const cell = h('td', { class: 'record', 'data-record': '' });
    const cand = o.coverageCandidates[0];
    const work = cand ? workOf(o, cand) : null;
    if (!cand || !work) {
      replace(cell, '—');
      return cell;
    }
    const message = h('div', { class: 'record-message', role: 'status', 'aria-live': 'polite' });
    const assign = h('button', { type: 'button', class: 'small', 'data-action': 'assign' }, '指派 Assign');
    const confirm = h('button', { type: 'button', class: 'small', 'data-action': 'confirm' }, '确认 Confirm');
    const cancel = h('button', { type: 'button', class: 'small secondary', 'data-action': 'cancel' }, '取消');
    const idle = () => {
      cell.dataset.state = 'idle';
      replace(cell, assign, message);
    };
    assign.onclick = () => {
      cell.dataset.state = 'confirm';
      replace(message);
      replace(
        cell,
        h('div', { class: 'suggestion', 'data-suggestion': cand.node.id }, `指派 ${candidateText(cand)}`),
        h('div', { class: 'record-actions' }, confirm, cancel),
        message,
      );
    };
    cancel.onclick = idle;
    confirm.onclick = async () => {
      writing++;
      confirm.disabled = cancel.disabled = true;
      cell.dataset.state = 'writing';
      replace(message, '正在登记…');
      try {
        const d = await gql<Record<string, Written>>(work.op, { ...work.variables, idempotencyKey: newKey() });
        cell.closest('tr')?.remove();
        total = Math.max(0, total - 1);
        count.dataset.total = String(total);
        replace(count, `共 ${fmt.int(total)} 家`);
        ctx.changed(d[work.field]?.change.seq);
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'CLIENT';
        cell.dataset.state = 'error';
        replace(
          message,
          h('span', { class: 'error', 'data-error-code': code }, h('code', { class: 'error-code' }, code), ' ', err instanceof Error ? err.message : String(err)),
        );
        confirm.disabled = cancel.disabled = false;
      } finally {
        writing--;
        if (writing === 0 && deferred) {
          deferred = false;
          void load(shown);
        }
      }
    };
    idle();
    return cell;
  };

  let shown = 0;
  // Rows being written, and whether a change came meanwhile: the list is read again once
  // they are done, so that a row never loses its write in progress.
  let writing = 0;
  let deferred = false;
  // Answers older than a change the page knows of are read again, a little later each time
  // (at most a second apart), for half a minute at most.
  let behind = 0;
  const latest = new Latest();
  const load = async (page: number) => {
    shown = page;
    panel.loading();
    prev.disabled = next.disabled = true;
    const signal = latest.next();
    try {
      const d = await gql<Page>(
        listQuery,
        { where: whereOf(filter, ctx.asOf), sort: sortOf(filter), first: pageSize, after: cursors[page], asOf: ctx.asOf },
        signal,
      );
      const c = d.organizations;
      const version = d.census.provenance.graphVersion;
      if (ctx.behind(version) && behind < 40) setTimeout(reload, Math.min(1000, 200 * ++behind));
      else behind = 0;
      total = c.totalCount;
      count.dataset.total = String(total);
      replace(count, `共 ${fmt.int(total)} 家`);
      if (c.nodes.length === 0) {
        replace(tbody);
        panel.empty(page === 0 ? '没有符合筛选条件的孤立且未覆盖组织。' : '本页没有数据。');
        return;
      }
      cursors = cursors.slice(0, page + 1);
      if (c.pageInfo.hasNextPage) cursors.push(c.pageInfo.endCursor);
      replace(
        tbody,
        c.nodes.map((o) =>
          h(
            'tr',
            { 'data-id': o.id },
            h(
              'td',
              null,
              h('button', { type: 'button', class: 'link', title: '查看共建关系网络', onclick: () => ctx.openNetwork(o.id, o.name) }, o.name),
              o.creditCode ? h('div', { class: 'sub' }, o.creditCode) : null,
            ),
            h('td', null, o.kindLabel),
            h('td', null, o.area?.name ?? '—'),
            h('td', null, o.park?.name ?? '—'),
            h('td', null, o.industry?.name ?? '—'),
            h('td', null, label('SizeBand', o.sizeBand), o.aboveScale ? h('div', { class: 'sub' }, '规上') : null),
            h('td', { class: 'num' }, fmt.int(o.headcount)),
            h('td', { class: 'num' }, fmt.int(o.partyMembers), o.coverage.shouldHaveOwn ? h('div', { class: 'tag' }, '应建未建') : null),
            h('td', { class: 'reason' }, o.coverage.reasonLabel),
            h(
              'td',
              null,
              o.coverageCandidates.length === 0
                ? '—'
                : h('ol', { class: 'candidates' }, o.coverageCandidates.map((cand) => h('li', { title: cand.reasonLabels.join('；') }, candidateText(cand)))),
            ),
            recordCell(o),
          ),
        ),
      );
      const pages = Math.max(1, Math.ceil(total / pageSize));
      replace(pageInfo, `第 ${page + 1} / ${fmt.int(pages)} 页`);
      pageInfo.dataset.page = String(page);
      prev.disabled = page === 0;
      next.disabled = !c.pageInfo.hasNextPage;
      prev.onclick = () => void load(page - 1);
      next.onclick = () => void load(page + 1);
      panel.ready();
    } catch (err) {
      if (isAbort(err)) return;
      replace(count);
      delete count.dataset.total;
      panel.error(err, () => void load(page));
    }
  };

  /** The page shown, read again: at once, or once the rows being written are done. */
  const reload = () => {
    if (writing > 0) deferred = true;
    else void load(shown);
  };

  const restart = () => {
    cursors = [null];
    void load(0);
  };

  for (const c of Object.values(controls)) {
    c.addEventListener('change', () => {
      read();
      restart();
    });
  }
  let typing: ReturnType<typeof setTimeout> | undefined;
  nameInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      read();
      restart();
    }, 400);
  });
  reset.addEventListener('click', () => {
    filter = { ...defaultFilter };
    show();
    restart();
  });

  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    const where = whereOf(filter, ctx.asOf);
    const sort = sortOf(filter);
    const rows: Row[] = [];
    let after: string | null = null;
    let first: number | null = exportPageSize;
    try {
      for (;;) {
        replace(exportStatus, `正在导出 ${fmt.int(rows.length)} / ${fmt.int(total)}…`);
        let d: Page;
        try {
          d = await gql<Page>(listQuery, { where, sort, first, after, asOf: ctx.asOf });
        } catch (err) {
          // A server configured with smaller pages refuses 500 rows: use its default.
          if (err instanceof ApiError && err.code === 'BAD_USER_INPUT' && first !== null) {
            first = null;
            continue;
          }
          throw err;
        }
        rows.push(...d.organizations.nodes);
        if (!d.organizations.pageInfo.hasNextPage) break;
        after = d.organizations.pageInfo.endCursor;
      }
      const header = [
        '名称', '统一社会信用代码', '类型', '乡镇/街道', '园区', '社区', '行业', '规模', '规上企业', '经营状态',
        '从业人数', '正式党员数', '应建未建', '覆盖状态', '原因', '候选覆盖方1', '得分1', '候选覆盖方2', '得分2', '候选覆盖方3', '得分3',
      ];
      const body = rows.map((o) => {
        const cands = [0, 1, 2].flatMap((i) => {
          const c = o.coverageCandidates[i];
          return c ? [`${c.node.name}（${candidateKind(c)}）`, fmt.score(c.score)] : ['', ''];
        });
        return [
          o.name, o.creditCode, o.kindLabel, o.area?.name, o.park?.name, o.community?.name, o.industry?.name,
          label('SizeBand', o.sizeBand), o.aboveScale ? '是' : '否', o.operating ? '运营中' : '已停业',
          o.headcount, o.partyMembers, o.coverage.shouldHaveOwn ? '是' : '否', o.coverage.statusLabel, o.coverage.reasonLabel, ...cands,
        ];
      });
      download(`孤立且未覆盖组织_${ctx.asOf ?? fmt.today()}.csv`, toCSV(header, body));
      replace(exportStatus, `已导出 ${fmt.int(rows.length)} 家`);
      exportStatus.dataset.exported = String(rows.length);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'CLIENT';
      replace(exportStatus, h('span', { class: 'error' }, `导出失败：${err instanceof Error ? err.message : String(err)}（${code}）`));
    } finally {
      exportButton.disabled = false;
    }
  });

  for (const [button, format] of [[xlsxButton, 'xlsx'], [serverCsvButton, 'csv']] as const) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      replace(exportStatus, `正在导出 ${fmt.int(total)} 家…`);
      delete exportStatus.dataset.serverExported;
      try {
        await serverExport(listQuery, { where: whereOf(filter, ctx.asOf), sort: sortOf(filter), asOf: ctx.asOf }, format,
          `孤立且未覆盖组织明细_${ctx.asOf ?? fmt.today()}`);
        replace(exportStatus, `已导出 ${fmt.int(total)} 家（${format === 'xlsx' ? 'Excel' : 'CSV'}）`);
        exportStatus.dataset.serverExported = format;
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'CLIENT';
        replace(exportStatus, h('span', { class: 'error' }, `导出失败：${err instanceof Error ? err.message : String(err)}（${code}）`));
      } finally {
        button.disabled = false;
      }
    });
  }

  ctx.showList = (f) => {
    filter = { ...any, ...f };
    show();
    restart();
    panel.el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  ctx.onAsOf(restart);
  // A write here or elsewhere: the page shown, read again.
  ctx.onChange(reload);

  show();
  restart();
  return panel.el;
}
