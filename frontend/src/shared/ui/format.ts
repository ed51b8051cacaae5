/** Readable times for tables: local clock for today, date + time otherwise. */
export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (iso == null) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour12: false })
    : date.toLocaleString(undefined, { hour12: false, dateStyle: "short", timeStyle: "short" });
}

/** "3 s", "4 min", "2 h": how long ago, for ages and latencies. */
export function formatAge(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${String(Math.round(ms))} ms`;
  if (ms < 60_000) return `${String(Math.round(ms / 1_000))} s`;
  if (ms < 3_600_000) return `${String(Math.round(ms / 60_000))} min`;
  return `${String(Math.round(ms / 3_600_000))} h`;
}
