import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { ErrorBoundary } from "./ErrorBoundary.tsx";

function Broken(): never {
  throw new Error('price: "0.5x" is not a decimal number');
}

describe("ErrorBoundary", () => {
  it("shows a render failure as a readable message and recovers on a new route", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { rerender } = render(
      <ErrorBoundary resetKey="/markets/A">
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent(/This page failed to show.*"0.5x" is not a decimal number/);

    rerender(
      <ErrorBoundary resetKey="/orders">
        <p>Orders</p>
      </ErrorBoundary>,
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByText("Orders")).toBeInTheDocument();
  });
});
