import { createContext, useContext, useSyncExternalStore } from "react";

import type { ConnectionSnapshot, ConnectionStatusStore } from "./connectionStatus.ts";

export const ConnectionStatusContext = createContext<ConnectionStatusStore | null>(null);

export function useConnectionStatus(): ConnectionSnapshot {
  const store = useContext(ConnectionStatusContext);
  if (store === null) {
    throw new Error(
      "useConnectionStatus needs a <ConnectionStatusContext.Provider> " +
        "with the store returned by createApolloClient().",
    );
  }
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
