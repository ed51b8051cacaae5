import { createApolloClient, type ApolloSetup, type ApolloSetupOptions } from "./apollo.ts";
import { clearToken, saveToken } from "./shared/auth/token.ts";

/**
 * Who the dashboard talks to the API as. Signing in builds a fresh Apollo
 * client for the token (headers and the WebSocket's connection_init are
 * fixed per client); a refused token tears it down and returns to sign-in.
 * Kept outside React so StrictMode's double effects cannot dispose a client
 * that is still in use.
 */
export type SessionState =
  | {
      readonly status: "signed-out";
      /** Why: never signed in, the API refused the token, or the operator signed out. */
      readonly reason: "no-token" | "rejected" | "signed-out";
      readonly apollo: null;
    }
  | { readonly status: "signed-in"; readonly token: string; readonly apollo: ApolloSetup };

export interface SessionStore {
  readonly getSnapshot: () => SessionState;
  readonly subscribe: (listener: () => void) => () => void;
  readonly signIn: (token: string) => void;
  readonly signOut: () => void;
}

export interface SessionOptions {
  readonly storage: Storage;
  readonly initialToken: string | null;
  readonly createApollo?: (options: ApolloSetupOptions) => ApolloSetup;
}

export function createSessionStore(options: SessionOptions): SessionStore {
  const createApollo = options.createApollo ?? createApolloClient;
  const listeners = new Set<() => void>();
  let state: SessionState = { status: "signed-out", reason: "no-token", apollo: null };

  const set = (next: SessionState) => {
    const previous = state;
    state = next;
    for (const listener of listeners) listener();
    // Dispose after React has switched to the new client.
    if (previous.apollo !== null && previous.apollo !== next.apollo) {
      const old = previous.apollo;
      setTimeout(() => {
        old.dispose();
      }, 0);
    }
  };

  const open = (token: string) => {
    const apollo = createApollo({
      token,
      onUnauthorized: () => {
        // Only the current client's refusal signs out; a late one from a
        // replaced client is ignored.
        if (state.apollo !== apollo) return;
        clearToken(options.storage);
        set({ status: "signed-out", reason: "rejected", apollo: null });
      },
    });
    set({ status: "signed-in", token, apollo });
  };

  if (options.initialToken !== null) open(options.initialToken);

  return {
    getSnapshot: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    signIn: (token) => {
      const trimmed = token.trim();
      if (trimmed === "") return;
      saveToken(options.storage, trimmed);
      open(trimmed);
    },
    signOut: () => {
      clearToken(options.storage);
      set({ status: "signed-out", reason: "signed-out", apollo: null });
    },
  };
}
