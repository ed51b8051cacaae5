import { linearScale, stepAreaPath, ticks } from "../../shared/chart/geometry.ts";
import { COUNT_SCALE, formatPriceCents, PRICE_SCALE, toPlotNumber, type Price } from "../../shared/money.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import { depthSeries, type Ladder } from "./ladder.ts";

const BOX = { width: 480, height: 200, padding: 28 };

/** Cumulative size at or better than each price: bids left (green), asks right (red). */
export function DepthChart({ ladder, label }: { ladder: Ladder; label: string }) {
  const { bids, asks } = depthSeries(ladder);
  if (bids.length === 0 && asks.length === 0) {
    return <EmptyState>No depth to draw yet.</EmptyState>;
  }
  const prices = [...bids, ...asks].map((p) => toPlotNumber(p.price, PRICE_SCALE));
  const sizes = [...bids, ...asks].map((p) => toPlotNumber(p.cumulative, COUNT_SCALE));
  const minP = Math.min(...prices);
  const maxP = Math.max(...prices);
  const maxS = Math.max(...sizes);
  const x = linearScale(minP, maxP, BOX.padding, BOX.width - BOX.padding);
  const y = linearScale(0, maxS, BOX.height - BOX.padding, BOX.padding / 2);
  const baseline = y(0);

  // Bids accumulate outward to the left: draw from the lowest price up.
  const bidPoints = [...bids]
    .reverse()
    .map((p) => ({ x: x(toPlotNumber(p.price, PRICE_SCALE)), y: y(toPlotNumber(p.cumulative, COUNT_SCALE)) }));
  const askPoints = asks.map((p) => ({
    x: x(toPlotNumber(p.price, PRICE_SCALE)),
    y: y(toPlotNumber(p.cumulative, COUNT_SCALE)),
  }));

  return (
    <svg className="chart" viewBox={`0 0 ${String(BOX.width)} ${String(BOX.height)}`} role="img" aria-label={label}>
      <line className="chart__axis" x1={BOX.padding} x2={BOX.width - BOX.padding} y1={baseline} y2={baseline} />
      {bidPoints.length > 0 && <path className="chart__bids" d={stepAreaPath(bidPoints, baseline)} />}
      {askPoints.length > 0 && <path className="chart__asks" d={stepAreaPath(askPoints, baseline)} />}
      {ticks(minP, maxP, 5).map((t) => (
        <text key={t} className="chart__label" x={x(t)} y={BOX.height - 8} textAnchor="middle">
          {formatPriceCents(BigInt(Math.round(t * Number(PRICE_SCALE))) as Price)}
        </text>
      ))}
      {ticks(0, maxS, 3).map((t) => (
        <text key={t} className="chart__label" x={4} y={y(t)} dominantBaseline="middle">
          {String(t)}
        </text>
      ))}
    </svg>
  );
}
