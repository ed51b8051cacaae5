"""`MarketAgnosticKalshiEnv`: a gymnasium environment over recorded sessions.

One episode is one market of one recorded session (or a window of ``episode_length`` of
its points). Observations come from the shared feature function
(`actor.features.build_observation`) with the temporal features the loader computed through
the live `HistoryTracker`, so the policy sees what the live actor would see. The five
actions go through the live `LimitOrderActionSpace`, then the `SimulatedOrderManager`
(risk checks, fills against the recorded book, fees).

Reward: the change of portfolio value (cash + position at the YES mid, in dollars) from
one point to the next, so fees and adverse fills are paid for when they happen. The
environment is market agnostic: nothing in the observation names the market.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import gymnasium as gym

from kalshiflow.actor.features import Observation, build_observation
from kalshiflow.actor.spaces import action_space, observation_space
from kalshiflow.config import RiskSettings
from kalshiflow.kalshi.fixedpoint import MONEY_SCALE, Count, Money, count_from_contracts
from kalshiflow.trading.action_space import LimitOrderActionSpace, Pricing
from kalshiflow.trading.types import Action, OrderIntent
from kalshiflow.training.loader import MarketPoint, RecordedSession
from kalshiflow.training.sim_orders import DEFAULT_CASH, DEFAULT_TTL_NS, SimulatedOrderManager

Episode = tuple[int, str]  # (index of the session, ticker)


def _mid(point: MarketPoint) -> Fraction | None:
    return point.book.mid


class MarketAgnosticKalshiEnv(gym.Env[Observation, int]):
    metadata: dict[str, Any] = {"render_modes": []}  # noqa: RUF012

    def __init__(
        self,
        sessions: Sequence[RecordedSession],
        *,
        contract_size: Count | None = None,
        episode_length: int | None = None,
        min_points: int = 10,
        cash: Money = DEFAULT_CASH,
        risk: RiskSettings | None = None,
        pricing: Pricing = "join",
        max_cross_ticks: int = 2,
        order_ttl_ns: int = DEFAULT_TTL_NS,
        tickers: Sequence[str] | None = None,
    ) -> None:
        super().__init__()
        self.sessions = list(sessions)
        self.episodes: list[Episode] = [
            (i, t)
            for i, s in enumerate(self.sessions)
            for t in s.markets(max(min_points, 2))
            if tickers is None or t in tickers
        ]
        if not self.episodes:
            raise ValueError(
                f"no market in sessions {[s.session_id for s in self.sessions]} has "
                f"{min_points} or more book updates; record longer or lower min_points"
            )
        # gymnasium's generic annotations do not fit Box/Discrete exactly
        self.observation_space = observation_space()  # type: ignore[assignment]
        self.action_space = action_space()  # type: ignore[assignment]
        self.space = LimitOrderActionSpace(
            contract_size or count_from_contracts(10),
            pricing=pricing,
            max_cross_ticks=max_cross_ticks,
        )
        self.episode_length = episode_length
        self.cash = cash
        self.risk = risk
        self.order_ttl_ns = order_ttl_ns
        self._next_episode = 0
        self._points: list[MarketPoint] = []
        self._ticker = ""
        self._i = 0
        self._end = 0
        self._om: SimulatedOrderManager | None = None
        self._mark: Fraction | None = None

    # --- gymnasium API ----------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[Observation, dict[str, Any]]:
        super().reset(seed=seed)
        options = options or {}
        if "episode" in options:
            index = int(options["episode"])
        elif self.episode_length is None:
            index = self._next_episode
            self._next_episode = (self._next_episode + 1) % len(self.episodes)
        else:
            index = int(self.np_random.integers(len(self.episodes)))
        session_index, ticker = self.episodes[index % len(self.episodes)]
        points = self.sessions[session_index].points[ticker]
        self._points, self._ticker = points, ticker
        start = 0
        if self.episode_length is not None and len(points) > self.episode_length + 1:
            start = int(self.np_random.integers(len(points) - self.episode_length))
            self._end = start + self.episode_length
        else:
            self._end = len(points) - 1
        self._i = start
        self._om = SimulatedOrderManager(
            ticker, cash=self.cash, risk=self.risk, order_ttl_ns=self.order_ttl_ns
        )
        self._mark = None
        self._enter(points[start])
        return self._observation(), {"ticker": ticker, "points": self._end - start}

    def step(self, action: int) -> tuple[Observation, float, bool, bool, dict[str, Any]]:
        om = self._require()
        point = self._points[self._i]
        before = om.value(self._mark)
        act = Action(int(action))
        outcome = "hold"
        position = om.position
        reducing_side = "ask" if position > 0 else "bid"
        pending_reduce = sum(o.remaining for o in om.resting_orders() if o.side == reducing_side)
        result = self.space.to_order(act, self._ticker, point.book, position, pending_reduce)
        if isinstance(result, OrderIntent):
            outcome = om.place(result, point.book)
        elif act is not Action.HOLD:
            outcome = "no_order"
        self._i += 1
        nxt = self._points[self._i]
        self._enter(nxt)
        om.on_point(nxt.book, nxt.trades)
        after = om.value(self._mark)
        reward = (after - before) / MONEY_SCALE
        terminated = self._i >= self._end
        info = {
            "outcome": outcome,
            "value": after / MONEY_SCALE,
            "position": int(om.position),
            "fees": om.fees_paid / MONEY_SCALE,
        }
        return self._observation(), float(reward), terminated, False, info

    # --- helpers ------------------------------------------------------------------------------

    def _require(self) -> SimulatedOrderManager:
        if self._om is None:
            raise RuntimeError("call reset() before step()")
        return self._om

    def _enter(self, point: MarketPoint) -> None:
        mid = _mid(point)
        if mid is not None:
            self._mark = mid
        self._require().advance(point.received_ns, self._mark)

    def _observation(self) -> Observation:
        om = self._require()
        point = self._points[self._i]
        return build_observation(
            point.book, point.temporal, om.portfolio_state(), om.resting_orders(),
            point.received_ns,
        )  # fmt: skip

    @property
    def order_manager(self) -> SimulatedOrderManager:
        return self._require()

    def observation_at(self, index: int) -> Observation:
        """The observation of point ``index`` of the current episode with the current
        portfolio (for tests that compare with the live adapter)."""
        om = self._require()
        point = self._points[index]
        return build_observation(
            point.book, point.temporal, om.portfolio_state(), om.resting_orders(),
            point.received_ns,
        )  # fmt: skip


def rollout(env: MarketAgnosticKalshiEnv, choose: Any, episode: int) -> dict[str, float]:
    """Run ``choose(observation) -> action`` over one whole episode; its P&L and activity."""
    obs, _ = env.reset(options={"episode": episode})
    total, steps, trades = 0.0, 0, 0
    done = False
    info: dict[str, Any] = {}
    while not done:
        obs, reward, done, truncated, info = env.step(int(choose(obs)))
        done = done or truncated
        total += reward
        steps += 1
        trades += info["outcome"] in ("placed", "filled")
    om = env.order_manager
    return {
        "pnl": total,
        "steps": float(steps),
        "orders": float(trades),
        "fills": float(len(om.fills)),
        "fees": om.fees_paid / MONEY_SCALE,
        "final_position": float(om.position),
    }


__all__ = ["MarketAgnosticKalshiEnv", "rollout"]
