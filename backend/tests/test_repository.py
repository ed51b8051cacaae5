"""The promises the repository makes to a new user stay true: docs, settings, CI, compose."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from kalshiflow.api.schema import export_sdl
from kalshiflow.config import ENV_VARS

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_env_example_and_setup() -> None:
    example = (ROOT / ".env.example").read_text()
    setup = (ROOT / "SETUP.md").read_text()
    for var in ENV_VARS:
        assert re.search(rf"^#? ?{var.name}=", example, re.M), f"{var.name} not in .env.example"
        assert f"`{var.name}`" in setup, f"{var.name} not in SETUP.md"


def test_readme_first_screen_gives_the_two_commands_and_ci_runs_the_test_one() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    assert "make run" in first_screen
    assert "make test" in first_screen
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)


def test_frontend_schema_is_the_exported_one() -> None:
    committed = (ROOT / "frontend" / "schema.graphql").read_text()
    assert committed == export_sdl(), "frontend/schema.graphql is stale: run `make schema`"


def test_docker_compose_wires_postgres_health_and_env() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, backend = compose["services"]["db"], compose["services"]["backend"]
    assert int(db["image"].split(":")[1]) >= 16
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert backend["depends_on"]["db"]["condition"] == "service_healthy"
    assert backend["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert "@db:5432/" in backend["environment"]["DATABASE_URL"]
    assert backend["env_file"][0]["path"] == ".env"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "npm run build" in dockerfile
    assert "kalshiflow db upgrade" in dockerfile
    assert "torch==2.13.0" in dockerfile
    docker = shutil.which("docker")
    has_compose = docker and subprocess.run([docker, "compose", "version"], capture_output=True)
    if has_compose and has_compose.returncode == 0:
        result = subprocess.run(
            [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr


def test_migrations_have_date_slug_names() -> None:
    names = [p.name for p in (ROOT / "alembic" / "versions").glob("*.py")]
    assert names
    for name in names:
        assert re.fullmatch(r"\d{8}_[0-9a-f]{12}_[a-z0-9_]+\.py", name), name
