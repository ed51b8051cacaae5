import {
  FixedPointError,
  formatPrice,
  ONE_CONTRACT,
  ONE_DOLLAR,
  parseScaled,
  COUNT_DECIMALS,
  PRICE_DECIMALS,
  type Count,
  type Price,
} from "../../shared/money.ts";
import { isOnGrid, neighbours, type TickGrid } from "../../shared/tickGrid.ts";
import type { Action, Side } from "./types.ts";

/** What the operator typed, before validation. */
export interface OrderDraft {
  readonly side: Side;
  readonly action: Action;
  /** Dollars, in the chosen side's terms ("0.56" = 56¢ per contract). */
  readonly price: string;
  /** Contracts; fractional contracts allowed to 0.01. */
  readonly count: string;
}

export interface ValidOrder {
  readonly side: Side;
  readonly action: Action;
  readonly price: Price;
  readonly count: Count;
}

export type OrderField = "side" | "action" | "price" | "count";
export type FieldErrors = Partial<Record<OrderField, string>>;

export type Validation =
  | { readonly ok: true; readonly order: ValidOrder }
  | { readonly ok: false; readonly errors: FieldErrors };

const SIDES: readonly string[] = ["yes", "no"];
const ACTIONS: readonly string[] = ["buy", "sell"];

/**
 * The same rules the server applies (so most mistakes never leave the
 * browser, and the server's answer stays the final word):
 * side yes|no, action buy|sell, 0 < price < $1 on the market's tick grid,
 * count ≥ 1 contract with at most 2 decimals.
 */
export function validateOrder(draft: OrderDraft, grid: TickGrid): Validation {
  const errors: FieldErrors = {};
  if (!SIDES.includes(draft.side)) errors.side = "Choose YES or NO.";
  if (!ACTIONS.includes(draft.action)) errors.action = "Choose buy or sell.";

  const price = checkPrice(draft.price, grid);
  if (typeof price === "string") errors.price = price;
  const count = checkCount(draft.count);
  if (typeof count === "string") errors.count = count;

  if (typeof price === "string" || typeof count === "string" || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, order: { side: draft.side, action: draft.action, price, count } };
}

function checkPrice(text: string, grid: TickGrid): Price | string {
  if (text.trim() === "") return "Enter a price in dollars, e.g. 0.56.";
  let price: Price;
  try {
    price = parseScaled(text, PRICE_DECIMALS, "price") as Price;
  } catch (error) {
    if (error instanceof FixedPointError && error.message.includes("decimal places")) {
      return "Prices have at most 4 decimals ($0.0001).";
    }
    return "The price must be a number of dollars, e.g. 0.56.";
  }
  if (price <= 0n || price >= ONE_DOLLAR) {
    return "The price must be between $0 and $1 (exclusive), e.g. 0.56.";
  }
  if (!isOnGrid(price, grid)) {
    const { below, above } = neighbours(price, grid);
    const options = [below, above]
      .filter((p): p is Price => p !== null && p > 0n && p < ONE_DOLLAR)
      .map(formatPrice);
    const hint = options.length > 0 ? ` Nearest valid: ${options.join(" or ")}.` : "";
    return `${formatPrice(price)} is not on this market's tick grid.${hint}`;
  }
  return price;
}

function checkCount(text: string): Count | string {
  if (text.trim() === "") return "Enter how many contracts, e.g. 1.";
  let count: Count;
  try {
    count = parseScaled(text, COUNT_DECIMALS, "count") as Count;
  } catch (error) {
    if (error instanceof FixedPointError && error.message.includes("decimal places")) {
      return "Counts have at most 2 decimals (0.01 contract).";
    }
    return "The count must be a number of contracts, e.g. 1 or 2.5.";
  }
  if (count < ONE_CONTRACT) return "The count must be at least 1 contract.";
  return count;
}
