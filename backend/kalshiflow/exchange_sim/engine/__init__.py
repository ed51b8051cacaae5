"""Matching engine and accounting of the simulated Kalshi exchange (pure, synchronous)."""
