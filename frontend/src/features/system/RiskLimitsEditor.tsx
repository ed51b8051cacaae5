import { useMutation } from "@apollo/client/react";
import { useState, type SyntheticEvent } from "react";

import type { RiskFieldsFragment } from "../../gql/graphql.ts";
import { describeError } from "../../shared/errors/describeError.ts";
import { draftFrom, LIMIT_FIELDS, limitsPatch, type LimitDraft } from "./riskLimitsForm.ts";
import { UPDATE_RISK_LIMITS } from "./systemQueries.ts";

/** Change risk limits at runtime (the backend checks them together; not persisted). */
export function RiskLimitsEditor({ limits, onDone }: { limits: RiskFieldsFragment; onDone: (message: string) => void }) {
  const [draft, setDraft] = useState<LimitDraft>(() => draftFrom(limits));
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [update, { loading }] = useMutation(UPDATE_RISK_LIMITS);

  const save = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { input, errors: local } = limitsPatch(limits, draft);
    setErrors(local);
    setServerError(null);
    if (Object.keys(local).length > 0) return;
    if (Object.keys(input).length === 0) {
      onDone("Nothing changed.");
      return;
    }
    update({ variables: { input } })
      .then(({ data }) => {
        const userErrors = data?.updateRiskLimits.userErrors ?? [];
        if (userErrors.length > 0) {
          setErrors(Object.fromEntries(userErrors.filter((e) => e.field != null).map((e) => [e.field ?? "", e.message])));
          const general = userErrors.filter((e) => e.field == null).map((e) => e.message);
          setServerError(general.length > 0 ? general.join("; ") : "The server refused the new limits.");
          return;
        }
        onDone(`Risk limits updated (${Object.keys(input).join(", ")}).`);
      })
      .catch((e: unknown) => {
        setServerError(describeError(e));
      });
  };

  return (
    <form className="toolbar" onSubmit={save} aria-label="Edit risk limits" noValidate>
      {LIMIT_FIELDS.map((f) => (
        <label className="field" key={f.key}>
          <span className="field__label">{f.label}</span>
          <input
            className="input mono"
            inputMode="decimal"
            value={draft[f.key] ?? ""}
            aria-invalid={errors[f.key] !== undefined}
            onChange={(e) => {
              setDraft((d) => ({ ...d, [f.key]: e.target.value }));
            }}
          />
          {errors[f.key] !== undefined && <span className="field__error">{errors[f.key]}</span>}
        </label>
      ))}
      {serverError !== null && (
        <div className="state state--error" role="alert">
          {serverError}
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={loading}>
        {loading ? "Saving…" : "Save limits"}
      </button>
    </form>
  );
}
