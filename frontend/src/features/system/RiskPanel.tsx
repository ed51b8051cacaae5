import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";

import { describeError } from "../../shared/errors/describeError.ts";
import { formatCount, formatMoney, parseCount, parseMoney } from "../../shared/money.ts";
import { Panel } from "../../shared/ui/Panel.tsx";
import { ErrorState, LoadingState } from "../../shared/ui/StateMessage.tsx";
import { RiskLimitsEditor } from "./RiskLimitsEditor.tsx";
import { ENGAGE_KILL_SWITCH, RELEASE_KILL_SWITCH, RISK_QUERY } from "./systemQueries.ts";

/**
 * The kill switch (refuse every new order and cancel the resting ones) and
 * the limits the RiskManager enforces.
 */
export function RiskPanel({ pollInterval = 3_000 }: { pollInterval?: number }) {
  const { data, error, refetch } = useQuery(RISK_QUERY, { pollInterval });
  const [engage, engaging] = useMutation(ENGAGE_KILL_SWITCH);
  const [release, releasing] = useMutation(RELEASE_KILL_SWITCH);
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [editing, setEditing] = useState(false);
  const limits = data?.riskLimits;

  const run = (which: "engage" | "release") => {
    const why = reason.trim() === "" ? `${which}d from the dashboard` : reason.trim();
    setMessage(null);
    const mutate = which === "engage" ? engage : release;
    mutate({ variables: { reason: why } })
      .then(({ data: result }) => {
        const payload = result === undefined ? undefined : "engageKillSwitch" in result ? result.engageKillSwitch : result.releaseKillSwitch;
        const errors = payload?.userErrors ?? [];
        if (errors.length > 0) {
          setMessage({ text: errors.map((e) => e.message).join("; "), error: true });
        } else if (payload !== undefined) {
          setMessage({
            text: payload.engaged
              ? `Kill switch engaged; ${String(payload.canceled)} resting order(s) canceled.`
              : "Kill switch released: orders are accepted again.",
            error: false,
          });
          setReason("");
        }
        return refetch();
      })
      .catch((e: unknown) => {
        setMessage({ text: describeError(e), error: true });
      });
  };

  return (
    <Panel title="Risk" aside={limits === undefined ? undefined : limits.enforced ? "enforced" : "configured (trading not running)"}>
      {error !== undefined && <ErrorState title="Could not load risk limits" message={describeError(error)} />}
      {limits === undefined && error === undefined && <LoadingState label="Loading risk limits…" />}
      {limits !== undefined && (
        <>
          <div
            className={`state killswitch${limits.killSwitchEngaged ? " killswitch--engaged" : ""}`}
            role="region"
            aria-label="Kill switch"
          >
            <div>
              <strong className="state__title">
                Kill switch: {limits.killSwitchEngaged ? "ENGAGED — no new orders" : "released"}
              </strong>
              {limits.killSwitchReason != null && (
                <p className="state__message">Reason: {limits.killSwitchReason}</p>
              )}
            </div>
            <div className="toolbar">
              <label className="field">
                <span className="field__label">Reason</span>
                <input
                  className="input"
                  value={reason}
                  placeholder="why (logged)"
                  onChange={(e) => {
                    setReason(e.target.value);
                  }}
                />
              </label>
              {limits.killSwitchEngaged ? (
                <button type="button" className="button" disabled={releasing.loading} onClick={() => { run("release"); }}>
                  Release kill switch
                </button>
              ) : (
                <button type="button" className="button button--danger" disabled={engaging.loading} onClick={() => { run("engage"); }}>
                  Engage kill switch
                </button>
              )}
            </div>
          </div>
          {message !== null && (
            <div className={`state ${message.error ? "state--error" : "state--empty"}`} role={message.error ? "alert" : "status"}>
              {message.text}
            </div>
          )}
          <div className="toolbar">
            <button
              type="button"
              className="button button--small"
              aria-expanded={editing}
              onClick={() => {
                setEditing((e) => !e);
              }}
            >
              {editing ? "Close editor" : "Edit limits"}
            </button>
          </div>
          {editing && (
            <RiskLimitsEditor
              limits={limits}
              onDone={(text) => {
                setEditing(false);
                setMessage({ text, error: false });
                refetch().catch(() => undefined);
              }}
            />
          )}
          <dl className="facts">
            <Limit label="Max contracts per market" value={formatCount(parseCount(limits.maxContractsPerMarket))} />
            <Limit label="Max total exposure" value={formatMoney(parseMoney(limits.maxTotalExposure))} />
            <Limit label="Max daily loss" value={formatMoney(parseMoney(limits.maxDailyLoss))} />
            <Limit label="Min cash reserve" value={formatMoney(parseMoney(limits.minCashReserve))} />
            <Limit label="Max open orders" value={String(limits.maxOpenOrders)} />
            <Limit label="Max orders / s" value={String(limits.maxOrdersPerSecond)} />
            <Limit label="No new positions before close" value={`${String(limits.noNewPositionsBeforeCloseMinutes)} min`} />
            <Limit label="Max book age" value={`${String(limits.maxBookAgeMs)} ms`} />
          </dl>
        </>
      )}
    </Panel>
  );
}

function Limit({ label, value }: { label: string; value: string }) {
  return (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd className="mono">{value}</dd>
    </div>
  );
}
