import { afterEach, describe, expect, it, vi } from "vitest";

import { createApolloClient, graphqlWsUrl, MAX_RETRY_DELAY_MS, retryDelay, type ApolloSetup } from "./apollo.ts";
import { SYSTEM_HEALTH_QUERY } from "./features/system/healthQuery.ts";

const HEALTH_BODY = JSON.stringify({
  data: {
    health: {
      __typename: "Health",
      status: "RUNNING",
      version: "0.1.0",
      mode: "sandbox",
      components: [],
    },
  },
});

describe("graphqlWsUrl", () => {
  it("uses the page's host and ws/wss to match http/https", () => {
    expect(graphqlWsUrl({ protocol: "http:", host: "127.0.0.1:8000" })).toBe(
      "ws://127.0.0.1:8000/graphql",
    );
    expect(graphqlWsUrl({ protocol: "https:", host: "trader.example" })).toBe(
      "wss://trader.example/graphql",
    );
  });
});

describe("createApolloClient connection status", () => {
  let setup: ApolloSetup | undefined;
  afterEach(() => {
    setup?.dispose();
    vi.unstubAllGlobals();
  });

  function stubFetch(status: number, body: string) {
    vi.stubGlobal(
      "fetch",
      vi.fn(() =>
        Promise.resolve(
          new Response(body, { status, headers: { "content-type": "application/json" } }),
        ),
      ),
    );
  }

  it("reports online after an answered query", async () => {
    stubFetch(200, HEALTH_BODY);
    setup = createApolloClient({ httpUri: "http://127.0.0.1:1/graphql" });
    expect(setup.connection.getSnapshot().http).toBe("unknown");

    await setup.client.query({ query: SYSTEM_HEALTH_QUERY });

    expect(setup.connection.getSnapshot()).toMatchObject({ http: "online", lastError: null });
  });

  it("reports offline with a readable reason when the proxy answers 502", async () => {
    stubFetch(502, "");
    setup = createApolloClient({ httpUri: "http://127.0.0.1:1/graphql" });

    await expect(setup.client.query({ query: SYSTEM_HEALTH_QUERY })).rejects.toThrow();

    expect(setup.connection.getSnapshot()).toMatchObject({
      http: "offline",
      lastError: "The API answered HTTP 502. Is the kalshiflow backend running?",
    });
  });
});

describe("createApolloClient token", () => {
  let setup: ApolloSetup | undefined;
  afterEach(() => {
    setup?.dispose();
    vi.unstubAllGlobals();
  });

  it("sends the token as a Bearer header", async () => {
    const fetchMock = vi.fn<(url: string, init: RequestInit) => Promise<Response>>(() =>
      Promise.resolve(
        new Response(HEALTH_BODY, { status: 200, headers: { "content-type": "application/json" } }),
      ),
    );
    vi.stubGlobal("fetch", fetchMock);
    setup = createApolloClient({ httpUri: "http://127.0.0.1:1/graphql", token: "t0k" });

    await setup.client.query({ query: SYSTEM_HEALTH_QUERY });

    const init = fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer t0k");
  });

  it("reports a refused token once on HTTP 401", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("{}", { status: 401 }))),
    );
    const onUnauthorized = vi.fn();
    setup = createApolloClient({
      httpUri: "http://127.0.0.1:1/graphql",
      token: "wrong",
      onUnauthorized,
    });

    await expect(setup.client.query({ query: SYSTEM_HEALTH_QUERY })).rejects.toThrow();
    await expect(
      setup.client.query({ query: SYSTEM_HEALTH_QUERY, fetchPolicy: "network-only" }),
    ).rejects.toThrow();

    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(setup.connection.getSnapshot().http).toBe("online");
  });
});

describe("retryDelay", () => {
  it("backs off from half a second and never waits more than 10 s (±20% jitter)", () => {
    expect(retryDelay(0, 0.5)).toBe(500);
    expect(retryDelay(1, 0.5)).toBe(1000);
    expect(retryDelay(4, 0.5)).toBe(8000);
    expect(retryDelay(5, 0.5)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelay(500, 1)).toBe(12_000);
    expect(retryDelay(500, 0)).toBe(8_000);
  });
});
