import { useQuery } from "@apollo/client/react";

import { describeError } from "../../shared/errors/describeError.ts";
import { formatTime } from "../../shared/ui/format.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { EmptyState, ErrorState } from "../../shared/ui/StateMessage.tsx";
import { throughput } from "./recorderStats.ts";
import { RECORDING_QUERY } from "./systemQueries.ts";

export function RecorderPanel({ pollInterval = 5_000 }: { pollInterval?: number }) {
  const { data, error } = useQuery(RECORDING_QUERY, { pollInterval });
  const sessions = data?.recordingSessions;
  return (
    <Panel title="Recorder" aside="sessions, newest first">
      {error !== undefined && <ErrorState title="Could not load recorder sessions" message={describeError(error)} />}
      {sessions?.length === 0 && <EmptyState>No recording sessions yet.</EmptyState>}
      {sessions !== undefined && sessions.length > 0 && (
        <table className="table table--compact" aria-label="Recording sessions">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Environment</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">Markets</th>
              <th scope="col" className="num">Messages</th>
              <th scope="col" className="num">Rows</th>
              <th scope="col" className="num">Throughput</th>
              <th scope="col" className="num">Drops</th>
              <th scope="col">Last row</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <th scope="row" className="mono">
                  #{s.id}
                </th>
                <td>{s.environment}</td>
                <td>
                  <span className={`badge badge--${s.status === "active" ? "ok" : s.status === "crashed" ? "bad" : "muted"}`}>
                    {s.status}
                  </span>
                </td>
                <td className="mono">{formatTime(s.startedAt)}</td>
                <td className="num">{s.marketTickers.length}</td>
                <td className="num">{s.messages}</td>
                <td className="num">{s.rowsWritten}</td>
                <td className="num">{throughput(s.rowsWritten, s.startedAt, s.endedAt ?? s.lastRowAt ?? null)}</td>
                <td className={`num ${s.drops > 0 ? "neg" : ""}`}>{s.drops}</td>
                <td className="mono">{formatTime(s.lastRowAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
