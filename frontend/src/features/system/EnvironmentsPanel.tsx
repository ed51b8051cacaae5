import type { SystemFieldsFragment } from "../../gql/graphql.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import { describeConnection } from "./connection.ts";

type Environment = NonNullable<SystemFieldsFragment["data"]>;
function EnvironmentCard({ role, env, danger }: { role: string; env: Environment | null | undefined; danger: boolean }) {
  if (env == null) {
    return (
      <div className="facts__item">
        <dt>{role}</dt>
        <dd className="muted">not connected yet</dd>
      </div>
    );
  }
  return (
    <div className="facts__item">
      <dt>{role}</dt>
      <dd>
        <span className={`badge badge--${danger ? "bad" : env.environment === "production" ? "info" : "ok"}`}>
          {env.environment}
        </span>
        <div className="mono muted">{env.restUrl}</div>
        <div className="mono muted">{env.wsUrl ?? "no WebSocket"}</div>
        <div className="mono muted">key {env.keyId ?? "none (public data only)"}</div>
        <div className={`mono ${env.connection?.connected === false ? "bad" : "muted"}`}>{describeConnection(env.connection)}</div>
      </dd>
    </div>
  );
}

/** Both sides of the client pair: where data comes from, where orders go. */
export function EnvironmentsPanel({ system, live }: { system: SystemFieldsFragment | undefined; live: boolean }) {
  return (
    <Panel title="Exchange connections" aside={live ? "live" : "polled"}>
      {system === undefined ? (
        <EmptyState>Waiting for the backend…</EmptyState>
      ) : (
        <dl className="facts">
          <EnvironmentCard role="Market data from" env={system.data} danger={false} />
          <EnvironmentCard role="Orders go to" env={system.trading} danger={system.trading?.environment === "production"} />
          <div className="facts__item">
            <dt>Trader</dt>
            <dd className="mono">{system.traderState ?? "not running"}</dd>
          </div>
          <div className="facts__item">
            <dt>Watched markets</dt>
            <dd className="mono">{system.watchedMarkets}</dd>
          </div>
          <div className="facts__item">
            <dt>Production trading</dt>
            <dd className="mono">{system.productionTradingConfirmed ? "CONFIRMED" : "refused"}</dd>
          </div>
        </dl>
      )}
    </Panel>
  );
}
