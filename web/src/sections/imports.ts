// Section 6: importing the district's files (导入数据, docs/import.md). The kinds of file with
// their templates; files sent to importFiles as one multipart request, as a dry run first;
// the report (sheets, problems, what changed); a dry run without problems offers the real
// import, after which the other panels read their figures again. Admins only: the other
// roles see the panel disabled, with the reason.

import { ApiError, gql, gqlUpload, graphql } from '../api';
import type { Context } from '../context';
import { h, Panel, replace, select, type Child } from '../dom';
import * as fmt from '../format';
import { label } from '../labels';
import { nodeLabel } from './network';

const panelQuery = graphql`query ImportPanel {
  viewer { subject role canImport }
  importKinds { name title columns { header required } }
}`;

const importMutation = graphql`mutation ImportFiles($files: [Upload!]!, $dryRun: Boolean, $skipBadRows: Boolean, $kind: String) {
  importFiles(files: $files, dryRun: $dryRun, skipBadRows: $skipBadRows, kind: $kind) {
    dryRun skipBadRows written seq resumed rows skipped problemCount drafts
    files { name sha256 sheets { name kind rows bad encoding ignoredColumns } }
    problems { file sheet row column code message }
    changes { change of count }
  }
}`;

interface Kind {
  name: string;
  title: string;
  columns: { header: string; required: boolean }[];
}

interface PanelData {
  viewer: { subject: string; role: string; canImport: boolean };
  importKinds: Kind[];
}

interface Sheet {
  name: string;
  kind: string;
  rows: number;
  bad: number;
  encoding: string;
  ignoredColumns: string[];
}

interface Problem {
  file: string;
  sheet: string;
  row: number;
  column: string;
  code: string;
  message: string;
}

interface Count {
  change: string;
  of: string;
  count: number;
}

export interface Report {
  dryRun: boolean;
  skipBadRows: boolean;
  written: boolean;
  seq: number | null;
  resumed: boolean;
  rows: number;
  skipped: number;
  problemCount: number;
  /** Evaluation rows entered as the scores of a round open in cobuild. */
  drafts: number;
  files: { name: string; sha256: string; sheets: Sheet[] }[];
  problems: Problem[];
  changes: Count[];
}

/** The roles as the page names them. */
const roleNames: Record<string, string> = { ADMIN: '管理员', ANALYST: '分析员', OFFICER: '镇街园区工作人员', VIEWER: '查看者' };

/** The columns of the table of changes: what happened, by ImportChange. */
const changeColumns: [string, string][] = [
  ['NODE_CREATED', '新增'],
  ['NODE_UPDATED', '修改'],
  ['TIE_CREATED', '新增关系'],
  ['TIE_UPDATED', '修改关系'],
  ['TIE_REMOVED', '删除关系'],
];

/** Chinese names of the labels and tie types an import writes that the network view does not name. */
const ofNames: Record<string, string> = {
  Industry: '行业',
  Evaluation: '测评',
  MassBranch: '群团组织',
  Certification: '认证',
  DemoSite: '示范点',
  DemoBelt: '示范带',
  Brand: '品牌',
  LOCATED_IN: '所在镇街',
  IN_PARK: '所在园区',
  IN_COMMUNITY: '所在社区',
  IN_INDUSTRY: '所属行业',
  HAS_PARTY_ORG: '单独组建党组织',
  EVALUATED: '测评',
  HOLDS: '持有认证',
  BRANCH_OF: '隶属',
  RECOMMENDED: '推荐',
  HELPED_FORM: '帮助组建',
  DESIGNATED: '命名为示范点',
  ON_BELT: '属于示范带',
  OWNS_BRAND: '拥有品牌',
};

/** What a count is of, in Chinese: a node label's name or a tie type's label, with the API's name. */
function ofText(of: string): string {
  let zh = /^[A-Z_]+$/.test(of) ? label('NetworkTieType', of) : nodeLabel(of, null);
  if (zh === of) zh = ofNames[of] ?? of;
  return zh === of ? of : `${zh}（${of}）`;
}

/** The table of what changed (or would change), a row per label or tie type. */
function changesTable(changes: Count[]): HTMLElement {
  const of = [...new Set(changes.map((c) => c.of))];
  const count = (o: string, change: string) => changes.find((c) => c.of === o && c.change === change)?.count ?? 0;
  const used = changeColumns.filter(([change]) => changes.some((c) => c.change === change));
  return h(
    'table',
    { class: 'table compact', 'data-changes': '' },
    h('thead', null, h('tr', null, h('th', null, '类别'), used.map(([, text]) => h('th', null, text)))),
    h(
      'tbody',
      null,
      of.map((o) =>
        h('tr', { 'data-of': o }, h('td', null, ofText(o)), used.map(([change]) => h('td', { class: 'num', 'data-change': change }, fmt.int(count(o, change))))),
      ),
    ),
  );
}

/** The table of the sheets read. */
function sheetsTable(r: Report, kinds: Map<string, Kind>): HTMLElement {
  return h(
    'table',
    { class: 'table compact', 'data-sheets': '' },
    h('thead', null, h('tr', null, ['文件', '工作表', '类型', '行数', '有问题的行', '编码', '未读取的列'].map((t) => h('th', null, t)))),
    h(
      'tbody',
      null,
      r.files.flatMap((f) =>
        f.sheets.map((s) =>
          h(
            'tr',
            { 'data-file': f.name, 'data-sheet': s.name, 'data-kind': s.kind, 'data-rows': s.rows, 'data-bad': s.bad },
            h('td', { title: `SHA-256 ${f.sha256}` }, f.name),
            h('td', null, s.name),
            h('td', null, kinds.get(s.kind) ? `${kinds.get(s.kind)!.title}（${s.kind}）` : s.kind || '—'),
            h('td', { class: 'num' }, fmt.int(s.rows)),
            h('td', { class: 'num' + (s.bad > 0 ? ' error' : '') }, fmt.int(s.bad)),
            h('td', null, s.encoding || '—'),
            h('td', null, s.ignoredColumns.length > 0 ? s.ignoredColumns.join('、') : '—'),
          ),
        ),
      ),
    ),
  );
}

/** The table of the problems listed, with their count when more were found. */
function problemsTable(r: Report): Child[] {
  const more = r.problemCount > r.problems.length ? `，列出前 ${fmt.int(r.problems.length)} 个` : '';
  return [
    h('h3', { 'data-problem-count': r.problemCount }, `问题 ${fmt.int(r.problemCount)} 个${more}`),
    h(
      'div',
      { class: 'table-wrap narrow' },
      h(
        'table',
        { class: 'table compact', 'data-problems': '' },
        h('thead', null, h('tr', null, ['文件', '工作表', '行', '列', '代码', '说明'].map((t) => h('th', null, t)))),
        h(
          'tbody',
          null,
          r.problems.map((p) =>
            h(
              'tr',
              { 'data-code': p.code, 'data-row': p.row, 'data-column': p.column },
              h('td', null, p.file),
              h('td', null, p.sheet || '—'),
              h('td', { class: 'num' }, p.row > 0 ? String(p.row) : '—'),
              h('td', null, p.column || '—'),
              h('td', null, h('code', null, p.code)),
              h('td', null, p.message),
            ),
          ),
        ),
      ),
    ),
  ];
}

/** The sentence that says what the import did. */
function verdict(r: Report): string {
  const drafts = r.drafts > 0 ? `；${fmt.int(r.drafts)} 行为进行中测评轮次的分数${r.dryRun ? '，将录入该轮次' : '，已录入该轮次'}` : '';
  if (r.written) {
    const skipped = r.skipped > 0 ? `，跳过有问题的行 ${fmt.int(r.skipped)} 行` : '';
    return `已导入：读取 ${fmt.int(r.rows)} 行${skipped}，写入为变更 #${r.seq}${r.resumed ? '（续完了此前中断的同一批文件）' : ''}${drafts}。`;
  }
  if (r.problemCount > 0 && !r.skipBadRows) return `有 ${fmt.int(r.problemCount)} 个问题，未写入任何内容：修改文件后重新上传，或勾选“跳过有问题的行”。`;
  if (r.dryRun && (r.changes.length > 0 || r.drafts > 0)) return `试运行：读取 ${fmt.int(r.rows)} 行，以下为将要写入的变更，尚未写入${drafts}。`;
  if (r.changes.length === 0 && r.drafts > 0) return `读取 ${fmt.int(r.rows)} 行${drafts}。`;
  if (r.changes.length === 0) return `读取 ${fmt.int(r.rows)} 行，与现有数据相同，无需写入。`;
  return `未写入。`;
}

export function imports(ctx: Context): HTMLElement {
  const panel = new Panel({
    id: 'import',
    title: '导入数据',
    className: 'wide',
    note: '上传区里的 .xlsx 工作簿或 CSV 文件（UTF-8 或 GB18030）：先检查每一行，有问题的文件不写入；试运行只比较，不写入。各类文件的列见模板。',
  });
  const kinds = new Map<string, Kind>();
  const picker = h('input', { type: 'file', multiple: true, accept: '.xlsx,.csv,text/csv', 'data-control': 'files', 'aria-label': '选择文件' });
  const dryRun = h('input', { type: 'checkbox', checked: true, 'data-control': 'dryRun' });
  const skipBad = h('input', { type: 'checkbox', 'data-control': 'skipBadRows' });
  const kindSelect = select({ 'data-control': 'kind', 'aria-label': '工作表类型' }, [['', '自动识别']]);
  const run = h('button', { type: 'button', 'data-action': 'import', disabled: true }, '试运行');
  const status = h('p', { class: 'meta', 'data-import-status': '' });
  const report = h('div', { class: 'import-report', 'data-report': '' });
  const templates = h('div', { class: 'templates' });

  const runText = () => (dryRun.checked ? '试运行' : '导入');
  const refresh = () => {
    replace(run, runText());
    run.disabled = (picker.files?.length ?? 0) === 0;
  };
  picker.addEventListener('change', refresh);
  dryRun.addEventListener('change', refresh);

  /** Sends the chosen files; dry says whether as a dry run. */
  const send = async (files: File[], dry: boolean, skip: boolean, kind: string) => {
    run.disabled = true;
    report.dataset.state = 'running';
    replace(status, h('span', { class: 'spinner', 'aria-hidden': 'true' }), dry ? '正在检查…' : '正在导入…（大文件需要几分钟）');
    try {
      const d = await gqlUpload<{ importFiles: Report }>(importMutation, { dryRun: dry, skipBadRows: skip, kind: kind || null }, { files });
      show(d.importFiles, files, kind);
      replace(status);
      if (d.importFiles.written) {
        // The other panels read their figures again; the server answered once its own
        // snapshots hold the import.
        ctx.changed(d.importFiles.seq ?? undefined);
      }
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'CLIENT';
      report.dataset.state = 'error';
      replace(
        status,
        h('strong', { class: 'error' }, '导入失败：'),
        h('span', { class: 'error error-message' }, err instanceof Error ? err.message : String(err)),
        ' ',
        h('code', { class: 'error-code', 'data-error-code': code }, code),
      );
    } finally {
      refresh();
    }
  };

  const show = (r: Report, files: File[], kind: string) => {
    report.dataset.state = r.written ? 'written' : r.problemCount > 0 ? 'problems' : 'checked';
    report.dataset.written = String(r.written);
    report.dataset.dryRun = String(r.dryRun);
    report.dataset.seq = r.seq == null ? '' : String(r.seq);
    report.dataset.problemCount = String(r.problemCount);
    // A dry run that found nothing wrong (or whose bad rows would be left out) can be run
    // for real, on the same files.
    const ready = r.dryRun && (r.changes.length > 0 || r.drafts > 0) && (r.problemCount === 0 || r.skipBadRows);
    const go = ready
      ? h('button', { type: 'button', 'data-action': 'commit', onclick: () => void send(files, false, r.skipBadRows, kind) }, '导入 Import')
      : null;
    replace(
      report,
      h('p', { class: 'summary', 'data-verdict': '' }, verdict(r)),
      go ? h('p', null, go, ' ', h('span', { class: 'sub' }, '将下列变更写入图中，作为一批变更记入变更日志')) : null,
      h('h3', null, '读取的文件'),
      h('div', { class: 'table-wrap narrow' }, sheetsTable(r, kinds)),
      r.changes.length > 0 ? [h('h3', null, r.written ? '已写入的变更' : '将要写入的变更'), changesTable(r.changes)] : null,
      r.problemCount > 0 ? problemsTable(r) : null,
    );
  };

  run.addEventListener('click', () => {
    const files = [...(picker.files ?? [])];
    if (files.length > 0) void send(files, dryRun.checked, skipBad.checked, kindSelect.value);
  });

  const load = async () => {
    panel.loading();
    try {
      const d = await gql<PanelData>(panelQuery);
      panel.el.dataset.role = d.viewer.role;
      if (!d.viewer.canImport) {
        panel.el.dataset.import = 'disabled';
        const role = roleNames[d.viewer.role] ?? d.viewer.role;
        panel.empty(
          d.viewer.role === 'ADMIN'
            ? '此服务器只读，不能导入。This server only reads.'
            : `只有管理员可以导入文件；当前登录为${role}（${d.viewer.subject}）。Only admins may import files.`,
        );
        return;
      }
      panel.el.dataset.import = 'enabled';
      kinds.clear();
      d.importKinds.forEach((k) => kinds.set(k.name, k));
      replace(kindSelect, h('option', { value: '' }, '自动识别'), d.importKinds.map((k) => h('option', { value: k.name }, `${k.title}（${k.name}）`)));
      replace(
        templates,
        h(
          'details',
          null,
          h('summary', null, `文件类型与模板（${d.importKinds.length} 种）`),
          h(
            'ul',
            { class: 'kinds', 'data-kinds': d.importKinds.length },
            d.importKinds.map((k) =>
              h(
                'li',
                { 'data-kind': k.name, title: '列：' + k.columns.map((c) => c.header + (c.required ? '*' : '')).join('、') },
                h('span', null, k.title),
                ' ',
                h('code', null, k.name),
                ' ',
                ['xlsx', 'csv'].map((f) => [' ', h('a', { href: `/import/template/${k.name}.${f}`, download: '', 'data-template': f }, f)]),
              ),
            ),
          ),
        ),
      );
      panel.ready();
    } catch (err) {
      panel.error(err, load);
    }
  };

  panel.body.append(
    templates,
    h(
      'div',
      { class: 'filters import-form' },
      h('label', { class: 'filter' }, '文件（可多选）', picker),
      h('label', { class: 'filter' }, '工作表类型', kindSelect),
      h('label', null, dryRun, ' 试运行（只检查和比较，不写入）'),
      h('label', null, skipBad, ' 跳过有问题的行'),
      h('div', { class: 'filter-actions' }, run),
    ),
    status,
    report,
  );
  void load();
  return h('div', { class: 'section-group', id: 'import-section' }, panel.el);
}
