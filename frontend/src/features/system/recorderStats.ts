/**
 * Rows written per second between the session's start and its end (or its
 * last row while it is still active). Display only: a float is fine here.
 */
export function throughput(rows: number, startedAt: string, until: string | null): string {
  if (until === null) return "—";
  const seconds = (Date.parse(until) - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return "—";
  const rate = rows / seconds;
  return rate >= 10 ? `${String(Math.round(rate))}/s` : `${rate.toFixed(1)}/s`;
}
