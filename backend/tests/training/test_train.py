"""Held-out splits, evaluation against HOLD and the rules, and the `kalshiflow train`
command-line surface (the end-to-end run is tests/actor/test_actor_model_e2e.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kalshiflow.actor.selectors import HardcodedSelector, HoldSelector
from kalshiflow.cli.train import config_from, parse_ids, register
from kalshiflow.training.loader import build_points
from kalshiflow.training.train import evaluate, split_sessions
from tests.training.support import random_walk_records


def session(session_id: int, tickers: tuple[str, ...], seed: int = 1):  # type: ignore[no-untyped-def]
    s = build_points(session_id, random_walk_records(tickers, updates=300, seed=seed))
    s.session_id = session_id
    return s


def test_held_out_data_is_never_trained_on() -> None:
    one = session(1, ("A", "B", "C", "D", "E", "F", "G", "H"))
    split = split_sessions([one])
    assert split.eval_tickers is not None
    assert split.train_tickers is not None
    assert split.eval_tickers
    assert not set(split.eval_tickers) & set(split.train_tickers)
    assert set(split.eval_tickers) | set(split.train_tickers) == set(one.markets(10))
    two = session(2, ("A", "B"), seed=2)
    split = split_sessions([one, two])
    assert [s.session_id for s in split.train] == [1]
    assert [s.session_id for s in split.eval] == [2]
    explicit = split_sessions([one], [two])
    assert [s.session_id for s in explicit.eval] == [2]
    lonely = split_sessions([session(3, ("A",))])
    assert lonely.in_sample


def test_evaluation_compares_policies_on_the_same_episodes() -> None:
    s = session(1, ("A", "B"))
    result = evaluate(
        {"hold": HoldSelector().choose, "hardcoded": HardcodedSelector().choose}, [s], None, 10
    )
    assert result["hold"]["mean_pnl"] == 0.0
    assert result["hold"]["orders"] == 0
    assert result["hold"]["episodes"] == result["hardcoded"]["episodes"] == 2
    assert result["hold"]["steps"] == result["hardcoded"]["steps"]
    assert result["markets"] == ["1:A", "1:B"] or result["markets"] == ["1:B", "1:A"]


def test_the_command_line() -> None:
    parser = argparse.ArgumentParser(prog="kalshiflow")
    register(parser.add_subparsers())
    args = parser.parse_args(
        ["train", "--sessions", "3,4", "--algo", "DQN", "--timesteps", "1000", "--out", "/x"]
    )
    assert parse_ids(args.sessions, "--sessions") == [3, 4]
    config = config_from(args)
    assert (config.algo, config.timesteps, config.episode_length) == ("DQN", 1000, 256)
    assert args.out == Path("/x")
    assert callable(args.handler)
    with pytest.raises(SystemExit, match="comma-separated session ids"):
        parse_ids("3,x", "--sessions")
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--sessions", "1", "--algo", "SAC"])


@pytest.mark.parametrize("algo", ["A2C", "DQN"])
def test_the_other_algorithms_train_save_and_load(algo: str, tmp_path: Path) -> None:
    from kalshiflow.actor.rl_model import RLModelSelector
    from kalshiflow.training.train import TrainConfig, train_on

    s = session(1, ("A", "B", "C", "D"))
    config = TrainConfig(algo=algo, timesteps=200, threads=1, episode_length=32, name=algo)  # type: ignore[arg-type]
    result = train_on([s], config, tmp_path)
    assert result.path == tmp_path / f"{algo}.zip"
    assert result.metrics["algo"] == algo
    assert result.metrics["numpy_fast_path"] is True
    selector = RLModelSelector.load(result.path)
    assert selector.info.algo == algo
