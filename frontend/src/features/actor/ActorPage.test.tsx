import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { renderWithApollo } from "../../test/apollo.tsx";
import { RISK_QUERY } from "../system/systemQueries.ts";
import { ActorPage } from "./ActorPage.tsx";
import { ACTOR_LOG_QUERY, ACTOR_QUERY, CONFIGURE_ACTOR, PAUSE_ACTOR } from "./queries.ts";

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
  throttleMs: 250,
  contractSize: "10.00",
  targetMarketMode: "hot",
  targetMarkets: ["KXA", "KXB"],
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

async function waitForRows(count: number): Promise<HTMLElement[]> {
  return waitFor(() => {
    const rows = within(screen.getByRole("table", { name: "Actor decisions" })).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(count);
    return rows;
  });
}

describe("ActorPage", () => {
  it("shows decisions with latency and resulting order, counts per market, and pauses", async () => {
    renderWithApollo(<ActorPage pollInterval={0} />, [
      { request: { query: ACTOR_QUERY }, result: { data: { actor: ACTOR } } },
      {
        request: { query: ACTOR_LOG_QUERY, variables: { limit: 100 } },
        result: { data: { actorActions: [action(3, "KXB", "placed"), action(2, "KXA", "hold"), action(1, "KXB", "filled")] } },
      },
      {
        request: { query: PAUSE_ACTOR, variables: { reason: "paused from the dashboard" } },
        result: { data: { pauseActor: { __typename: "ActorPayload", running: true, paused: true, userErrors: [] } } },
      },
      { request: { query: ACTOR_QUERY }, result: { data: { actor: { ...ACTOR, paused: true } } } },
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

  it("puts streamed decisions on top and counts them", async () => {
    const { subscriptions } = renderWithApollo(<ActorPage pollInterval={0} />, [
      { request: { query: ACTOR_QUERY }, result: { data: { actor: ACTOR } } },
      { request: { query: ACTOR_LOG_QUERY, variables: { limit: 100 } }, result: { data: { actorActions: [action(1, "KXA", "hold")] } } },
      RISK,
    ]);
    const stream = await screen.findByRole("table", { name: "Actor decisions" });
    expect(within(stream).getAllByRole("row")).toHaveLength(2);

    act(() => {
      subscriptions.simulateResult({
        result: { data: { actorActions: { ...action(0, "KXC", "filled"), id: null, actedAt: "2026-11-22T00:00:09Z" } } },
      });
    });

    const rows = await waitForRows(2);
    expect(rows[0]).toHaveTextContent("KXC");
    expect(rows[0]).toHaveClass("fresh");
    const counters = screen.getByRole("table", { name: "Per-market counters" });
    expect(within(counters).getByRole("rowheader", { name: "KXC" })).toBeInTheDocument();
  });

  it("changes throttle and size from the settings", async () => {
    renderWithApollo(<ActorPage pollInterval={0} />, [
      { request: { query: ACTOR_QUERY }, result: { data: { actor: ACTOR } } },
      { request: { query: ACTOR_LOG_QUERY, variables: { limit: 100 } }, result: { data: { actorActions: [] } } },
      {
        request: { query: CONFIGURE_ACTOR, variables: { input: { throttleMs: 1000, contractSize: 2 } } },
        result: { data: { configureActor: { __typename: "ActorPayload", running: true, paused: false, userErrors: [] } } },
      },
      { request: { query: ACTOR_QUERY }, result: { data: { actor: { ...ACTOR, throttleMs: 1000, contractSize: "2.00" } } } },
      RISK,
    ]);
    const settings = await screen.findByRole("button", { name: "Settings" });
    act(() => {
      settings.click();
    });
    const form = await screen.findByRole("form", { name: "Configure actor" });
    fireEvent.change(within(form).getByLabelText("Throttle (ms per market)"), { target: { value: "1000" } });
    fireEvent.change(within(form).getByLabelText("Contracts per order"), { target: { value: "2" } });
    act(() => {
      within(form).getByRole("button", { name: "Apply" }).click();
    });
    expect(await screen.findByText("Actor reconfigured (throttleMs, contractSize).")).toBeInTheDocument();
    expect(await screen.findByText("1000 ms")).toBeInTheDocument();
  });

  it("says when the actor is not running", async () => {
    renderWithApollo(<ActorPage pollInterval={0} />, [
      { request: { query: ACTOR_QUERY }, result: { data: { actor: null } } },
      { request: { query: ACTOR_LOG_QUERY, variables: { limit: 100 } }, result: { data: { actorActions: [] } } },
      RISK,
    ]);
    expect(await screen.findByText(/The actor is not running/)).toBeInTheDocument();
    expect(screen.getByText(/No decisions yet: the actor acts/)).toBeInTheDocument();
  });
});
