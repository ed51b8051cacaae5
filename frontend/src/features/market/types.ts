import type { Count, Price } from "../../shared/money.ts";

/**
 * The market screen's own model, parsed from the API's decimal strings by
 * the adapters next to the queries. Components and the ladder math only see
 * these exact types.
 */

export type Side = "yes" | "no";
export type Action = "buy" | "sell";

/** One price level of one side of a Kalshi book: resting bids to BUY that side. */
export interface BookLevel {
  readonly price: Price;
  readonly size: Count;
}

/**
 * A Kalshi order book: bids only. Kalshi has no asks; a NO bid at q is a
 * YES ask at $1 − q (someone paying q for NO lets you buy YES for 1 − q).
 */
export interface Book {
  readonly yesBids: readonly BookLevel[];
  readonly noBids: readonly BookLevel[];
}

/** One of our own resting orders, as the ladder needs it. */
export interface OwnOrder {
  readonly id: string;
  readonly side: Side;
  readonly action: Action;
  /** The order's price in YES terms (for a NO order: $1 − its NO price). */
  readonly yesPrice: Price;
  readonly remaining: Count;
  /** Sent but not yet confirmed by the server (optimistic). */
  readonly pending?: boolean;
}
