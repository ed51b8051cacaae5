import { act, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApollo } from "../../test/apollo.tsx";
import { OrdersPage } from "./OrdersPage.tsx";
import { CANCEL_ORDER_MUTATION, FILLS_QUERY, ORDERS_QUERY } from "./queries.ts";

function order(clientOrderId: string, status: string, remaining = "2.00") {
  return {
    __typename: "Order",
    clientOrderId,
    orderId: `x-${clientOrderId}`,
    ticker: "KXT-1",
    side: "bid",
    yesPrice: "0.4200",
    count: "2.00",
    filled: status === "executed" ? "2.00" : "0.00",
    remaining,
    status,
    source: "manual",
    rejectionRule: null,
    rejectionReason: null,
    createdAt: "2026-11-22T00:00:00Z",
    updatedAt: "2026-11-22T00:00:00Z",
    realismGap:
      status === "executed"
        ? {
            __typename: "RealismGap",
            productionBid: "0.4100",
            productionAsk: "0.4300",
            shadowCount: "2.00",
            actualCount: "2.00",
            gap: "0.020000",
            adverseGap: "0.020000",
          }
        : null,
  };
}

const ORDERS_VARS = { ticker: null, openOnly: false, first: 200 };
const ordersResult = (orders: object[]) => ({
  request: { query: ORDERS_QUERY, variables: ORDERS_VARS },
  result: { data: { orders } },
});
const NO_FILLS = { request: { query: FILLS_QUERY, variables: { ticker: null, first: 100 } }, result: { data: { fills: [] } } };

describe("OrdersPage", () => {
  it("splits open and past orders and shows the realism gap", async () => {
    renderWithApollo(<OrdersPage />, [ordersResult([order("a", "resting"), order("b", "executed", "0.00")]), NO_FILLS]);

    const open = await screen.findByRole("table", { name: "Open orders" });
    expect(within(open).getAllByRole("row")).toHaveLength(2);
    const past = screen.getByRole("table", { name: "Past orders" });
    expect(within(past).getByText("+$0.0200")).toBeInTheDocument();
    expect(await screen.findByText("No fills yet.")).toBeInTheDocument();
  });

  it("refreshes the lists when the order stream reports a change", async () => {
    const { subscriptions } = renderWithApollo(<OrdersPage />, [
      ordersResult([]),
      NO_FILLS,
      ordersResult([order("a", "resting")]),
    ]);
    expect(await screen.findByText("No open orders.")).toBeInTheDocument();

    act(() => {
      subscriptions.simulateResult({
        result: {
          data: {
            orderUpdates: {
              __typename: "OrderUpdate",
              clientOrderId: "a",
              orderId: "x-a",
              ticker: "KXT-1",
              status: "resting",
              filled: "0.00",
              remaining: "2.00",
              at: "2026-11-22T00:00:00Z",
            },
          },
        },
      });
    });

    const open = await screen.findByRole("table", { name: "Open orders" });
    expect(within(open).getByRole("button", { name: "Cancel order a" })).toBeInTheDocument();
  });

  it("cancels an order and says so", async () => {
    renderWithApollo(<OrdersPage />, [
      ordersResult([order("a", "resting")]),
      NO_FILLS,
      {
        request: { query: CANCEL_ORDER_MUTATION, variables: { id: "a" } },
        result: { data: { cancelOrder: { __typename: "OrderPayload", order: order("a", "canceled", "0.00"), userErrors: [] } } },
      },
      ordersResult([order("a", "canceled", "0.00")]),
    ]);
    const button = await screen.findByRole("button", { name: "Cancel order a" });
    act(() => {
      button.click();
    });
    expect(await screen.findByText("Order canceled.")).toBeInTheDocument();
    expect(await screen.findByText("No open orders.")).toBeInTheDocument();
  });
});
