"""The regulator's view: an indexer of every event of the deployed contracts into one SQLite file,
and a read-only local web page of the audit trails (``ape run dashboard index|serve``).

The dashboard knows no domain: each domain describes its tables, event mappers, searches and page
sections as a ``carbonchain.core.audit.AuditDomain`` and ``carbonchain.audit.AUDITS`` lists them.
The web app (Starlette) is imported only when serving: ``from carbonchain.dashboard.app import make_app``.
"""

from .indexer import Indexer, IndexResult, status
from .site import NotFound, Page, Site

__all__ = ["Indexer", "IndexResult", "NotFound", "Page", "Site", "status"]
