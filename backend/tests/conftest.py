"""Shared pytest configuration: fixtures that start real services live in tests/fixtures/."""

pytest_plugins: list[str] = ["tests.fixtures.database", "tests.fixtures.app", "tests.fixtures.sim"]
