import type { KeyboardEvent } from "react";

import { CountCell, PriceCell } from "../../shared/ui/Cells.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { DemoTopCells } from "./DemoTopCells.tsx";
import type { MarketRow, SortDirection, SortKey } from "./marketRows.ts";

interface MarketsTableProps {
  rows: readonly MarketRow[];
  sort: { key: SortKey; direction: SortDirection } | null;
  onSort: (key: SortKey) => void;
  onOpen: (ticker: string) => void;
  demoPollInterval?: number | undefined;
}

function SortHeader({
  label,
  column,
  sort,
  onSort,
}: {
  label: string;
  column: SortKey;
  sort: MarketsTableProps["sort"];
  onSort: (key: SortKey) => void;
}) {
  const active = sort?.key === column;
  const ariaSort = active ? (sort.direction === "asc" ? "ascending" : "descending") : "none";
  return (
    <th scope="col" aria-sort={ariaSort} className={column === "ticker" ? undefined : "num"}>
      <button
        type="button"
        className="table__sort"
        onClick={() => {
          onSort(column);
        }}
      >
        {label}
        {active ? (sort.direction === "asc" ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
}

export function MarketsTable({ rows, sort, onSort, onOpen, demoPollInterval }: MarketsTableProps) {
  const header = (label: string, column: SortKey) => (
    <SortHeader label={label} column={column} sort={sort} onSort={onSort} />
  );
  const onKey = (ticker: string) => (event: KeyboardEvent) => {
    if (event.key === "Enter") onOpen(ticker);
  };
  return (
    <table className="table table--compact" aria-label="Markets">
      <thead>
        <tr>
          {header("Market", "ticker")}
          <th scope="col">Status</th>
          {header("Bid", "bid")}
          {header("Ask", "ask")}
          {header("Last", "last")}
          <th scope="col" className="num">
            Demo bid
          </th>
          <th scope="col" className="num">
            Demo ask
          </th>
          {header("Vol 24h", "volume24h")}
          {header("Volume", "volume")}
          {header("Open int.", "openInterest")}
          {header("Closes", "closeTime")}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.ticker}
            className="clickable"
            tabIndex={0}
            onClick={() => {
              onOpen(row.ticker);
            }}
            onKeyDown={onKey(row.ticker)}
          >
            <th scope="row" className="table__name">
              <a
                href={`/markets/${encodeURIComponent(row.ticker)}`}
                onClick={(e) => {
                  e.preventDefault();
                }}
                className="mono"
              >
                {row.ticker}
              </a>
              <div className="muted">{row.title}</div>
            </th>
            <td>
              {row.status}
              {row.watched && <span className="badge badge--ok" title="Book maintained live"> live</span>}
            </td>
            <PriceCell value={row.bid} className="pos" />
            <PriceCell value={row.ask} className="neg" />
            <PriceCell value={row.last} />
            <DemoTopCells ticker={row.ticker} pollInterval={demoPollInterval} />
            <CountCell value={row.volume24h} />
            <CountCell value={row.volume} />
            <CountCell value={row.openInterest} />
            <td className="num">{formatTime(row.closeTime)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
