import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { MockLink, MockSubscriptionLink } from "@apollo/client/testing";
import { render } from "@testing-library/react";
import { OperationTypeNode } from "graphql";
import type { ReactElement } from "react";

/**
 * Renders `ui` with a real Apollo client whose queries and mutations answer
 * from `mocks` and whose subscriptions are pushed by the test through the
 * returned `subscriptions` link (simulateResult).
 */
export function renderWithApollo(ui: ReactElement, mocks: readonly MockLink.MockedResponse[] = []) {
  const subscriptions = new MockSubscriptionLink();
  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    subscriptions,
    new MockLink(mocks, { defaultOptions: { delay: 0 } }),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const utils = render(<ApolloProvider client={client}>{ui}</ApolloProvider>);
  return { ...utils, client, subscriptions };
}
