# kalshiflow: two commands for a fresh machine (Python 3.11+, Node 20+):
#   make run    install what is needed, build the dashboard, start everything (sandbox by default)
#   make test   lint, type checks, backend tests, frontend tests, browser tests
# Both are idempotent: a second run only redoes what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BACKEND_STAMP := $(VENV)/.kalshiflow-installed
FRONTEND_STAMP := frontend/node_modules/.kalshiflow-installed
DASHBOARD := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)

.PHONY: help run test install lint typecheck test-backend test-frontend test-browser schema \
        bench browser check-tools clean

help:
	@echo "make run     install, build the dashboard, start kalshiflow (http://127.0.0.1:8000)"
	@echo "make test    lint, type checks, backend tests, frontend tests, browser tests"
	@echo "make schema  export the GraphQL schema to frontend/schema.graphql and regenerate types"
	@echo "make bench   run the benchmarks (JSON on stdout)"

check-tools:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	@command -v npm >/dev/null || { echo "Node.js 20+ with npm is required"; exit 1; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || { echo "Node.js 20+ is required"; exit 1; }

$(BACKEND_STAMP): backend/pyproject.toml | check-tools
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to 2.13.0 in pyproject.toml: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet -e 'backend[dev]'
	@touch $@

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json | check-tools
	npm --prefix frontend ci --no-audit --no-fund --loglevel=error
	@touch $@

$(DASHBOARD): $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	npm --prefix frontend run build

install: $(BACKEND_STAMP) $(FRONTEND_STAMP)

run: install $(DASHBOARD)
	$(BIN)/kalshiflow up

# Debian's Chromium for the browser tests; never a browser download.
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install
	cd backend && ../$(BIN)/ruff check kalshiflow tests ../alembic ../bench
	cd backend && ../$(BIN)/ruff format --check kalshiflow tests ../alembic ../bench
	npm --prefix frontend run lint

typecheck: install
	cd backend && ../$(BIN)/mypy kalshiflow
	npm --prefix frontend run typecheck
	npm --prefix frontend run codegen:check

test-backend: install $(DASHBOARD) browser
	cd backend && ../$(BIN)/pytest -q

test-frontend: install
	npm --prefix frontend run test

test: lint typecheck test-frontend test-backend

schema: install
	$(BIN)/kalshiflow schema > frontend/schema.graphql
	npm --prefix frontend run codegen

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
