import { describeConnection } from "./connectionStatus.ts";
import { useConnectionStatus } from "./ConnectionStatusContext.ts";

/** Small header badge: is the backend answering? */
export function ConnectionIndicator() {
  const snapshot = useConnectionStatus();
  const { tone, label } = describeConnection(snapshot);
  return (
    <span
      className={`connection connection--${tone}`}
      role="status"
      aria-label={`API connection: ${label}`}
      title={snapshot.lastError ?? `API connection: ${label}`}
    >
      <span className="connection__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
