import { useQuery, useSubscription } from "@apollo/client/react";

import type { SystemFieldsFragment } from "../../gql/graphql.ts";
import { SYSTEM_QUERY, SYSTEM_SUBSCRIPTION } from "./systemQueries.ts";

/**
 * The system as the live subscription reports it, with the query's answer
 * until the first event (and while the socket reconnects).
 */
export function useSystem(): {
  system: SystemFieldsFragment | undefined;
  error: Error | undefined;
  live: boolean;
  refetch: () => void;
} {
  const query = useQuery(SYSTEM_QUERY, { pollInterval: 15_000 });
  const sub = useSubscription(SYSTEM_SUBSCRIPTION);
  const fromSub = sub.data?.systemHealth;
  const system = fromSub ?? query.data?.system;
  return {
    system,
    // With data in hand, only a failing poll makes it stale: the socket may
    // be reconnecting while HTTP still answers.
    error: system === undefined ? (query.error ?? sub.error) : query.error,
    live: fromSub !== undefined && sub.error === undefined,
    refetch: () => {
      query.refetch().catch(() => undefined);
    },
  };
}
