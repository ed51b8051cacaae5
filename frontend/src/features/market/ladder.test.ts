import { describe, expect, it } from "vitest";

import { formatCount, formatPriceCents, parseCount, parsePrice } from "../../shared/money.ts";
import { buildLadder, depthSeries, ownOrderPlacement, visibleRows, type Ladder } from "./ladder.ts";
import type { Book, OwnOrder } from "./types.ts";

const level = (price: string, size: string) => ({ price: parsePrice(price), size: parseCount(size) });

// YES bids 0.40 x 10, 0.42 x 5; NO bids 0.55 x 7, 0.50 x 3.
// => YES asks at 1 − 0.55 = 0.45 (7) and 1 − 0.50 = 0.50 (3).
const BOOK: Book = {
  yesBids: [level("0.4000", "10.00"), level("0.4200", "5.00")],
  noBids: [level("0.5500", "7.00"), level("0.5000", "3.00")],
};

function table(ladder: Ladder) {
  return ladder.rows.map((r) => [
    formatPriceCents(r.price),
    r.bid === null ? "" : formatCount(r.bid),
    r.ask === null ? "" : formatCount(r.ask),
  ]);
}

describe("buildLadder", () => {
  it("derives YES asks from NO bids: ask = $1 − NO bid", () => {
    const ladder = buildLadder(BOOK, "yes");
    expect(table(ladder)).toEqual([
      ["50¢", "", "3"],
      ["45¢", "", "7"],
      ["42¢", "5", ""],
      ["40¢", "10", ""],
    ]);
    expect(ladder.bestBid).toBe(parsePrice("0.42"));
    expect(ladder.bestAsk).toBe(parsePrice("0.45"));
    expect(ladder.spread).toBe(parsePrice("0.03"));
    expect(ladder.crossed).toBe(false);
  });

  it("mirrors for the NO ladder: NO ask = $1 − YES bid", () => {
    const ladder = buildLadder(BOOK, "no");
    expect(table(ladder)).toEqual([
      ["60¢", "", "10"],
      ["58¢", "", "5"],
      ["55¢", "7", ""],
      ["50¢", "3", ""],
    ]);
    expect(ladder.bestBid).toBe(parsePrice("0.55"));
    expect(ladder.bestAsk).toBe(parsePrice("0.58"));
  });

  it("keeps sub-cent prices exact", () => {
    const ladder = buildLadder({ yesBids: [], noBids: [level("0.9350", "1.50")] }, "yes");
    expect(ladder.rows[0]?.price).toBe(parsePrice("0.065"));
    expect(ladder.rows[0]?.ask).toBe(parseCount("1.5"));
    expect(ladder.bestBid).toBeNull();
    expect(ladder.spread).toBeNull();
  });

  it("merges duplicate levels and drops empty ones", () => {
    const ladder = buildLadder(
      { yesBids: [level("0.40", "1.25"), level("0.40", "2.00"), level("0.41", "0")], noBids: [] },
      "yes",
    );
    expect(table(ladder)).toEqual([["40¢", "3.25", ""]]);
  });

  it("flags a crossed book", () => {
    const ladder = buildLadder({ yesBids: [level("0.60", "1")], noBids: [level("0.45", "1")] }, "yes");
    expect(ladder.bestAsk).toBe(parsePrice("0.55"));
    expect(ladder.crossed).toBe(true);
  });

  it("handles an empty book", () => {
    const ladder = buildLadder({ yesBids: [], noBids: [] }, "yes");
    expect(ladder.rows).toEqual([]);
    expect(ladder.bestBid).toBeNull();
    expect(ladder.bestAsk).toBeNull();
  });
});

describe("own orders on the ladder", () => {
  const order = (o: Partial<OwnOrder> & Pick<OwnOrder, "side" | "action" | "yesPrice">): OwnOrder => ({
    id: "o",
    remaining: parseCount("2"),
    ...o,
  });

  it("places each side/action where it rests", () => {
    const p = parsePrice("0.42");
    expect(ownOrderPlacement({ side: "yes", action: "buy", yesPrice: p }, "yes")).toEqual({ where: "bid", price: p });
    expect(ownOrderPlacement({ side: "no", action: "sell", yesPrice: p }, "yes")).toEqual({ where: "bid", price: p });
    expect(ownOrderPlacement({ side: "no", action: "buy", yesPrice: p }, "yes")).toEqual({ where: "ask", price: p });
    expect(ownOrderPlacement({ side: "yes", action: "sell", yesPrice: p }, "yes")).toEqual({ where: "ask", price: p });
    // In the NO ladder a YES bid at 42¢ is a NO ask at 58¢.
    expect(ownOrderPlacement({ side: "yes", action: "buy", yesPrice: p }, "no")).toEqual({
      where: "ask",
      price: parsePrice("0.58"),
    });
  });

  it("marks own size on existing and new rows, and pending ones", () => {
    const own = [
      order({ id: "a", side: "yes", action: "buy", yesPrice: parsePrice("0.42") }),
      order({ id: "b", side: "no", action: "buy", yesPrice: parsePrice("0.47"), pending: true }),
      order({ id: "c", side: "yes", action: "buy", yesPrice: parsePrice("0.30"), remaining: parseCount("0") }),
    ];
    const ladder = buildLadder(BOOK, "yes", own);
    const at = (cents: string) => ladder.rows.find((r) => r.price === parsePrice(cents));
    expect(at("0.42")?.ownBid).toBe(parseCount("2"));
    expect(at("0.42")?.ownPending).toBe(false);
    expect(at("0.47")?.ownAsk).toBe(parseCount("2"));
    expect(at("0.47")?.ask).toBeNull();
    expect(at("0.47")?.ownPending).toBe(true);
    // A fully filled order is not resting.
    expect(at("0.30")).toBeUndefined();
  });
});

describe("visibleRows and depth", () => {
  it("keeps the inside levels and rows with own orders", () => {
    const book: Book = {
      yesBids: ["0.10", "0.20", "0.30", "0.40"].map((p) => level(p, "1")),
      noBids: ["0.50", "0.40", "0.30"].map((p) => level(p, "1")),
    };
    const own: OwnOrder[] = [
      { id: "x", side: "yes", action: "buy", yesPrice: parsePrice("0.05"), remaining: parseCount("1") },
    ];
    const rows = visibleRows(buildLadder(book, "yes", own), 2);
    expect(rows.map((r) => formatPriceCents(r.price))).toEqual(["60¢", "50¢", "40¢", "30¢", "5¢"]);
  });

  it("accumulates depth outward from the inside market", () => {
    const { bids, asks } = depthSeries(buildLadder(BOOK, "yes"));
    expect(bids.map((p) => [formatPriceCents(p.price), formatCount(p.cumulative)])).toEqual([
      ["42¢", "5"],
      ["40¢", "15"],
    ]);
    expect(asks.map((p) => [formatPriceCents(p.price), formatCount(p.cumulative)])).toEqual([
      ["45¢", "7"],
      ["50¢", "10"],
    ]);
  });
});
