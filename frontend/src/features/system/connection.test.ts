import { describe, expect, it } from "vitest";
import { describeConnection } from "./connection.ts";

const base = {
  state: "connected",
  connected: true,
  lastMessageAgeS: 0.25,
  reconnects: 2,
  gaps: 1,
  resyncs: 1,
  messagesReceived: 900,
  lastError: null,
};

describe("describeConnection", () => {
  it("summarises a live feed with its healing counters", () => {
    expect(describeConnection(base)).toBe("connected · last message 0.3 s ago · reconnects 2 · gaps 1 · resyncs 1");
  });

  it("says why a feed is down", () => {
    expect(describeConnection({ ...base, state: "backoff", connected: false, lastError: "HTTP 502" })).toBe(
      "backoff: HTTP 502 · reconnects 2 · gaps 1 · resyncs 1",
    );
  });

  it("handles a side whose service has not started", () => {
    expect(describeConnection(null)).toBe("WebSocket not in use yet");
  });
});
