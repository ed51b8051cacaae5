"""HTTP side of the simulated exchange: REST, WebSocket, admin API, auth, limits, faults.

One aiohttp application per environment (``app.build_app(SimContext)``); everything a
handler needs hangs off ``request.app[context.SIM_CONTEXT]``.

Modules, one job each:

* ``app``            -- builds the app and its middleware chain (errors, admin loopback
                        guard, faults, auth, rate limits) and mounts the routes
* ``auth``           -- Kalshi RSA-PSS signature verification: ``authenticate(...)``,
                        ``KeyRegistry``, ``AuthError`` (shared with the WebSocket handler)
* ``ratelimit``      -- token buckets per key, read/write, Kalshi's tiers and costs
* ``faults``         -- ``FaultInjector``: REST failures/latency, WebSocket drop, refusal,
                        seq skip, message delay (armed by the admin API)
* ``errors``         -- Kalshi's three error-body shapes as ``ApiError``
* ``serialize``      -- engine objects -> Kalshi's current fixed-point JSON
* ``rest_market``    -- public market data (status, markets, orderbooks, trades, events,
                        series)
* ``rest_portfolio`` -- signed reads (balance, positions, orders, fills, settlements,
                        account limits)
* ``rest_orders``    -- V2 order writes under ``/portfolio/events/orders``; V1 writes -> 410
* ``rest_common``    -- query parsing, typed JSON body fields, cursor pagination
* ``admin``          -- ``/_sim/admin`` (loopback only): accounts, markets, activity, faults
* ``context``        -- ``SimContext`` and the request keys set by the auth middleware
* ``ws*``            -- the WebSocket endpoint ``/trade-api/ws/v2``
"""
