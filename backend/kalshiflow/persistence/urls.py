"""Database URL handling: one place that turns what users write into what asyncpg needs."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url


def to_async_url(url: str) -> URL:
    """Accept postgres://, postgresql:// or postgresql+asyncpg:// and return the asyncpg form."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, not {parsed.drivername}://")
    return parsed.set(drivername="postgresql+asyncpg")


def redacted(url: URL) -> str:
    """The URL for logs and health: never the password."""
    return url.render_as_string(hide_password=True)
