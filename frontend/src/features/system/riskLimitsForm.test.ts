import { describe, expect, it } from "vitest";

import type { RiskFieldsFragment } from "../../gql/graphql.ts";
import { draftFrom, limitsPatch } from "./riskLimitsForm.ts";

const LIMITS: RiskFieldsFragment = {
  maxContractsPerMarket: "100.00",
  maxTotalExposure: "500.000000",
  maxOpenOrders: 50,
  maxOrdersPerSecond: 5,
  maxDailyLoss: "100.000000",
  minCashReserve: "50.000000",
  noNewPositionsBeforeCloseMinutes: 10,
  maxBookAgeMs: 5000,
  killSwitchEngaged: false,
  killSwitchReason: null,
  enforced: true,
};

describe("risk limits form", () => {
  it("starts from the current limits", () => {
    expect(draftFrom(LIMITS)).toMatchObject({ maxContractsPerMarket: "100", maxTotalExposureDollars: "500.00", maxOpenOrders: "50" });
  });

  it("sends only what changed, money as exact strings", () => {
    const draft = { ...draftFrom(LIMITS), maxOpenOrders: "80", maxDailyLossDollars: "12.5" };
    expect(limitsPatch(LIMITS, draft)).toEqual({
      input: { maxOpenOrders: 80, maxDailyLossDollars: "12.500000" },
      errors: {},
    });
    expect(limitsPatch(LIMITS, draftFrom(LIMITS)).input).toEqual({});
  });

  it("names fields that do not parse", () => {
    const draft = { ...draftFrom(LIMITS), maxOpenOrders: "2.5", minCashReserveDollars: "lots", maxTotalExposureDollars: "-1" };
    expect(limitsPatch(LIMITS, draft).errors).toEqual({
      maxOpenOrders: "A whole number ≥ 0.",
      minCashReserveDollars: "An amount in dollars, e.g. 250 or 12.50.",
      maxTotalExposureDollars: "Not negative.",
    });
  });
});
