import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { useMemo, useState } from "react";

import type { ActorLogQuery, ActorQuery } from "../../gql/graphql.ts";
import { describeError } from "../../shared/errors/describeError.ts";
import { formatCount, formatPriceCents, parseCount, parsePrice } from "../../shared/money.ts";
import { Link } from "../../shared/router/Link.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { RiskPanel } from "../system/RiskPanel.tsx";
import { actionKey, actionName, countByMarket, formatMicros, mergeDecisions } from "./actions.ts";
import { ActorConfigForm } from "./ActorConfigForm.tsx";
import { ACTOR_LOG_QUERY, ACTOR_QUERY, ACTOR_STREAM, PAUSE_ACTOR, RESUME_ACTOR, START_ACTOR } from "./queries.ts";

const STREAM_LIMIT = 100;
const LIVE_KEPT = 200;

type Decision = ActorLogQuery["actorActions"][number];

interface ActorPageProps {
  /** How often the actor's status and counters are read. 0: never (tests). */
  pollInterval?: number;
}

export function ActorPage({ pollInterval = 2_000 }: ActorPageProps) {
  const { data, error, loading, refetch } = useQuery(ACTOR_QUERY, { pollInterval });
  const log = useQuery(ACTOR_LOG_QUERY, { variables: { limit: STREAM_LIMIT } });
  const [live, setLive] = useState<readonly Decision[]>([]);
  const stream = useSubscription(ACTOR_STREAM, {
    onData: ({ data: event }) => {
      const decision = event.data?.actorActions;
      if (decision !== undefined) setLive((list) => [decision, ...list].slice(0, LIVE_KEPT));
    },
  });
  const actions = useMemo(
    () => mergeDecisions(live, log.data?.actorActions ?? [], STREAM_LIMIT),
    [live, log.data],
  );
  const counters = useMemo(() => countByMarket(actions), [actions]);
  const liveKeys = useMemo(() => new Set(live.map(actionKey)), [live]);
  const streamError = stream.error ?? log.error;

  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Actor</h1>
        <p className="page__subtitle">
          The background trader: every book update it acts on, what the policy decided, how long it
          took and which order came of it.
        </p>
      </header>
      {error !== undefined && (
        <ErrorState
          title={data === undefined ? "Could not load the actor" : "Actor view may be out of date"}
          message={describeError(error)}
          onRetry={() => {
            refetch().catch(() => undefined);
          }}
        />
      )}
      {data === undefined && loading && <LoadingState label="Loading the actor…" />}
      {data !== undefined && (
        <>
          <ActorControls actor={data.actor ?? null} onChanged={() => refetch()} />
          <Panel title="Per market" aside={`over the last ${String(actions.length)} decisions`}>
            {counters.length === 0 ? (
              <EmptyState>No decisions yet.</EmptyState>
            ) : (
              <table className="table table--compact" aria-label="Per-market counters">
                <thead>
                  <tr>
                    <th scope="col">Market</th>
                    <th scope="col" className="num">Decisions</th>
                    <th scope="col" className="num">Holds</th>
                    <th scope="col" className="num">Orders</th>
                    <th scope="col" className="num">Filled</th>
                    <th scope="col" className="num">Rejected</th>
                    <th scope="col" className="num">Errors</th>
                    <th scope="col" className="num">Mean decision</th>
                    <th scope="col" className="num">Max step</th>
                  </tr>
                </thead>
                <tbody>
                  {counters.map((c) => (
                    <tr key={c.ticker}>
                      <th scope="row" className="mono">
                        <Link to={{ name: "market", ticker: c.ticker }}>{c.ticker}</Link>
                      </th>
                      <td className="num">{c.decisions}</td>
                      <td className="num">{c.holds}</td>
                      <td className="num">{c.placed}</td>
                      <td className="num">{c.filled}</td>
                      <td className={`num ${c.rejected > 0 ? "neg" : ""}`}>{c.rejected}</td>
                      <td className={`num ${c.errors > 0 ? "neg" : ""}`}>{c.errors}</td>
                      <td className="num">{formatMicros(c.meanDecisionUs)}</td>
                      <td className="num">{formatMicros(c.maxStepUs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
          <Panel title="Decisions" aside={stream.error === undefined ? "live, newest first" : "stream paused"}>
            {streamError !== undefined && (
              <ErrorState title="Decision stream paused (reconnecting)" message={describeError(streamError)} />
            )}
            <DecisionStream actions={actions} live={liveKeys} />
          </Panel>
        </>
      )}
      <RiskPanel />
    </div>
  );
}

type Actor = NonNullable<ActorQuery["actor"]>;

function ActorControls({ actor, onChanged }: { actor: Actor | null; onChanged: () => Promise<unknown> }) {
  const [pause, pausing] = useMutation(PAUSE_ACTOR);
  const [resume, resuming] = useMutation(RESUME_ACTOR);
  const [start, starting] = useMutation(START_ACTOR);
  const [configuring, setConfiguring] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const report = (payload: { paused: boolean; running: boolean; userErrors: readonly { message: string }[] } | undefined, ok: string) => {
    const errors = payload?.userErrors ?? [];
    setMessage(errors.length > 0 ? { text: errors.map((e) => e.message).join("; "), error: true } : { text: ok, error: false });
    return onChanged();
  };
  const failed = (e: unknown) => {
    setMessage({ text: describeError(e), error: true });
  };
  const feedback =
    message === null ? null : (
      <div className={`state ${message.error ? "state--error" : "state--empty"}`} role={message.error ? "alert" : "status"}>
        {message.text}
      </div>
    );

  if (!actor?.running) {
    return (
      <Panel title="Controls" aside={<span className="badge badge--muted">stopped</span>}>
        <EmptyState>The actor is not running.</EmptyState>
        <div className="toolbar">
          <button
            type="button"
            className="button button--primary"
            disabled={starting.loading}
            onClick={() => {
              setMessage(null);
              start()
                .then(({ data }) => report(data?.startActor, "Actor started."))
                .catch(failed);
            }}
          >
            Start actor
          </button>
        </div>
        {feedback}
      </Panel>
    );
  }
  const toggle = () => {
    setMessage(null);
    const reason = actor.paused ? "resumed from the dashboard" : "paused from the dashboard";
    (actor.paused
      ? resume({ variables: { reason } }).then(({ data }) => report(data?.resumeActor, "Actor trading."))
      : pause({ variables: { reason } }).then(({ data }) =>
          report(data?.pauseActor, "Actor paused: it keeps watching but places no orders."),
        )
    ).catch(failed);
  };
  const state = actor.paused ? "paused" : "trading";
  return (
    <Panel
      title="Controls"
      aside={<span className={`badge badge--${state === "trading" ? "ok" : "warn"}`}>{state}</span>}
    >
      <dl className="facts">
        <Fact label="Selector" value={actor.selector} />
        <Fact label="Model" value={actor.modelVersion} />
        <Fact label="Throttle" value={`${String(actor.throttleMs)} ms`} />
        <Fact label="Size" value={`${formatCount(parseCount(actor.contractSize))} contracts`} />
        <Fact label="Markets" value={`${actor.targetMarketMode} (${String(actor.targetMarkets.length)})`} />
        <Fact label="Book updates" value={String(actor.updates)} />
        <Fact label="Steps" value={String(actor.steps)} />
        <Fact label="Orders" value={String(actor.orders)} />
        <Fact label="Rejected" value={String(actor.rejected)} />
        <Fact label="Errors" value={String(actor.errors)} />
        <Fact label="Open breakers" value={actor.openBreakers.length === 0 ? "none" : actor.openBreakers.join(", ")} />
      </dl>
      <div className="toolbar">
        <button
          type="button"
          className={`button ${actor.paused ? "button--primary" : ""}`}
          disabled={pausing.loading || resuming.loading}
          onClick={toggle}
        >
          {actor.paused ? "Resume actor" : "Pause actor"}
        </button>
        <button
          type="button"
          className="button"
          aria-expanded={configuring}
          onClick={() => {
            setConfiguring((c) => !c);
          }}
        >
          {configuring ? "Close settings" : "Settings"}
        </button>
      </div>
      {configuring && (
        <ActorConfigForm
          actor={actor}
          onDone={(text) => {
            setConfiguring(false);
            setMessage({ text, error: false });
            onChanged().catch(() => undefined);
          }}
        />
      )}
      {feedback}
    </Panel>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd className="mono">{value}</dd>
    </div>
  );
}

function DecisionStream({ actions, live }: { actions: readonly Decision[]; live: ReadonlySet<string> }) {
  if (actions.length === 0) return <EmptyState>No decisions yet: the actor acts on book updates of watched markets.</EmptyState>;
  return (
    <div className="stream">
      <table className="table table--compact" aria-label="Actor decisions">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Market</th>
            <th scope="col">Action</th>
            <th scope="col" className="num">Decision</th>
            <th scope="col" className="num">Step</th>
            <th scope="col">Order</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            // Streamed rows animate once, when they mount.
            <tr key={actionKey(a)} className={live.has(actionKey(a)) ? "fresh" : undefined}>
              <td className="mono">{formatTime(a.actedAt)}</td>
              <td className="mono">{a.ticker}</td>
              <td>{actionName(a.action)}</td>
              <td className="num">{formatMicros(a.decisionLatencyUs)}</td>
              <td className="num">{formatMicros(a.stepLatencyUs)}</td>
              <td className="mono">
                {a.orderYesPrice == null || a.orderCount == null
                  ? "—"
                  : `${a.orderSide === "ask" ? "ask" : "bid"} ${formatCount(parseCount(a.orderCount))} @ ${formatPriceCents(parsePrice(a.orderYesPrice))}`}
              </td>
              <td>
                <span className={`badge badge--${outcomeTone(a.outcome)}`}>{a.outcome.replace("_", " ")}</span>
                {a.outcomeDetail !== "" && a.outcomeDetail !== a.outcome && <span className="muted"> {a.outcomeDetail}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function outcomeTone(outcome: string): string {
  switch (outcome) {
    case "filled":
      return "ok";
    case "placed":
      return "info";
    case "rejected":
      return "warn";
    case "error":
      return "bad";
    default:
      return "muted";
  }
}
