import { parseCount, parsePrice } from "../../shared/money.ts";
import { CountCell, PriceCell } from "../../shared/ui/Cells.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import type { TradeWire } from "./book.ts";

export function RecentTrades({ trades }: { trades: readonly TradeWire[] }) {
  if (trades.length === 0) return <EmptyState>No public trades yet.</EmptyState>;
  return (
    <div className="stream">
      <table className="table table--compact" aria-label="Recent trades">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Taker bought</th>
            <th scope="col" className="num">
              YES price
            </th>
            <th scope="col" className="num">
              Count
            </th>
          </tr>
        </thead>
        <tbody>
          {trades.map((t) => (
            <tr key={t.tradeId}>
              <td className="mono">{formatTime(t.createdTime)}</td>
              <td className={t.takerSide === "yes" ? "pos" : "neg"}>{t.takerSide.toUpperCase()}</td>
              <PriceCell value={parsePrice(t.yesPrice)} />
              <CountCell value={parseCount(t.count)} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
