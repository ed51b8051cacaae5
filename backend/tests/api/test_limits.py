"""Which errors reach a client as they are, and which are masked."""

from __future__ import annotations

from graphql import GraphQLError

from kalshiflow.api.budget import ExchangeReadBudgetError
from kalshiflow.api.limits import is_internal
from kalshiflow.api.services import ServiceUnavailableError
from kalshiflow.kalshi.errors import MarketUnavailableError


def wrapped(original: Exception | None) -> GraphQLError:
    return GraphQLError("message", original_error=original)


def test_user_facing_errors_pass_through() -> None:
    assert not is_internal(wrapped(None))  # syntax, validation, limits
    assert not is_internal(wrapped(ValueError("first must be between 0 and 500")))
    assert not is_internal(wrapped(ExchangeReadBudgetError("too many")))
    assert not is_internal(wrapped(ServiceUnavailableError("trading is not running")))
    assert not is_internal(wrapped(MarketUnavailableError("T", "demo", "is not open")))


def test_internal_failures_are_masked() -> None:
    assert is_internal(wrapped(RuntimeError("connection to postgresql://user:pw@db failed")))
    assert is_internal(wrapped(KeyError("x")))
    assert is_internal(wrapped(AttributeError("'NoneType' object has no attribute 'books'")))
