// What the sections share: reference data read once, the day the figures are for, and the
// ways one section hands work to another.

import { graphql } from './api';
import type { ListFilter } from './sections/isolated';

export interface Area {
  id: string;
  name: string;
  kind: string;
  inDistrict: boolean;
}

export interface Industry {
  id: string;
  name: string;
  code: string;
  leading: boolean;
}

export interface Round {
  round: string;
  date: string;
  evaluated: number;
}

export interface Reference {
  areas: Area[];
  industries: Industry[];
  rounds: Round[];
}

export const referenceQuery = graphql`query Reference {
  areas { id name kind inDistrict }
  industries { id name code leading }
  rounds { round date evaluated }
}`;

type Listener = () => void;

/** The state shared by the sections. */
export class Context {
  private asOfValue: string | null = null;
  private readonly asOfListeners: Listener[] = [];
  private readonly scopeListeners: Listener[] = [];
  private scopeValue: string[] = [];
  private readonly changeListeners: Listener[] = [];
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private seqValue: number | null = null;

  /** Set by the list section: show the isolated-and-uncovered list with a filter. */
  showList: (f: Partial<ListFilter>) => void = () => {};
  /** Set by the network section: open the ties of a node. */
  openNetwork: (id: string, name: string) => void = () => {};

  private shown!: () => void;
  /** Resolves once the headline figures were first read (or failed): the live feed starts from them. */
  readonly firstFigures: Promise<void> = new Promise((resolve) => (this.shown = resolve));

  constructor(readonly ref: Reference) {}

  /** Called by the headline section after its first answer. */
  figuresShown(): void {
    this.shown();
  }

  /** Towns and subdistricts of the district, by name. */
  get towns(): Area[] {
    return this.ref.areas
      .filter((a) => a.inDistrict && (a.kind === 'TOWN' || a.kind === 'SUBDISTRICT'))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** Parks of the district, by name. */
  get parks(): Area[] {
    return this.ref.areas.filter((a) => a.inDistrict && a.kind === 'PARK').sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  /** The district itself, when the data names one. */
  get district(): Area | undefined {
    return this.ref.areas.find((a) => a.inDistrict && a.kind === 'DISTRICT');
  }

  /** The day the figures are for; null for today (the API's default). */
  get asOf(): string | null {
    return this.asOfValue;
  }

  setAsOf(day: string | null): void {
    if (day === this.asOfValue) return;
    this.asOfValue = day;
    this.asOfListeners.forEach((f) => f());
  }

  onAsOf(f: Listener): void {
    this.asOfListeners.push(f);
  }

  /** The sectors the coverage figures count; empty for every organisation. */
  get scope(): string[] {
    return this.scopeValue;
  }

  setScope(sectors: string[]): void {
    this.scopeValue = sectors;
    this.scopeListeners.forEach((f) => f());
  }

  onScope(f: Listener): void {
    this.scopeListeners.push(f);
  }

  /**
   * Says the graph changed (a write of this page, or one the live feed reported): the
   * sections that show today's figures read them again. Calls within 250 ms are one.
   */
  changed(seq?: number): void {
    this.noteSeq(seq);
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.changeListeners.forEach((f) => f()), 250);
  }

  onChange(f: Listener): void {
    this.changeListeners.push(f);
  }

  /** The newest change (its sequence number) the figures shown are known to include. */
  get seq(): number | null {
    return this.seqValue;
  }

  noteSeq(seq: number | null | undefined): void {
    if (seq != null && Number.isFinite(seq) && (this.seqValue === null || seq > this.seqValue)) this.seqValue = seq;
  }

  /**
   * True when an answer computed at a graph version (Provenance.graphVersion) predates a
   * change the page knows of: the feed may tell of a change before the server's snapshots
   * include it, so the section reads again shortly.
   */
  behind(graphVersion: string | null | undefined): boolean {
    const v = Number(graphVersion);
    return graphVersion != null && Number.isFinite(v) && this.seqValue !== null && v < this.seqValue;
  }

  /** The CoverageStatsWhere of the scope. */
  get statsWhere(): Record<string, unknown> | null {
    return this.scopeValue.length > 0 ? { sector: this.scopeValue } : null;
  }
}
