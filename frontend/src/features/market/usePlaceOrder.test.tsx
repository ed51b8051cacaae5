import { ApolloClient, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { MockLink } from "@apollo/client/testing";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";

import { parseCount, parsePrice } from "../../shared/money.ts";
import { PLACE_ORDER_MUTATION } from "../orders/queries.ts";
import type { SubmitResult } from "./OrderForm.tsx";
import { usePlaceOrder } from "./usePlaceOrder.ts";

const ORDER = { side: "no", action: "buy", price: parsePrice("0.44"), count: parseCount("2") } as const;

function wrapper(mocks: MockLink.MockedResponse[]) {
  const client = new ApolloClient({ link: new MockLink(mocks), cache: new InMemoryCache() });
  return ({ children }: { children: ReactNode }) => <ApolloProvider client={client}>{children}</ApolloProvider>;
}

/** Answers any placeOrder; checks the exact wire input and returns `payload`. */
function placeMock(payload: (clientOrderId: string) => object, seen: (input: Record<string, unknown>) => void) {
  return {
    request: {
      query: PLACE_ORDER_MUTATION,
      variables: (vars: { input?: Record<string, unknown> }) => {
        seen(vars.input ?? {});
        return true;
      },
    },
    result: ({ input }: { input: { clientOrderId: string } }) => ({
      data: { placeOrder: { __typename: "OrderPayload", ...payload(input.clientOrderId) } },
    }),
    delay: 30,
  } as unknown as MockLink.MockedResponse;
}

function orderWire(clientOrderId: string) {
  return {
    __typename: "Order",
    clientOrderId,
    orderId: "x1",
    ticker: "T",
    side: "ask",
    yesPrice: "0.5600",
    count: "2.00",
    filled: "0.00",
    remaining: "2.00",
    status: "resting",
    source: "manual",
    rejectionRule: null,
    rejectionReason: null,
    createdAt: "2026-11-22T00:00:00Z",
    updatedAt: "2026-11-22T00:00:00Z",
    realismGap: null,
  };
}

describe("usePlaceOrder (optimistic)", () => {
  it("shows the order at once, sends exact wire values, and keeps it until the list is refreshed", async () => {
    const inputs: Record<string, unknown>[] = [];
    const refetch = vi.fn(() => Promise.resolve());
    const { result } = renderHook(() => usePlaceOrder("T", refetch), {
      wrapper: wrapper([placeMock((id) => ({ order: orderWire(id), userErrors: [] }), (i) => inputs.push(i))]),
    });

    let outcome: Promise<SubmitResult> = Promise.resolve({ ok: true, message: "" });
    act(() => {
      outcome = result.current.submit(ORDER);
    });
    // Optimistic: a NO buy at 44¢ rests as a YES ask at 56¢.
    expect(result.current.pending).toHaveLength(1);
    expect(result.current.pending[0]).toMatchObject({ side: "ask", yesPrice: parsePrice("0.56"), pending: true });

    let settled: SubmitResult | undefined;
    await act(async () => {
      settled = await outcome;
    });
    expect(settled).toEqual({ ok: true, message: "Order resting: 2 NO at $0.44." });
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(result.current.pending).toHaveLength(0);
    expect(inputs.at(-1)).toMatchObject({ ticker: "T", outcome: "NO", action: "BUY", price: "0.4400", count: "2.00" });
    expect(String(inputs.at(-1)?.clientOrderId)).toMatch(/^dash-/);
  });

  it("rolls the optimistic order back and returns the server's user errors", async () => {
    const refetch = vi.fn(() => Promise.resolve());
    const { result } = renderHook(() => usePlaceOrder("T", refetch), {
      wrapper: wrapper([
        placeMock(
          () => ({
            order: null,
            userErrors: [
              { __typename: "UserError", field: "price", code: "PRICE_OFF_GRID", message: "0.4400 is off the grid", rule: null },
              { __typename: "UserError", field: null, code: "RISK_REJECTED", message: "too many open orders", rule: "max_open_orders" },
            ],
          }),
          () => undefined,
        ),
      ]),
    });

    let outcome: Promise<SubmitResult> = Promise.resolve({ ok: true, message: "" });
    act(() => {
      outcome = result.current.submit(ORDER);
    });
    expect(result.current.pending).toHaveLength(1);
    let settled: SubmitResult | undefined;
    await act(async () => {
      settled = await outcome;
    });
    expect(settled).toEqual({
      ok: false,
      errors: [
        { field: "price", message: "0.4400 is off the grid" },
        { field: null, message: "too many open orders (rule: max_open_orders)" },
      ],
    });
    expect(result.current.pending).toHaveLength(0);
    expect(refetch).not.toHaveBeenCalled();
  });

  it("rolls back with a readable message when the request fails", async () => {
    const { result } = renderHook(() => usePlaceOrder("T", () => Promise.resolve()), {
      wrapper: wrapper([
        {
          request: { query: PLACE_ORDER_MUTATION, variables: () => true },
          error: new TypeError("Failed to fetch"),
        },
      ]),
    });
    let settled: SubmitResult | undefined;
    await act(async () => {
      settled = await result.current.submit(ORDER);
    });
    expect(settled).toMatchObject({ ok: false, errors: [{ field: null, message: expect.stringMatching(/Cannot reach the API/) as unknown }] });
    await waitFor(() => {
      expect(result.current.pending).toHaveLength(0);
    });
  });
});
