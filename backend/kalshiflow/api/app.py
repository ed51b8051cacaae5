"""FastAPI application factory: GraphQL at /graphql (GraphiQL in a browser), the SPA at /.

Security layers, outermost first: CORS (browser origins from KALSHIFLOW_CORS_ORIGINS), the
GraphQL guard (bearer token, request size), Strawberry (mutations refused over GET; depth,
alias and token limits; WebSocket origin check, connection_init token, subscription limit).
The SPA files and `/` stay public: the page asks for the token itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.middleware.cors import CORSMiddleware
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from kalshiflow.api.auth import resolve_token
from kalshiflow.api.context import Context
from kalshiflow.api.guard import GraphQLGuard
from kalshiflow.api.limits import (
    CONNECTION_INIT_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_SUBSCRIPTIONS_PER_CONNECTION,
)
from kalshiflow.api.loaders import Loaders, build_loaders
from kalshiflow.api.router import AuthenticatedGraphQLRouter
from kalshiflow.api.schema import schema
from kalshiflow.api.services import Services
from kalshiflow.coordinator import Coordinator

GRAPHQL_PATH = "/graphql"

_NOT_BUILT = """<!doctype html><title>kalshiflow</title>
<h1>kalshiflow</h1><p>The dashboard is not built. Run <code>make run</code> (or
<code>npm --prefix frontend run build</code>). The API is at <a href="/graphql">/graphql</a>.</p>
"""


def find_dashboard_dist() -> Path | None:
    """frontend/dist next to the backend in a checkout (or the image)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "frontend" / "dist"
        if (candidate / "index.html").is_file():
            return candidate
    return None


def create_app(
    coordinator: Coordinator,
    dashboard_dir: Path | None = None,
    *,
    token: str | None = None,
    loaders: Callable[[Services], Loaders] = build_loaders,
) -> FastAPI:
    """The coordinator is started and stopped by the caller (`kalshiflow up`, tests).

    ``token``: the API token (None: KALSHIFLOW_API_TOKEN, else the one kept in the data dir).
    ``loaders``: builds each request's DataLoaders (tests and the bench count queries).
    """
    settings = coordinator.settings
    api_token = token or resolve_token(settings.api.token, settings.database.data_dir)
    services = Services(coordinator)
    app = FastAPI(title="kalshiflow", version=coordinator.version, docs_url=None, redoc_url=None)
    app.state.services = services

    async def get_context() -> Context:
        return Context(coordinator=coordinator, services=services, loaders=loaders(services))

    graphql = AuthenticatedGraphQLRouter(
        schema,
        token=api_token,
        context_getter=get_context,
        graphql_ide="graphiql",
        # graphql-transport-ws only: the legacy graphql-ws protocol had an auth-bypass CVE.
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        # GET serves GraphiQL and cacheable queries; Strawberry refuses mutations over GET.
        allow_queries_via_get=True,
        allowed_origins=list(settings.api.cors_origins),
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
        connection_init_wait_timeout=CONNECTION_INIT_TIMEOUT,
    )
    app.include_router(graphql, prefix=GRAPHQL_PATH)
    _mount_dashboard(app, dashboard_dir or find_dashboard_dist())
    # add_middleware wraps what is already there: the guard first, CORS around it, so even
    # a 401 carries the CORS headers a browser needs to show the real error.
    app.add_middleware(
        GraphQLGuard, token=api_token, path=GRAPHQL_PATH, max_body_bytes=MAX_BODY_BYTES
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.api.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["authorization", "content-type"],
        max_age=600,
    )
    return app


def _mount_dashboard(app: FastAPI, dist: Path | None) -> None:
    if dist is None:

        @app.get("/", include_in_schema=False)
        async def not_built() -> HTMLResponse:
            return HTMLResponse(_NOT_BUILT)

        return
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> Response:
        # Files that exist are served as they are; every other path is a client-side route.
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(root / "index.html")
