/**
 * What the dashboard knows about its link to the backend, kept outside React
 * so the Apollo links can write it and any component can read it
 * (`useSyncExternalStore`). Snapshots are immutable: a change replaces the
 * object, which is what React compares.
 */

/** Outcome of the most recent HTTP GraphQL request. */
export type HttpStatus = "unknown" | "online" | "offline";

/**
 * State of the graphql-transport-ws socket. It is lazy: "idle" means no
 * subscription has needed it yet, which is normal.
 */
export type LiveStatus = "idle" | "connecting" | "connected" | "closed";

export interface ConnectionSnapshot {
  readonly http: HttpStatus;
  readonly live: LiveStatus;
  /** Readable reason for the last failure, cleared on the next success. */
  readonly lastError: string | null;
}

// Function-typed properties rather than methods: React calls getSnapshot and
// subscribe detached from the object, so they must not depend on `this`.
export interface ConnectionStatusStore {
  readonly getSnapshot: () => ConnectionSnapshot;
  readonly subscribe: (listener: () => void) => () => void;
  readonly update: (patch: Partial<ConnectionSnapshot>) => void;
}

export const INITIAL_CONNECTION: ConnectionSnapshot = {
  http: "unknown",
  live: "idle",
  lastError: null,
};

export function createConnectionStatusStore(
  initial: ConnectionSnapshot = INITIAL_CONNECTION,
): ConnectionStatusStore {
  let snapshot = initial;
  const listeners = new Set<() => void>();

  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    update: (patch) => {
      const next = { ...snapshot, ...patch };
      if (
        next.http === snapshot.http &&
        next.live === snapshot.live &&
        next.lastError === snapshot.lastError
      ) {
        return; // No re-render for a poll that changed nothing.
      }
      snapshot = next;
      for (const listener of listeners) {
        listener();
      }
    },
  };
}

export type ConnectionTone = "ok" | "pending" | "bad";

export interface ConnectionView {
  readonly tone: ConnectionTone;
  readonly label: string;
}

/** What the header badge shows for a snapshot (pure, so testable without React). */
export function describeConnection(snapshot: ConnectionSnapshot): ConnectionView {
  switch (snapshot.http) {
    case "unknown":
      return { tone: "pending", label: "connecting" };
    case "offline":
      return { tone: "bad", label: "offline" };
    case "online":
      if (snapshot.live === "closed") {
        return { tone: "pending", label: "online · live reconnecting" };
      }
      if (snapshot.live === "connected") {
        return { tone: "ok", label: "online · live" };
      }
      return { tone: "ok", label: "online" };
  }
}
