import { describe, expect, it } from "vitest";

import { parseMoney } from "../../shared/money.ts";
import { equityChange, equityCurve } from "./equity.ts";

describe("equity curve", () => {
  it("orders history oldest first, appends live points, later report wins", () => {
    const points = equityCurve(
      [
        { at: "2026-11-22T00:00:02Z", value: "101.500000" },
        { at: "2026-11-22T00:00:01Z", value: "100.000000" },
      ],
      [
        { at: "2026-11-22T00:00:02Z", value: "101.600000" },
        { at: "2026-11-22T00:00:03Z", value: "99.990000" },
      ],
    );
    expect(points.map((p) => p.value)).toEqual([parseMoney("100"), parseMoney("101.6"), parseMoney("99.99")]);
    expect(equityChange(points)).toBe(parseMoney("-0.01"));
    expect(equityChange([])).toBeNull();
  });
});
