import type { SystemFieldsFragment } from "../../gql/graphql.ts";

type Environment = NonNullable<SystemFieldsFragment["data"]>;
type Connection = NonNullable<Environment["connection"]>;

/** One line a person can scan: is the feed alive, and has it been healing itself? */
export function describeConnection(conn: Connection | null | undefined): string {
  if (conn == null) return "WebSocket not in use yet";
  const age = conn.lastMessageAgeS == null ? "no message yet" : `last message ${conn.lastMessageAgeS.toFixed(1)} s ago`;
  const counters = `reconnects ${String(conn.reconnects)} · gaps ${String(conn.gaps)} · resyncs ${String(conn.resyncs)}`;
  if (!conn.connected) {
    return `${conn.state}${conn.lastError ? `: ${conn.lastError}` : ""} · ${counters}`;
  }
  return `connected · ${age} · ${counters}`;
}

