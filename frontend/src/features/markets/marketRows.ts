import {
  compareBig,
  parseCount,
  parsePriceOrNull,
  type Count,
  type Price,
} from "../../shared/money.ts";

/** The API's market node, as the Markets query selects it. */
export interface MarketNode {
  readonly ticker: string;
  readonly title: string;
  readonly subtitle: string;
  readonly status: string;
  readonly closeTime?: string | null;
  readonly volume: string;
  readonly volume24h: string;
  readonly openInterest: string;
  readonly lastPrice?: string | null;
  readonly watched: boolean;
  readonly stats: {
    readonly bestYesBid?: string | null;
    readonly bestYesAsk?: string | null;
    readonly bookLevels: number;
  };
}

/** A ticker-channel update (production), as the subscription delivers it. */
export interface TickerUpdate {
  readonly ticker: string;
  readonly lastPrice?: string | null;
  readonly yesBid?: string | null;
  readonly yesAsk?: string | null;
  readonly volume?: string | null;
  readonly openInterest?: string | null;
  readonly at: string;
}

/** One table row in exact units. */
export interface MarketRow {
  readonly ticker: string;
  readonly title: string;
  readonly subtitle: string;
  readonly status: string;
  readonly closeTime: string | null;
  readonly watched: boolean;
  readonly bid: Price | null;
  readonly ask: Price | null;
  readonly last: Price | null;
  readonly volume: Count;
  readonly volume24h: Count;
  readonly openInterest: Count;
  /** When the last live update for this row arrived (ISO), else null. */
  readonly liveAt: string | null;
}

export function toMarketRow(node: MarketNode): MarketRow {
  return {
    ticker: node.ticker,
    title: node.title,
    subtitle: node.subtitle,
    status: node.status,
    closeTime: node.closeTime ?? null,
    watched: node.watched,
    bid: parsePriceOrNull(node.stats.bestYesBid),
    ask: parsePriceOrNull(node.stats.bestYesAsk),
    last: parsePriceOrNull(node.lastPrice),
    volume: parseCount(node.volume),
    volume24h: parseCount(node.volume24h),
    openInterest: parseCount(node.openInterest),
    liveAt: null,
  };
}

/** Latest live update per ticker (a slow render never loses the newest). */
export type LiveTickers = ReadonlyMap<string, TickerUpdate>;

export function applyTicker(live: LiveTickers, update: TickerUpdate): LiveTickers {
  const next = new Map(live);
  next.set(update.ticker, update);
  return next;
}

/**
 * A row with its live update laid over: the ticker channel's values win when
 * present; a null in the update means "not sent", not "gone".
 */
export function withLive(row: MarketRow, update: TickerUpdate | undefined): MarketRow {
  if (update === undefined) return row;
  return {
    ...row,
    bid: parsePriceOrNull(update.yesBid) ?? row.bid,
    ask: parsePriceOrNull(update.yesAsk) ?? row.ask,
    last: parsePriceOrNull(update.lastPrice) ?? row.last,
    volume: update.volume == null ? row.volume : parseCount(update.volume),
    openInterest: update.openInterest == null ? row.openInterest : parseCount(update.openInterest),
    liveAt: update.at,
  };
}

export type SortKey = "ticker" | "last" | "bid" | "ask" | "volume" | "volume24h" | "openInterest" | "closeTime";
export type SortDirection = "asc" | "desc";

const NULL_LAST = (a: bigint | null, b: bigint | null, dir: number): number => {
  if (a === null && b === null) return 0;
  if (a === null) return 1; // empty values always sink, whatever the direction
  if (b === null) return -1;
  return dir * compareBig(a, b);
};

/** Stable sort by one column; ties keep the server's (activity) order. */
export function sortRows(rows: readonly MarketRow[], key: SortKey, direction: SortDirection): MarketRow[] {
  const dir = direction === "asc" ? 1 : -1;
  const indexed = rows.map((row, index) => ({ row, index }));
  indexed.sort((x, y) => {
    const a = x.row;
    const b = y.row;
    let order: number;
    switch (key) {
      case "ticker":
        order = dir * a.ticker.localeCompare(b.ticker);
        break;
      case "closeTime":
        order =
          a.closeTime === null || b.closeTime === null
            ? NULL_LAST(a.closeTime === null ? null : 0n, b.closeTime === null ? null : 0n, dir)
            : dir * a.closeTime.localeCompare(b.closeTime);
        break;
      default:
        order = NULL_LAST(a[key], b[key], dir);
    }
    return order !== 0 ? order : x.index - y.index;
  });
  return indexed.map((x) => x.row);
}

/** Client-side narrowing of the loaded rows while the server search catches up. */
export function matchesSearch(row: MarketRow, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  return [row.ticker, row.title, row.subtitle].some((text) => text.toLowerCase().includes(needle));
}
