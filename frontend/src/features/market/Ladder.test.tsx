import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { parseCount, parsePrice } from "../../shared/money.ts";
import { buildLadder } from "./ladder.ts";
import { Ladder } from "./Ladder.tsx";

const level = (price: string, size: string) => ({ price: parsePrice(price), size: parseCount(size) });
const BOOK = { yesBids: [level("0.42", "5")], noBids: [level("0.55", "7")] };

describe("Ladder", () => {
  it("shows asks above the spread, bids below, and marks our orders", () => {
    const ladder = buildLadder(BOOK, "yes", [
      { id: "a", side: "yes", action: "buy", yesPrice: parsePrice("0.42"), remaining: parseCount("2") },
      { id: "b", side: "yes", action: "sell", yesPrice: parsePrice("0.47"), remaining: parseCount("1"), pending: true },
    ]);
    render(<Ladder ladder={ladder} label="Trading ladder" />);
    const rows = within(screen.getByRole("table", { name: "Trading ladder" })).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(["47¢sending 1", "45¢7", "spread 3¢", "ours 2542¢"]);
    const first = rows[0];
    if (first === undefined) throw new Error("no rows");
    expect(within(first).getByTitle("Our order, sent, not yet confirmed")).toBeInTheDocument();
  });

  it("hands a clicked price to the order form", () => {
    const onPick = vi.fn();
    render(<Ladder ladder={buildLadder(BOOK, "no")} label="NO ladder" onPick={onPick} />);
    fireEvent.click(screen.getByRole("button", { name: "58¢" }));
    expect(onPick).toHaveBeenCalledWith(parsePrice("0.58"));
  });

  it("says when the book is empty", () => {
    render(<Ladder ladder={buildLadder({ yesBids: [], noBids: [] }, "yes")} label="x" />);
    expect(screen.getByText("The YES book is empty.")).toBeInTheDocument();
  });
});
