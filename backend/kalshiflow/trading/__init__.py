"""Trading core: the pure, synchronous book-keeping and decision parts of the trader.

Everything here is deterministic and does no I/O: positions and P&L (`positions`), cash and
order reservations (`cash`), pre-trade risk and the kill switch (`risk`), the five-action
limit-order space (`action_space`), the demo-vs-production ledgers (`ledger`), the trader's
state machine (`state_machine`) and the fee rule (`fees`). Time is always passed in (a
clock callable or an explicit ``at_ms``), and every price, count and amount is a scaled
integer from `kalshiflow.kalshi.fixedpoint` (or an exact `Fraction` of those units).

The I/O parts (OrderManager, OrderTracker, FillProcessor, Reconciler) sit on top of these.
"""
