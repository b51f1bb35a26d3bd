"""The identity domain's story, as the demo and the e2e tests play it: a professional-investor
credential from accreditation to revocation, with the audit trail a regulator reads."""

from __future__ import annotations

from typing import Any, Callable

from ..core.story import Check, checker
from .did import bytes32_text
from .resolver import did_for
from .vc import Credentials, credential_digest


def identity_scenario(dids: Any, trusted: Any, registry: Any, people: dict[str, Any], *,
                      log: Callable[[str], None] = print) -> list[Check]:
    """people = {gov, bank, broker, investor, broker2}. The professional-investor flow: accredit,
    asset proof, professional-investor credential, recognition by a second broker, the bank's
    accreditation withdrawn and the asset proof revoked, the audit trail."""
    from ape import chain


    creds = Credentials(dids, trusted, registry)
    start = chain.blocks.head.number  # on a persistent node the registries may hold earlier runs
    gov, bank, broker, investor, broker2 = (people[k] for k in ("gov", "bank", "broker", "investor", "broker2"))
    checks: list[Check] = []
    check = checker(checks, log)

    investor_did = did_for(investor.address, chain.chain_id)
    creds.accredit(bank.address, "AssetProof", 365, sender=gov)
    creds.accredit(broker.address, "ProfessionalInvestor", 365, sender=gov)
    asset = creds.issue(bank, investor_did, "AssetProof", {"financialAssetsAtLeastCNY": 5_000_000}, days=90)
    check("bank's asset proof verifies", True, creds.verify(asset).valid)
    registry.recordVerification(bank.address, credential_digest(asset), sender=broker)
    pro = creds.issue(broker, investor_did, "ProfessionalInvestor",
                      {"basis": "assets", "assetProof": "0x" + credential_digest(asset).hex()}, days=365)
    v = creds.verify(pro)
    check("second broker recognises the professional-investor credential", (True, broker.address), (v.valid, v.signer))
    registry.recordVerification(broker.address, credential_digest(pro), sender=broker2)
    trusted.withdraw(bank.address, bytes32_text("AssetProof"), 11, sender=gov)
    registry.revoke(bank.address, credential_digest(asset), 3, sender=bank)
    v = creds.verify(asset)
    check("revoked asset proof fails with its reason", (False, ["credential revoked (reason 3)"]), (v.valid, v.reasons))
    trail = [(e.event, e.actor) for e in creds.audit(investor_did) if e.block > start]
    check("audit trail", [("issued", bank.address), ("verified", broker.address), ("issued", broker.address),
                          ("verified", broker2.address), ("revoked", bank.address)], trail)
    return checks
