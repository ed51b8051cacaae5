import {
  parseCount,
  parseMoney,
  parsePrice,
  parsePriceOrNull,
  type Count,
  type Money,
  type Price,
} from "../../shared/money.ts";
import type { OwnOrder } from "../market/types.ts";

/** The API's Order (OrderFields fragment). */
export interface OrderWire {
  readonly clientOrderId: string;
  readonly orderId?: string | null;
  readonly ticker: string;
  /** bid = buy YES, ask = sell YES (buy NO). */
  readonly side: string;
  readonly yesPrice: string;
  readonly count: string;
  readonly filled: string;
  readonly remaining: string;
  readonly status: string;
  readonly source: string;
  readonly rejectionRule?: string | null;
  readonly rejectionReason?: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly realismGap?: {
    readonly productionBid?: string | null;
    readonly productionAsk?: string | null;
    readonly shadowCount: string;
    readonly actualCount: string;
    readonly gap?: string | null;
    readonly adverseGap?: string | null;
  } | null;
}

export interface OrderRow {
  readonly clientOrderId: string;
  readonly orderId: string | null;
  readonly ticker: string;
  readonly side: "bid" | "ask";
  readonly yesPrice: Price;
  readonly count: Count;
  readonly filled: Count;
  readonly remaining: Count;
  readonly status: string;
  readonly source: string;
  readonly rejection: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly gap: {
    readonly productionBid: Price | null;
    readonly productionAsk: Price | null;
    readonly shadowCount: Count;
    readonly actualCount: Count;
    readonly adverseGap: Money | null;
  } | null;
  readonly pending: boolean;
}

/** Statuses in which an order can still fill and so can be canceled. */
const OPEN = new Set(["pending", "resting", "partially_filled"]);

export function isOpen(order: Pick<OrderRow, "status">): boolean {
  return OPEN.has(order.status);
}

export function toOrderRow(wire: OrderWire): OrderRow {
  const gap = wire.realismGap;
  const rejection = [wire.rejectionRule, wire.rejectionReason].filter((x): x is string => x != null && x !== "");
  return {
    clientOrderId: wire.clientOrderId,
    orderId: wire.orderId ?? null,
    ticker: wire.ticker,
    side: wire.side === "ask" ? "ask" : "bid",
    yesPrice: parsePrice(wire.yesPrice),
    count: parseCount(wire.count),
    filled: parseCount(wire.filled),
    remaining: parseCount(wire.remaining),
    status: wire.status,
    source: wire.source,
    rejection: rejection.length === 0 ? null : rejection.join(": "),
    createdAt: wire.createdAt,
    updatedAt: wire.updatedAt,
    gap:
      gap == null
        ? null
        : {
            productionBid: parsePriceOrNull(gap.productionBid),
            productionAsk: parsePriceOrNull(gap.productionAsk),
            shadowCount: parseCount(gap.shadowCount),
            actualCount: parseCount(gap.actualCount),
            adverseGap: gap.adverseGap == null ? null : parseMoney(gap.adverseGap),
          },
    pending: false,
  };
}

/** A resting order as the ladder marks it (bid = buys YES exposure at yesPrice). */
export function toOwnOrder(order: OrderRow): OwnOrder {
  return {
    id: order.clientOrderId,
    side: "yes",
    action: order.side === "bid" ? "buy" : "sell",
    yesPrice: order.yesPrice,
    remaining: order.remaining,
    pending: order.pending,
  };
}

/** "Buy YES", "Sell YES (buy NO)": the side in words. */
export function describeSide(side: OrderRow["side"]): string {
  return side === "bid" ? "Buy YES" : "Sell YES / buy NO";
}

/**
 * Confirmed orders with optimistic ones in front. A pending order disappears
 * as soon as the server's list holds its client order id, or when it fails
 * (the caller removes it): that is the rollback.
 */
export function mergePending(confirmed: readonly OrderRow[], pending: readonly OrderRow[]): OrderRow[] {
  const known = new Set(confirmed.map((o) => o.clientOrderId));
  return [...pending.filter((p) => !known.has(p.clientOrderId)), ...confirmed];
}
