import type { RiskFieldsFragment, RiskLimitsInput } from "../../gql/graphql.ts";
import {
  COUNT_DECIMALS,
  formatMoneyWire,
  formatScaled,
  parseCount,
  parseMoney,
  roundScaled,
  type Money,
} from "../../shared/money.ts";

/** One editable limit: how it is shown, parsed and sent. */
interface LimitField {
  readonly key: keyof RiskLimitsInput;
  readonly label: string;
  readonly kind: "int" | "money";
  /** The current value as the form shows it. */
  readonly current: (limits: RiskFieldsFragment) => string;
}

const moneyText = (value: string): string => formatScaled(roundScaled(parseMoney(value), 6, 2), 2);

export const LIMIT_FIELDS: readonly LimitField[] = [
  {
    key: "maxContractsPerMarket",
    label: "Max contracts per market",
    kind: "int",
    // Whole contracts: the input takes an integer.
    current: (l) => formatScaled(roundScaled(parseCount(l.maxContractsPerMarket), COUNT_DECIMALS, 0), 0),
  },
  { key: "maxTotalExposureDollars", label: "Max total exposure ($)", kind: "money", current: (l) => moneyText(l.maxTotalExposure) },
  { key: "maxDailyLossDollars", label: "Max daily loss ($)", kind: "money", current: (l) => moneyText(l.maxDailyLoss) },
  { key: "minCashReserveDollars", label: "Min cash reserve ($)", kind: "money", current: (l) => moneyText(l.minCashReserve) },
  { key: "maxOpenOrders", label: "Max open orders", kind: "int", current: (l) => String(l.maxOpenOrders) },
  { key: "maxOrdersPerSecond", label: "Max orders / s", kind: "int", current: (l) => String(l.maxOrdersPerSecond) },
  {
    key: "noNewPositionsBeforeCloseMinutes",
    label: "No new positions before close (min)",
    kind: "int",
    current: (l) => String(l.noNewPositionsBeforeCloseMinutes),
  },
  { key: "maxBookAgeMs", label: "Max book age (ms)", kind: "int", current: (l) => String(l.maxBookAgeMs) },
];

export type LimitDraft = Partial<Record<keyof RiskLimitsInput, string>>;

export function draftFrom(limits: RiskFieldsFragment): LimitDraft {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, f.current(limits)]));
}

/**
 * The mutation input for what changed (only changed limits are sent), or
 * the fields that do not parse. Money stays exact: "12.50" -> "12.500000".
 */
export function limitsPatch(
  limits: RiskFieldsFragment,
  draft: LimitDraft,
): { input: RiskLimitsInput; errors: Partial<Record<keyof RiskLimitsInput, string>> } {
  const input: Record<string, number | string> = {};
  const errors: Partial<Record<keyof RiskLimitsInput, string>> = {};
  for (const field of LIMIT_FIELDS) {
    const text = (draft[field.key] ?? "").trim();
    if (text === field.current(limits)) continue;
    if (field.kind === "int") {
      if (!/^\d+$/.test(text)) {
        errors[field.key] = "A whole number ≥ 0.";
        continue;
      }
      input[field.key] = Number(text);
    } else {
      let value: Money;
      try {
        value = parseMoney(text);
      } catch {
        errors[field.key] = "An amount in dollars, e.g. 250 or 12.50.";
        continue;
      }
      if (value < 0n) {
        errors[field.key] = "Not negative.";
        continue;
      }
      input[field.key] = formatMoneyWire(value);
    }
  }
  return { input: input, errors };
}
