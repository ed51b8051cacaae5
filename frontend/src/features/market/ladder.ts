import { compareBig, complement, sumCount, type Count, type Price } from "../../shared/money.ts";
import type { Book, BookLevel, OwnOrder, Side } from "./types.ts";

/** One row of the ladder, in the chosen outcome's prices. */
export interface LadderRow {
  readonly price: Price;
  /** Resting size to buy at this price (bids of this outcome). */
  readonly bid: Count | null;
  /** Resting size to sell at this price (derived from the other outcome's bids). */
  readonly ask: Count | null;
  /** How much of `bid` / `ask` is ours (0 when none). */
  readonly ownBid: Count;
  readonly ownAsk: Count;
  /** Our orders here are not yet confirmed by the server. */
  readonly ownPending: boolean;
}

export interface Ladder {
  readonly outcome: Side;
  /** Highest price first, like every trading ladder. */
  readonly rows: readonly LadderRow[];
  readonly bestBid: Price | null;
  readonly bestAsk: Price | null;
  /** bestAsk − bestBid; null unless both sides exist. */
  readonly spread: Price | null;
  /** Best bid ≥ best ask: cannot happen on one exchange; shown as a warning. */
  readonly crossed: boolean;
}

/**
 * Which side of the `outcome` ladder an own order rests on.
 *
 * Buying YES at p and selling NO at 1 − p are the same position change, so
 * both rest as a YES bid at p; buying NO / selling YES rest as a YES ask.
 * In the NO ladder everything mirrors.
 */
export function ownOrderPlacement(
  order: Pick<OwnOrder, "side" | "action" | "yesPrice">,
  outcome: Side,
): { readonly where: "bid" | "ask"; readonly price: Price } {
  const buysYes = (order.side === "yes") === (order.action === "buy");
  if (outcome === "yes") {
    return { where: buysYes ? "bid" : "ask", price: order.yesPrice };
  }
  return { where: buysYes ? "ask" : "bid", price: complement(order.yesPrice) };
}

/** Same price levels merged (the API should not send duplicates, but sums are safe). */
function bySize(levels: readonly BookLevel[], map: (p: Price) => Price): Map<bigint, Count> {
  const out = new Map<bigint, Count>();
  for (const level of levels) {
    if (level.size <= 0n) continue;
    const price = map(level.price);
    out.set(price, sumCount([out.get(price) ?? (0n as Count), level.size]));
  }
  return out;
}

const identity = (p: Price): Price => p;

/**
 * Builds the ladder of one outcome: its own bids as bids, and the other
 * outcome's bids, complemented, as asks (YES ask = $1 − NO bid).
 */
export function buildLadder(book: Book, outcome: Side, own: readonly OwnOrder[] = []): Ladder {
  const [bidLevels, askLevels] =
    outcome === "yes" ? [book.yesBids, book.noBids] : [book.noBids, book.yesBids];
  const bids = bySize(bidLevels, identity);
  const asks = bySize(askLevels, complement);

  const ownBids = new Map<bigint, Count>();
  const ownAsks = new Map<bigint, Count>();
  const pendingAt = new Set<bigint>();
  for (const order of own) {
    if (order.remaining <= 0n) continue;
    const { where, price } = ownOrderPlacement(order, outcome);
    const target = where === "bid" ? ownBids : ownAsks;
    target.set(price, sumCount([target.get(price) ?? (0n as Count), order.remaining]));
    if (order.pending === true) pendingAt.add(price);
  }

  const prices = new Set<bigint>([...bids.keys(), ...asks.keys(), ...ownBids.keys(), ...ownAsks.keys()]);
  const rows = [...prices]
    .sort((a, b) => compareBig(b, a))
    .map(
      (price): LadderRow => ({
        price: price as Price,
        bid: bids.get(price) ?? null,
        ask: asks.get(price) ?? null,
        ownBid: ownBids.get(price) ?? (0n as Count),
        ownAsk: ownAsks.get(price) ?? (0n as Count),
        ownPending: pendingAt.has(price),
      }),
    );

  const bestBid = maxKey(bids);
  const bestAsk = minKey(asks);
  const spread = bestBid !== null && bestAsk !== null ? ((bestAsk - bestBid) as Price) : null;
  return {
    outcome,
    rows,
    bestBid,
    bestAsk,
    spread,
    crossed: spread !== null && spread <= 0n,
  };
}

function maxKey(map: Map<bigint, Count>): Price | null {
  let best: bigint | null = null;
  for (const key of map.keys()) if (best === null || key > best) best = key;
  return best as Price | null;
}

function minKey(map: Map<bigint, Count>): Price | null {
  let best: bigint | null = null;
  for (const key of map.keys()) if (best === null || key < best) best = key;
  return best as Price | null;
}

/**
 * Rows within `depth` levels of the inside market on each side (plus any row
 * holding one of our orders), so a deep book does not push the spread off screen.
 */
export function visibleRows(ladder: Ladder, depth: number): readonly LadderRow[] {
  const bidRows = ladder.rows.filter((r) => r.bid !== null);
  const askRows = ladder.rows.filter((r) => r.ask !== null);
  const keep = new Set<bigint>([
    ...bidRows.slice(0, depth).map((r) => r.price),
    ...askRows.slice(-depth).map((r) => r.price),
  ]);
  return ladder.rows.filter((r) => keep.has(r.price) || r.ownBid > 0n || r.ownAsk > 0n);
}

export interface DepthPoint {
  readonly price: Price;
  /** Size available at this price or better. */
  readonly cumulative: Count;
}

/** Cumulative depth: bids from the best (highest) down, asks from the best (lowest) up. */
export function depthSeries(ladder: Ladder): {
  readonly bids: readonly DepthPoint[];
  readonly asks: readonly DepthPoint[];
} {
  const bids: DepthPoint[] = [];
  let total = 0n;
  for (const row of ladder.rows) {
    if (row.bid === null) continue;
    total += row.bid;
    bids.push({ price: row.price, cumulative: total as Count });
  }
  const asks: DepthPoint[] = [];
  total = 0n;
  for (const row of [...ladder.rows].reverse()) {
    if (row.ask === null) continue;
    total += row.ask;
    asks.push({ price: row.price, cumulative: total as Count });
  }
  return { bids, asks };
}
