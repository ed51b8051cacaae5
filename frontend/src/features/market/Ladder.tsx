import type { CSSProperties, ReactNode } from "react";

import { formatCount, formatPriceCents, type Count, type Price } from "../../shared/money.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import { visibleRows, type Ladder as LadderModel, type LadderRow } from "./ladder.ts";

interface LadderProps {
  ladder: LadderModel;
  label: string;
  depth?: number;
  /** Clicking a price fills the order form. */
  onPick?: (price: Price) => void;
}

function share(size: Count | null, max: bigint): string {
  if (size === null || max === 0n) return "0%";
  return `${String(Number((size * 100n) / max))}%`;
}

function Own({ size, pending }: { size: Count; pending: boolean }) {
  if (size === 0n) return null;
  return (
    <span
      className={`ladder__own${pending ? " ladder__own--pending" : ""}`}
      title={pending ? "Our order, sent, not yet confirmed" : "Our resting order"}
    >
      {pending ? "sending " : "ours "}
      {formatCount(size)}
    </span>
  );
}

/**
 * The YES (or NO) ladder: bids on the left, asks on the right, best prices
 * meeting at the spread row; our own orders marked where they rest.
 */
export function Ladder({ ladder, label, depth = 10, onPick }: LadderProps) {
  const rows = visibleRows(ladder, depth);
  if (rows.length === 0) {
    return <EmptyState>The {ladder.outcome.toUpperCase()} book is empty.</EmptyState>;
  }
  const max = rows.reduce((m, r) => {
    const local = (r.bid ?? 0n) > (r.ask ?? 0n) ? (r.bid ?? 0n) : (r.ask ?? 0n);
    return local > m ? local : m;
  }, 0n);
  const spreadIndex = rows.findIndex((r) => r.ask === null && r.bid !== null);
  const outcome = ladder.outcome.toUpperCase();

  const line = (row: LadderRow) => (
    <tr key={String(row.price)} data-price={formatPriceCents(row.price)}>
      <td className="num ladder__bid" style={{ "--fill": share(row.bid, max) } as CSSProperties}>
        <Own size={row.ownBid} pending={row.ownPending} />
        {row.bid === null ? "" : formatCount(row.bid)}
      </td>
      <td className="ladder__price">
        {onPick === undefined ? (
          formatPriceCents(row.price)
        ) : (
          <button
            type="button"
            onClick={() => {
              onPick(row.price);
            }}
            title={`Use ${formatPriceCents(row.price)} in the order form`}
          >
            {formatPriceCents(row.price)}
          </button>
        )}
      </td>
      <td className="num ladder__ask" style={{ "--fill": share(row.ask, max) } as CSSProperties}>
        {row.ask === null ? "" : formatCount(row.ask)}
        <Own size={row.ownAsk} pending={row.ownPending} />
      </td>
    </tr>
  );

  return (
    <table className="table table--compact ladder" aria-label={label}>
      <thead>
        <tr>
          <th scope="col" className="num">
            {outcome} bids
          </th>
          <th scope="col" className="ladder__price">
            Price
          </th>
          <th scope="col" className="num">
            {outcome} asks
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <LadderLine key={String(row.price)} showSpread={index === spreadIndex} ladder={ladder}>
            {line(row)}
          </LadderLine>
        ))}
      </tbody>
    </table>
  );
}

function LadderLine({
  showSpread,
  ladder,
  children,
}: {
  showSpread: boolean;
  ladder: LadderModel;
  children: ReactNode;
}) {
  if (!showSpread) return children;
  const text =
    ladder.spread === null
      ? "one-sided book"
      : ladder.crossed
        ? `crossed by ${formatPriceCents((0n - ladder.spread) as Price)}`
        : `spread ${formatPriceCents(ladder.spread)}`;
  return (
    <>
      <tr className="ladder__spread">
        <td colSpan={3}>{text}</td>
      </tr>
      {children}
    </>
  );
}
