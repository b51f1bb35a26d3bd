"""Constants and a flow driver shared by the fund tests."""

from carbonchain.core.hashing import Algorithm
from tests.utils.docs import make_digest

QI = "QualifiedInvestor".encode().ljust(32, b"\x00")
DAY = 86_400
MIN_FEN = 100_000_000  # 1,000,000 CNY
SM3 = int(Algorithm.SM3)
STAGES = ("None", "Opened", "Recorded", "Contracted", "Paid", "Withdrawn", "Refunded", "Final")
STAGE = {name: i for i, name in enumerate(STAGES)}


#: What the fund SDK and CLIs need deployed (no price feeds, no repo): for deploy_all(contracts=...).
FUND_STACK = ("DocumentRegistry", "DIDRegistry", "TrustedIssuerRegistry", "CredentialRegistry",
              "FundProductRegistry", "FundSubscriptions")


def code(text: str) -> bytes:
    return text.encode().ljust(32, b"\x00")


def signed_contract(docs, tag, manager, custodian, investor, anchorer=None, signers=None):
    """Anchors a fund contract digest (by the manager unless told) and has every party sign it."""
    d = make_digest(tag)
    parties = signers if signers is not None else [manager, custodian, investor]
    docs.anchor(d, SM3, b"\x00" * 32, [p.address for p in parties], sender=anchorer or manager)
    for p in parties:
        docs.sign((anchorer or manager).address, d, SM3, sender=p)
    return d
