import { useQuery, useSubscription } from "@apollo/client/react";
import { useCallback, useMemo } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { FillsTable } from "./FillsTable.tsx";
import { isOpen, toOrderRow } from "./orderModel.ts";
import { OrdersTable } from "./OrdersTable.tsx";
import { FILLS_QUERY, FILLS_SUBSCRIPTION, ORDER_UPDATES_SUBSCRIPTION, ORDERS_QUERY } from "./queries.ts";
import { useCancelOrders } from "./useCancelOrders.ts";

/** Open and past orders with their realism gap, and our fills; all live. */
export function OrdersPage() {
  const orders = useQuery(ORDERS_QUERY, { variables: { ticker: null, openOnly: false, first: 200 } });
  const fills = useQuery(FILLS_QUERY, { variables: { ticker: null, first: 100 } });
  const refetchOrders = useCallback(() => orders.refetch(), [orders]);

  // Updates say "something changed"; the lists are refetched so they stay the
  // server's truth (and a missed event cannot leave them wrong for long).
  const updates = useSubscription(ORDER_UPDATES_SUBSCRIPTION, {
    onData: () => {
      orders.refetch().catch(() => undefined);
    },
  });
  const fillEvents = useSubscription(FILLS_SUBSCRIPTION, {
    onData: () => {
      fills.refetch().catch(() => undefined);
    },
  });
  const { cancel, cancelAll, cancelling, cancellingAll, message } = useCancelOrders(refetchOrders);

  const rows = useMemo(() => (orders.data?.orders ?? []).map(toOrderRow), [orders.data]);
  const open = rows.filter(isOpen);
  const past = rows.filter((o) => !isOpen(o));
  const liveError = updates.error ?? fillEvents.error;

  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Orders</h1>
        <p className="page__subtitle">
          Our orders on the trading environment. The realism gap compares each demo fill with what
          production's book would have given at decision time (+ = demo filled worse).
        </p>
      </header>
      {liveError !== undefined && (
        <ErrorState title="Live updates paused (reconnecting)" message={describeError(liveError)} />
      )}
      {orders.error !== undefined && (
        <ErrorState
          title="Could not load orders"
          message={describeError(orders.error)}
          onRetry={() => {
            orders.refetch().catch(() => undefined);
          }}
        />
      )}
      {message !== null && (
        <div className={`state ${message.error ? "state--error" : "state--empty"}`} role={message.error ? "alert" : "status"}>
          {message.text}
        </div>
      )}
      {orders.data === undefined && orders.loading && <LoadingState label="Loading orders…" />}
      {orders.data !== undefined && (
        <>
          <Panel
            title="Open orders"
            aside={
              <button
                type="button"
                className="button button--small"
                disabled={open.length === 0 || cancellingAll}
                onClick={() => {
                  cancelAll(null);
                }}
              >
                Cancel all
              </button>
            }
          >
            <OrdersTable label="Open orders" rows={open} empty="No open orders." onCancel={cancel} cancelling={cancelling} />
          </Panel>
          <Panel title="Past orders" aside={`${String(past.length)} shown`}>
            <OrdersTable label="Past orders" rows={past} empty="No finished orders yet." />
          </Panel>
        </>
      )}
      <Panel title="Fills">
        {fills.error !== undefined && <ErrorState title="Could not load fills" message={describeError(fills.error)} />}
        {fills.data === undefined && fills.loading && <LoadingState label="Loading fills…" />}
        {fills.data !== undefined && <FillsTable fills={fills.data.fills} />}
      </Panel>
    </div>
  );
}
