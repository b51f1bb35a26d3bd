"""The regulator's page: a read-only Starlette app over the index file.

Routes (GET only, except ``/hash``, which hashes a dropped file and stores nothing):
``/`` home, ``/search?q=``, ``/<kind>/<key>`` a page, ``/<kind>/<key>.json`` the page as JSON,
``/<kind>/<key>/<trail>.csv|.json`` one trail, ``/<kind>/<key>/<document>`` a whole document beside a
page (the evidence report), ``/static/...`` the page's own CSS and script (no CDN).
"""

from __future__ import annotations

import time as _time
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..core.audit import AuditDomain, cst, utc
from ..core.reports import render_template
from .site import NotFound, Site, display, dumps, page_json, trail_csv, trail_json

STATIC = Path(__file__).resolve().parent / "static"
MAX_UPLOAD = 64 << 20


def _footer(site: Site) -> dict[str, Any]:
    m = site.meta()
    last = m.get("last_event_time")
    return {
        "chain_id": m.get("chain_id", "?"), "last_block": m.get("last_block", "?"), "events": m.get("events", "0"),
        "last_event": f"{utc(int(last))} / {cst(int(last))}" if last else "none",
        "now": f"{utc(int(_time.time()))} / {cst(int(_time.time()))}",
        "chain_time": f"{utc(int(m['last_block_time']))} / {cst(int(m['last_block_time']))}" if m.get("last_block_time") else "?",
    }


def make_app(db_path: str | Path, domains: Sequence[AuditDomain]) -> Starlette:
    site = Site(db_path, domains)

    def html(template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        started = _time.perf_counter()
        body = render_template(template, footer=_footer(site), kinds=site.kinds, **ctx)
        resp = HTMLResponse(body, status_code=status)
        resp.headers["Server-Timing"] = f"render;dur={(_time.perf_counter() - started) * 1000:.1f}"
        return resp

    def not_found(err: Exception) -> HTMLResponse:
        return html("dashboard_message.html.j2", status=404, title="Not found", message=str(err))

    def home(request: Request) -> Response:
        try:
            sections = [display(s) for s in site.overview()]
        except NotFound as err:
            return not_found(err)
        return html("dashboard_home.html.j2", title="Regulator's view", sections=sections)

    def search(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        try:
            hits = site.search(q)
        except NotFound as err:
            return not_found(err)
        if len(hits) == 1:
            h = hits[0]
            return RedirectResponse(f"/{h.kind}/{quote(h.key)}", status_code=303)
        return html("dashboard_search.html.j2", title=f"Search: {q}", q=q, hits=hits)

    async def hash_upload(request: Request) -> Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_UPLOAD:
                return JSONResponse({"error": "file larger than 64 MiB: hash it locally and search the digest"},
                                    status_code=413)
        try:
            return JSONResponse(site.hash_file(body))
        except NotFound as err:
            return JSONResponse({"error": str(err)}, status_code=404)

    def page(request: Request) -> Response:
        kind, key = request.path_params["kind"], request.path_params["key"]
        as_json = key.endswith(".json")
        if as_json:
            key = key[: -len(".json")]
        started = _time.perf_counter()
        try:
            p = site.page(kind, key)
        except NotFound as err:
            return not_found(err)
        if as_json:
            return PlainTextResponse(dumps(page_json(p)), media_type="application/json")
        resp = html("dashboard_page.html.j2", title=p.title, page=p, kind=p.kind, key=p.key,
                    sections=[display(s) for s in p.sections])
        resp.headers["Server-Timing"] = f"page;dur={(_time.perf_counter() - started) * 1000:.1f}"
        return resp

    def sub(request: Request) -> Response:
        kind, key, name = (request.path_params[k] for k in ("kind", "key", "name"))
        try:
            if name.endswith(".csv") or name.endswith(".json"):
                trail_name, fmt = name.rsplit(".", 1)
                p = site.page(kind, key)
                t = p.trail(trail_name)
                filename = f"{kind}-{p.key[:18]}-{trail_name}.{fmt}"
                if fmt == "csv":
                    resp: Response = PlainTextResponse(trail_csv(t), media_type="text/csv")
                else:
                    resp = PlainTextResponse(dumps(trail_json(t, p)), media_type="application/json")
                resp.headers["Content-Disposition"] = f'inline; filename="{filename}"'
                return resp
            return HTMLResponse(site.document(kind, key, name, **dict(request.query_params)))
        except NotFound as err:
            return not_found(err)

    routes = [
        Route("/", home),
        Route("/search", search),
        Route("/hash", hash_upload, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/{kind}/{key}", page),
        Route("/{kind}/{key}/{name}", sub),
    ]
    return Starlette(routes=routes)


def serve(app: Starlette, port: int = 8700, *, log_level: str = "warning") -> None:
    """Serves ``app`` on 127.0.0.1 only (blocking)."""
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=port, log_level=log_level)
