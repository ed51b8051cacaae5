import { ActorPage } from "./features/actor/ActorPage.tsx";
import { MarketPage } from "./features/market/MarketPage.tsx";
import { MarketsPage } from "./features/markets/MarketsPage.tsx";
import { OrdersPage } from "./features/orders/OrdersPage.tsx";
import { PortfolioPage } from "./features/portfolio/PortfolioPage.tsx";
import { SystemBanner } from "./features/system/SystemBanner.tsx";
import { SystemPage } from "./features/system/SystemPage.tsx";
import { ConnectionIndicator } from "./shared/connection/ConnectionIndicator.tsx";
import { Link } from "./shared/router/Link.tsx";
import { useRoute } from "./shared/router/navigation.ts";
import { NAV, pathFor, type Route } from "./shared/router/routes.ts";
import { ErrorBoundary } from "./shared/ui/ErrorBoundary.tsx";
import { EmptyState } from "./shared/ui/StateMessage.tsx";

/** The dashboard shell: navigation, connection, environments, and the current page. */
export function App({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const section = route.name === "market" ? "markets" : route.name;
  return (
    <div className="app">
      <header className="topbar">
        <span className="topbar__brand">kalshiflow</span>
        <nav className="topbar__nav" aria-label="Main">
          {NAV.map((item) => {
            const active = item.route.name === section;
            return (
              <Link
                key={item.route.name}
                to={item.route}
                className={`topbar__link${active ? " topbar__link--active" : ""}`}
                aria-current={active ? "page" : undefined}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <ConnectionIndicator />
        <button type="button" className="button button--quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <SystemBanner />
      <main className="main">
        <ErrorBoundary resetKey={pathFor(route)}>
          <Page route={route} />
        </ErrorBoundary>
      </main>
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case "markets":
      return <MarketsPage />;
    case "market":
      return <MarketPage key={route.ticker} ticker={route.ticker} />;
    case "orders":
      return <OrdersPage />;
    case "portfolio":
      return <PortfolioPage />;
    case "actor":
      return <ActorPage />;
    case "system":
      return <SystemPage />;
    case "notFound":
      return (
        <EmptyState>
          No page at <code>{route.path}</code>. <Link to={{ name: "markets" }}>Go to the markets</Link>.
        </EmptyState>
      );
  }
}
