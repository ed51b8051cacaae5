"""FastAPI application factory: GraphQL at /graphql (GraphiQL in a browser), the SPA at /."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from kalshiflow.api.context import Context
from kalshiflow.api.schema import schema
from kalshiflow.coordinator import Coordinator

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


def create_app(coordinator: Coordinator, dashboard_dir: Path | None = None) -> FastAPI:
    """The coordinator is started and stopped by the caller (`kalshiflow up`, tests)."""
    app = FastAPI(title="kalshiflow", version=coordinator.version, docs_url=None, redoc_url=None)

    async def get_context() -> Context:
        return Context(coordinator=coordinator)

    graphql = GraphQLRouter(
        schema,
        context_getter=get_context,
        graphql_ide="graphiql",
        # graphql-transport-ws only: the legacy graphql-ws protocol had an auth-bypass CVE.
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        allow_queries_via_get=True,
    )
    app.include_router(graphql, prefix="/graphql")
    _mount_dashboard(app, dashboard_dir or find_dashboard_dist())
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
