"""A small world for the dashboard's tests: the real notary, identity and oracle contracts, and a
story that emits every event they declare (except role administration), with the facts the tests
look for on the pages."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from carbonchain.core.deployments import Deployment
from carbonchain.core.hashing import Algorithm
from carbonchain.core.merkle import StandardMerkleTree
from carbonchain.identity import bytes32_text
from carbonchain.notary import BATCH_FORMAT
from carbonchain.oracle import Feed, market_code, to_price
from tests.utils.docs import make_digest

SHA = int(Algorithm.SHA256)
META = make_digest("metadata")


@dataclass
class World:
    deployment: Deployment
    people: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    contracts: dict[str, Any] = field(default_factory=dict)


def deploy_world(project: Any, accounts: Any, chain: Any) -> World:
    admin, manager, custodian, investor, platform = (accounts[i] for i in range(5))
    bank, broker, broker2, risk = accounts[11], accounts[12], accounts[14], accounts[10]
    operators = [accounts[i] for i in (6, 7, 8, 9)]
    start = chain.blocks.head.number + 1
    registry = admin.deploy(project.DocumentRegistry, 0, admin, admin)
    dids = admin.deploy(project.DIDRegistry)
    tir = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
    creds = admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)
    markets = admin.deploy(project.MarketRegistry, 0, admin, admin)
    feed = admin.deploy(project.CarbonPriceFeed, market_code("CEA"), "CEA / CNY", 0, admin, admin, risk,
                        [o.address for o in operators[:3]], (to_price("1"), to_price("1000"), 1000, 100, 3, 8 * 3600))
    dep = Deployment(
        chain_id=chain.chain_id, block=start,
        contracts={"DocumentRegistry": registry.address, "DIDRegistry": dids.address,
                   "TrustedIssuerRegistry": tir.address, "CredentialRegistry": creds.address,
                   "MarketRegistry": markets.address},
        price_feeds={"CEA": feed.address},
    )
    people = dict(admin=admin, manager=manager, custodian=custodian, investor=investor, platform=platform, bank=bank,
                  broker=broker, broker2=broker2, risk=risk, operators=operators)
    return World(dep, people, contracts=dict(registry=registry, dids=dids, tir=tir, creds=creds, markets=markets,
                                             feed=feed))


def notary_story(w: World, tag: str = "") -> None:
    p, c = w.people, w.contracts
    reg = c["registry"]
    contract = make_digest(f"fund-contract{tag}")
    reg.anchor(contract, SHA, META, [p["manager"], p["custodian"], p["investor"]], sender=p["manager"])
    for who in ("manager", "custodian", "investor"):
        reg.sign(p["manager"], contract, SHA, sender=p[who])
    draft, amended = make_digest(f"draft{tag}"), make_digest(f"amended{tag}")
    reg.anchor(draft, SHA, META, [], sender=p["manager"])
    reg.supersede(draft, SHA, amended, SHA, META, [p["investor"]], 1, sender=p["manager"])
    wrong = make_digest(f"wrong{tag}")
    reg.anchor(wrong, SHA, META, [], sender=p["platform"])
    reg.revoke(p["platform"], wrong, SHA, 2, sender=p["platform"])
    leaves = [make_digest(f"record-{i}{tag}") for i in range(4)]
    tree = StandardMerkleTree.of(leaves)
    reg.anchorBatch(tree.root, SHA, len(leaves), META, sender=p["platform"])
    w.facts.update(contract="0x" + contract.hex(), draft="0x" + draft.hex(), amended="0x" + amended.hex(),
                   wrong="0x" + wrong.hex(), root="0x" + tree.root.hex(), leaves=leaves, tree=tree)


def q(path: Path, sql: str, *args: Any) -> list[tuple]:
    """Rows of one query on an index file."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


@contextmanager
def proofs_env(folder: Path) -> Iterator[Path]:
    """``$CARBONCHAIN_PROOFS`` set to ``folder`` for the duration (where the view looks for proofs files)."""
    old = os.environ.get("CARBONCHAIN_PROOFS")
    os.environ["CARBONCHAIN_PROOFS"] = str(folder)
    try:
        yield folder
    finally:
        if old is None:
            os.environ.pop("CARBONCHAIN_PROOFS", None)
        else:
            os.environ["CARBONCHAIN_PROOFS"] = old


def write_proofs(w: World, folder: Path) -> Path:
    """The proofs file `notary batch` would write for the story's batch."""
    tree: StandardMerkleTree = w.facts["tree"]
    doc = {
        "format": BATCH_FORMAT, "chain_id": w.deployment.chain_id, "registry": w.deployment.contracts["DocumentRegistry"],
        "root": w.facts["root"], "algorithm": "sha256",
        "documents": [{"index": i, "file": f"record-{i}.pdf", "digest": "0x" + v.hex(), "tree_index": tree.tree_indices[i],
                       "proof": ["0x" + x.hex() for x in tree.proof(i)]} for i, v in enumerate(tree.values)],
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "proofs.json"
    path.write_text(json.dumps(doc))
    return path


def identity_story(w: World, chain: Any, tag: str = "") -> None:
    p, c = w.people, w.contracts
    dids, tir, creds = c["dids"], c["tir"], c["creds"]
    inv = p["investor"]
    dids.setAttribute(inv, bytes32_text("did/svc/CarbonAccountService"), b"https://bank.example/carbon", 86400, sender=inv)
    dids.addDelegate(inv, bytes32_text("sigAuth"), p["platform"], 86400, sender=inv)
    dids.changeOwner(p["custodian"], p["admin"], sender=p["custodian"])
    now = chain.pending_timestamp
    pro, asset = bytes32_text("ProfessionalInvestor"), bytes32_text("AssetProof")
    if not tir.isTrusted(p["broker"], pro):
        tir.accredit(p["broker"], pro, now, now + 365 * 86400, False, sender=p["admin"])
        tir.accredit(p["bank"], asset, now, now + 365 * 86400, False, sender=p["admin"])
    tir.suspend(p["broker"], pro, 7, sender=p["admin"])
    tir.reinstate(p["broker"], pro, sender=p["admin"])
    revoked, held = make_digest(f"credential-asset{tag}"), make_digest(f"credential-pro{tag}")
    creds.issue(revoked, asset, inv, now + 90 * 86400, sender=p["bank"])
    creds.recordVerification(p["bank"], revoked, sender=p["broker"])
    creds.suspend(revoked, 5, sender=p["bank"])
    creds.reinstate(revoked, sender=p["bank"])
    creds.revoke(p["bank"], revoked, 3, sender=p["bank"])
    creds.issue(held, pro, inv, now + 365 * 86400, sender=p["broker"])
    creds.recordVerification(p["broker"], held, sender=p["broker2"])
    tir.withdraw(p["bank"], asset, 11, sender=p["admin"])
    w.facts.update(revoked_credential="0x" + revoked.hex(), held_credential="0x" + held.hex())


def oracle_story(w: World, chain: Any) -> None:
    p, c = w.people, w.contracts
    raw, markets = c["feed"], c["markets"]
    feed = Feed(raw)
    a, b, c3 = p["operators"][:3]
    day = 86400
    base = chain.pending_timestamp - 20 * day
    markets.registerMarket(market_code("CEA"), raw, b"CNY", "National ETS allowances", sender=p["admin"])
    markets.updateMarket(market_code("CEA"), raw, b"CNY", "National ETS allowances (SEEE)", sender=p["admin"])
    markets.removeMarket(market_code("CEA"), sender=p["admin"])
    markets.registerMarket(market_code("CEA"), raw, b"CNY", "National ETS allowances (SEEE)", sender=p["admin"])
    prices = ["70.10", "71.25", "90.00", "72.00"]  # the third moves beyond the daily limit: held, then discarded
    for i, price in enumerate(prices):
        for op in (a, b, c3):
            feed.submit(to_price(price), base + i * day, sender=op)
        if price == "90.00":
            raw.discardHeldRound(feed.open_round(), sender=p["risk"])
    # a bundle relayed by one operator for all three
    rid = feed.open_round()
    quotes = [feed.sign_quote(rid, to_price("72.50"), base + 5 * day, op) for op in (a, b, c3)]
    feed.submit_bundle(quotes, sender=a)
    # a held round confirmed by the risk role
    for op in (a, b, c3):
        feed.submit(to_price("85.00"), base + 6 * day, sender=op)
    raw.confirmHeldRound(feed.open_round(), sender=p["risk"])
    now = chain.pending_timestamp
    raw.scheduleClosure(now + day, now + 3 * day, sender=p["admin"])
    raw.scheduleClosure(now + 10 * day, now + 12 * day, sender=p["admin"])
    raw.cancelClosure(now + 10 * day, sender=p["admin"])
    raw.setParams(3, 1500, 100, 12 * 3600, sender=p["admin"])
    raw.setBounds(to_price("2"), to_price("900"), sender=p["admin"])
    raw.grantRole(raw.OPERATOR_ROLE(), p["operators"][3], sender=p["admin"])
    raw.revokeRole(raw.OPERATOR_ROLE(), p["operators"][3], sender=p["admin"])
