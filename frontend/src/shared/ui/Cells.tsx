import {
  formatCount,
  formatMoney,
  formatPriceCents,
  formatSignedMoney,
  type Count,
  type Money,
  type Price,
} from "../money.ts";

/** Table cells for exact values; "—" for a missing one, never "NaN". */

export function PriceCell({ value, className = "" }: { value: Price | null; className?: string }) {
  return <td className={`num ${className}`}>{value === null ? "—" : formatPriceCents(value)}</td>;
}

export function CountCell({ value }: { value: Count | null }) {
  return <td className="num">{value === null ? "—" : formatCount(value)}</td>;
}

export function MoneyCell({ value, signed = false }: { value: Money | null; signed?: boolean }) {
  if (value === null) return <td className="num">—</td>;
  const tone = !signed || value === 0n ? "" : value > 0n ? "pos" : "neg";
  return <td className={`num ${tone}`}>{signed ? formatSignedMoney(value) : formatMoney(value)}</td>;
}
