import { describeEnvironments, type EnvironmentInput } from "./environments.ts";

/** The strip under the header on every screen. */
export function EnvironmentBanner({
  environments,
  stale = false,
}: {
  environments: EnvironmentInput | null;
  stale?: boolean;
}) {
  const view = describeEnvironments(environments);
  return (
    <div
      className={`envbanner envbanner--${view.tone}`}
      role={view.tone === "danger" || view.tone === "halted" ? "alert" : "note"}
      aria-label="Environments"
    >
      {view.warning !== null && <strong className="envbanner__warning">{view.warning} </strong>}
      <span className="mono">{view.text}</span>
      {stale && <span className="envbanner__stale"> (last known)</span>}
    </div>
  );
}
