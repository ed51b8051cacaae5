import { EnvironmentBanner } from "../../shared/environment/EnvironmentBanner.tsx";
import { useSystem } from "./useSystem.ts";

/** The environment banner fed by the live system state. */
export function SystemBanner() {
  const { system, error } = useSystem();
  return (
    <EnvironmentBanner
      environments={
        system === undefined
          ? null
          : {
              data: system.data?.environment ?? null,
              trading: system.trading?.environment ?? null,
              productionTradingConfirmed: system.productionTradingConfirmed,
            }
      }
      stale={error !== undefined}
    />
  );
}
