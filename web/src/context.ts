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

  /** Set by the list section: show the isolated-and-uncovered list with a filter. */
  showList: (f: Partial<ListFilter>) => void = () => {};
  /** Set by the network section: open the ties of a node. */
  openNetwork: (id: string, name: string) => void = () => {};

  constructor(readonly ref: Reference) {}

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

  /** The CoverageStatsWhere of the scope. */
  get statsWhere(): Record<string, unknown> | null {
    return this.scopeValue.length > 0 ? { sector: this.scopeValue } : null;
  }
}
