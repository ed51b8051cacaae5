import { useSyncExternalStore } from "react";

import { matchRoute, pathFor, type Route } from "./routes.ts";

/**
 * A tiny history router: the URL is the state, read with
 * useSyncExternalStore so every component sees the same route.
 */

const NAVIGATED = "kalshiflow:navigate";

function subscribe(listener: () => void): () => void {
  window.addEventListener("popstate", listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener("popstate", listener);
    window.removeEventListener(NAVIGATED, listener);
  };
}

const getPathname = () => window.location.pathname;

export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPathname);
}

export function useRoute(): Route {
  return matchRoute(usePathname());
}

export function navigate(to: string | Route, options: { replace?: boolean } = {}): void {
  const path = typeof to === "string" ? to : pathFor(to);
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace === true) {
    window.history.replaceState(null, "", path);
  } else {
    window.history.pushState(null, "", path);
  }
  window.dispatchEvent(new Event(NAVIGATED));
}
