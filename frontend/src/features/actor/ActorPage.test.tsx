import { act, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApollo } from "../../test/apollo.tsx";
import { RISK_QUERY } from "../system/systemQueries.ts";
import { ActorPage } from "./ActorPage.tsx";
import { ACTOR_QUERY, PAUSE_ACTOR } from "./queries.ts";

const ACTOR = {
  __typename: "ActorStatus",
  running: true,
  paused: false,
  selector: "hardcoded",
  modelVersion: "rules-v1",
  updates: 120,
  steps: 118,
  orders: 7,
  rejected: 1,
  errors: 0,
  openBreakers: [],
};

function action(id: number, ticker: string, outcome: string) {
  return {
    __typename: "ActorActionEntry",
    id,
    actedAt: "2026-11-22T00:00:00Z",
    ticker,
    bookSeq: id,
    action: outcome === "hold" ? 0 : 3,
    selector: "hardcoded",
    modelVersion: "rules-v1",
    decisionLatencyUs: 850,
    stepLatencyUs: 2400,
    clientOrderId: outcome === "hold" ? null : `a-${String(id)}`,
    orderId: null,
    orderSide: outcome === "hold" ? null : "ask",
    orderYesPrice: outcome === "hold" ? null : "0.6100",
    orderCount: outcome === "hold" ? null : "1.00",
    outcome,
    outcomeDetail: "",
  };
}

const RISK = {
  request: { query: RISK_QUERY },
  result: {
    data: {
      riskLimits: {
        __typename: "RiskLimits",
        maxContractsPerMarket: "100.00",
        maxTotalExposure: "500.000000",
        maxOpenOrders: 50,
        maxOrdersPerSecond: 5,
        maxDailyLoss: "100.000000",
        minCashReserve: "50.000000",
        noNewPositionsBeforeCloseMinutes: 10,
        maxBookAgeMs: 5000,
        killSwitchEngaged: false,
        killSwitchReason: null,
        enforced: true,
      },
    },
  },
  maxUsageCount: 10,
};

describe("ActorPage", () => {
  it("streams decisions with latency and resulting order, counts per market, and pauses", async () => {
    renderWithApollo(<ActorPage pollInterval={0} />, [
      {
        request: { query: ACTOR_QUERY, variables: { limit: 100 } },
        result: { data: { actor: ACTOR, actorActions: [action(3, "KXB", "placed"), action(2, "KXA", "hold"), action(1, "KXB", "filled")] } },
      },
      {
        request: { query: PAUSE_ACTOR, variables: { reason: "paused from the dashboard" } },
        result: { data: { pauseActor: { __typename: "ActorPayload", running: true, paused: true, userErrors: [] } } },
      },
      {
        request: { query: ACTOR_QUERY, variables: { limit: 100 } },
        result: { data: { actor: { ...ACTOR, paused: true }, actorActions: [] } },
      },
      RISK,
    ]);

    const stream = await screen.findByRole("table", { name: "Actor decisions" });
    const rows = within(stream).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent("KXB");
    expect(rows[0]).toHaveTextContent("BUY NO");
    expect(rows[0]).toHaveTextContent("850 µs");
    expect(rows[0]).toHaveTextContent("ask 1 @ 61¢");
    expect(rows[0]).toHaveTextContent("placed");

    const counters = screen.getByRole("table", { name: "Per-market counters" });
    const kxb = within(counters).getByRole("rowheader", { name: "KXB" }).closest("tr");
    expect(kxb).toHaveTextContent(/KXB\s*2\s*0\s*2\s*1/);

    expect(screen.getByText("trading")).toBeInTheDocument();
    act(() => {
      screen.getByRole("button", { name: "Pause actor" }).click();
    });
    expect(await screen.findByText(/Actor paused/)).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "Resume actor" })).toBeInTheDocument();
  });

  it("says when the actor is not running", async () => {
    renderWithApollo(<ActorPage pollInterval={0} />, [
      { request: { query: ACTOR_QUERY, variables: { limit: 100 } }, result: { data: { actor: null, actorActions: [] } } },
      RISK,
    ]);
    expect(await screen.findByText(/The actor is not running/)).toBeInTheDocument();
    expect(screen.getByText(/No decisions yet: the actor acts/)).toBeInTheDocument();
  });
});
