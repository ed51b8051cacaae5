/**
 * Plot geometry for the small SVG charts. Inputs are exact bigints; they
 * become floats only here, as pixel coordinates, never for arithmetic on money.
 */

export interface Box {
  readonly width: number;
  readonly height: number;
  readonly padding: number;
}

/** Maps [domainMin, domainMax] onto [rangeMin, rangeMax]; a flat domain maps to the middle. */
export function linearScale(
  domainMin: number,
  domainMax: number,
  rangeMin: number,
  rangeMax: number,
): (value: number) => number {
  const span = domainMax - domainMin;
  if (span === 0) {
    const middle = (rangeMin + rangeMax) / 2;
    return () => middle;
  }
  return (value) => rangeMin + ((value - domainMin) / span) * (rangeMax - rangeMin);
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** "M x,y L x,y ..." through the points. Empty for no points. */
export function linePath(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${String(round(p.x))},${String(round(p.y))}`).join(" ");
}

/**
 * A step path that holds each value until the next x (prices between trades,
 * cumulative depth between levels), closed down to `baseline` so it can be filled.
 */
export function stepAreaPath(points: readonly Point[], baseline: number): string {
  const first = points[0];
  if (first === undefined) return "";
  const parts = [`M${String(round(first.x))},${String(round(baseline))}`];
  let previousY = baseline;
  for (const p of points) {
    parts.push(`L${String(round(p.x))},${String(round(previousY))}`);
    parts.push(`L${String(round(p.x))},${String(round(p.y))}`);
    previousY = p.y;
  }
  const last = points[points.length - 1] ?? first;
  parts.push(`L${String(round(last.x))},${String(round(baseline))}`, "Z");
  return parts.join(" ");
}

/** Evenly spaced "nice" ticks between min and max (at most `count` + 1). */
export function ticks(min: number, max: number, count: number): number[] {
  if (!(max > min) || count <= 0) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step / 1e6; v += step) {
    out.push(Math.round(v / step) * step);
  }
  return out;
}
