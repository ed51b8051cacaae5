import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { ServerError } from "@apollo/client/errors";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";
import { tap } from "rxjs";

import {
  createConnectionStatusStore,
  type ConnectionStatusStore,
} from "./shared/connection/connectionStatus.ts";
import { describeError } from "./shared/errors/describeError.ts";

/** The backend serves HTTP and graphql-transport-ws on this one path. */
export const GRAPHQL_PATH = "/graphql";

export interface ApolloSetup {
  readonly client: ApolloClient;
  /** Connection state the links report; read it with useConnectionStatus(). */
  readonly connection: ConnectionStatusStore;
  /** Closes the WebSocket and stops the client (tests, hot reload). */
  dispose(): void;
}

export interface ApolloSetupOptions {
  /** Defaults to the same-origin GRAPHQL_PATH (the Vite proxy in dev). */
  readonly httpUri?: string;
  /** Defaults to GRAPHQL_PATH on the page's host with ws:/wss:. */
  readonly wsUrl?: string;
  readonly connection?: ConnectionStatusStore;
  /** The API token, sent as `Authorization: Bearer` and in `connection_init`. */
  readonly token?: string | null;
  /** Called once the API refuses the token (HTTP 401 or WebSocket close 4401). */
  readonly onUnauthorized?: () => void;
}

/** graphql-transport-ws close codes for a missing/wrong token and a refused one. */
export const WS_UNAUTHORIZED = 4401;
export const WS_FORBIDDEN = 4403;

/** ws://host/graphql for an http page, wss:// for https. */
export function graphqlWsUrl(location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${GRAPHQL_PATH}`;
}

/**
 * Builds the one Apollo client of the app: subscriptions go over graphql-ws,
 * queries and mutations over HTTP. Both sides report into the connection store.
 */
export function createApolloClient(options: ApolloSetupOptions = {}): ApolloSetup {
  const connection = options.connection ?? createConnectionStatusStore();
  const token = options.token ?? null;
  let refused = false;
  // Report a refused token once: the session then replaces this client.
  const unauthorized = () => {
    if (refused) return;
    refused = true;
    options.onUnauthorized?.();
  };
  const wsClient = createWsClient(
    options.wsUrl ?? graphqlWsUrl(window.location),
    connection,
    token,
    unauthorized,
  );

  const httpLink = ApolloLink.from([
    createHttpStatusLink(connection, unauthorized),
    createAuthLink(token),
    new HttpLink({ uri: options.httpUri ?? GRAPHQL_PATH }),
  ]);
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    new GraphQLWsLink(wsClient),
    httpLink,
  );

  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  return {
    client,
    connection,
    dispose() {
      client.stop();
      // dispose() waits for a connection attempt still under way and rejects
      // with its close event (e.g. 4401 for a refused token): nothing to do.
      Promise.resolve(wsClient.dispose()).catch(() => undefined);
    },
  };
}

/** Adds `Authorization: Bearer <token>` to every HTTP operation. */
function createAuthLink(token: string | null): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (token !== null) {
      operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
        headers: { ...headers, authorization: `Bearer ${token}` },
      }));
    }
    return forward(operation);
  });
}

/** Longest pause between reconnection attempts. */
export const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Backoff for WebSocket reconnects: 0.5 s, 1 s, 2 s, ... capped at 10 s, so a
 * dashboard left open through a long backend restart is back within seconds
 * of it (graphql-ws's default doubles without a cap).
 */
export function retryDelay(retries: number, jitter: number = Math.random()): number {
  const base = Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** Math.min(retries, 10));
  return Math.round(base * (0.8 + 0.4 * jitter));
}

function createWsClient(
  url: string,
  connection: ConnectionStatusStore,
  token: string | null,
  unauthorized: () => void,
): WsClient {
  return createClient({
    url,
    // The backend reads the token from connection_init (browsers cannot set
    // headers on a WebSocket).
    connectionParams: token === null ? {} : { Authorization: `Bearer ${token}` },
    // Open the socket only while a subscription needs it.
    lazy: true,
    // A trading dashboard should come back by itself after a backend restart.
    retryAttempts: Number.POSITIVE_INFINITY,
    // ...except after a refused token: retrying cannot fix it.
    shouldRetry: (event) => !isCloseWith(event, WS_UNAUTHORIZED, WS_FORBIDDEN),
    retryWait: (retries) =>
      new Promise((resolve) => {
        setTimeout(resolve, retryDelay(retries));
      }),
    // Pings detect a half-open socket (laptop sleep, proxy drop) within seconds.
    keepAlive: 10_000,
    on: {
      connecting: () => {
        connection.update({ live: "connecting" });
      },
      connected: () => {
        connection.update({ live: "connected" });
      },
      closed: (event) => {
        if (isCloseWith(event, WS_UNAUTHORIZED, WS_FORBIDDEN)) {
          connection.update({ live: "closed", lastError: "The API refused the token." });
          unauthorized();
          return;
        }
        // A lazy client closes with 1000 once the last subscription ends;
        // any other code is a drop that graphql-ws will retry.
        connection.update({ live: isNormalClosure(event) ? "idle" : "closed" });
      },
      error: (error) => {
        connection.update({ live: "closed", lastError: describeError(error) });
      },
    },
  });
}

/**
 * Records whether the backend answered. A response that carries GraphQL
 * errors still proves the backend is up; only a failed transport is "offline".
 */
function createHttpStatusLink(
  connection: ConnectionStatusStore,
  unauthorized: () => void,
): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap({
        next: () => {
          connection.update({ http: "online", lastError: null });
        },
        error: (error: unknown) => {
          // 4xx is the backend refusing a request: it is up. 5xx and network
          // failures are what a proxy reports when the backend is down.
          const answered = ServerError.is(error) && error.statusCode < 500;
          if (ServerError.is(error) && error.statusCode === 401) unauthorized();
          connection.update({
            http: answered ? "online" : "offline",
            lastError: describeError(error),
          });
        },
      }),
    ),
  );
}

function isCloseWith(event: unknown, ...codes: number[]): boolean {
  return (
    typeof event === "object" &&
    event !== null &&
    "code" in event &&
    typeof event.code === "number" &&
    codes.includes(event.code)
  );
}

function isNormalClosure(event: unknown): boolean {
  return (
    typeof event === "object" && event !== null && "code" in event && event.code === 1000
  );
}
