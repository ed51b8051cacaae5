import { useId, useState, type SyntheticEvent } from "react";

import type { SessionState } from "../../session.ts";

interface SignInPageProps {
  reason: Extract<SessionState, { status: "signed-out" }>["reason"];
  onSignIn: (token: string) => void;
}

const MESSAGES = {
  "no-token": null,
  "signed-out": "You signed out. Enter the token to sign in again.",
  rejected:
    "The API refused that token (HTTP 401). It may have been mistyped, or the backend now uses a different one.",
} as const;

/** Asks for the API token; the backend refuses every request without it. */
export function SignInPage({ reason, onSignIn }: SignInPageProps) {
  const [token, setToken] = useState("");
  const inputId = useId();
  const message = MESSAGES[reason];

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (token.trim() !== "") onSignIn(token);
  };

  return (
    <div className="signin">
      <form className="panel signin__card" onSubmit={submit} aria-label="Sign in">
        <h1 className="page__title">Sign in to kalshiflow</h1>
        <p className="page__subtitle">
          The API can place orders, so it needs the API token. <code>kalshiflow up</code> prints a
          dashboard link that carries it; it is also in <code>&lt;data dir&gt;/api_token</code> or
          the <code>KALSHIFLOW_API_TOKEN</code> setting.
        </p>
        {message !== null && (
          <div className={`state ${reason === "rejected" ? "state--error" : "state--empty"}`} role="alert">
            {message}
          </div>
        )}
        <label className="field" htmlFor={inputId}>
          <span className="field__label">API token</span>
          <input
            id={inputId}
            className="input mono"
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => {
              setToken(e.target.value);
            }}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={token.trim() === ""}>
          Sign in
        </button>
      </form>
    </div>
  );
}
