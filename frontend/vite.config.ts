import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The backend (uvicorn) serves GraphQL over HTTP and graphql-transport-ws at
// the same path. `ws: true` forwards the WebSocket upgrade. `changeOrigin` is
// deliberately left off: the browser's Origin then matches the Host the
// backend sees, so Strawberry's cross-origin WebSocket check lets it through.
const backend = process.env.KALSHIFLOW_BACKEND_URL ?? "http://127.0.0.1:8000";
const proxy = {
  "/graphql": { target: backend, ws: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
