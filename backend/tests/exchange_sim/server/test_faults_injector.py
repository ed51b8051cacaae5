"""Unit tests of ``FaultInjector`` with a controllable clock."""

from __future__ import annotations

import pytest

from kalshiflow.exchange_sim.server.faults import FaultInjector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rest_failures_are_consumed_in_order() -> None:
    faults = FaultInjector()
    faults.fail_rest(503, 2)
    faults.fail_rest(429)
    assert [faults.take_rest_failure() for _ in range(4)] == [503, 503, 429, None]


def test_rest_failure_status_validated() -> None:
    with pytest.raises(ValueError, match="4xx/5xx"):
        FaultInjector().fail_rest(200)


def test_latency_and_refusal_expire() -> None:
    clock = Clock()
    faults = FaultInjector(clock)
    faults.set_rest_latency(0.25, duration_s=5)
    faults.refuse_ws_upgrades(502, 3)
    faults.delay_ws_messages(0.1, duration_s=1)
    assert faults.rest_latency_s() == 0.25
    assert faults.ws_upgrade_refusal() == 502
    assert faults.ws_message_delay_s() == 0.1
    clock.now += 3
    assert faults.ws_upgrade_refusal() is None
    assert faults.ws_message_delay_s() == 0.0
    assert faults.rest_latency_s() == 0.25
    clock.now += 2
    assert faults.rest_latency_s() == 0.0


def test_refusal_only_gateway_statuses() -> None:
    with pytest.raises(ValueError, match="502 or 503"):
        FaultInjector().refuse_ws_upgrades(500, 1)


def test_drop_listeners() -> None:
    faults = FaultInjector()
    dropped: list[str] = []
    faults.add_drop_listener(lambda: dropped.append("a"))
    remove_b = faults.add_drop_listener(lambda: dropped.append("b"))
    remove_b()
    assert faults.open_ws_connections == 1
    assert faults.drop_all_ws() == 1
    assert dropped == ["a"]
    assert faults.drop_all_ws() == 0  # listeners are one-shot


def test_seq_skip_consumed_once() -> None:
    faults = FaultInjector()
    faults.skip_seq()
    faults.skip_seq(2)
    assert faults.take_seq_skip() == 3
    assert faults.take_seq_skip() == 0


def test_clear() -> None:
    faults = FaultInjector()
    faults.fail_rest(500, 3)
    faults.set_rest_latency(1.0)
    faults.skip_seq()
    faults.clear()
    assert faults.snapshot()["pending_rest_failures"] == []
    assert faults.rest_latency_s() == 0.0
    assert faults.take_seq_skip() == 0
