import { SystemPage } from "./features/system/SystemPage.tsx";
import { ConnectionIndicator } from "./shared/connection/ConnectionIndicator.tsx";

/** The dashboard shell. One page for now; a router comes with the second. */
export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <span className="topbar__brand">kalshiflow</span>
        <nav className="topbar__nav" aria-label="Main">
          <a className="topbar__link topbar__link--active" href="/" aria-current="page">
            System
          </a>
        </nav>
        <ConnectionIndicator />
      </header>
      <main className="main">
        <SystemPage />
      </main>
    </div>
  );
}
