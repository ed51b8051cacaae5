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
}

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
  const wsClient = createWsClient(options.wsUrl ?? graphqlWsUrl(window.location), connection);

  const httpLink = ApolloLink.from([
    createHttpStatusLink(connection),
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
      void wsClient.dispose();
    },
  };
}

function createWsClient(url: string, connection: ConnectionStatusStore): WsClient {
  return createClient({
    url,
    // Open the socket only while a subscription needs it.
    lazy: true,
    // A trading dashboard should come back by itself after a backend restart.
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
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
function createHttpStatusLink(connection: ConnectionStatusStore): ApolloLink {
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
          connection.update({
            http: answered ? "online" : "offline",
            lastError: describeError(error),
          });
        },
      }),
    ),
  );
}

function isNormalClosure(event: unknown): boolean {
  return (
    typeof event === "object" && event !== null && "code" in event && event.code === 1000
  );
}
