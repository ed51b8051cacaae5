import { act, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { MarketsQuery } from "../../gql/graphql.ts";
import { renderWithApollo } from "../../test/apollo.tsx";
import { MarketsPage } from "./MarketsPage.tsx";
import { DEMO_TOPS_QUERY, MARKETS_QUERY } from "./queries.ts";

type Node = MarketsQuery["markets"]["nodes"][number];

function node(ticker: string, patch: Partial<Node> = {}) {
  return {
    __typename: "Market",
    ticker,
    title: `Title of ${ticker}`,
    subtitle: "",
    status: "active",
    closeTime: null,
    volume: "100.00",
    volume24h: "10.00",
    openInterest: "50.00",
    lastPrice: "0.5000",
    watched: true,
    stats: { __typename: "MarketStats", bestYesBid: "0.4900", bestYesAsk: "0.5100", bookLevels: 4 },
    ...patch,
  };
}

const MARKETS = {
  request: {
    query: MARKETS_QUERY,
    variables: { filter: null, sort: "ACTIVITY", first: 25, after: null },
  },
  result: {
    data: {
      markets: {
        __typename: "MarketConnection",
        totalCount: 2,
        pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
        nodes: [node("KXA-1", { lastPrice: "0.3000" }), node("KXB-2", { lastPrice: "0.7000" })],
      },
    },
  },
} as const;

function demo(ticker: string, bid: string | null) {
  return {
    request: { query: DEMO_TOPS_QUERY, variables: { ticker } },
    result: {
      data: {
        market: {
          __typename: "Market",
          ticker,
          demoOrderbook:
            bid === null
              ? null
              : { __typename: "Orderbook", environment: "demo", bestYesBid: bid, bestYesAsk: "0.9900" },
        },
      },
    },
  };
}

function rowOf(ticker: string): HTMLElement {
  const header = screen.getByRole("rowheader", { name: new RegExp(ticker) });
  const row = header.closest("tr");
  if (row === null) throw new Error(`no row for ${ticker}`);
  return row;
}

describe("MarketsPage", () => {
  it("lists markets with production and demo prices side by side", async () => {
    renderWithApollo(<MarketsPage demoPollInterval={0} />, [
      MARKETS,
      demo("KXA-1", "0.2800"),
      demo("KXB-2", null),
    ]);

    await screen.findByRole("table", { name: "Markets" });
    const a = rowOf("KXA-1");
    expect(within(a).getByText("30¢")).toBeInTheDocument();
    expect(await within(a).findByText("28¢")).toBeInTheDocument();
    expect(await within(rowOf("KXB-2")).findByText("not listed")).toBeInTheDocument();
  });

  it("updates prices from the live ticker subscription", async () => {
    const { subscriptions } = renderWithApollo(<MarketsPage demoPollInterval={0} />, [
      MARKETS,
      demo("KXA-1", "0.2800"),
      demo("KXB-2", "0.6000"),
    ]);
    await screen.findByRole("table", { name: "Markets" });

    act(() => {
      subscriptions.simulateResult({
        result: {
          data: {
            marketTickers: {
              __typename: "MarketTicker",
              ticker: "KXA-1",
              lastPrice: "0.3300",
              yesBid: "0.3200",
              yesAsk: "0.3400",
              volume: "120.00",
              openInterest: null,
              at: "2026-11-22T00:00:00Z",
            },
          },
        },
      });
    });

    const a = rowOf("KXA-1");
    expect(await within(a).findByText("33¢")).toBeInTheDocument();
    expect(within(a).getByText("32¢")).toBeInTheDocument();
    expect(within(a).getByText("120")).toBeInTheDocument();
  });

  it("sorts by a column when its header is clicked", async () => {
    renderWithApollo(<MarketsPage demoPollInterval={0} />, [MARKETS, demo("KXA-1", null), demo("KXB-2", null)]);
    await screen.findByRole("table", { name: "Markets" });
    const tickers = () => screen.getAllByRole("rowheader").map((h) => h.querySelector("a")?.textContent);

    expect(tickers()).toEqual(["KXA-1", "KXB-2"]);
    act(() => {
      screen.getByRole("button", { name: "Last" }).click();
    });
    expect(tickers()).toEqual(["KXB-2", "KXA-1"]);
    expect(screen.getByRole("columnheader", { name: /Last/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("explains an empty market list", async () => {
    renderWithApollo(<MarketsPage demoPollInterval={0} />, [
      {
        ...MARKETS,
        result: {
          data: {
            markets: { ...MARKETS.result.data.markets, totalCount: 0, nodes: [] },
          },
        },
      },
    ]);
    expect(await screen.findByText(/No markets yet/)).toBeInTheDocument();
  });
});
