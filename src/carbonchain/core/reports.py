"""HTML reports rendered with jinja2: one environment for every report of every domain.

Templates live in ``carbonchain/core/templates`` and in each domain's own ``templates/`` folder
(``carbonchain/<domain>/templates``); a template name is unique across the package.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .jsonio import hex32

_PACKAGE = Path(__file__).resolve().parent.parent


def _template_dirs() -> list[str]:
    dirs = [_PACKAGE / "core" / "templates"]
    dirs += sorted(p for p in _PACKAGE.glob("*/templates") if p.parent.name != "core")
    return [str(d) for d in dirs if d.is_dir()]


_env = Environment(
    loader=FileSystemLoader(_template_dirs()),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

CST = _dt.timezone(_dt.timedelta(hours=8), "CST")


def utc(ts: int | None) -> str:
    if not ts:
        return "-"
    return _dt.datetime.fromtimestamp(int(ts), tz=_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def now_utc() -> str:
    """The current wall-clock time, for a report's "generated" line."""
    return utc(int(_dt.datetime.now(tz=_dt.timezone.utc).timestamp()))


_env.filters["utc"] = utc
_env.filters["hex32"] = hex32


def render_template(template: str, /, **context: Any) -> str:
    """Renders one of the package's templates (every HTML report goes through this environment)."""
    return _env.get_template(template).render(**context)


def write_report(path: str | Path, html: str) -> Path:
    """Writes a rendered report, creating its folder."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(html, encoding="utf-8")
    return p
