import type { FillsQuery } from "../../gql/graphql.ts";
import { parseCount, parseMoney, parsePrice } from "../../shared/money.ts";
import { CountCell, MoneyCell, PriceCell } from "../../shared/ui/Cells.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";

type Fill = FillsQuery["fills"][number];

export function FillsTable({ fills }: { fills: readonly Fill[] }) {
  if (fills.length === 0) return <EmptyState>No fills yet.</EmptyState>;
  return (
    <table className="table table--compact" aria-label="Fills">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Market</th>
          <th scope="col">Side</th>
          <th scope="col" className="num">YES price</th>
          <th scope="col" className="num">Count</th>
          <th scope="col" className="num">Fee</th>
          <th scope="col" className="num">Realized</th>
          <th scope="col">Liquidity</th>
          <th scope="col">Order</th>
        </tr>
      </thead>
      <tbody>
        {fills.map((f) => (
          <tr key={`${f.tradeId}/${f.orderId}`}>
            <td className="mono">{formatTime(f.at)}</td>
            <td className="mono">{f.ticker}</td>
            <td className={f.side === "bid" ? "pos" : "neg"}>{f.side === "bid" ? "Bought YES" : "Sold YES / bought NO"}</td>
            <PriceCell value={parsePrice(f.yesPrice)} />
            <CountCell value={parseCount(f.count)} />
            <MoneyCell value={parseMoney(f.fee)} />
            <MoneyCell value={f.realizedDelta == null ? null : parseMoney(f.realizedDelta)} signed />
            <td>{f.isTaker ? "taker" : "maker"}</td>
            <td className="mono muted" title={f.clientOrderId}>
              {f.clientOrderId.length > 12 ? `${f.clientOrderId.slice(0, 12)}…` : f.clientOrderId}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
