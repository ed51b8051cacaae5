import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { MockLink, MockSubscriptionLink } from "@apollo/client/testing";
import { render } from "@testing-library/react";
import { OperationTypeNode } from "graphql";
import type { ReactElement } from "react";

/**
 * Renders `ui` with a real Apollo client whose queries and mutations answer
 * from `mocks` and whose subscriptions are pushed by the test through the
 * returned `subscriptions` link (simulateResult), or, for a page with several
 * streams, through `stream(operationName)` for each name given in `streams`.
 */
export function renderWithApollo(
  ui: ReactElement,
  mocks: readonly MockLink.MockedResponse[] = [],
  streams: readonly string[] = [],
) {
  const subscriptions = new MockSubscriptionLink();
  // One link per named subscription, for pages that hold several streams.
  const named = new Map(streams.map((name) => [name, new MockSubscriptionLink()]));
  const stream = (operationName: string): MockSubscriptionLink => {
    const link = named.get(operationName);
    if (link === undefined) throw new Error(`Pass "${operationName}" in renderWithApollo's streams.`);
    return link;
  };
  const byName = new ApolloLink((operation) => {
    const link = named.get(operation.operationName ?? "") ?? subscriptions;
    return link.request(operation);
  });
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    byName,
    new MockLink(mocks, { defaultOptions: { delay: 0 } }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const utils = render(<ApolloProvider client={client}>{ui}</ApolloProvider>);
  return { ...utils, client, subscriptions, stream };
}
