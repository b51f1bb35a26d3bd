"""The contract-hash notary (``contracts/notary/DocumentRegistry.sol``): anchor digests, collect
multi-party signatures (by transaction or EIP-712), supersede, revoke, batch as Merkle roots, and
verify a file with an HTML evidence report."""

from .evidence import render_evidence
from .sdk import (
    BATCH_FORMAT,
    REASONS,
    SIGNATURE_FORMAT,
    STATUS,
    AnchorResult,
    BatchResult,
    Notary,
    Record,
    Signature,
    TxInfo,
    Verdict,
    file_metadata,
    metadata_digest,
    parse_reason,
    typed_data,
)

__all__ = [
    "BATCH_FORMAT", "REASONS", "SIGNATURE_FORMAT", "STATUS", "AnchorResult", "BatchResult", "Notary", "Record",
    "Signature", "TxInfo", "Verdict", "file_metadata", "metadata_digest", "parse_reason", "render_evidence",
    "typed_data",
]
