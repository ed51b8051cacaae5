/** The policy's five actions, as the API numbers them. */
export const ACTION_NAMES: Readonly<Record<number, string>> = {
  0: "HOLD",
  1: "BUY YES",
  2: "SELL YES",
  3: "BUY NO",
  4: "SELL NO",
};

export function actionName(action: number): string {
  return ACTION_NAMES[action] ?? `action ${String(action)}`;
}

export interface ActionEntry {
  /** Null on live events (they are not read back from the log). */
  readonly id?: number | null;
  readonly ticker: string;
  readonly action: number;
  readonly decisionLatencyUs: number;
  readonly stepLatencyUs: number;
  /** hold | no_order | placed | filled | rejected | error */
  readonly outcome: string;
}

export interface MarketCounters {
  readonly ticker: string;
  readonly decisions: number;
  readonly holds: number;
  readonly placed: number;
  readonly filled: number;
  readonly rejected: number;
  readonly errors: number;
  /** Mean decision latency in microseconds (display only). */
  readonly meanDecisionUs: number;
  readonly maxStepUs: number;
}

/** Per-market counters over the decisions on screen, busiest market first. */
export function countByMarket(entries: readonly ActionEntry[]): MarketCounters[] {
  const by = new Map<string, { c: Omit<MarketCounters, "meanDecisionUs">; latency: number }>();
  for (const e of entries) {
    const current = by.get(e.ticker) ?? {
      c: { ticker: e.ticker, decisions: 0, holds: 0, placed: 0, filled: 0, rejected: 0, errors: 0, maxStepUs: 0 },
      latency: 0,
    };
    const c = current.c;
    by.set(e.ticker, {
      c: {
        ...c,
        decisions: c.decisions + 1,
        holds: c.holds + (e.outcome === "hold" ? 1 : 0),
        // A filled order was placed first.
        placed: c.placed + (e.outcome === "placed" || e.outcome === "filled" ? 1 : 0),
        filled: c.filled + (e.outcome === "filled" ? 1 : 0),
        rejected: c.rejected + (e.outcome === "rejected" ? 1 : 0),
        errors: c.errors + (e.outcome === "error" ? 1 : 0),
        maxStepUs: Math.max(c.maxStepUs, e.stepLatencyUs),
      },
      latency: current.latency + e.decisionLatencyUs,
    });
  }
  return [...by.values()]
    .map(({ c, latency }) => ({ ...c, meanDecisionUs: c.decisions === 0 ? 0 : latency / c.decisions }))
    .sort((a, b) => b.decisions - a.decisions || a.ticker.localeCompare(b.ticker));
}

/** "850 µs", "12.3 ms". */
export function formatMicros(us: number): string {
  if (us < 1000) return `${String(Math.round(us))} µs`;
  return `${(us / 1000).toFixed(us < 100_000 ? 1 : 0)} ms`;
}

/** A stable React key: the log id, else what identifies one decision. */
export function actionKey(e: { id?: number | null; actedAt: string; ticker: string; bookSeq?: number | null }): string {
  return e.id == null ? `live/${e.actedAt}/${e.ticker}/${String(e.bookSeq ?? "")}` : `log/${String(e.id)}`;
}

/**
 * Live decisions (newest first) in front of the log read at page load,
 * without the ones the log already holds (same market, time and book
 * sequence), at most `limit`.
 */
export function mergeDecisions<T extends { id?: number | null; actedAt: string; ticker: string; bookSeq?: number | null }>(
  live: readonly T[],
  log: readonly T[],
  limit: number,
): T[] {
  const inLog = new Set(log.map((e) => `${e.actedAt}/${e.ticker}/${String(e.bookSeq ?? "")}`));
  const fresh = live.filter((e) => !inLog.has(`${e.actedAt}/${e.ticker}/${String(e.bookSeq ?? "")}`));
  return [...fresh, ...log].slice(0, limit);
}
