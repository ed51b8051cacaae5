"""Typed spellings of Strawberry's resolver decorators.

``strawberry.field(description=...)`` is typed as returning ``Any``, which mypy --strict
reports as an untyped decorator on every resolver. These wrappers keep the resolver's own
signature visible to mypy; at runtime they are exactly Strawberry's decorators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def field(description: str | None = None) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.field(description=description))


def mutation(description: str | None = None) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.mutation(description=description))


def subscription(description: str | None = None) -> Callable[[F], F]:
    return cast("Callable[[F], F]", strawberry.subscription(description=description))
