import { formatMoney, MONEY_SCALE, toPlotNumber, type Money } from "../money.ts";
import { EmptyState } from "../ui/StateMessage.tsx";
import { linearScale, linePath, ticks } from "./geometry.ts";

const BOX = { width: 720, height: 220, padding: 64 };

/** A money series over time (equity curve). */
export function MoneyLineChart({
  points,
  label,
  empty,
}: {
  points: readonly { readonly at: number; readonly value: Money }[];
  label: string;
  empty: string;
}) {
  if (points.length === 0) return <EmptyState>{empty}</EmptyState>;
  const values = points.map((p) => toPlotNumber(p.value, MONEY_SCALE));
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? first;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.max(1, Math.abs(hi) * 0.01) : (hi - lo) * 0.1;
  const x = linearScale(first, last, BOX.padding, BOX.width - 8);
  const y = linearScale(lo - pad, hi + pad, BOX.height - 20, 8);
  const path = linePath(points.map((p, i) => ({ x: x(p.at), y: y(values[i] ?? 0) })));
  const time = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour12: false });
  return (
    <svg className="chart" viewBox={`0 0 ${String(BOX.width)} ${String(BOX.height)}`} role="img" aria-label={label}>
      {ticks(lo - pad, hi + pad, 4).map((t) => (
        <g key={t}>
          <line className="chart__axis" x1={BOX.padding} x2={BOX.width - 8} y1={y(t)} y2={y(t)} />
          <text className="chart__label" x={2} y={y(t)} dominantBaseline="middle">
            {formatMoney(BigInt(Math.round(t * Number(MONEY_SCALE))) as Money)}
          </text>
        </g>
      ))}
      <path className="chart__line" d={path} />
      {points.length === 1 && <circle cx={x(first)} cy={y(values[0] ?? 0)} r={3} className="chart__line" />}
      <text className="chart__label" x={BOX.padding} y={BOX.height - 4}>
        {time(first)}
      </text>
      <text className="chart__label" x={BOX.width - 8} y={BOX.height - 4} textAnchor="end">
        {time(last)}
      </text>
    </svg>
  );
}
