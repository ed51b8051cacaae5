import { describe, expect, it } from "vitest";

import { linearScale, linePath, stepAreaPath, ticks } from "./geometry.ts";

describe("chart geometry", () => {
  it("scales linearly and copes with a flat domain", () => {
    const scale = linearScale(0, 1, 100, 0); // SVG y grows downwards
    expect(scale(0)).toBe(100);
    expect(scale(0.25)).toBe(75);
    expect(linearScale(5, 5, 0, 10)(5)).toBe(5);
  });

  it("draws lines and filled steps", () => {
    expect(linePath([])).toBe("");
    expect(linePath([{ x: 0, y: 1 }, { x: 2.04, y: 3 }])).toBe("M0,1 L2,3");
    expect(stepAreaPath([{ x: 1, y: 5 }, { x: 3, y: 2 }], 10)).toBe("M1,10 L1,10 L1,5 L3,5 L3,2 L3,10 Z");
    expect(stepAreaPath([], 10)).toBe("");
  });

  it("picks round tick values", () => {
    expect(ticks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(ticks(0.41, 0.58, 4)).toEqual([0.45, 0.5, 0.55]);
    expect(ticks(3, 3, 4)).toEqual([3]);
  });
});
