import { describe, expect, it, vi } from "vitest";

import { createConnectionStatusStore, describeConnection } from "./connectionStatus.ts";

describe("connection status store", () => {
  it("notifies only on real changes and replaces the snapshot", () => {
    const store = createConnectionStatusStore();
    const listener = vi.fn();
    store.subscribe(listener);
    const before = store.getSnapshot();

    store.update({ http: "online" });
    store.update({ http: "online" });

    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).not.toBe(before);
    expect(store.getSnapshot().http).toBe("online");
  });

  it("stops notifying after unsubscribe", () => {
    const store = createConnectionStatusStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    store.update({ http: "offline" });
    expect(listener).not.toHaveBeenCalled();
  });

  it("maps snapshots to badge text", () => {
    expect(describeConnection({ http: "unknown", live: "idle", lastError: null }).label).toBe(
      "connecting",
    );
    expect(describeConnection({ http: "offline", live: "idle", lastError: "x" }).tone).toBe("bad");
    expect(describeConnection({ http: "online", live: "connected", lastError: null }).label).toBe(
      "online · live",
    );
    expect(describeConnection({ http: "online", live: "closed", lastError: null }).tone).toBe(
      "pending",
    );
  });
});
