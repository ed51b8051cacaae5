import { parseMoney, type Money } from "../../shared/money.ts";

export interface EquityPoint {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly value: Money;
}

/**
 * The equity curve: history (newest first, as the API sends it) and live
 * snapshots, oldest first, one point per instant (the later report wins).
 */
export function equityCurve(
  history: readonly { readonly at: string; readonly value: string }[],
  live: readonly { readonly at: string; readonly value: string }[],
): EquityPoint[] {
  const byTime = new Map<number, Money>();
  for (const p of [...history].reverse().concat(live)) {
    const at = Date.parse(p.at);
    if (!Number.isNaN(at)) byTime.set(at, parseMoney(p.value));
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([at, value]) => ({ at, value }));
}

/** Change from the first to the last point (exact). */
export function equityChange(points: readonly EquityPoint[]): Money | null {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) return null;
  return (last.value - first.value) as Money;
}
