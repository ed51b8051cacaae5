import { useQuery } from "@apollo/client/react";

import { parsePriceOrNull } from "../../shared/money.ts";
import { PriceCell } from "../../shared/ui/Cells.tsx";
import { DEMO_TOPS_QUERY } from "./queries.ts";

export const DEMO_POLL_MS = 5_000;

/** Demo's best bid / ask for one market: the trading side of the pair. */
export function DemoTopCells({ ticker, pollInterval = DEMO_POLL_MS }: { ticker: string; pollInterval?: number }) {
  const { data, error } = useQuery(DEMO_TOPS_QUERY, { variables: { ticker }, pollInterval });
  const book = data?.market?.demoOrderbook;
  if (error !== undefined && book === undefined) {
    return (
      <td className="num muted" colSpan={2} title={error.message}>
        unavailable
      </td>
    );
  }
  if (data !== undefined && book == null) {
    return (
      <td className="num muted" colSpan={2}>
        not listed
      </td>
    );
  }
  return (
    <>
      <PriceCell value={parsePriceOrNull(book?.bestYesBid)} className="pos" />
      <PriceCell value={parsePriceOrNull(book?.bestYesAsk)} className="neg" />
    </>
  );
}
