import { describe, expect, it } from "vitest";

import { parseCount, parsePrice } from "../../shared/money.ts";
import { LINEAR_CENT, parseTickGrid } from "../../shared/tickGrid.ts";
import { validateOrder, type OrderDraft } from "./orderValidation.ts";

const draft = (patch: Partial<OrderDraft> = {}): OrderDraft => ({
  side: "yes",
  action: "buy",
  price: "0.56",
  count: "2",
  ...patch,
});

function errorsOf(d: OrderDraft, grid = LINEAR_CENT) {
  const result = validateOrder(d, grid);
  return result.ok ? {} : result.errors;
}

describe("validateOrder", () => {
  it("accepts a valid order with exact units", () => {
    expect(validateOrder(draft({ count: "2.5" }), LINEAR_CENT)).toEqual({
      ok: true,
      order: { side: "yes", action: "buy", price: parsePrice("0.56"), count: parseCount("2.5") },
    });
  });

  it("keeps the price strictly between 0 and 1", () => {
    expect(errorsOf(draft({ price: "0" })).price).toMatch(/between \$0 and \$1/);
    expect(errorsOf(draft({ price: "1.00" })).price).toMatch(/between/);
    expect(errorsOf(draft({ price: "-0.5" })).price).toMatch(/between/);
    expect(errorsOf(draft({ price: "0.01" })).price).toBeUndefined();
    expect(errorsOf(draft({ price: "0.99" })).price).toBeUndefined();
  });

  it("requires the tick grid and names the nearest valid prices", () => {
    expect(errorsOf(draft({ price: "0.565" })).price).toBe(
      "$0.565 is not on this market's tick grid. Nearest valid: $0.56 or $0.57.",
    );
    const deci = parseTickGrid([{ start: "0", end: "1", step: "0.001" }]);
    expect(errorsOf(draft({ price: "0.565" }), deci).price).toBeUndefined();
    expect(errorsOf(draft({ price: "0.56501" }), deci).price).toMatch(/at most 4 decimals/);
  });

  it("needs at least one contract with at most 2 decimals", () => {
    expect(errorsOf(draft({ count: "0.5" })).count).toMatch(/at least 1 contract/);
    expect(errorsOf(draft({ count: "0" })).count).toMatch(/at least 1/);
    expect(errorsOf(draft({ count: "1.005" })).count).toMatch(/at most 2 decimals/);
    expect(errorsOf(draft({ count: "1.01" })).count).toBeUndefined();
    expect(errorsOf(draft({ count: "" })).count).toMatch(/Enter how many/);
    expect(errorsOf(draft({ count: "lots" })).count).toMatch(/number of contracts/);
  });

  it("rejects unknown side and action values", () => {
    const bad = { ...draft(), side: "maybe", action: "hold" } as unknown as OrderDraft;
    expect(errorsOf(bad)).toMatchObject({ side: "Choose YES or NO.", action: "Choose buy or sell." });
  });

  it("reports every broken field at once", () => {
    expect(Object.keys(errorsOf(draft({ price: "abc", count: "0" }))).sort()).toEqual(["count", "price"]);
  });
});
