import { describe, expect, it } from "vitest";

import { parseCount, parseMoney, parsePrice } from "../../shared/money.ts";
import { isOpen, mergePending, toOrderRow, toOwnOrder, type OrderWire } from "./orderModel.ts";

const WIRE: OrderWire = {
  clientOrderId: "c1",
  orderId: "o1",
  ticker: "T",
  side: "ask",
  yesPrice: "0.5600",
  count: "3.00",
  filled: "1.00",
  remaining: "2.00",
  status: "partially_filled",
  source: "manual",
  rejectionRule: null,
  rejectionReason: null,
  createdAt: "2026-11-22T00:00:00Z",
  updatedAt: "2026-11-22T00:00:01Z",
  realismGap: {
    productionBid: "0.5500",
    productionAsk: null,
    shadowCount: "1.00",
    actualCount: "1.00",
    gap: "-0.010000",
    adverseGap: "0.010000",
  },
};

describe("order model", () => {
  it("parses an order exactly, realism gap included", () => {
    const row = toOrderRow(WIRE);
    expect(row.yesPrice).toBe(parsePrice("0.56"));
    expect(row.remaining).toBe(parseCount("2"));
    expect(row.gap?.adverseGap).toBe(parseMoney("0.01"));
    expect(row.gap?.productionAsk).toBeNull();
    expect(isOpen(row)).toBe(true);
    expect(isOpen({ status: "canceled" })).toBe(false);
  });

  it("joins the rejection rule and reason", () => {
    const row = toOrderRow({ ...WIRE, status: "rejected", rejectionRule: "max_open_orders", rejectionReason: "50 open" });
    expect(row.rejection).toBe("max_open_orders: 50 open");
  });

  it("marks an ask on the ladder as a YES ask at its YES price", () => {
    expect(toOwnOrder(toOrderRow(WIRE))).toMatchObject({ side: "yes", action: "sell", yesPrice: parsePrice("0.56") });
  });

  it("shows a pending order until the server's list holds it", () => {
    const confirmed = [toOrderRow(WIRE)];
    const pending = { ...toOrderRow({ ...WIRE, clientOrderId: "c2" }), pending: true };
    expect(mergePending(confirmed, [pending]).map((o) => o.clientOrderId)).toEqual(["c2", "c1"]);
    const arrived = [toOrderRow({ ...WIRE, clientOrderId: "c2" }), ...confirmed];
    expect(mergePending(arrived, [pending]).map((o) => [o.clientOrderId, o.pending])).toEqual([
      ["c2", false],
      ["c1", false],
    ]);
  });
});
