"""Where the index file lives."""

from __future__ import annotations

import os
from pathlib import Path


def default_db() -> Path:
    """``$CARBONCHAIN_DASHBOARD_DB``, else ``dashboard.sqlite`` in the project."""
    if env := os.environ.get("CARBONCHAIN_DASHBOARD_DB"):
        return Path(env)
    from ..core.deployments import project_root

    return project_root() / "dashboard.sqlite"
