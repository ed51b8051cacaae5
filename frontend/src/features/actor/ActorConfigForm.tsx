import { useMutation } from "@apollo/client/react";
import { useState, type SyntheticEvent } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import { actorConfigPatch, draftFromActor, SELECTORS, TARGET_MODES, type ActorConfigErrors, type ActorDraft, type ActorSettings } from "./actorConfig.ts";
import { CONFIGURE_ACTOR } from "./queries.ts";

/** Selector or trained model, throttle, order size and target markets of the running actor. */
export function ActorConfigForm({ actor, onDone }: { actor: ActorSettings; onDone: (message: string) => void }) {
  const [draft, setDraft] = useState<ActorDraft>(() => draftFromActor(actor));
  const [errors, setErrors] = useState<ActorConfigErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [configure, { loading }] = useMutation(CONFIGURE_ACTOR);
  const set = (key: keyof ActorDraft) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const save = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { input, errors: local } = actorConfigPatch(actor, draft);
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    if (Object.keys(input).length === 0) {
      onDone("Nothing changed.");
      return;
    }
    configure({ variables: { input } })
      .then(({ data }) => {
        const userErrors = data?.configureActor.userErrors ?? [];
        if (userErrors.length > 0) {
          setServerError(userErrors.map((e) => (e.field == null ? e.message : `${e.field}: ${e.message}`)).join("; "));
          return;
        }
        onDone(`Actor reconfigured (${Object.keys(input).join(", ")}).`);
      })
      .catch((e: unknown) => {
        setServerError(describeError(e));
      });
  };

  const text = (key: keyof ActorDraft, label: string, hint?: string) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input mono"
        value={draft[key]}
        placeholder={hint}
        aria-invalid={errors[key] !== undefined}
        onChange={(e) => {
          set(key)(e.target.value);
        }}
      />
      {errors[key] !== undefined && <span className="field__error">{errors[key]}</span>}
    </label>
  );
  const choice = (key: keyof ActorDraft, label: string, options: readonly string[]) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <select
        className="select"
        value={draft[key]}
        onChange={(e) => {
          set(key)(e.target.value);
        }}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {o.toLowerCase()}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form className="toolbar" onSubmit={save} aria-label="Configure actor" noValidate>
      {choice("selector", "Selector", SELECTORS)}
      {draft.selector === "MODEL" && text("modelId", "Model id", "from kalshiflow train")}
      {text("throttleMs", "Throttle (ms per market)")}
      {text("contractSize", "Contracts per order")}
      {choice("targetMarketMode", "Markets", TARGET_MODES)}
      {draft.targetMarketMode === "CONFIG" && text("targetTickers", "Target tickers", "KXA-1, KXB-2")}
      {serverError !== null && (
        <div className="state state--error" role="alert">
          {serverError}
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={loading}>
        {loading ? "Applying…" : "Apply"}
      </button>
    </form>
  );
}
