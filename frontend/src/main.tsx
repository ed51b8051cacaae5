import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { Root } from "./Root.tsx";
import { createSessionStore } from "./session.ts";
import { initialToken } from "./shared/auth/token.ts";
import "./styles/global.css";

const root = document.getElementById("root");
if (root === null) {
  throw new Error('index.html must contain <div id="root"></div> for the dashboard to mount.');
}

const session = createSessionStore({
  storage: window.localStorage,
  initialToken: initialToken(window.location, window.history, window.localStorage),
});

createRoot(root).render(
  <StrictMode>
    <Root session={session} />
  </StrictMode>,
);
