import { MockedProvider } from "@apollo/client/testing/react";
import type { MockLink } from "@apollo/client/testing";
import { render, screen, within } from "@testing-library/react";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";

import type { SystemHealthQuery } from "../../gql/graphql.ts";
import { SYSTEM_HEALTH_QUERY } from "./healthQuery.ts";
import { HealthSection } from "./HealthSection.tsx";

const HEALTHY: SystemHealthQuery = {
  health: {
    status: "DEGRADED",
    version: "0.1.0",
    mode: "hybrid",
    components: [
      { name: "database", state: "RUNNING", detail: null },
      { name: "orderbook", state: "DEGRADED", detail: "resyncing KXBTC after sequence gap" },
      { name: "actor", state: "STOPPED", detail: "disabled by operator" },
    ],
  },
};

function withTypenames(data: SystemHealthQuery) {
  // The cache asks for __typename; answering with it keeps MockLink quiet.
  return {
    health: {
      __typename: "Health",
      ...data.health,
      components: data.health.components.map((c) => ({ __typename: "ComponentHealth", ...c })),
    },
  };
}

function renderPage(mocks: MockLink.MockedResponse[], pollInterval = 0) {
  return render(
    <MockedProvider mocks={mocks}>
      <HealthSection pollInterval={pollInterval} />
    </MockedProvider>,
  );
}

describe("HealthSection", () => {
  it("shows a loading state before the answer arrives", async () => {
    renderPage([
      { request: { query: SYSTEM_HEALTH_QUERY }, result: { data: withTypenames(HEALTHY) }, delay: 50 },
    ]);

    expect(screen.getByRole("status")).toHaveTextContent("Checking system health");
    // ...and it goes away once data is in.
    await screen.findByRole("table", { name: "Components" });
    expect(screen.queryByText(/Checking system health/)).not.toBeInTheDocument();
  });

  it("renders status, mode, version and one row per component", async () => {
    renderPage([{ request: { query: SYSTEM_HEALTH_QUERY }, result: { data: withTypenames(HEALTHY) } }]);

    const table = await screen.findByRole("table", { name: "Components" });
    const rows = within(table).getAllByRole("row").slice(1); // skip the header row
    expect(rows.map((row) => within(row).getByRole("rowheader").textContent)).toEqual([
      "database",
      "orderbook",
      "actor",
    ]);
    const orderbook = rows[1];
    if (orderbook === undefined) throw new Error("orderbook row missing");
    expect(within(orderbook).getByText("Degraded")).toBeInTheDocument();
    expect(within(orderbook).getByText("resyncing KXBTC after sequence gap")).toBeInTheDocument();

    const overview = screen.getByRole("region", { name: "Overview" });
    expect(within(overview).getByText("hybrid")).toBeInTheDocument();
    expect(within(overview).getByText("0.1.0")).toBeInTheDocument();
    expect(within(overview).getByText("Degraded")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the GraphQL error message instead of a blank page", async () => {
    renderPage([
      {
        request: { query: SYSTEM_HEALTH_QUERY },
        result: { errors: [new GraphQLError("coordinator is not started")] },
      },
    ]);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load system health");
    expect(alert).toHaveTextContent("coordinator is not started");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows a readable message when the request itself fails", async () => {
    renderPage([
      { request: { query: SYSTEM_HEALTH_QUERY }, error: new TypeError("Failed to fetch") },
    ]);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Cannot reach the API (Failed to fetch)");
  });

  it("keeps the last known health, marked stale, when a later poll fails", async () => {
    renderPage(
      [
        { request: { query: SYSTEM_HEALTH_QUERY }, result: { data: withTypenames(HEALTHY) } },
        { request: { query: SYSTEM_HEALTH_QUERY }, error: new TypeError("Failed to fetch") },
      ],
      30,
    );

    await screen.findByRole("table", { name: "Components" });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Health is out of date");
    expect(alert).toHaveTextContent("Cannot reach the API");
    expect(screen.getByRole("table", { name: "Components" })).toBeInTheDocument();
    expect(screen.getByText("last known state")).toBeInTheDocument();
  });

  it("says so when the backend reports no components", async () => {
    const empty: SystemHealthQuery = {
      health: { status: "STARTING", version: "0.1.0", mode: "sandbox", components: [] },
    };
    renderPage([{ request: { query: SYSTEM_HEALTH_QUERY }, result: { data: withTypenames(empty) } }]);

    expect(await screen.findByText(/No components reported yet/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(screen.getByText("sandbox")).toBeInTheDocument();
  });
});
