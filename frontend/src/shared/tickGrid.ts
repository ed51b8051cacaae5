import { CENT, ONE_DOLLAR, parsePrice, type Price } from "./money.ts";

/**
 * A market's price grid, from Kalshi's `price_ranges`: inside [start, end]
 * prices are start + k * step. Markets may be linear-cent (one range, step
 * 0.01), deci-cent, or tapered (0.001 near the edges, 0.01 in the middle).
 * An off-grid price is rejected by the exchange (400 invalid_price), so the
 * order form checks it before sending.
 */
export interface PriceRange {
  readonly start: Price;
  readonly end: Price;
  readonly step: Price;
}

export type TickGrid = readonly PriceRange[];

/** The wire shape ({start, end, step} as decimal strings). */
export interface PriceRangeWire {
  readonly start: string;
  readonly end: string;
  readonly step: string;
}

/** Kalshi's "linear_cent": every whole cent from $0.00 to $1.00. */
export const LINEAR_CENT: TickGrid = [{ start: 0n as Price, end: ONE_DOLLAR, step: CENT }];

export function parseTickGrid(ranges: readonly PriceRangeWire[] | null | undefined): TickGrid {
  if (ranges == null || ranges.length === 0) return LINEAR_CENT;
  return ranges.map((r) => ({
    start: parsePrice(r.start),
    end: parsePrice(r.end),
    step: parsePrice(r.step),
  }));
}

/** True when `price` lies on the grid of some range that contains it. */
export function isOnGrid(price: Price, grid: TickGrid): boolean {
  return grid.some(
    (r) => r.step > 0n && price >= r.start && price <= r.end && (price - r.start) % r.step === 0n,
  );
}

/** The step that applies at `price` (the finest if ranges overlap at a boundary). */
export function stepAt(price: Price, grid: TickGrid): Price {
  let best: Price | null = null;
  for (const r of grid) {
    if (price >= r.start && price <= r.end && (best === null || r.step < best)) best = r.step;
  }
  return best ?? CENT;
}

/** The nearest grid prices at or below / at or above `price`, for the form's hint. */
export function neighbours(price: Price, grid: TickGrid): { below: Price | null; above: Price | null } {
  let below: Price | null = null;
  let above: Price | null = null;
  for (const r of grid) {
    if (r.step <= 0n) continue;
    if (price >= r.start) {
      const k = (price < r.end ? price : r.end) - r.start;
      const down = (r.start + (k - (k % r.step))) as Price;
      if (below === null || down > below) below = down;
    }
    if (price <= r.end) {
      const from = price > r.start ? price : r.start;
      const k = from - r.start;
      const rem = k % r.step;
      const up = (rem === 0n ? from : from + (r.step - rem)) as Price;
      if (up <= r.end && (above === null || up < above)) above = up;
    }
  }
  return { below, above };
}
