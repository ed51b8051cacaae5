"""HTTP side of the simulated exchange: REST, WebSocket, admin API, auth, limits, faults."""
