import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { EnvironmentBanner } from "./EnvironmentBanner.tsx";
import { describeEnvironments } from "./environments.ts";

describe("environment banner", () => {
  it("says where data comes from and where orders go", () => {
    expect(
      describeEnvironments({ data: "production", trading: "demo", productionTradingConfirmed: false }),
    ).toEqual({ tone: "calm", text: "data: production · orders: demo", warning: null });
  });

  it("is loud when orders go to production", () => {
    render(
      <EnvironmentBanner
        environments={{ data: "production", trading: "production", productionTradingConfirmed: true }}
      />,
    );
    const banner = screen.getByRole("alert", { name: "Environments" });
    expect(banner).toHaveTextContent("ORDERS GO TO PRODUCTION: real money.");
    expect(banner).toHaveTextContent("data: production · orders: production");
    expect(banner).toHaveClass("envbanner--danger");
  });

  it("says on every screen when the kill switch is engaged", () => {
    render(
      <EnvironmentBanner
        environments={{ data: "production", trading: "demo", productionTradingConfirmed: false, killSwitchEngaged: true }}
      />,
    );
    const banner = screen.getByRole("alert", { name: "Environments" });
    expect(banner).toHaveTextContent("KILL SWITCH ENGAGED: no new orders.");
    expect(banner).toHaveClass("envbanner--halted");
  });

  it("admits what it does not know yet", () => {
    render(<EnvironmentBanner environments={null} />);
    expect(screen.getByRole("note", { name: "Environments" })).toHaveTextContent(
      "data: unknown · orders: unknown",
    );
    expect(
      describeEnvironments({ data: "simulated", trading: null, productionTradingConfirmed: false }).text,
    ).toBe("data: simulated · orders: not connected");
  });
});
