import { describe, expect, it } from "vitest";

import { matchRoute, pathFor } from "./routes.ts";

describe("routes", () => {
  it("matches every page", () => {
    expect(matchRoute("/")).toEqual({ name: "markets" });
    expect(matchRoute("/markets/")).toEqual({ name: "markets" });
    expect(matchRoute("/markets/KXBTC-25DEC31-T100")).toEqual({ name: "market", ticker: "KXBTC-25DEC31-T100" });
    expect(matchRoute("/system")).toEqual({ name: "system" });
    expect(matchRoute("/nope")).toEqual({ name: "notFound", path: "/nope" });
    expect(matchRoute("/markets/%E0%A4%A")).toEqual({ name: "notFound", path: "/markets/%E0%A4%A" });
  });

  it("round-trips paths, escaping tickers", () => {
    const route = { name: "market", ticker: "A B/C" } as const;
    expect(pathFor(route)).toBe("/markets/A%20B%2FC");
    expect(matchRoute(pathFor(route))).toEqual(route);
    expect(pathFor({ name: "orders" })).toBe("/orders");
  });
});
