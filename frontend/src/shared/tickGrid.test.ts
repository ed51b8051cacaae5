import { describe, expect, it } from "vitest";

import { parsePrice } from "./money.ts";
import { isOnGrid, LINEAR_CENT, neighbours, parseTickGrid, stepAt } from "./tickGrid.ts";

const TAPERED = parseTickGrid([
  { start: "0.0000", end: "0.1000", step: "0.0010" },
  { start: "0.1000", end: "0.9000", step: "0.0100" },
  { start: "0.9000", end: "1.0000", step: "0.0010" },
]);

describe("tick grid", () => {
  it("defaults to whole cents", () => {
    expect(parseTickGrid(null)).toBe(LINEAR_CENT);
    expect(isOnGrid(parsePrice("0.56"), LINEAR_CENT)).toBe(true);
    expect(isOnGrid(parsePrice("0.565"), LINEAR_CENT)).toBe(false);
  });

  it("follows tapered ranges", () => {
    expect(isOnGrid(parsePrice("0.055"), TAPERED)).toBe(true);
    expect(isOnGrid(parsePrice("0.555"), TAPERED)).toBe(false);
    expect(isOnGrid(parsePrice("0.55"), TAPERED)).toBe(true);
    expect(isOnGrid(parsePrice("0.975"), TAPERED)).toBe(true);
    expect(stepAt(parsePrice("0.5"), TAPERED)).toBe(parsePrice("0.01"));
    expect(stepAt(parsePrice("0.1"), TAPERED)).toBe(parsePrice("0.001"));
  });

  it("finds the nearest valid prices around an off-grid one", () => {
    expect(neighbours(parsePrice("0.555"), TAPERED)).toEqual({
      below: parsePrice("0.55"),
      above: parsePrice("0.56"),
    });
    expect(neighbours(parsePrice("0.0555"), TAPERED)).toEqual({
      below: parsePrice("0.055"),
      above: parsePrice("0.056"),
    });
  });
});
