import { ApolloProvider } from "@apollo/client/react";
import { useSyncExternalStore } from "react";

import { App } from "./App.tsx";
import { SignInPage } from "./features/signin/SignInPage.tsx";
import type { SessionStore } from "./session.ts";
import { ConnectionStatusContext } from "./shared/connection/ConnectionStatusContext.ts";

/** Sign-in until there is a token; then the app on that token's client. */
export function Root({ session }: { session: SessionStore }) {
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot);

  if (state.status === "signed-out") {
    return (
      <div className="app">
        <header className="topbar">
          <span className="topbar__brand">kalshiflow</span>
          <span className="topbar__nav" />
          <span className="connection connection--pending" role="status" aria-label="API connection: signed out">
            <span className="connection__dot" aria-hidden="true" />
            signed out
          </span>
        </header>
        <main className="main">
          <SignInPage reason={state.reason} onSignIn={session.signIn} />
        </main>
      </div>
    );
  }

  // Keyed by token: a new sign-in starts every page fresh on the new client.
  return (
    <ApolloProvider client={state.apollo.client} key={state.token}>
      <ConnectionStatusContext.Provider value={state.apollo.connection}>
        <App onSignOut={session.signOut} />
      </ConnectionStatusContext.Provider>
    </ApolloProvider>
  );
}
