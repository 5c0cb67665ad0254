// Chinese labels of the API's enum values, read once from `enumLabels`.

import { gql, graphql } from './api';

const labelsQuery = graphql`query EnumLabels { enumLabels { enum value label } }`;

const byEnum = new Map<string, Map<string, string>>();

/** Loads every enum label; the panels label values through label() afterwards. */
export async function loadLabels(): Promise<void> {
  const data = await gql<{ enumLabels: { enum: string; value: string; label: string }[] }>(labelsQuery);
  byEnum.clear();
  for (const { enum: name, value, label } of data.enumLabels) {
    let m = byEnum.get(name);
    if (!m) byEnum.set(name, (m = new Map()));
    m.set(value, label);
  }
}

/** The Chinese label of an enum value; the value itself when the API has none. */
export function label(enumName: string, value: string | null | undefined): string {
  if (value == null) return '—';
  return byEnum.get(enumName)?.get(value) ?? value;
}

/** [value, label] pairs of an enum, in the given order, else in the API's order. */
export function options(enumName: string, order?: string[]): [string, string][] {
  const m = byEnum.get(enumName);
  const values = order ?? (m ? [...m.keys()] : []);
  return values.map((v) => [v, label(enumName, v)]);
}

/** Enum orders that carry meaning (the API lists labels alphabetically). */
export const order = {
  Tier: ['GOLD', 'SILVER', 'BRONZE', 'WEAK'],
  SizeBand: ['MICRO', 'SMALL', 'MEDIUM', 'LARGE'],
  CoverageStatus: ['OWN', 'JOINT', 'WORK', 'UNCOVERED'],
  OrgKind: ['ENTERPRISE', 'SOCIAL_ORG', 'HOSPITAL', 'SCHOOL', 'COMMUNITY', 'DEPARTMENT', 'MASS_ORG'],
};

/** The label of a value that may belong to any of several enums (a tie's role or mode). */
export function labelOf(value: string, ...enumNames: string[]): string {
  for (const e of enumNames) {
    const l = byEnum.get(e)?.get(value);
    if (l) return l;
  }
  return value;
}
