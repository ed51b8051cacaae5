import { describe, expect, it } from "vitest";

import { parseCount, parsePrice } from "../../shared/money.ts";
import {
  applyTicker,
  matchesSearch,
  sortRows,
  toMarketRow,
  withLive,
  type MarketNode,
  type MarketRow,
} from "./marketRows.ts";

function node(ticker: string, patch: Partial<MarketNode> = {}): MarketNode {
  return {
    ticker,
    title: `Title of ${ticker}`,
    subtitle: "",
    status: "active",
    closeTime: "2026-12-31T00:00:00+00:00",
    volume: "100.00",
    volume24h: "10.00",
    openInterest: "50.00",
    lastPrice: "0.5000",
    watched: true,
    stats: { bestYesBid: "0.4900", bestYesAsk: "0.5100", bookLevels: 4 },
    ...patch,
  };
}

describe("market rows", () => {
  it("parses the API's decimal strings exactly", () => {
    const row = toMarketRow(node("A", { lastPrice: null, volume: "1234.56" }));
    expect(row.bid).toBe(parsePrice("0.49"));
    expect(row.last).toBeNull();
    expect(row.volume).toBe(parseCount("1234.56"));
  });

  it("lays live ticker updates over the row, keeping values the update lacks", () => {
    const row = toMarketRow(node("A"));
    let live = applyTicker(new Map(), {
      ticker: "A",
      lastPrice: "0.5300",
      yesBid: "0.5200",
      yesAsk: null,
      volume: "101.00",
      openInterest: null,
      at: "2026-11-22T00:00:01Z",
    });
    const updated = withLive(row, live.get("A"));
    expect(updated.last).toBe(parsePrice("0.53"));
    expect(updated.bid).toBe(parsePrice("0.52"));
    expect(updated.ask).toBe(parsePrice("0.51"));
    expect(updated.volume).toBe(parseCount("101"));
    expect(updated.liveAt).toBe("2026-11-22T00:00:01Z");
    // A newer update for the same market replaces the older one.
    live = applyTicker(live, { ticker: "A", lastPrice: "0.5400", at: "2026-11-22T00:00:02Z" });
    expect(live.size).toBe(1);
    expect(withLive(row, live.get("A")).last).toBe(parsePrice("0.54"));
  });

  it("sorts by a column, empty values last, ties in server order", () => {
    const rows: MarketRow[] = [
      toMarketRow(node("A", { lastPrice: "0.20" })),
      toMarketRow(node("B", { lastPrice: null })),
      toMarketRow(node("C", { lastPrice: "0.70" })),
      toMarketRow(node("D", { lastPrice: "0.20" })),
    ];
    expect(sortRows(rows, "last", "desc").map((r) => r.ticker)).toEqual(["C", "A", "D", "B"]);
    expect(sortRows(rows, "last", "asc").map((r) => r.ticker)).toEqual(["A", "D", "C", "B"]);
    expect(sortRows(rows, "ticker", "desc").map((r) => r.ticker)).toEqual(["D", "C", "B", "A"]);
  });

  it("searches ticker, title and subtitle", () => {
    const row = toMarketRow(node("KXBTC-1", { title: "Bitcoin above 100k", subtitle: "Yes: above" }));
    expect(matchesSearch(row, "btc")).toBe(true);
    expect(matchesSearch(row, "bitcoin")).toBe(true);
    expect(matchesSearch(row, "ABOVE")).toBe(true);
    expect(matchesSearch(row, "eth")).toBe(false);
    expect(matchesSearch(row, "  ")).toBe(true);
  });
});
