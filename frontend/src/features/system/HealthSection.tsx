import { useQuery } from "@apollo/client/react";

import type { SystemHealthQuery } from "../../gql/graphql.ts";
import { describeError } from "../../shared/errors/describeError.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { ComponentsTable } from "./ComponentsTable.tsx";
import { SYSTEM_HEALTH_QUERY } from "./healthQuery.ts";
import { StateBadge } from "./StateBadge.tsx";

/** Health changes slowly; a few seconds is fresh enough and cheap. */
export const HEALTH_POLL_MS = 5_000;

interface HealthSectionProps {
  /** 0 disables polling (tests). */
  pollInterval?: number;
}

/** Overall status and every component's health (polled: it is cheap and always answers). */
export function HealthSection({ pollInterval = HEALTH_POLL_MS }: HealthSectionProps) {
  const { data, error, loading, refetch } = useQuery(SYSTEM_HEALTH_QUERY, { pollInterval });

  // When a later poll fails, Apollo 4 keeps the last data next to the error:
  // show both, the data marked as stale, rather than dropping everything.
  const health = data?.health;

  const retry = () => {
    // The outcome is rendered from the hook's state; nothing to do with it here.
    refetch().catch(() => undefined);
  };

  return (
    <>

      {error !== undefined && (
        <ErrorState
          title={health === undefined ? "Could not load system health" : "Health is out of date"}
          message={describeError(error)}
          onRetry={retry}
        />
      )}

      {health === undefined && error === undefined && loading && (
        <LoadingState label="Checking system health…" />
      )}

      {health !== undefined && <HealthDetails health={health} stale={error !== undefined} />}
    </>
  );
}

function HealthDetails({
  health,
  stale,
}: {
  health: SystemHealthQuery["health"];
  stale: boolean;
}) {
  return (
    <div className={stale ? "stale" : undefined}>
      <Panel title="Overview" aside={stale ? "last known state" : undefined}>
        <dl className="facts">
          <div className="facts__item">
            <dt>Status</dt>
            <dd>
              <StateBadge state={health.status} />
            </dd>
          </div>
          <div className="facts__item">
            <dt>Mode</dt>
            <dd className="mono">{health.mode}</dd>
          </div>
          <div className="facts__item">
            <dt>Version</dt>
            <dd className="mono">{health.version}</dd>
          </div>
        </dl>
      </Panel>
      <Panel title="Components" aside={`${String(health.components.length)} reported`}>
        <ComponentsTable components={health.components} />
      </Panel>
    </div>
  );
}
