import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { createApolloClient } from "./apollo.ts";
import { App } from "./App.tsx";
import { ConnectionStatusContext } from "./shared/connection/ConnectionStatusContext.ts";
import "./styles/global.css";

const root = document.getElementById("root");
if (root === null) {
  throw new Error('index.html must contain <div id="root"></div> for the dashboard to mount.');
}

const { client, connection } = createApolloClient();

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <ConnectionStatusContext.Provider value={connection}>
        <App />
      </ConnectionStatusContext.Provider>
    </ApolloProvider>
  </StrictMode>,
);
