// Number formats of the dashboard.

const intFormat = new Intl.NumberFormat('zh-CN');

/** 14673 -> "14,673". */
export function int(n: number | null | undefined): string {
  return n == null ? '—' : intFormat.format(n);
}

/** 0.4567 -> "45.7%"; null (nothing operating) -> "—". */
export function pct(rate: number | null | undefined, digits = 1): string {
  return rate == null ? '—' : (rate * 100).toFixed(digits) + '%';
}

/** A score with at most two decimals. */
export function score(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
