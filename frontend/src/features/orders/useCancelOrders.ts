import { useMutation } from "@apollo/client/react";
import { useCallback, useState } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import { CANCEL_ALL_MUTATION, CANCEL_ORDER_MUTATION } from "./queries.ts";

/**
 * Cancel one order or all (of a market). `message` says what happened in
 * words, including the server's user errors; the lists refresh afterwards.
 */
export function useCancelOrders(refetch: () => Promise<unknown>) {
  const [cancelOne] = useMutation(CANCEL_ORDER_MUTATION);
  const [cancelAllMutation, { loading: cancellingAll }] = useMutation(CANCEL_ALL_MUTATION);
  const [cancelling, setCancelling] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const cancel = useCallback(
    (id: string) => {
      setCancelling((s) => new Set([...s, id]));
      setMessage(null);
      cancelOne({ variables: { id } })
        .then(({ data }) => {
          const errors = data?.cancelOrder.userErrors ?? [];
          setMessage(
            errors.length > 0
              ? { text: `Not canceled: ${errors.map((e) => e.message).join("; ")}`, error: true }
              : { text: "Order canceled.", error: false },
          );
          return refetch();
        })
        .catch((error: unknown) => {
          setMessage({ text: `Not canceled: ${describeError(error)}`, error: true });
        })
        .finally(() => {
          setCancelling((s) => new Set([...s].filter((x) => x !== id)));
        });
    },
    [cancelOne, refetch],
  );

  const cancelAll = useCallback(
    (ticker: string | null) => {
      setMessage(null);
      cancelAllMutation({ variables: { ticker } })
        .then(({ data }) => {
          const payload = data?.cancelAllOrders;
          const errors = payload?.userErrors ?? [];
          setMessage(
            errors.length > 0
              ? { text: `Cancel all failed: ${errors.map((e) => e.message).join("; ")}`, error: true }
              : { text: `Canceled ${String(payload?.canceled ?? 0)} order(s).`, error: false },
          );
          return refetch();
        })
        .catch((error: unknown) => {
          setMessage({ text: `Cancel all failed: ${describeError(error)}`, error: true });
        });
    },
    [cancelAllMutation, refetch],
  );

  return { cancel, cancelAll, cancelling, cancellingAll, message };
}
