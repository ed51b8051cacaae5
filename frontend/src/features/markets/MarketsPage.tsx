import { useQuery } from "@apollo/client/react";
import { useMemo, useState } from "react";

import type { MarketSort } from "../../gql/graphql.ts";
import { describeError } from "../../shared/errors/describeError.ts";
import { useDebounced } from "../../shared/hooks/useDebounced.ts";
import { navigate } from "../../shared/router/navigation.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { matchesSearch, sortRows, toMarketRow, withLive, type SortDirection, type SortKey } from "./marketRows.ts";
import { MarketsTable } from "./MarketsTable.tsx";
import { MARKETS_QUERY } from "./queries.ts";
import { useLiveTickers } from "./useLiveTickers.ts";

const PAGE_SIZE = 25;

const SERVER_SORTS: readonly { value: MarketSort; label: string }[] = [
  { value: "ACTIVITY", label: "Most active" },
  { value: "VOLUME", label: "Volume" },
  { value: "CLOSE_TIME", label: "Closing soonest" },
];

interface MarketsPageProps {
  /** 0 disables the demo polling (tests). */
  demoPollInterval?: number;
}

export function MarketsPage({ demoPollInterval }: MarketsPageProps) {
  const [search, setSearch] = useState("");
  const [serverSort, setServerSort] = useState<MarketSort>("ACTIVITY");
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection } | null>(null);
  const debounced = useDebounced(search.trim(), 300);

  const { data, error, loading, refetch, fetchMore } = useQuery(MARKETS_QUERY, {
    variables: {
      filter: debounced === "" ? null : { search: debounced },
      sort: serverSort,
      first: PAGE_SIZE,
      after: null,
    },
    notifyOnNetworkStatusChange: true,
  });
  const { live, error: liveError } = useLiveTickers(null);

  const connection = data?.markets;
  const rows = useMemo(() => {
    const parsed = (connection?.nodes ?? [])
      .map(toMarketRow)
      .map((row) => withLive(row, live.get(row.ticker)))
      .filter((row) => matchesSearch(row, search));
    return sort === null ? parsed : sortRows(parsed, sort.key, sort.direction);
  }, [connection, live, search, sort]);

  const loadMore = () => {
    const after = connection?.pageInfo.endCursor;
    if (after == null) return;
    fetchMore({
      variables: { after },
      updateQuery: (previous, { fetchMoreResult }) => ({
        markets: {
          ...fetchMoreResult.markets,
          nodes: [...previous.markets.nodes, ...fetchMoreResult.markets.nodes],
        },
      }),
    }).catch(() => undefined); // shown through `error`
  };

  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">Markets</h1>
        <p className="page__subtitle">
          Production prices stream live; demo (where orders go) is polled beside them.
        </p>
      </header>

      <div className="toolbar">
        <label className="field">
          <span className="field__label">Search</span>
          <input
            className="input"
            type="search"
            placeholder="Ticker or title"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
            }}
          />
        </label>
        <label className="field">
          <span className="field__label">Order from the server by</span>
          <select
            className="select"
            value={serverSort}
            onChange={(e) => {
              setServerSort(e.target.value as MarketSort);
              setSort(null);
            }}
          >
            {SERVER_SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>

      {error !== undefined && (
        <ErrorState
          title={connection === undefined ? "Could not load markets" : "Markets may be out of date"}
          message={describeError(error)}
          onRetry={() => {
            refetch().catch(() => undefined);
          }}
        />
      )}
      {liveError !== undefined && (
        <ErrorState title="Live prices paused" message={describeError(liveError)} />
      )}

      {connection === undefined && error === undefined && loading && <LoadingState label="Loading markets…" />}

      {connection !== undefined && (
        <Panel
          title="Markets"
          aside={`${String(rows.length)} shown of ${String(connection.totalCount)}`}
        >
          {rows.length === 0 ? (
            <EmptyState>
              {debounced === ""
                ? "No markets yet. The backend lists the markets it watches once market data starts."
                : `No market matches “${debounced}”.`}
            </EmptyState>
          ) : (
            <MarketsTable
              rows={rows}
              sort={sort}
              onSort={(key) => {
                setSort((current) => ({
                  key,
                  direction: current?.key === key && current.direction === "desc" ? "asc" : "desc",
                }));
              }}
              onOpen={(ticker) => {
                navigate({ name: "market", ticker });
              }}
              demoPollInterval={demoPollInterval}
            />
          )}
          {connection.pageInfo.hasNextPage && (
            <button type="button" className="button" onClick={loadMore} disabled={loading}>
              {loading ? "Loading…" : "Load more"}
            </button>
          )}
        </Panel>
      )}
    </div>
  );
}
