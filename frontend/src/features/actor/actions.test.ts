import { describe, expect, it } from "vitest";

import { actionKey, actionName, countByMarket, formatMicros, mergeDecisions, type ActionEntry } from "./actions.ts";

const entry = (id: number, ticker: string, outcome: string, latency = 100): ActionEntry => ({
  id,
  ticker,
  action: outcome === "hold" ? 0 : 1,
  decisionLatencyUs: latency,
  stepLatencyUs: latency * 3,
  outcome,
});

describe("actor actions", () => {
  it("names the five actions", () => {
    expect([0, 1, 2, 3, 4, 9].map(actionName)).toEqual(["HOLD", "BUY YES", "SELL YES", "BUY NO", "SELL NO", "action 9"]);
  });

  it("counts decisions per market, busiest first", () => {
    const counters = countByMarket([
      entry(1, "B", "hold", 100),
      entry(2, "A", "placed", 200),
      entry(3, "B", "filled", 300),
      entry(4, "B", "rejected", 200),
      entry(5, "A", "error", 400),
    ]);
    expect(counters.map((c) => c.ticker)).toEqual(["B", "A"]);
    expect(counters[0]).toMatchObject({ decisions: 3, holds: 1, placed: 1, filled: 1, rejected: 1, errors: 0, maxStepUs: 900 });
    expect(counters[0]?.meanDecisionUs).toBeCloseTo(200);
    expect(counters[1]).toMatchObject({ decisions: 2, placed: 1, errors: 1 });
  });

  it("formats latencies", () => {
    expect(formatMicros(850)).toBe("850 µs");
    expect(formatMicros(12_345)).toBe("12.3 ms");
  });

  it("puts live decisions before the log, without repeating one the log holds", () => {
    interface Row { id: number | null; actedAt: string; ticker: string; bookSeq: number }
    const log: Row[] = [
      { id: 2, actedAt: "t2", ticker: "A", bookSeq: 20 },
      { id: 1, actedAt: "t1", ticker: "A", bookSeq: 10 },
    ];
    const live: Row[] = [
      { id: null, actedAt: "t3", ticker: "B", bookSeq: 5 },
      { id: null, actedAt: "t2", ticker: "A", bookSeq: 20 },
    ];
    expect(mergeDecisions(live, log, 10).map(actionKey)).toEqual(["live/t3/B/5", "log/2", "log/1"]);
    expect(mergeDecisions(live, log, 2)).toHaveLength(2);
  });
});
