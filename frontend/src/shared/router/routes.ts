/**
 * The dashboard's pages and their URLs. The backend serves index.html for
 * every path it does not know, so plain history URLs work on reload.
 */
export type Route =
  | { readonly name: "markets" }
  | { readonly name: "market"; readonly ticker: string }
  | { readonly name: "portfolio" }
  | { readonly name: "orders" }
  | { readonly name: "actor" }
  | { readonly name: "system" }
  | { readonly name: "notFound"; readonly path: string };

export type RouteName = Route["name"];

const STATIC: Record<string, Route> = {
  "/": { name: "markets" },
  "/markets": { name: "markets" },
  "/portfolio": { name: "portfolio" },
  "/orders": { name: "orders" },
  "/actor": { name: "actor" },
  "/system": { name: "system" },
};

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const fixed = STATIC[path];
  if (fixed !== undefined) return fixed;
  const market = /^\/markets\/([^/]+)$/.exec(path);
  if (market?.[1] !== undefined) {
    try {
      return { name: "market", ticker: decodeURIComponent(market[1]) };
    } catch {
      return { name: "notFound", path: pathname };
    }
  }
  return { name: "notFound", path: pathname };
}

export function pathFor(route: Route): string {
  switch (route.name) {
    case "markets":
      return "/markets";
    case "market":
      return `/markets/${encodeURIComponent(route.ticker)}`;
    case "notFound":
      return route.path;
    default:
      return `/${route.name}`;
  }
}

/** The top navigation, in order. */
export const NAV: readonly { readonly route: Route; readonly label: string }[] = [
  { route: { name: "markets" }, label: "Markets" },
  { route: { name: "portfolio" }, label: "Portfolio" },
  { route: { name: "orders" }, label: "Orders" },
  { route: { name: "actor" }, label: "Actor" },
  { route: { name: "system" }, label: "System" },
];
