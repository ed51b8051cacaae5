import type { ComponentState } from "../../gql/graphql.ts";
import { stateView } from "./componentState.ts";

/** Coloured pill with the state's name (the text carries the meaning, not the colour). */
export function StateBadge({ state }: { state: ComponentState }) {
  const { label, tone } = stateView(state);
  return <span className={`badge badge--${tone}`}>{label}</span>;
}
