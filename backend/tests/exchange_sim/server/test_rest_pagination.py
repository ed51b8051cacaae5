"""Cursor pagination (``rest_common.paginate``): every item exactly once, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kalshiflow.exchange_sim.server.rest_common import paginate


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=60),
    limit=st.integers(min_value=1, max_value=25),
)
def test_walk_yields_each_item_once_in_order(items: list[str], limit: int) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(len(items) + 2):
        page, cursor = paginate(items, lambda x: x, limit, cursor)
        assert len(page) <= limit
        seen += page
        if not cursor:
            break
    assert seen == items
    assert cursor == ""


def test_items_added_at_the_head_do_not_shift_later_pages() -> None:
    newest_first = ["t5", "t4", "t3", "t2", "t1"]
    page, cursor = paginate(newest_first, lambda x: x, 2, None)
    assert page == ["t5", "t4"]
    newest_first.insert(0, "t6")  # a new trade arrives between two calls
    page, cursor = paginate(newest_first, lambda x: x, 2, cursor)
    assert page == ["t3", "t2"]
    page, cursor = paginate(newest_first, lambda x: x, 2, cursor)
    assert (page, cursor) == (["t1"], "")


def test_garbage_cursor_restarts() -> None:
    page, _ = paginate(["a", "b", "c"], lambda x: x, 2, "%%%not-base64%%%")
    assert page == ["a", "b"]
