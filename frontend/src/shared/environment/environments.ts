/**
 * Where data comes from and where orders go, as one sentence the operator
 * can never miss. Orders to production move real money: that banner is loud.
 */

export interface EnvironmentInput {
  /** production | demo | simulated; null until the backend's clients start. */
  readonly data: string | null;
  readonly trading: string | null;
  readonly productionTradingConfirmed: boolean;
  /** The kill switch refuses every new order: said on every screen. */
  readonly killSwitchEngaged?: boolean;
}

export type EnvironmentTone = "calm" | "unknown" | "halted" | "danger";

export interface EnvironmentView {
  readonly tone: EnvironmentTone;
  readonly text: string;
  /** Extra words for the loud variant. */
  readonly warning: string | null;
}

export function describeEnvironments(input: EnvironmentInput | null): EnvironmentView {
  if (input === null) {
    return { tone: "unknown", text: "data: unknown · orders: unknown", warning: null };
  }
  const data = input.data ?? "not connected";
  const orders = input.trading ?? "not connected";
  const text = `data: ${data} · orders: ${orders}`;
  if (input.trading === "production") {
    const halted = input.killSwitchEngaged === true ? " Kill switch engaged." : "";
    return {
      tone: "danger",
      text,
      warning: (input.productionTradingConfirmed
        ? "ORDERS GO TO PRODUCTION: real money."
        : "ORDERS WOULD GO TO PRODUCTION (not confirmed: the backend refuses them).") + halted,
    };
  }
  if (input.killSwitchEngaged === true) {
    return { tone: "halted", text, warning: "KILL SWITCH ENGAGED: no new orders." };
  }
  return { tone: input.data === null || input.trading === null ? "unknown" : "calm", text, warning: null };
}
