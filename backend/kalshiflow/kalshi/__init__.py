"""Client side of Kalshi's trade-api v2: signing, wire formats, REST and WebSocket clients.

Modules (imported directly; this package imports nothing so that ``fixedpoint`` stays cheap):

* ``auth``: ``KalshiAuth`` (RSA-PSS request signing), ``KeyLoadError``.
* ``errors``: ``KalshiApiError`` and its subclasses, ``WireFormatError``, client errors.
* ``models``: frozen wire models with ``from_wire`` (current fixed-point and legacy fields).
* ``ratelimit``: client-side token buckets by usage tier.
* ``transport``: one signed, rate-limited, retrying aiohttp session per base URL.
* ``rest``: ``KalshiRestClient`` (every REST call, idempotent order creation).
* ``data_client`` / ``trading_client`` / ``hybrid``: the read-only data client, the guarded
  trading client and the pair built from plain settings.
* ``environment``: production / demo / simulated detection from a URL.
* ``stream*``: the WebSocket client.
"""
