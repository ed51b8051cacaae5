import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApollo } from "../../test/apollo.tsx";
import { ORDERS_QUERY } from "../orders/queries.ts";
import { MarketPage } from "./MarketPage.tsx";
import { BOOK_DEPTH, DEMO_BOOK_QUERY, MARKET_QUERY } from "./queries.ts";

const level = (price: string, size: string) => ({ __typename: "PriceLevel", price, size });

function book(environment: string, yesBids: object[], noBids: object[]) {
  return {
    __typename: "Orderbook",
    ticker: "KXT-1",
    environment,
    source: environment === "demo" ? "REST" : "LIVE",
    ready: true,
    yesBids,
    noBids,
    seq: environment === "demo" ? null : 7,
    updatedAt: null,
  };
}

const MOCKS = [
  {
    request: { query: MARKET_QUERY, variables: { ticker: "KXT-1", depth: BOOK_DEPTH } },
    result: {
      data: {
        market: {
          __typename: "Market",
          ticker: "KXT-1",
          eventTicker: "KXT",
          title: "Will it?",
          subtitle: "",
          status: "active",
          closeTime: null,
          lastPrice: "0.4300",
          volume: "10.00",
          volume24h: "5.00",
          openInterest: "3.00",
          watched: true,
          orderbook: book("production", [level("0.4200", "5.00")], [level("0.5500", "7.00")]),
          recentTrades: [],
        },
      },
    },
  },
  {
    request: { query: DEMO_BOOK_QUERY, variables: { ticker: "KXT-1", depth: BOOK_DEPTH } },
    result: {
      data: {
        market: {
          __typename: "Market",
          ticker: "KXT-1",
          demoOrderbook: book("demo", [level("0.4000", "2.00")], [level("0.5000", "1.00")]),
        },
      },
    },
  },
  {
    request: { query: ORDERS_QUERY, variables: { ticker: "KXT-1", openOnly: false, first: 50 } },
    result: {
      data: {
        orders: [
          {
            __typename: "Order",
            clientOrderId: "mine",
            orderId: "x",
            ticker: "KXT-1",
            side: "bid",
            yesPrice: "0.4000",
            count: "3.00",
            filled: "0.00",
            remaining: "3.00",
            status: "resting",
            source: "manual",
            rejectionRule: null,
            rejectionReason: null,
            createdAt: "2026-11-22T00:00:00Z",
            updatedAt: "2026-11-22T00:00:00Z",
            realismGap: null,
          },
        ],
      },
    },
  },
];

const STREAMS = ["LiveOrderbook", "MarketTicker", "OrderUpdates"];

function rowAt(ladder: string, price: string): HTMLElement {
  const table = screen.getByRole("table", { name: ladder });
  const row = table.querySelector(`tr[data-price="${price}"]`);
  if (!(row instanceof HTMLElement)) throw new Error(`no ${price} row in ${ladder}`);
  return row;
}

describe("MarketPage", () => {
  it("shows both ladders, marks our resting order, and follows the live book", async () => {
    const { stream } = renderWithApollo(<MarketPage ticker="KXT-1" demoPollInterval={0} />, MOCKS, STREAMS);

    await screen.findByRole("heading", { name: "KXT-1", level: 1 });
    // Data ladder: YES ask 45¢ derived from the NO bid at 55¢.
    expect(within(rowAt("Data ladder", "45¢")).getByText("7")).toBeInTheDocument();
    // Trading ladder: our 3-contract bid at 40¢ is marked.
    await screen.findByRole("table", { name: "Trading ladder" });
    await waitFor(() => {
      expect(within(rowAt("Trading ladder", "40¢")).getByText(/ours\s*3/)).toBeInTheDocument();
    });

    act(() => {
      stream("LiveOrderbook").simulateResult({
        result: {
          data: { orderbook: book("production", [level("0.4400", "9.00")], [level("0.5300", "4.00")]) },
        },
      });
    });

    await waitFor(() => {
      expect(within(rowAt("Data ladder", "47¢")).getByText("4")).toBeInTheDocument();
    });
    expect(within(rowAt("Data ladder", "44¢")).getByText("9")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Data ladder" })).toHaveTextContent("spread 3¢");
  });

  it("switches to the NO ladder", async () => {
    renderWithApollo(<MarketPage ticker="KXT-1" demoPollInterval={0} />, MOCKS, STREAMS);
    await screen.findByRole("heading", { name: "KXT-1", level: 1 });
    act(() => {
      screen.getByLabelText("NO ladder").click();
    });
    // NO bid 55¢ as a bid, YES bid 42¢ as a NO ask at 58¢.
    expect(within(rowAt("Data ladder", "55¢")).getByText("7")).toBeInTheDocument();
    expect(within(rowAt("Data ladder", "58¢")).getByText("5")).toBeInTheDocument();
  });
});
