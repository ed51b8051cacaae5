import { useQuery, useSubscription } from "@apollo/client/react";
import { useMemo, useState } from "react";

import type { PortfolioFieldsFragment } from "../../gql/graphql.ts";
import { MoneyLineChart } from "../../shared/chart/MoneyLineChart.tsx";
import { describeError } from "../../shared/errors/describeError.ts";
import {
  formatMoney,
  formatSignedMoney,
  parseCount,
  parseMoney,
  parsePriceOrNull,
  sumMoney,
  type Money,
} from "../../shared/money.ts";
import { Link } from "../../shared/router/Link.tsx";
import { CountCell, MoneyCell, PriceCell } from "../../shared/ui/Cells.tsx";
import { formatTime } from "../../shared/ui/format.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { equityChange, equityCurve } from "./equity.ts";
import { PORTFOLIO_QUERY, PORTFOLIO_SUBSCRIPTION } from "./queries.ts";

const LIVE_KEPT = 500;

export function PortfolioPage() {
  const query = useQuery(PORTFOLIO_QUERY, { pollInterval: 30_000 });
  const [live, setLive] = useState<readonly PortfolioFieldsFragment[]>([]);
  const sub = useSubscription(PORTFOLIO_SUBSCRIPTION, {
    onData: ({ data }) => {
      const snapshot = data.data?.portfolio;
      if (snapshot !== undefined) setLive((list) => [...list, snapshot].slice(-LIVE_KEPT));
    },
  });

  const portfolio = live[live.length - 1] ?? query.data?.portfolio ?? null;
  const curve = useMemo(
    () => equityCurve(query.data?.portfolioHistory ?? [], live),
    [query.data, live],
  );
  const change = equityChange(curve);

  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Portfolio</h1>
        <p className="page__subtitle">
          The trading account: cash, holds, value and P&amp;L. Unrealized P&amp;L is marked both on
          the data book (production) and on the trading book (demo).
        </p>
      </header>
      {query.error !== undefined && (
        <ErrorState
          title={portfolio === null ? "Could not load the portfolio" : "Portfolio may be out of date"}
          message={describeError(query.error)}
          onRetry={() => {
            query.refetch().catch(() => undefined);
          }}
        />
      )}
      {sub.error !== undefined && <ErrorState title="Live updates paused (reconnecting)" message={describeError(sub.error)} />}
      {query.loading && query.data === undefined && <LoadingState label="Loading the portfolio…" />}
      {query.data !== undefined && portfolio === null && (
        <EmptyState>Trading is not running, so there is no account to show yet.</EmptyState>
      )}
      {portfolio !== null && <Summary portfolio={portfolio} />}
      <Panel
        title="Equity"
        aside={change === null ? undefined : <span className={change > 0n ? "pos" : change < 0n ? "neg" : ""}>{formatSignedMoney(change)}</span>}
      >
        <MoneyLineChart points={curve} label="Equity curve" empty="No portfolio history yet." />
      </Panel>
      {portfolio !== null && <Positions portfolio={portfolio} />}
    </div>
  );
}

function Summary({ portfolio }: { portfolio: PortfolioFieldsFragment }) {
  const m = (v: string) => parseMoney(v);
  const item = (label: string, value: Money, signed = false) => (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd className={`mono ${signed ? (value > 0n ? "pos" : value < 0n ? "neg" : "") : ""}`}>
        {signed ? formatSignedMoney(value) : formatMoney(value)}
      </dd>
    </div>
  );
  return (
    <Panel title="Account" aside={`${portfolio.reason} · ${formatTime(portfolio.at)}`}>
      <dl className="facts">
        {item("Balance", m(portfolio.balance))}
        {item("Available", m(portfolio.available))}
        {item("Reserved", m(portfolio.reserved))}
        {item("Cash", m(portfolio.cash))}
        {item("Value", m(portfolio.value))}
        {item("Realized", m(portfolio.realized), true)}
        {item("Unrealized (production)", m(portfolio.unrealizedProduction), true)}
        {item("Unrealized (demo)", m(portfolio.unrealizedDemo), true)}
        {item("Fees paid", m(portfolio.feesPaid))}
      </dl>
    </Panel>
  );
}

function Positions({ portfolio }: { portfolio: PortfolioFieldsFragment }) {
  const positions = portfolio.positions;
  const money = (v: string | null | undefined) => (v == null ? null : parseMoney(v));
  const totalPnl = sumMoney(
    positions.map((p) => (parseMoney(p.realized) + (money(p.unrealizedProduction) ?? 0n)) as Money),
  );
  return (
    <Panel title="Positions" aside={`P&L ${formatSignedMoney(totalPnl)} (realized + unrealized on production)`}>
      {positions.length === 0 ? (
        <EmptyState>No positions.</EmptyState>
      ) : (
        <table className="table table--compact" aria-label="Positions">
          <thead>
            <tr>
              <th scope="col">Market</th>
              <th scope="col" className="num">Position (+YES / −NO)</th>
              <th scope="col" className="num">Avg cost</th>
              <th scope="col" className="num">Cost</th>
              <th scope="col" className="num">Realized</th>
              <th scope="col" className="num">Unrealized (prod)</th>
              <th scope="col" className="num">Unrealized (demo)</th>
              <th scope="col" className="num">Fees</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={p.ticker}>
                <th scope="row" className="mono">
                  <Link to={{ name: "market", ticker: p.ticker }}>{p.ticker}</Link>
                </th>
                <CountCell value={parseCount(p.position)} />
                <PriceCell value={parsePriceOrNull(p.averageCost)} />
                <MoneyCell value={parseMoney(p.cost)} />
                <MoneyCell value={parseMoney(p.realized)} signed />
                <MoneyCell value={money(p.unrealizedProduction)} signed />
                <MoneyCell value={money(p.unrealizedDemo)} signed />
                <MoneyCell value={parseMoney(p.feesPaid)} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
