import type { ActorConfigInput, ActorSelectorChoice, TargetMarketMode } from "../../gql/graphql.ts";
import { COUNT_DECIMALS, formatScaled, parseCount, roundScaled } from "../../shared/money.ts";

export const SELECTORS: readonly ActorSelectorChoice[] = ["HARDCODED", "BASELINE", "HOLD", "MODEL"];
export const TARGET_MODES: readonly TargetMarketMode[] = ["HOT", "CONFIG", "ALL"];

/** What the actor reports now (ActorStatus). */
export interface ActorSettings {
  readonly selector: string;
  readonly throttleMs: number;
  readonly contractSize: string;
  readonly targetMarketMode: string;
  readonly targetMarkets: readonly string[];
}

export interface ActorDraft {
  readonly selector: string;
  readonly modelId: string;
  readonly throttleMs: string;
  readonly contractSize: string;
  readonly targetMarketMode: string;
  /** Comma or space separated tickers (target mode CONFIG). */
  readonly targetTickers: string;
}

function asSelector(value: string): ActorSelectorChoice {
  const upper = value.toUpperCase();
  return (SELECTORS as readonly string[]).includes(upper) ? (upper as ActorSelectorChoice) : "MODEL";
}

function asMode(value: string): TargetMarketMode {
  const upper = value.toUpperCase();
  return (TARGET_MODES as readonly string[]).includes(upper) ? (upper as TargetMarketMode) : "HOT";
}

export function draftFromActor(actor: ActorSettings): ActorDraft {
  return {
    selector: asSelector(actor.selector),
    modelId: "",
    throttleMs: String(actor.throttleMs),
    contractSize: formatScaled(roundScaled(parseCount(actor.contractSize), COUNT_DECIMALS, 0), 0),
    targetMarketMode: asMode(actor.targetMarketMode),
    targetTickers: actor.targetMarkets.join(", "),
  };
}

export type ActorConfigErrors = Partial<Record<keyof ActorDraft, string>>;

/** The configureActor input for what changed, or what to fix. */
export function actorConfigPatch(
  actor: ActorSettings,
  draft: ActorDraft,
): { input: ActorConfigInput; errors: ActorConfigErrors } {
  const start = draftFromActor(actor);
  const input: ActorConfigInput = {};
  const errors: ActorConfigErrors = {};
  const whole = (text: string, min: number): number | null => (/^\d+$/.test(text.trim()) && Number(text) >= min ? Number(text) : null);

  if (draft.selector !== start.selector || draft.selector === "MODEL") {
    input.selector = asSelector(draft.selector);
    if (draft.selector === "MODEL") {
      const id = whole(draft.modelId, 1);
      if (id === null) errors.modelId = "The id of a trained model (kalshiflow train prints it).";
      else input.modelId = id;
    }
    if (draft.selector === start.selector && draft.selector === "MODEL" && draft.modelId.trim() === "") {
      // Same selector, no new model: nothing to change.
      delete input.selector;
      delete errors.modelId;
    }
  }
  if (draft.throttleMs.trim() !== start.throttleMs) {
    const ms = whole(draft.throttleMs, 0);
    if (ms === null) errors.throttleMs = "Milliseconds, a whole number ≥ 0.";
    else input.throttleMs = ms;
  }
  if (draft.contractSize.trim() !== start.contractSize) {
    const size = whole(draft.contractSize, 1);
    if (size === null) errors.contractSize = "Whole contracts, at least 1.";
    else input.contractSize = size;
  }
  const tickers = draft.targetTickers
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (draft.targetMarketMode !== start.targetMarketMode) input.targetMarketMode = asMode(draft.targetMarketMode);
  if (draft.targetMarketMode === "CONFIG") {
    if (tickers.length === 0) errors.targetTickers = "Name at least one market for target mode CONFIG.";
    else if (tickers.join(",") !== actor.targetMarkets.join(",") || input.targetMarketMode !== undefined) {
      input.targetTickers = tickers;
    }
  }
  return { input, errors };
}
