import { useQuery, useSubscription } from "@apollo/client/react";
import { useCallback, useMemo, useState } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import { complement, formatCount, formatPriceCents, parseCount, parsePriceOrNull, type Price } from "../../shared/money.ts";
import { Link } from "../../shared/router/Link.tsx";
import { parseTickGrid } from "../../shared/tickGrid.ts";
import { formatTime } from "../../shared/ui/format.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { isOpen, mergePending, toOrderRow, toOwnOrder } from "../orders/orderModel.ts";
import { OrdersTable } from "../orders/OrdersTable.tsx";
import { ORDER_UPDATES_SUBSCRIPTION, ORDERS_QUERY } from "../orders/queries.ts";
import { useCancelOrders } from "../orders/useCancelOrders.ts";
import { pricePoints, toBook, type BookWire } from "./book.ts";
import { DepthChart } from "./DepthChart.tsx";
import { buildLadder } from "./ladder.ts";
import { Ladder } from "./Ladder.tsx";
import { OrderForm, type Prefill } from "./OrderForm.tsx";
import { PriceChart } from "./PriceChart.tsx";
import { BOOK_DEPTH, DEMO_BOOK_QUERY, MARKET_QUERY, MARKET_TICKER_SUBSCRIPTION, ORDERBOOK_SUBSCRIPTION } from "./queries.ts";
import { RecentTrades } from "./RecentTrades.tsx";
import type { Side } from "./types.ts";
import { usePlaceOrder } from "./usePlaceOrder.ts";

interface MarketPageProps {
  ticker: string;
  /** 0 disables polling (tests). */
  demoPollInterval?: number;
}

const EMPTY_BOOK: BookWire = { environment: "", ready: false, yesBids: [], noBids: [] };
const LIVE_PRICES_KEPT = 300;

export function MarketPage({ ticker, demoPollInterval = 2_000 }: MarketPageProps) {
  const [outcome, setOutcome] = useState<Side>("yes");
  const [prefill, setPrefill] = useState<Prefill | null>(null);
  const [livePrices, setLivePrices] = useState<readonly { at: string; lastPrice?: string | null }[]>([]);

  const market = useQuery(MARKET_QUERY, { variables: { ticker, depth: BOOK_DEPTH } });
  // The market's own tick grid (whole cents when the exchange does not say).
  const priceRanges = market.data?.market?.priceRanges;
  const grid = useMemo(() => parseTickGrid(priceRanges), [priceRanges]);
  const demo = useQuery(DEMO_BOOK_QUERY, {
    variables: { ticker, depth: BOOK_DEPTH },
    pollInterval: demoPollInterval,
  });
  const live = useSubscription(ORDERBOOK_SUBSCRIPTION, { variables: { ticker, depth: BOOK_DEPTH } });
  useSubscription(MARKET_TICKER_SUBSCRIPTION, {
    variables: { tickers: [ticker] },
    onData: ({ data }) => {
      const update = data.data?.marketTickers;
      if (update?.ticker === ticker) {
        setLivePrices((list) => [...list, update].slice(-LIVE_PRICES_KEPT));
      }
    },
  });

  const orders = useQuery(ORDERS_QUERY, { variables: { ticker, openOnly: false, first: 50 } });
  const refetchOrders = useCallback(() => orders.refetch(), [orders]);
  useSubscription(ORDER_UPDATES_SUBSCRIPTION, {
    onData: ({ data }) => {
      if (data.data?.orderUpdates.ticker === ticker) {
        orders.refetch().catch(() => undefined);
      }
    },
  });
  const { pending, submit } = usePlaceOrder(ticker, refetchOrders);
  const { cancel, cancelAll, cancelling, cancellingAll, message } = useCancelOrders(refetchOrders);

  const info = market.data?.market;
  const productionWire = live.data?.orderbook ?? info?.orderbook ?? null;
  const demoWire = demo.data?.market?.demoOrderbook ?? null;
  const orderRows = useMemo(
    () => mergePending((orders.data?.orders ?? []).map(toOrderRow), pending),
    [orders.data, pending],
  );
  const own = useMemo(() => orderRows.map(toOwnOrder), [orderRows]);
  const productionLadder = useMemo(
    () => buildLadder(toBook(productionWire ?? EMPTY_BOOK), outcome),
    [productionWire, outcome],
  );
  const demoLadder = useMemo(
    () => (demoWire === null ? null : buildLadder(toBook(demoWire), outcome, own)),
    [demoWire, outcome, own],
  );
  const points = useMemo(() => pricePoints(info?.recentTrades ?? [], livePrices), [info, livePrices]);

  if (market.error !== undefined && info === undefined) {
    return (
      <ErrorState
        title={`Could not load ${ticker}`}
        message={describeError(market.error)}
        onRetry={() => {
          market.refetch().catch(() => undefined);
        }}
      />
    );
  }
  if (info === undefined) return <LoadingState label={`Loading ${ticker}…`} />;
  if (info === null) {
    return (
      <EmptyState>
        The exchange has no market <code>{ticker}</code>. <Link to={{ name: "markets" }}>Back to the markets</Link>.
      </EmptyState>
    );
  }

  const pick = (price: Price) => {
    // Picks arrive in the shown outcome's terms; the form wants YES terms.
    const yesPrice = outcome === "yes" ? price : complement(price);
    setPrefill((p) => ({ yesPrice, nonce: (p?.nonce ?? 0) + 1 }));
  };
  const openCount = orderRows.filter(isOpen).length;
  const last = parsePriceOrNull(livePrices[livePrices.length - 1]?.lastPrice) ?? parsePriceOrNull(info.lastPrice);

  return (
    <div className="page">
      <header className="page__header">
        <p className="page__subtitle">
          <Link to={{ name: "markets" }}>Markets</Link> / <span className="mono">{info.eventTicker}</span>
        </p>
        <h1 className="page__title mono">{info.ticker}</h1>
        <p className="page__subtitle">
          {info.title}
          {info.subtitle !== "" && ` — ${info.subtitle}`}
        </p>
        <dl className="facts">
          <Fact label="Status" value={info.status} />
          <Fact label="Last" value={last === null ? "—" : formatPriceCents(last)} />
          <Fact label="Volume 24h" value={formatCount(parseCount(info.volume24h))} />
          <Fact label="Open interest" value={formatCount(parseCount(info.openInterest))} />
          <Fact label="Closes" value={formatTime(info.closeTime)} />
          <Fact label="Book" value={productionWire === null ? "—" : `${productionWire.source.toLowerCase()}${productionWire.ready ? "" : " (waiting for snapshot)"}`} />
        </dl>
      </header>

      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label="Ladder outcome">
          {(["yes", "no"] as const).map((o) => (
            <label key={o}>
              <input
                type="radio"
                name="ladder-outcome"
                checked={outcome === o}
                onChange={() => {
                  setOutcome(o);
                }}
              />
              {o.toUpperCase()} ladder
            </label>
          ))}
        </div>
        {live.error !== undefined && <span className="field__error">Live book paused: {describeError(live.error)}</span>}
      </div>

      <div className="grid-2">
        <Panel title={`Data book (${productionWire?.environment ?? "production"})`} aside={productionWire?.seq == null ? undefined : `seq ${String(productionWire.seq)}`}>
          <Ladder ladder={productionLadder} label="Data ladder" onPick={pick} />
        </Panel>
        <Panel title={`Trading book (${demoWire?.environment ?? "demo"}): orders go here`}>
          {demo.error !== undefined && demoWire === null ? (
            <ErrorState title="Trading book unavailable" message={describeError(demo.error)} />
          ) : demoLadder === null ? (
            demo.loading ? <LoadingState label="Loading the trading book…" /> : <EmptyState>This market is not listed on the trading environment.</EmptyState>
          ) : (
            <Ladder ladder={demoLadder} label="Trading ladder" onPick={pick} />
          )}
        </Panel>
      </div>

      <Panel title="Place order">
        <OrderForm grid={grid} environment={demoWire?.environment ?? null} prefill={prefill} onSubmit={submit} />
      </Panel>

      <Panel
        title="Our orders in this market"
        aside={
          <button
            type="button"
            className="button button--small"
            disabled={openCount === 0 || cancellingAll}
            onClick={() => {
              cancelAll(ticker);
            }}
          >
            Cancel all here
          </button>
        }
      >
        {message !== null && (
          <div className={`state ${message.error ? "state--error" : "state--empty"}`} role={message.error ? "alert" : "status"}>
            {message.text}
          </div>
        )}
        {orders.error !== undefined && <ErrorState title="Could not load orders" message={describeError(orders.error)} />}
        <OrdersTable
          label="Market orders"
          rows={orderRows}
          empty="No orders in this market yet."
          showTicker={false}
          onCancel={cancel}
          cancelling={cancelling}
        />
      </Panel>

      <div className="grid-2">
        <Panel title="Depth (data book)">
          <DepthChart ladder={productionLadder} label="Depth chart" />
        </Panel>
        <Panel title="YES price" aside={`${String(points.length)} points`}>
          <PriceChart points={points} label="Price chart" />
        </Panel>
      </div>

      <Panel title="Recent trades" aside={productionWire?.environment}>
        <RecentTrades trades={info.recentTrades} />
      </Panel>
    </div>
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
