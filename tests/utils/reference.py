"""Reference contracts for side-by-side tests (see carbonchain.identity.reference)."""

from carbonchain.identity.reference import reference_did_registry_container

__all__ = ["reference_did_registry_container"]
