"""A local Kalshi-compatible exchange: engine, participants, REST and WebSocket servers."""
