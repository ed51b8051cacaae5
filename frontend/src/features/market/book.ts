import { parseCount, parsePrice, parsePriceOrNull, type Price } from "../../shared/money.ts";
import type { Book } from "./types.ts";

/** The API's book fields (BookFields fragment), decimal strings. */
export interface BookWire {
  readonly environment: string;
  readonly ready: boolean;
  readonly yesBids: readonly { readonly price: string; readonly size: string }[];
  readonly noBids: readonly { readonly price: string; readonly size: string }[];
}

export function toBook(wire: BookWire): Book {
  const levels = (list: BookWire["yesBids"]) =>
    list.map((l) => ({ price: parsePrice(l.price), size: parseCount(l.size) }));
  return { yesBids: levels(wire.yesBids), noBids: levels(wire.noBids) };
}

export interface TradeWire {
  readonly tradeId: string;
  readonly createdTime?: string | null;
  readonly count: string;
  readonly yesPrice: string;
  readonly takerSide: string;
}

export interface PricePoint {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly price: Price;
}

/** Trades (newest first, as the API sends them) and live last prices, oldest first, deduplicated. */
export function pricePoints(
  trades: readonly TradeWire[],
  live: readonly { readonly at: string; readonly lastPrice?: string | null }[] = [],
): PricePoint[] {
  const points: PricePoint[] = [];
  for (const t of trades) {
    if (t.createdTime == null) continue;
    const at = Date.parse(t.createdTime);
    if (!Number.isNaN(at)) points.push({ at, price: parsePrice(t.yesPrice) });
  }
  for (const u of live) {
    const price = parsePriceOrNull(u.lastPrice);
    const at = Date.parse(u.at);
    if (price !== null && !Number.isNaN(at)) points.push({ at, price });
  }
  points.sort((a, b) => a.at - b.at);
  return points.filter((p, i) => {
    const previous = points[i - 1];
    return previous?.at !== p.at || previous.price !== p.price;
  });
}
