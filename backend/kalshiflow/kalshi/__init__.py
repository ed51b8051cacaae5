"""Client side of Kalshi's trade-api v2: signing, wire formats, REST and WebSocket clients."""
