import { useSubscription } from "@apollo/client/react";
import { useState } from "react";

import { applyTicker, type LiveTickers } from "./marketRows.ts";
import { MARKET_TICKERS_SUBSCRIPTION } from "./queries.ts";

/**
 * Production's ticker channel for the given markets (null: every watched
 * market), kept as the newest update per market. graphql-ws reconnects by
 * itself; the map keeps the last values meanwhile.
 */
export function useLiveTickers(tickers: readonly string[] | null): {
  live: LiveTickers;
  error: Error | undefined;
} {
  const [live, setLive] = useState<LiveTickers>(() => new Map());
  const { error } = useSubscription(MARKET_TICKERS_SUBSCRIPTION, {
    variables: { tickers: tickers === null ? null : [...tickers] },
    onData: ({ data }) => {
      const update = data.data?.marketTickers;
      if (update != null) setLive((current) => applyTicker(current, update));
    },
  });
  return { live, error };
}
