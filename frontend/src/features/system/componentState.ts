import type { ComponentState } from "../../gql/graphql.ts";

export type StateTone = "ok" | "info" | "warn" | "muted" | "bad";

interface StateView {
  readonly label: string;
  readonly tone: StateTone;
}

// Exhaustive over the schema enum: a new backend state fails the typecheck
// here instead of rendering without a colour.
const STATE_VIEWS: Record<ComponentState, StateView> = {
  STARTING: { label: "Starting", tone: "info" },
  RUNNING: { label: "Running", tone: "ok" },
  DEGRADED: { label: "Degraded", tone: "warn" },
  STOPPED: { label: "Stopped", tone: "muted" },
  FAILED: { label: "Failed", tone: "bad" },
};

export function stateView(state: ComponentState): StateView {
  return STATE_VIEWS[state];
}
