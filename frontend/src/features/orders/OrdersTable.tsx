import { formatCount, formatPriceCents, formatSignedMoney } from "../../shared/money.ts";
import { CountCell, PriceCell } from "../../shared/ui/Cells.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import { describeSide, isOpen, type OrderRow } from "./orderModel.ts";

interface OrdersTableProps {
  label: string;
  rows: readonly OrderRow[];
  empty: string;
  showTicker?: boolean;
  /** Given: open orders get a Cancel button. */
  onCancel?: (clientOrderId: string) => void;
  /** Orders whose cancel is in flight. */
  cancelling?: ReadonlySet<string>;
}

function statusTone(status: string): string {
  switch (status) {
    case "executed":
      return "ok";
    case "resting":
    case "partially_filled":
      return "info";
    case "pending":
      return "warn";
    case "rejected":
      return "bad";
    default:
      return "muted";
  }
}

/** The realism gap: how much worse (positive) demo filled than production would have. */
function GapCell({ order }: { order: OrderRow }) {
  const gap = order.gap;
  if (gap === null) return <td className="num muted">—</td>;
  const title =
    `production bid ${gap.productionBid === null ? "—" : formatPriceCents(gap.productionBid)}, ` +
    `ask ${gap.productionAsk === null ? "—" : formatPriceCents(gap.productionAsk)}; ` +
    `would have filled ${formatCount(gap.shadowCount)} there, filled ${formatCount(gap.actualCount)} on demo`;
  if (gap.adverseGap === null) {
    return (
      <td className="num muted" title={title}>
        prod {formatCount(gap.shadowCount)} / demo {formatCount(gap.actualCount)}
      </td>
    );
  }
  const tone = gap.adverseGap > 0n ? "neg" : gap.adverseGap < 0n ? "pos" : "";
  return (
    <td className={`num ${tone}`} title={title}>
      {formatSignedMoney(gap.adverseGap, 4)}
    </td>
  );
}

export function OrdersTable({ label, rows, empty, showTicker = true, onCancel, cancelling }: OrdersTableProps) {
  if (rows.length === 0) return <EmptyState>{empty}</EmptyState>;
  return (
    <table className="table table--compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Placed</th>
          {showTicker && <th scope="col">Market</th>}
          <th scope="col">Side</th>
          <th scope="col" className="num">
            YES price
          </th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col" className="num">
            Filled
          </th>
          <th scope="col" className="num">
            Left
          </th>
          <th scope="col">Status</th>
          <th scope="col">Source</th>
          <th scope="col" className="num" title="Demo fill vs the production book at decision time; + = demo worse">
            Realism gap
          </th>
          {onCancel !== undefined && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((o) => (
          <tr
            key={o.clientOrderId}
            data-order={o.clientOrderId}
            data-status={o.pending ? "sending" : o.status}
            data-source={o.source}
            className={o.pending ? "stale" : undefined}
          >
            <td className="mono">{formatTime(o.createdAt)}</td>
            {showTicker && <td className="mono">{o.ticker}</td>}
            <td className={o.side === "bid" ? "pos" : "neg"}>{describeSide(o.side)}</td>
            <PriceCell value={o.yesPrice} />
            <CountCell value={o.count} />
            <CountCell value={o.filled} />
            <CountCell value={o.remaining} />
            <td>
              <span className={`badge badge--${statusTone(o.status)}`} title={o.rejection ?? undefined}>
                {o.pending ? "sending" : o.status.replace("_", " ")}
              </span>
              {o.rejection !== null && <div className="field__error">{o.rejection}</div>}
            </td>
            <td>{o.source}</td>
            <GapCell order={o} />
            {onCancel !== undefined && (
              <td>
                {isOpen(o) && !o.pending && (
                  <button
                    type="button"
                    className="button button--small"
                    disabled={cancelling?.has(o.clientOrderId) === true}
                    onClick={() => {
                      onCancel(o.clientOrderId);
                    }}
                    aria-label={`Cancel order ${o.clientOrderId}`}
                  >
                    {cancelling?.has(o.clientOrderId) === true ? "Canceling…" : "Cancel"}
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
