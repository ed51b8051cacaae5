import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { parseCount, parsePrice } from "../../shared/money.ts";
import { LINEAR_CENT } from "../../shared/tickGrid.ts";
import { OrderForm, type SubmitResult } from "./OrderForm.tsx";
import type { ValidOrder } from "./orderValidation.ts";

function setup(
  onSubmit = vi.fn<(order: ValidOrder) => Promise<SubmitResult>>(() =>
    Promise.resolve({ ok: true, message: "Order resting." }),
  ),
) {
  const utils = render(<OrderForm grid={LINEAR_CENT} environment="demo" onSubmit={onSubmit} />);
  const price = screen.getByLabelText(/Limit price/);
  const count = screen.getByLabelText("Contracts");
  const type = (input: HTMLElement, value: string) => {
    fireEvent.change(input, { target: { value } });
  };
  const submit = () => {
    fireEvent.click(screen.getByRole("button", { name: /on demo/ }));
  };
  return { ...utils, onSubmit, price, count, type, submit };
}

describe("OrderForm", () => {
  it("sends a valid order in exact units and shows the server's confirmation", async () => {
    const { onSubmit, price, count, type, submit } = setup();
    fireEvent.click(screen.getByLabelText("NO"));
    fireEvent.click(screen.getByLabelText("Sell"));
    type(price, "0.44");
    type(count, "2.5");
    expect(screen.getByRole("button", { name: "Sell NO on demo" })).toBeInTheDocument();
    expect(screen.getByText(/2.5 × \$0.44 = \$1.10/)).toBeInTheDocument();

    submit();

    expect(onSubmit).toHaveBeenCalledWith({
      side: "no",
      action: "sell",
      price: parsePrice("0.44"),
      count: parseCount("2.5"),
    });
    expect(await screen.findByRole("status")).toHaveTextContent("Order resting.");
  });

  it("validates like the server before sending: grid, range, count", () => {
    const { onSubmit, price, count, type, submit } = setup();
    type(price, "0.565");
    type(count, "0.5");
    submit();

    expect(onSubmit).not.toHaveBeenCalled();
    expect(price).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText(/not on this market's tick grid. Nearest valid: \$0.56 or \$0.57/)).toBeInTheDocument();
    expect(screen.getByText("The count must be at least 1 contract.")).toBeInTheDocument();

    type(price, "1");
    expect(screen.getByText(/between \$0 and \$1/)).toBeInTheDocument();
    type(price, "0.56");
    type(count, "1");
    expect(price).toHaveAttribute("aria-invalid", "false");
  });

  it("shows the server's user errors on their fields and in general", async () => {
    const onSubmit = vi.fn(() =>
      Promise.resolve<SubmitResult>({
        ok: false,
        errors: [
          { field: "price", message: "PRICE_OFF_GRID: 0.5500 is not a tick of this market" },
          { field: null, message: "Risk: max open orders (5) reached" },
        ],
      }),
    );
    const { price, type, submit } = setup(onSubmit);
    type(price, "0.55");
    submit();

    expect(await screen.findByText(/PRICE_OFF_GRID/)).toBeInTheDocument();
    expect(price).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("The order was not placed");
    expect(screen.getByRole("alert")).toHaveTextContent("max open orders");

    // Editing the field clears the stale server error.
    type(price, "0.54");
    expect(screen.queryByText(/PRICE_OFF_GRID/)).not.toBeInTheDocument();
  });

  it("disables the button while sending", async () => {
    let resolve: (r: SubmitResult) => void = () => undefined;
    const onSubmit = vi.fn(() => new Promise<SubmitResult>((r) => (resolve = r)));
    const { price, type, submit } = setup(onSubmit);
    type(price, "0.5");
    submit();
    expect(screen.getByRole("button", { name: "Sending…" })).toBeDisabled();
    act(() => {
      resolve({ ok: true, message: "done" });
    });
    await waitFor(() => {
      expect(screen.getByRole("button", { name: "Buy YES on demo" })).toBeEnabled();
    });
  });

  it("takes a price picked on the ladder in the chosen side's terms", () => {
    const onSubmit = vi.fn();
    const { rerender } = render(<OrderForm grid={LINEAR_CENT} environment={null} onSubmit={onSubmit} />);
    fireEvent.click(screen.getByLabelText("NO"));
    rerender(
      <OrderForm grid={LINEAR_CENT} environment={null} onSubmit={onSubmit} prefill={{ yesPrice: parsePrice("0.42"), nonce: 1 }} />,
    );
    expect(screen.getByLabelText(/Limit price/)).toHaveValue("0.58");
  });
});
