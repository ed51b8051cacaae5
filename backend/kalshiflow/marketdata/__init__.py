"""Market data: exact order books, the orderbook client, discovery and market metadata."""
