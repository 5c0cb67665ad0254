// Section 5: the ties of any organisation. Search by name, draw its ego network (one hop) in
// Cytoscape.js, and click a node to merge that node's ego network into the view.

import type { Core, ElementDefinition } from 'cytoscape';
import { ApiError, gql, graphql, isAbort, Latest } from '../api';
import type { Context } from '../context';
import { h, Panel, replace } from '../dom';
import * as fmt from '../format';
import { label, labelOf } from '../labels';

/** Nodes drawn per expansion; the API says `truncated` when a node has more. */
const maxNodesPerCall = 150;
/** Beyond this many nodes the view stops growing: a force layout of more is slow and unreadable. */
const maxGraphNodes = 1500;

const searchQuery = graphql`query FindOrganization($name: String!) {
  organizations(where: {nameContains: $name}, sort: {field: NAME}, first: 12) {
    totalCount
    nodes { id name kindLabel area { name } }
  }
}`;

interface Found {
  organizations: { totalCount: number; nodes: { id: string; name: string; kindLabel: string; area: { name: string } | null }[] };
}

const egoQuery = graphql`query EgoNetwork($id: ID!, $asOf: Date, $maxNodes: Int) {
  egoNetwork(id: $id, hops: 1, maxNodes: $maxNodes, asOf: $asOf) {
    centre { id label kind name }
    nodes { distance node { id label kind name } }
    ties { type typeLabel from to role mode since until }
    truncated
  }
}`;

interface NetNode {
  id: string;
  label: string;
  kind: string | null;
  name: string;
}

interface Tie {
  type: string;
  typeLabel: string;
  from: string;
  to: string;
  role: string | null;
  mode: string | null;
  since: string | null;
  until: string | null;
}

interface Ego {
  egoNetwork: { centre: NetNode; nodes: { distance: number; node: NetNode }[]; ties: Tie[]; truncated: boolean };
}

/** The Chinese names of the network's node labels (labels are strings in the API, not enums). */
const labelNames: Record<string, string> = {
  Organization: '组织',
  Alliance: '联盟/委员会',
  RedZone: '红色商圈/街区',
  Event: '活动',
  Person: '人员',
  Area: '区域',
  Agreement: '共建协议',
  PartyOrg: '党组织',
};

/** The enum that holds the kinds of each node label. */
const kindEnums: Record<string, string> = {
  Organization: 'OrgKind',
  Alliance: 'AllianceKind',
  RedZone: 'RedZoneKind',
  Event: 'EventKind',
  Area: 'AreaKind',
  PartyOrg: 'PartyOrganizationKind',
};

/** What a network node is, in Chinese: its kind's label, else its label's name. */
export function nodeLabel(nodeLabelName: string, kind: string | null): string {
  const e = kindEnums[nodeLabelName];
  if (kind && e) return label(e, kind);
  if (kind && !e) return kind;
  return labelNames[nodeLabelName] ?? nodeLabelName;
}

const palette: Record<string, string> = {
  Organization: '#2e86c1',
  Alliance: '#c0392b',
  RedZone: '#e74c3c',
  Event: '#f39c12',
  Person: '#5d6d7e',
  Area: '#27ae60',
  Agreement: '#b9770e',
  PartyOrg: '#922b21',
};

const orgPalette: Record<string, string> = {
  ENTERPRISE: '#2e86c1',
  SOCIAL_ORG: '#17a589',
  HOSPITAL: '#148f77',
  SCHOOL: '#d35400',
  COMMUNITY: '#8e44ad',
  DEPARTMENT: '#7f8c8d',
  MASS_ORG: '#cb4335',
};

const shapes: Record<string, string> = {
  Organization: 'ellipse',
  Alliance: 'hexagon',
  RedZone: 'star',
  Event: 'round-rectangle',
  Person: 'triangle',
  Area: 'rectangle',
  Agreement: 'diamond',
  PartyOrg: 'round-pentagon',
};

function colour(n: NetNode): string {
  return (n.label === 'Organization' && n.kind && orgPalette[n.kind]) || palette[n.label] || '#7f8c8d';
}

function short(name: string, n = 10): string {
  return name.length > n ? name.slice(0, n) + '…' : name;
}

function tieKey(t: Tie): string {
  return `${t.type}|${t.from}|${t.to}|${t.role ?? ''}|${t.since ?? ''}`;
}

/** The words of a tie's role or mode, and its dates. */
function tieDetail(t: Tie): string {
  const parts: string[] = [];
  if (t.role) parts.push(labelOf(t.role, 'MemberRole', 'PersonTieRole'));
  if (t.mode) parts.push(labelOf(t.mode, 'CoBuildMode', 'CoverMode'));
  if (t.since) parts.push(`自 ${t.since}`);
  if (t.until) parts.push(`至 ${t.until}`);
  return parts.join('，');
}

export function network(ctx: Context): HTMLElement {
  // --- search ---
  const input = h('input', { type: 'search', placeholder: '输入组织名称的一部分', 'aria-label': '组织名称', 'data-control': 'search' });
  const go = h('button', { type: 'submit' }, '搜索');
  const form = h('form', { class: 'search' }, input, go);
  const search = new Panel({ id: 'network-search', title: '查找组织', className: 'inner' });
  search.el.insertBefore(form, search.el.querySelector('.status'));
  const results = h('ul', { class: 'results' });
  const resultsMeta = h('p', { class: 'meta' });
  search.body.append(results, resultsMeta);
  search.empty('输入名称后搜索，例如社区、医院或企业名称中的几个字。');
  const searches = new Latest();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) {
      search.empty('请输入名称。');
      return;
    }
    search.loading('搜索中…');
    const signal = searches.next();
    try {
      const d = await gql<Found>(searchQuery, { name }, signal);
      const c = d.organizations;
      if (c.nodes.length === 0) {
        search.empty(`没有名称包含“${name}”的组织。`);
        return;
      }
      replace(
        results,
        c.nodes.map((o) =>
          h(
            'li',
            null,
            h(
              'button',
              { type: 'button', class: 'result', 'data-id': o.id, onclick: () => open(o.id) },
              h('span', { class: 'result-name' }, o.name),
              h('span', { class: 'sub' }, [o.kindLabel, o.area?.name].filter(Boolean).join(' · ')),
            ),
          ),
        ),
      );
      replace(resultsMeta, c.totalCount > c.nodes.length ? `共 ${fmt.int(c.totalCount)} 个，显示前 ${c.nodes.length} 个；请输入更完整的名称。` : `共 ${c.totalCount} 个。`);
      search.ready();
    } catch (err) {
      if (!isAbort(err)) search.error(err);
    }
  });

  // --- graph ---
  const graph = new Panel({
    id: 'network',
    title: '共建关系网络',
    className: 'graph-panel',
    note: '显示所选组织一跳以内的共建关系；点击任一节点，展开它的关系并合并到图中。',
  });
  const canvas = h('div', { class: 'cy', 'data-cy': '' });
  const hover = h('div', { class: 'cy-hover', hidden: true });
  const info = h('div', { class: 'graph-info' });
  const legend = h('ul', { class: 'legend' });
  const details = h('div', { class: 'details' });
  const fit = h('button', { type: 'button', class: 'secondary' }, '适应窗口');
  const clear = h('button', { type: 'button', class: 'secondary' }, '清空');
  graph.body.append(
    h('div', { class: 'graph-layout' }, h('div', { class: 'cy-wrap' }, canvas, hover), h('aside', { class: 'graph-side' }, h('div', { class: 'graph-tools' }, fit, clear), info, details, legend)),
  );
  graph.empty('请在左侧查找一个组织，查看它的共建关系。');

  let cy: Core | undefined;
  let root: string | null = null;
  const nodes = new Map<string, NetNode>();
  const ties = new Map<string, Tie>();
  const expanded = new Set<string>();
  let truncated = false;
  const loads = new Latest();

  const ensureCy = async (): Promise<Core> => {
    if (cy) return cy;
    const { default: cytoscape } = await import('cytoscape');
    cy = cytoscape({
      container: canvas,
      minZoom: 0.15,
      maxZoom: 3,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(colour)',
            shape: 'data(shape)' as never,
            label: 'data(short)',
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            color: '#2c3e50',
            'text-outline-color': '#fff',
            'text-outline-width': 2,
            width: 22,
            height: 22,
            'min-zoomed-font-size': 5,
          },
        },
        { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#2c3e50' } },
        { selector: 'node.root', style: { width: 34, height: 34, 'font-size': 12, 'font-weight': 'bold' } },
        { selector: 'node:selected', style: { 'overlay-color': '#f1c40f', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
        {
          selector: 'edge',
          style: { width: 1.5, 'line-color': '#b3b6b7', 'curve-style': 'bezier', 'target-arrow-shape': 'none', label: '', 'font-size': 9 },
        },
        { selector: 'edge.hover, edge.near', style: { label: 'data(typeLabel)', 'line-color': '#5d6d7e', 'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.8 } },
      ],
    });
    cy.on('tap', 'node', (e) => {
      const id = e.target.id() as string;
      showDetails(id);
      if (!expanded.has(id)) void expand(id);
    });
    cy.on('mouseover', 'node', (e) => {
      const n = nodes.get(e.target.id());
      if (!n) return;
      e.target.connectedEdges().addClass('near');
      replace(hover, n.name, h('span', { class: 'sub' }, ' ' + nodeLabel(n.label, n.kind)));
      hover.hidden = false;
    });
    cy.on('mouseout', 'node', (e) => {
      e.target.connectedEdges().removeClass('near');
      hover.hidden = true;
    });
    cy.on('mouseover', 'edge', (e) => e.target.addClass('hover'));
    cy.on('mouseout', 'edge', (e) => e.target.removeClass('hover'));
    return cy;
  };

  /**
   * Lays the graph out by force. New nodes start on a ring around the node that brought
   * them in, so that an expansion grows out of that node and the rest keeps its shape.
   */
  const layout = (c: Core, around: string | null, added: string[]) => {
    const centre = around ? c.getElementById(around) : null;
    const origin = centre?.nonempty() ? centre.position() : { x: 0, y: 0 };
    added.forEach((id, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, added.length);
      const r = 60 + 4 * added.length;
      c.getElementById(id).position({ x: origin.x + r * Math.cos(angle), y: origin.y + r * Math.sin(angle) });
    });
    c.layout({
      name: 'cose',
      randomize: false,
      animate: false,
      fit: true,
      padding: 24,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => 70,
      nodeRepulsion: () => 12000,
      edgeElasticity: () => 80,
      gravity: 0.4,
      numIter: 1500,
    } as never).run();
  };

  const draw = async (around: string | null) => {
    const c = await ensureCy();
    const elements: ElementDefinition[] = [];
    for (const n of nodes.values()) {
      if (c.getElementById(n.id).nonempty()) continue;
      elements.push({
        group: 'nodes',
        data: { id: n.id, name: n.name, short: short(n.name), colour: colour(n), shape: shapes[n.label] ?? 'ellipse' },
      });
    }
    for (const [key, t] of ties) {
      if (c.getElementById(key).nonempty() || !nodes.has(t.from) || !nodes.has(t.to)) continue;
      elements.push({ group: 'edges', data: { id: key, source: t.from, target: t.to, typeLabel: t.typeLabel } });
    }
    c.add(elements);
    const added = elements.filter((e) => e.group === 'nodes' && e.data.id !== around).map((e) => e.data.id as string);
    c.nodes().removeClass('root expanded');
    if (root) c.getElementById(root).addClass('root');
    expanded.forEach((id) => c.getElementById(id).addClass('expanded'));
    c.resize();
    layout(c, around, added);
    graph.el.dataset.nodes = String(c.nodes().length);
    graph.el.dataset.edges = String(c.edges().length);
    replace(
      info,
      h('p', null, `节点 ${fmt.int(c.nodes().length)} 个 · 关系 ${fmt.int(c.edges().length)} 条 · 已展开 ${expanded.size} 个`),
      truncated ? h('p', { class: 'warn' }, `有节点的关系过多，每次展开最多显示 ${maxNodesPerCall} 个节点。`) : null,
    );
    const present = new Map<string, string>();
    for (const n of nodes.values()) {
      const key = n.label === 'Organization' ? `${n.label}:${n.kind}` : n.label;
      if (!present.has(key)) present.set(key, n.label === 'Organization' ? nodeLabel(n.label, n.kind) : labelNames[n.label] ?? n.label);
    }
    replace(
      legend,
      [...present].map(([key, text]) => {
        const [lab, kind] = key.split(':');
        return h('li', null, h('span', { class: 'swatch', style: `background:${colour({ id: '', name: '', label: lab, kind: kind ?? null })}` }), text);
      }),
    );
  };

  const showDetails = (id: string) => {
    const n = nodes.get(id);
    if (!n) return;
    const own = [...ties.values()].filter((t) => t.from === id || t.to === id);
    replace(
      details,
      h('h3', null, n.name),
      h('p', { class: 'sub' }, `${nodeLabel(n.label, n.kind)} · ${n.id}`),
      expanded.has(id)
        ? h('p', { class: 'meta' }, '已展开')
        : h('button', { type: 'button', class: 'secondary', onclick: () => void expand(id) }, '展开它的关系'),
      h(
        'ul',
        { class: 'ties' },
        own.slice(0, 30).map((t) => {
          const other = nodes.get(t.from === id ? t.to : t.from);
          const detail = tieDetail(t);
          return h('li', null, h('b', null, t.typeLabel), ' ', other?.name ?? '', detail ? h('span', { class: 'sub' }, `（${detail}）`) : null);
        }),
      ),
      own.length > 30 ? h('p', { class: 'meta' }, `另有 ${own.length - 30} 条关系。`) : null,
    );
  };

  /** Reads the ego network of id and merges it into the view. */
  const expand = async (id: string) => {
    if (nodes.size >= maxGraphNodes) {
      replace(info, h('p', { class: 'warn' }, `图中已有 ${fmt.int(nodes.size)} 个节点，不再展开；请清空后从一个组织重新开始。`));
      return;
    }
    graph.loading(nodes.size === 0 ? '加载中…' : '正在展开…');
    const signal = loads.next();
    try {
      const d = await gql<Ego>(egoQuery, { id, asOf: ctx.asOf, maxNodes: maxNodesPerCall }, signal);
      const ego = d.egoNetwork;
      if (root === null) root = ego.centre.id;
      nodes.set(ego.centre.id, ego.centre);
      for (const { node } of ego.nodes) nodes.set(node.id, node);
      for (const t of ego.ties) ties.set(tieKey(t), t);
      expanded.add(ego.centre.id);
      truncated ||= ego.truncated;
      graph.ready();
      await draw(ego.centre.id);
      cy?.$(':selected').unselect();
      cy?.getElementById(ego.centre.id).select();
      showDetails(ego.centre.id);
      graph.el.dataset.expanded = String(expanded.size);
      if (nodes.size === 1) replace(info, h('p', null, `“${ego.centre.name}”在该日期没有任何共建关系。`));
    } catch (err) {
      if (isAbort(err)) return;
      const first = nodes.size === 0;
      graph.error(err instanceof ApiError ? err : new ApiError(String(err), 'CLIENT'), () => void expand(id), !first);
    }
  };

  /** Forgets the graph drawn, and any request still on its way. */
  const reset = () => {
    loads.next();
    nodes.clear();
    ties.clear();
    expanded.clear();
    truncated = false;
    root = null;
    cy?.elements().remove();
    replace(details);
    replace(info);
    delete graph.el.dataset.nodes;
    delete graph.el.dataset.edges;
    delete graph.el.dataset.expanded;
  };

  const open = (id: string) => {
    reset();
    void expand(id);
  };

  fit.addEventListener('click', () => cy?.fit(undefined, 24));
  clear.addEventListener('click', () => {
    reset();
    graph.empty('请在左侧查找一个组织，查看它的共建关系。');
  });
  ctx.onAsOf(() => {
    if (root) open(root);
  });
  ctx.openNetwork = (id: string, name: string) => {
    input.value = name;
    open(id);
    graph.el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return h('div', { class: 'section-group network', id: 'network-section' }, search.el, graph.el);
}
