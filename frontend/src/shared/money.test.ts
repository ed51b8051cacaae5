import { describe, expect, it } from "vitest";

import {
  complement,
  compareBig,
  FixedPointError,
  formatCount,
  formatCountWire,
  formatMoney,
  formatMoneyWire,
  formatPrice,
  formatPriceCents,
  formatPriceWire,
  formatSignedMoney,
  notional,
  parseCount,
  parseMoney,
  parsePrice,
  sumMoney,
  type Money,
} from "./money.ts";

describe("money: parsing", () => {
  it("parses wire strings into exact scaled integers", () => {
    expect(parsePrice("0.5600")).toBe(5600n);
    expect(parsePrice("0.565")).toBe(5650n);
    expect(parsePrice("1")).toBe(10000n);
    expect(parsePrice(".07")).toBe(700n);
    expect(parseCount("3.00")).toBe(300n);
    expect(parseCount("0.01")).toBe(1n);
    expect(parseMoney("98.018600")).toBe(98_018_600n);
    expect(parseMoney("-0.5")).toBe(-500_000n);
  });

  it("accepts trailing zeros beyond the scale but refuses real extra precision", () => {
    expect(parsePrice("0.560000")).toBe(5600n);
    expect(() => parsePrice("0.56001")).toThrow(FixedPointError);
    expect(() => parseCount("1.005")).toThrow(/more than 2 decimal places/);
  });

  it("refuses what is not a decimal", () => {
    for (const bad of ["", "abc", "1e3", "0x10", "1.2.3", "NaN", "--1"]) {
      expect(() => parseMoney(bad), bad).toThrow(FixedPointError);
    }
  });

  it("adds what floats cannot: 0.1 + 0.2 is exactly 0.3", () => {
    const total = sumMoney([parseMoney("0.1"), parseMoney("0.2")]);
    expect(formatMoneyWire(total)).toBe("0.300000");
    // ...and a thousand 7-cent fills are exactly $70.
    expect(formatMoney(sumMoney(Array.from({ length: 1000 }, () => parseMoney("0.07"))))).toBe(
      "$70.00",
    );
  });
});

describe("money: formatting", () => {
  it("round-trips the wire forms", () => {
    expect(formatPriceWire(parsePrice("0.56"))).toBe("0.5600");
    expect(formatCountWire(parseCount("3"))).toBe("3.00");
    expect(formatMoneyWire(parseMoney("-98.0186"))).toBe("-98.018600");
    expect(formatMoneyWire(0n as Money)).toBe("0.000000");
  });

  it("shows prices as traders read them", () => {
    expect(formatPrice(parsePrice("0.5600"))).toBe("$0.56");
    expect(formatPrice(parsePrice("0.5650"))).toBe("$0.565");
    expect(formatPriceCents(parsePrice("0.5600"))).toBe("56¢");
    expect(formatPriceCents(parsePrice("0.0650"))).toBe("6.5¢");
    expect(formatPriceCents(parsePrice("0.0005"))).toBe("0.05¢");
  });

  it("shows counts without needless decimals", () => {
    expect(formatCount(parseCount("3.00"))).toBe("3");
    expect(formatCount(parseCount("2.50"))).toBe("2.5");
    expect(formatCount(parseCount("0.01"))).toBe("0.01");
  });

  it("rounds money half away from zero and groups thousands", () => {
    expect(formatMoney(parseMoney("1234.565"))).toBe("$1,234.57");
    expect(formatMoney(parseMoney("1234.564999"))).toBe("$1,234.56");
    expect(formatMoney(parseMoney("-0.005"))).toBe("-$0.01");
    expect(formatMoney(parseMoney("-0.004"))).toBe("$0.00");
    expect(formatMoney(parseMoney("1000000"))).toBe("$1,000,000.00");
    expect(formatSignedMoney(parseMoney("2.5"))).toBe("+$2.50");
    expect(formatSignedMoney(parseMoney("-2.5"))).toBe("-$2.50");
    expect(formatSignedMoney(parseMoney("0.001"))).toBe("$0.00");
  });
});

describe("money: arithmetic", () => {
  it("price × count is exact money", () => {
    expect(notional(parsePrice("0.5650"), parseCount("3.33"))).toBe(parseMoney("1.881450"));
  });

  it("complements a price to the other outcome", () => {
    expect(complement(parsePrice("0.44"))).toBe(parsePrice("0.56"));
  });

  it("compares bigints for sorting", () => {
    expect([3n, 1n, 2n].sort(compareBig)).toEqual([1n, 2n, 3n]);
  });
});
