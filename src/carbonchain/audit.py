"""The regulator's view composed: each domain's part (``<domain>/audit.py``) in one tuple, as the
deployer and the gas report list theirs. The dashboard (``carbonchain.dashboard``) receives this
tuple and knows no domain."""

from __future__ import annotations

from .fund import audit as fund_audit
from .identity import audit as identity_audit
from .notary import audit as notary_audit
from .offset import audit as offset_audit
from .oracle import audit as oracle_audit
from .repo import audit as repo_audit

#: The domains' audit parts. A new domain appends its ``AUDIT`` here.
AUDITS = (notary_audit.AUDIT, identity_audit.AUDIT, oracle_audit.AUDIT, repo_audit.AUDIT, fund_audit.AUDIT,
          offset_audit.AUDIT)
