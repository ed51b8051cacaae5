import { linearScale, linePath, ticks } from "../../shared/chart/geometry.ts";
import { formatPriceCents, PRICE_SCALE, toPlotNumber, type Price } from "../../shared/money.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import type { PricePoint } from "./book.ts";

const BOX = { width: 480, height: 200, padding: 32 };

/** YES price over time from trades and live last prices; a step per change. */
export function PriceChart({ points, label }: { points: readonly PricePoint[]; label: string }) {
  if (points.length === 0) {
    return <EmptyState>No trades yet to chart.</EmptyState>;
  }
  const prices = points.map((p) => toPlotNumber(p.price, PRICE_SCALE));
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? first;
  const lo = Math.max(0, Math.min(...prices) - 0.02);
  const hi = Math.min(1, Math.max(...prices) + 0.02);
  const x = linearScale(first, last, BOX.padding, BOX.width - 8);
  const y = linearScale(lo, hi, BOX.height - 20, 8);
  // Hold each price until the next point: prices jump, they do not glide.
  const stepped = points.flatMap((p, i) => {
    const previous = points[i - 1];
    const py = y(toPlotNumber(p.price, PRICE_SCALE));
    return previous === undefined
      ? [{ x: x(p.at), y: py }]
      : [
          { x: x(p.at), y: y(toPlotNumber(previous.price, PRICE_SCALE)) },
          { x: x(p.at), y: py },
        ];
  });
  const time = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour12: false });
  return (
    <svg className="chart" viewBox={`0 0 ${String(BOX.width)} ${String(BOX.height)}`} role="img" aria-label={label}>
      {ticks(lo, hi, 4).map((t) => (
        <g key={t}>
          <line className="chart__axis" x1={BOX.padding} x2={BOX.width - 8} y1={y(t)} y2={y(t)} />
          <text className="chart__label" x={2} y={y(t)} dominantBaseline="middle">
            {formatPriceCents(BigInt(Math.round(t * Number(PRICE_SCALE))) as Price)}
          </text>
        </g>
      ))}
      <path className="chart__line" d={linePath(stepped)} />
      <text className="chart__label" x={BOX.padding} y={BOX.height - 4}>
        {time(first)}
      </text>
      <text className="chart__label" x={BOX.width - 8} y={BOX.height - 4} textAnchor="end">
        {time(last)}
      </text>
    </svg>
  );
}
