import { useMutation } from "@apollo/client/react";
import { useCallback, useState } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import {
  complement,
  formatCount,
  formatCountWire,
  formatPrice,
  formatPriceWire,
} from "../../shared/money.ts";
import type { OrderRow } from "../orders/orderModel.ts";
import { PLACE_ORDER_MUTATION } from "../orders/queries.ts";
import type { SubmitResult } from "./OrderForm.tsx";
import type { ValidOrder } from "./orderValidation.ts";

let counter = 0;

/** Our own id for the order: the server treats a repeat as the same order (idempotent). */
export function newClientOrderId(): string {
  counter += 1;
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID()
      : `${String(Date.now())}-${String(counter)}`;
  return `dash-${random}`;
}

/** The order as the ladder and tables show it before the server answers. */
export function pendingRow(ticker: string, clientOrderId: string, order: ValidOrder, now: string): OrderRow {
  const buysYes = (order.side === "yes") === (order.action === "buy");
  return {
    clientOrderId,
    orderId: null,
    ticker,
    side: buysYes ? "bid" : "ask",
    yesPrice: order.side === "yes" ? order.price : complement(order.price),
    count: order.count,
    filled: 0n as OrderRow["filled"],
    remaining: order.count,
    status: "pending",
    source: "manual",
    rejection: null,
    createdAt: now,
    updatedAt: now,
    gap: null,
    pending: true,
  };
}

/**
 * Places orders with an optimistic entry: the order shows at once (marked
 * "sending"), and is removed again if the server refuses it or the request
 * fails, so the screen never keeps an order that does not exist.
 */
export function usePlaceOrder(ticker: string, refetchOrders: () => Promise<unknown>) {
  const [pending, setPending] = useState<readonly OrderRow[]>([]);
  const [placeOrder] = useMutation(PLACE_ORDER_MUTATION);

  const submit = useCallback(
    async (order: ValidOrder): Promise<SubmitResult> => {
      const clientOrderId = newClientOrderId();
      setPending((list) => [...list, pendingRow(ticker, clientOrderId, order, new Date().toISOString())]);
      const drop = () => {
        setPending((list) => list.filter((o) => o.clientOrderId !== clientOrderId));
      };
      try {
        const { data } = await placeOrder({
          variables: {
            input: {
              ticker,
              outcome: order.side === "yes" ? "YES" : "NO",
              action: order.action === "buy" ? "BUY" : "SELL",
              price: formatPriceWire(order.price),
              count: formatCountWire(order.count),
              clientOrderId,
            },
          },
        });
        const payload = data?.placeOrder;
        if (payload === undefined) {
          drop();
          return { ok: false, errors: [{ field: null, message: "The API returned no answer." }] };
        }
        if (payload.userErrors.length > 0 || payload.order == null) {
          drop();
          return {
            ok: false,
            errors: payload.userErrors.map((e) => ({
              field: e.field ?? null,
              message: e.rule == null ? e.message : `${e.message} (rule: ${e.rule})`,
            })),
          };
        }
        // Keep the optimistic row until the refreshed list holds the real one.
        await refetchOrders().catch(() => undefined);
        drop();
        const placed = payload.order;
        return {
          ok: true,
          message: `Order ${placed.status.replace("_", " ")}: ${formatCount(order.count)} ${order.side.toUpperCase()} at ${formatPrice(order.price)}.`,
        };
      } catch (error) {
        drop();
        return { ok: false, errors: [{ field: null, message: describeError(error) }] };
      }
    },
    [placeOrder, refetchOrders, ticker],
  );

  return { pending, submit };
}
