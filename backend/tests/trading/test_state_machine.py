"""Trader state machine: the legal life cycle, illegal transitions raise, events published."""

from __future__ import annotations

import itertools

import pytest

from kalshiflow.trading.state_machine import (
    ALLOWED,
    IllegalTransitionError,
    TraderState,
    TraderStateChanged,
    TraderStateMachine,
)
from tests.trading.support import FakeClock

S = TraderState


def test_the_normal_life_cycle_publishes_every_change() -> None:
    clock = FakeClock(1000)
    published: list[TraderStateChanged] = []
    sm = TraderStateMachine(clock, published.append)
    assert sm.state is S.STARTING
    assert not sm.can_trade
    sm.calibrate()
    clock.advance(5)
    first = sm.start_trading("positions and balance reconciled")
    assert first == TraderStateChanged(
        S.CALIBRATING, S.TRADING, "positions and balance reconciled", 1005
    )
    assert sm.can_trade
    sm.pause("operator")
    assert not sm.can_trade
    sm.resume()
    sm.fail("websocket dropped")
    assert not sm.can_trade
    sm.calibrate("recovering: reconcile again")
    sm.start_trading()
    sm.stop("shutdown")
    assert [(e.previous, e.current) for e in published] == [
        (S.STARTING, S.CALIBRATING),
        (S.CALIBRATING, S.TRADING),
        (S.TRADING, S.PAUSED),
        (S.PAUSED, S.TRADING),
        (S.TRADING, S.RECOVERING),
        (S.RECOVERING, S.CALIBRATING),
        (S.CALIBRATING, S.TRADING),
        (S.TRADING, S.STOPPED),
    ]
    assert sm.history == published


def test_recovering_must_calibrate_before_trading() -> None:
    sm = TraderStateMachine(FakeClock())
    sm.fail("start failed")
    with pytest.raises(IllegalTransitionError, match="from recovering to trading") as info:
        sm.start_trading()
    assert "calibrating" in str(info.value)  # says where it may go instead
    assert sm.state is S.RECOVERING


def test_stopped_is_terminal_and_the_state_is_unchanged_after_a_refusal() -> None:
    published: list[TraderStateChanged] = []
    sm = TraderStateMachine(FakeClock(), published.append)
    sm.stop()
    for target in S:
        assert not sm.can_transition(target)
        with pytest.raises(IllegalTransitionError, match="terminal"):
            sm.transition(target, "try")
    assert sm.state is S.STOPPED
    assert len(published) == 1


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S, S)))
def test_every_pair_follows_the_table(source: TraderState, target: TraderState) -> None:
    sm = TraderStateMachine(FakeClock())
    sm._state = source  # place it directly: the table is what is under test
    if target in ALLOWED[source]:
        assert sm.transition(target, "x").current is target
        assert sm.can_trade is (target is S.TRADING)
    else:
        with pytest.raises(IllegalTransitionError):
            sm.transition(target, "x")
        assert sm.state is source


def test_only_calibrating_or_paused_lead_into_trading() -> None:
    into_trading = {s for s, targets in ALLOWED.items() if S.TRADING in targets}
    assert into_trading == {S.CALIBRATING, S.PAUSED}
    assert all(s in ALLOWED for s in S)
    assert not any(s in targets for s, targets in ALLOWED.items())  # no self-transitions
