/**
 * Exact fixed-point units for prices, counts and money, the same scales as the
 * backend's kalshiflow/kalshi/fixedpoint.py:
 *
 * - Price: 1/10,000 of a dollar ("0.5600" -> 5600n; one cent is 100n).
 * - Count: 1/100 of a contract ("3.00" -> 300n).
 * - Money: 1/1,000,000 of a dollar ("98.018600" -> 98018600n).
 *
 * price * count is exactly Money, so a notional never rounds. The API sends all
 * of them as decimal strings; JavaScript numbers would turn "0.07" into
 * 0.07000000000000000666 and sums drift, so every value is a bigint here and
 * only becomes text again for display or for the wire.
 */

declare const unit: unique symbol;
export type Price = bigint & { readonly [unit]: "price" };
export type Count = bigint & { readonly [unit]: "count" };
export type Money = bigint & { readonly [unit]: "money" };

export const PRICE_DECIMALS = 4;
export const COUNT_DECIMALS = 2;
export const MONEY_DECIMALS = 6;

export const PRICE_SCALE = 10_000n;
export const COUNT_SCALE = 100n;
export const MONEY_SCALE = 1_000_000n;

export const ONE_DOLLAR = PRICE_SCALE as Price;
export const CENT = (PRICE_SCALE / 100n) as Price;
export const ONE_CONTRACT = COUNT_SCALE as Count;
export const ZERO_MONEY = 0n as Money;
export const ZERO_COUNT = 0n as Count;

/** A decimal string that does not fit its unit (too precise, not a number). */
export class FixedPointError extends Error {
  override name = "FixedPointError";
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$|^([+-])?\.(\d+)$/;

/**
 * Parses a decimal string into an integer of 10^-decimals units. Strict:
 * more precision than the unit holds is an error, never a silent rounding,
 * because a rounded price is a different order.
 */
export function parseScaled(text: string, decimals: number, what: string): bigint {
  const match = DECIMAL.exec(text.trim());
  if (match === null) {
    throw new FixedPointError(`${what}: ${JSON.stringify(text)} is not a decimal number`);
  }
  const sign = match[1] ?? match[4] ?? "";
  const whole = match[2] ?? "0";
  const fraction = (match[3] ?? match[5] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) {
    throw new FixedPointError(
      `${what}: ${JSON.stringify(text)} has more than ${String(decimals)} decimal places`,
    );
  }
  const digits = BigInt(whole + fraction.padEnd(decimals, "0"));
  return sign === "-" ? -digits : digits;
}

/** The exact decimal text of a scaled integer, with exactly `decimals` places. */
export function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  const body = decimals === 0 ? whole : `${whole}.${fraction}`;
  return negative ? `-${body}` : body;
}

export const parsePrice = (text: string): Price =>
  parseScaled(text, PRICE_DECIMALS, "price") as Price;
export const parseCount = (text: string): Count =>
  parseScaled(text, COUNT_DECIMALS, "count") as Count;
export const parseMoney = (text: string): Money =>
  parseScaled(text, MONEY_DECIMALS, "money") as Money;

/** Nullable API fields: null stays null instead of throwing. */
export const parsePriceOrNull = (text: string | null | undefined): Price | null =>
  text == null ? null : parsePrice(text);

/** Wire form, as the API expects it in mutations: "0.5600". */
export const formatPriceWire = (price: Price): string => formatScaled(price, PRICE_DECIMALS);
/** Wire form: "3.00". */
export const formatCountWire = (count: Count): string => formatScaled(count, COUNT_DECIMALS);
/** Wire form: "98.018600". */
export const formatMoneyWire = (money: Money): string => formatScaled(money, MONEY_DECIMALS);

/**
 * Rounds to `decimals` places, half away from zero (what people expect of a
 * displayed amount; the exact value stays in the bigint).
 */
export function roundScaled(value: bigint, fromDecimals: number, toDecimals: number): bigint {
  if (toDecimals >= fromDecimals) {
    return value * 10n ** BigInt(toDecimals - fromDecimals);
  }
  const divisor = 10n ** BigInt(fromDecimals - toDecimals);
  const magnitude = value < 0n ? -value : value;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return value < 0n ? -rounded : rounded;
}

/** Trailing zeros past `minDecimals` dropped: "0.5600" -> "0.56", "0.5650" -> "0.565". */
function trimZeros(text: string, minDecimals: number): string {
  const dot = text.indexOf(".");
  if (dot < 0) return text;
  let end = text.length;
  while (end > dot + 1 + minDecimals && text[end - 1] === "0") end -= 1;
  if (end === dot + 1) end = dot;
  return text.slice(0, end);
}

/** "$0.56", "$0.565" for sub-cent ticks: a price as a trader reads it. */
export function formatPrice(price: Price): string {
  return `$${trimZeros(formatScaled(price, PRICE_DECIMALS), 2)}`;
}

/** "56¢", "56.5¢": the compact form for ladders and tables. */
export function formatPriceCents(price: Price): string {
  return `${trimZeros(formatScaled(price, PRICE_DECIMALS - 2), 0)}¢`;
}

/** "3", "2.5": whole contracts without decimals, fractions as needed. */
export function formatCount(count: Count): string {
  return trimZeros(formatScaled(count, COUNT_DECIMALS), 0);
}

/** "$1,234.57", "-$0.01": money to the cent, grouped, rounded half away from zero. */
export function formatMoney(money: Money, decimals = 2): string {
  const rounded = roundScaled(money, MONEY_DECIMALS, decimals);
  const text = formatScaled(rounded < 0n ? -rounded : rounded, decimals);
  const [whole = "0", fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const body = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return rounded < 0n ? `-$${body}` : `$${body}`;
}

/** formatMoney with an explicit "+" for gains: P&L columns. */
export function formatSignedMoney(money: Money, decimals = 2): string {
  const text = formatMoney(money, decimals);
  return money > 0n && roundScaled(money, MONEY_DECIMALS, decimals) > 0n ? `+${text}` : text;
}

/** What `count` contracts at `price` cost: exact, since the scales multiply to Money. */
export function notional(price: Price, count: Count): Money {
  return (price * count) as Money;
}

/** The other outcome's price: YES at p is NO at $1 − p. */
export function complement(price: Price): Price {
  return (ONE_DOLLAR - price) as Price;
}

export function sumMoney(values: Iterable<Money>): Money {
  let total = 0n;
  for (const value of values) total += value;
  return total as Money;
}

export function sumCount(values: Iterable<Count>): Count {
  let total = 0n;
  for (const value of values) total += value;
  return total as Count;
}

/** For sort comparators: -1, 0, 1 without converting to number. */
export function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A scaled value as a float, ONLY for drawing (SVG coordinates). Never use
 * the result for money arithmetic.
 */
export function toPlotNumber(value: bigint, scale: bigint): number {
  return Number(value) / Number(scale);
}
