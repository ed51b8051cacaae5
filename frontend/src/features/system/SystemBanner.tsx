import { useQuery } from "@apollo/client/react";

import { EnvironmentBanner } from "../../shared/environment/EnvironmentBanner.tsx";
import { RISK_QUERY } from "./systemQueries.ts";
import { useSystem } from "./useSystem.ts";

/** The environment banner fed by the live system state. */
export function SystemBanner() {
  const { system, error } = useSystem();
  // Shares the cache entry with the Risk panel, so engaging there shows here at once.
  const risk = useQuery(RISK_QUERY, { pollInterval: 5_000 });
  return (
    <EnvironmentBanner
      environments={
        system === undefined
          ? null
          : {
              data: system.data?.environment ?? null,
              trading: system.trading?.environment ?? null,
              productionTradingConfirmed: system.productionTradingConfirmed,
              killSwitchEngaged: risk.data?.riskLimits.killSwitchEngaged ?? false,
            }
      }
      stale={error !== undefined}
    />
  );
}
