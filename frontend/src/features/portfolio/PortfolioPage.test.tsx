import { act, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApollo } from "../../test/apollo.tsx";
import { PortfolioPage } from "./PortfolioPage.tsx";
import { PORTFOLIO_QUERY } from "./queries.ts";

function portfolio(value: string, available: string) {
  return {
    __typename: "Portfolio",
    balance: "100.000000",
    cash: "100.000000",
    reserved: "1.120000",
    available,
    value,
    realized: "0.500000",
    unrealizedProduction: "-0.250000",
    unrealizedDemo: "0.100000",
    feesPaid: "0.070000",
    reason: "fill",
    at: "2026-11-22T00:00:05Z",
    positions: [
      {
        __typename: "PositionValue",
        ticker: "KXT-1",
        position: "-3.00",
        cost: "1.320000",
        averageCost: "0.4400",
        realized: "0.500000",
        feesPaid: "0.070000",
        unrealizedProduction: "-0.250000",
        unrealizedDemo: null,
      },
    ],
  };
}

describe("PortfolioPage", () => {
  it("shows cash, value and positions with P&L, then follows the live stream", async () => {
    const { subscriptions } = renderWithApollo(<PortfolioPage />, [
      {
        request: { query: PORTFOLIO_QUERY },
        result: {
          data: {
            portfolio: portfolio("101.000000", "98.880000"),
            portfolioHistory: [
              { __typename: "PortfolioPoint", at: "2026-11-22T00:00:05Z", value: "101.000000", balance: "100.000000" },
              { __typename: "PortfolioPoint", at: "2026-11-22T00:00:00Z", value: "100.000000", balance: "100.000000" },
            ],
          },
        },
      },
    ]);

    const account = await screen.findByRole("region", { name: "Account" });
    expect(within(account).getByText("$98.88")).toBeInTheDocument();
    expect(within(account).getByText("-$0.25")).toBeInTheDocument();
    const positions = screen.getByRole("table", { name: "Positions" });
    expect(within(positions).getByText("-3")).toBeInTheDocument();
    expect(within(positions).getByText("44¢")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Positions" })).toHaveTextContent("P&L +$0.25");
    expect(screen.getByRole("img", { name: "Equity curve" })).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Equity" })).toHaveTextContent("+$1.00");

    act(() => {
      subscriptions.simulateResult({
        result: { data: { portfolio: { ...portfolio("102.500000", "97.000000"), at: "2026-11-22T00:00:09Z" } } },
      });
    });
    expect(await within(account).findByText("$97.00")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Equity" })).toHaveTextContent("+$2.50");
  });

  it("says when trading is not running", async () => {
    renderWithApollo(<PortfolioPage />, [
      { request: { query: PORTFOLIO_QUERY }, result: { data: { portfolio: null, portfolioHistory: [] } } },
    ]);
    expect(await screen.findByText(/Trading is not running/)).toBeInTheDocument();
    expect(screen.getByText("No portfolio history yet.")).toBeInTheDocument();
  });
});
