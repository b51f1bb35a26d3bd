"""The evidence bundle of one subscription, and its re-check by a third party.

A bundle lists, in chain order, every event that makes up the sale: the product's registration,
the investor's credential (issued, suspended, reinstated, revoked), each step of the subscription,
the fund contract's anchoring and each party's signature. Each item carries its transaction, block,
block time, acting account, the event's fields, the evidence digest with its algorithm and the
original file that produced it (when given), and how a third party re-checks it.

``verify_bundle`` trusts nothing in the bundle: it re-reads each transaction's receipt from the
chain, finds the event at the recorded position with the recorded fields, and re-hashes each
original file, then names every item that does not hold and why. It reads only events and
receipts (public), never the access-gated trail view, so anyone with a node can run it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_file_all
from ..core.jsonio import check_fields, load_json, write_json
from ..core.reports import now_utc, render_template, utc, write_report
from ..identity import credential_digest
from .sdk import STAGES, Funds, code_text

BUNDLE_FORMAT = "carbonchain.fund.evidence/1"
CREDENTIAL_STATUS = ("None", "Active", "Suspended", "Revoked")

# (contract, event) -> (key, title, evidence-digest field, algorithm source, what the digest is of)
_KINDS: dict[tuple[str, str], tuple[str, str, str | None, str | None, str]] = {
    ("FundProductRegistry", "ProductRegistered"): ("product", "Product registered", "templateDigest", "template",
                                                   "the fund-contract template"),
    ("CredentialRegistry", "CredentialIssued"): ("credential.issued", "Qualified-investor credential issued",
                                                 "digest", "jwt", "the VC-JWT (keccak256 of its text)"),
    ("CredentialRegistry", "CredentialSuspended"): ("credential.suspended", "Credential suspended", None, None, ""),
    ("CredentialRegistry", "CredentialReinstated"): ("credential.reinstated", "Credential reinstated", None, None, ""),
    ("CredentialRegistry", "CredentialRevoked"): ("credential.revoked", "Credential revoked", None, None, ""),
    ("FundSubscriptions", "SubscriptionOpened"): ("opened", "1. Subscription opened (qualification, suitability)",
                                                  "questionnaire", "subscription", "the suitability questionnaire"),
    ("FundSubscriptions", "SaleRecorded"): ("recorded", "2. Double recording anchored", "recording", "subscription",
                                            "the audio/video double recording"),
    ("DocumentRegistry", "DocumentAnchored"): ("contract.anchored", "3a. Fund contract anchored in the notary",
                                               "digest", "contract", "the fund contract"),
    ("DocumentRegistry", "DocumentSigned"): ("contract.signed", "3b. Fund contract signed", None, None, ""),
    ("FundSubscriptions", "ContractAttached"): ("contract.attached", "3c. Fully signed contract attached", None, None,
                                                ""),
    ("FundSubscriptions", "PaymentConfirmed"): ("paid", "4. Payment confirmed by the custodian", "paymentRef",
                                                "subscription", "the bank's payment confirmation"),
    ("FundSubscriptions", "SubscriptionWithdrawn"): ("withdrawn", "5a. Investor withdrew in the cooling-off", None,
                                                     None, ""),
    ("FundSubscriptions", "RefundConfirmed"): ("refunded", "5b. Refund confirmed by the custodian", "refundRef",
                                               "subscription", "the bank's refund confirmation"),
    ("FundSubscriptions", "ReturnVisitConfirmed"): ("final", "6. Return visit confirmed: final", "returnVisit",
                                                    "subscription", "the return-visit record"),
}

_OPENSSL = {Algorithm.SHA256: "openssl dgst -sha256 FILE", Algorithm.SM3: "openssl dgst -sm3 FILE",
            Algorithm.KECCAK256: "python -c \"from carbonchain.core.hashing import digest_file; "
                                 "print(digest_file('FILE', 'keccak256').hex())\""}


@dataclass
class Item:
    key: str
    title: str
    contract: str
    address: str
    event: str
    tx: str
    block: int
    log_index: int
    timestamp: int
    sender: str
    fields: dict[str, Any]
    digest: str | None = None
    algorithm: str | None = None
    file: str | None = None
    how: str = ""


@dataclass
class ItemCheck:
    key: str
    title: str
    holds: bool
    reasons: list[str] = field(default_factory=list)


def _args(log: Any) -> dict[str, Any]:
    out = {}
    for k, v in dict(log.event_arguments).items():
        if isinstance(v, (list, tuple)):
            out[k] = [str(x) for x in v]
        elif isinstance(v, (bytes, bytearray)):
            out[k] = "0x" + bytes(v).hex()
        elif isinstance(v, bool):
            out[k] = v
        elif isinstance(v, int):
            out[k] = int(v)
        else:
            out[k] = str(v)
    return out


def _files_by_digest(files: Iterable[str | Path], base: Path) -> dict[str, str]:
    """digest hex -> file path (relative to ``base`` where possible), in every algorithm, plus the
    credential digest of files holding a VC-JWT."""
    import os

    found: dict[str, str] = {}
    for f in files:
        p = Path(f)
        if not p.is_file():
            continue
        rel = os.path.relpath(p.resolve(), base.resolve())
        for d in digest_file_all(p).values():
            found.setdefault("0x" + d.hex(), rel)
        if p.stat().st_size < 1 << 16:
            text = p.read_bytes().decode("utf-8", "ignore").strip()
            if text.count(".") == 2:
                found.setdefault("0x" + credential_digest(text).hex(), rel)
    return found


def _how(kind: str, item: Item, address: str) -> str:
    where = f"the `{item.event}` log of {item.contract} `{address}` in transaction `{item.tx}` (block {item.block})"
    if item.digest and kind == "jwt":
        return (f"keccak256 of the VC-JWT's text must equal `{item.digest}`; `ape run credential verify JWT` "
                f"shows its status and issuer; {where} holds that digest.")
    if item.digest:
        alg = Algorithm.parse(item.algorithm or "sha256")
        extra = " `ape run notary verify FILE -a " + alg.label + "` shows the record and its signers;" \
            if item.key == "contract.anchored" else ""
        return (f"Hash the original file: `{_OPENSSL[alg]}` must print `{item.digest}`;{extra} {where} holds "
                "that digest.")
    return f"Read {where}: the fields above must match (any node: `eth_getTransactionReceipt`)."


def build_bundle(funds: Funds, sid: int, *, files: Sequence[str | Path] = (), out_dir: str | Path,
                 network: str = "") -> tuple[Path, Path]:
    """Collects the subscription's evidence from the chain (events and receipts only), matches the
    given original files to their digests, writes ``subscription-<id>.evidence.json`` and ``.html``."""
    from ape import chain

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    head = chain.blocks.head.number + 1
    subs, products, creds, docs = funds.subscriptions, funds.products, funds.credentials, funds.notary.contract
    start = funds.from_block

    def logs(contract: Any, event: str, **topics: Any) -> list[Any]:
        return list(getattr(contract, event).range(start, head, search_topics=topics))

    opened = logs(subs, "SubscriptionOpened", id=sid)
    if not opened:
        raise CarbonChainError(f"no subscription #{sid} on chain {chain.chain_id}")
    o = opened[0]
    code, cred = bytes(o.product), bytes(o.credential)
    sub_alg = Algorithm(int(o.algorithm))
    contract_logs = logs(subs, "ContractAttached", id=sid)
    raw: list[tuple[str, Any, Any]] = [("FundProductRegistry", products, lg)
                                       for lg in logs(products, "ProductRegistered", code=code)]
    for ev in ("CredentialIssued", "CredentialSuspended", "CredentialReinstated", "CredentialRevoked"):
        raw += [("CredentialRegistry", creds, lg) for lg in logs(creds, ev, digest=cred)]
    for ev in ("SubscriptionOpened", "SaleRecorded", "ContractAttached", "PaymentConfirmed", "SubscriptionWithdrawn",
               "RefundConfirmed", "ReturnVisitConfirmed"):
        raw += [("FundSubscriptions", subs, lg) for lg in logs(subs, ev, id=sid)]
    contract_alg = None
    if contract_logs:
        c = contract_logs[0]
        contract_alg = Algorithm(int(c.algorithm))
        for ev in ("DocumentAnchored", "DocumentSigned"):
            raw += [("DocumentRegistry", docs, lg)
                    for lg in logs(docs, ev, digest=bytes(c.digest), algorithm=int(c.algorithm))]
    raw.sort(key=lambda t: (int(t[2].block_number), int(t[2].log_index)))

    product = funds.product(code)
    algorithms = {"subscription": sub_alg, "contract": contract_alg, "template": product.template_algorithm,
                  "jwt": Algorithm.KECCAK256}
    by_digest = _files_by_digest(files, out)
    items: list[Item] = []
    for name, contract, lg in raw:
        key, title, digest_field, alg_source, _what = _KINDS[(name, lg.event_name)]
        args = _args(lg)
        receipt = chain.provider.get_receipt(str(lg.transaction_hash))
        item = Item(
            key=key, title=title, contract=name, address=str(contract.address), event=lg.event_name,
            tx="0x" + bytes.fromhex(str(lg.transaction_hash).removeprefix("0x")).hex(), block=int(lg.block_number),
            log_index=int(lg.log_index), timestamp=int(chain.blocks[int(lg.block_number)].timestamp),
            sender=str(receipt.sender), fields=args,
        )
        if key == "contract.signed":
            item.key = f"contract.signed.{args['signer']}"
            item.title = f"3b. Fund contract signed by {_role(args['signer'], product, o)}"
        if key.startswith("credential.") and key != "credential.issued":
            item.key = f"{key}.{item.block}.{item.log_index}"
        if digest_field:
            item.digest = args[digest_field]
            alg = algorithms[alg_source]
            item.algorithm = alg.label if alg else None
            item.file = by_digest.get(item.digest)
        item.how = _how(alg_source or "", item, item.address)
        items.append(item)

    status = _credential_status(creds, str(o.credentialIssuer), cred, head - 1)
    items.append(Item(
        key="credential.status", title="Credential status when the bundle was made", contract="CredentialRegistry",
        address=str(creds.address), event="verify()", tx="", block=head - 1, log_index=-1,
        timestamp=int(chain.blocks[head - 1].timestamp), sender="", fields={"credential": "0x" + cred.hex(), **status},
        how=f"Call `verify({o.credentialIssuer}, {'0x' + cred.hex()})` on CredentialRegistry `{creds.address}` at block {head - 1} "
            "(an archive node answers for any past block); `ape run credential verify JWT` for the current state.",
    ))
    bundle = {
        "format": BUNDLE_FORMAT,
        "chain_id": int(chain.chain_id),
        "network": network,
        "generated": now_utc(),
        "subscription": sid,
        "product": code_text(code),
        "stage": funds.stage(sid),
        "contracts": {"FundSubscriptions": str(subs.address), "FundProductRegistry": str(products.address),
                      "CredentialRegistry": str(creds.address), "DocumentRegistry": str(docs.address)},
        "items": [asdict(i) for i in items],
    }
    json_path = write_json(out / f"subscription-{sid}.evidence.json", bundle)
    html_path = write_report(out / f"subscription-{sid}.evidence.html", render_bundle(bundle))
    return json_path, html_path


def _role(address: str, product: Any, opened: Any) -> str:
    if address.lower() == product.manager.lower():
        return f"the manager {address}"
    if address.lower() == product.custodian.lower():
        return f"the custodian {address}"
    if address.lower() == str(opened.investor).lower():
        return f"the investor {address}"
    return address


def _credential_status(creds: Any, issuer: str, digest: bytes, block: int) -> dict[str, Any]:
    v = creds.verify(issuer, digest, block_id=block)
    return {"status": CREDENTIAL_STATUS[int(v.status)], "valid": bool(v.valid), "issuer": str(v.issuer),
            "issuerTrustedNow": bool(v.issuerTrustedNow), "expiresAt": int(v.expiresAt), "reason": int(v.reason)}


def _parts(text: str) -> list[tuple[str, bool]]:
    """A `how` text split into (text, is_code) runs at its backticks, for the HTML page."""
    return [(t, i % 2 == 1) for i, t in enumerate(text.split("`")) if t]


def render_bundle(bundle: dict[str, Any], checks: list[ItemCheck] | None = None) -> str:
    """The HTML page of a bundle: a timeline of the steps in order (the cooling-off between payment and
    the return visit or withdrawal), then every item with its evidence and how to re-check it."""
    items = bundle["items"]
    steps = [i for i in items if i["tx"]]
    span = 680 / max(len(steps) - 1, 1)
    points = [{"x": round(40 + n * span, 1), "label": i["key"].split(".")[0] if not i["key"].startswith("contract.signed")
               else "signed", "row": n % 2, "time": utc(i["timestamp"])} for n, i in enumerate(steps)]
    cooling = None
    paid = next((n for n, i in enumerate(steps) if i["key"] == "paid"), None)
    if paid is not None:
        after = next((n for n, i in enumerate(steps) if n > paid and i["key"] in ("final", "withdrawn")), None)
        x0 = points[paid]["x"]
        x1 = points[after]["x"] if after is not None else 720
        cooling = {"x": x0, "w": round(max(x1 - x0, 2), 1), "ends": utc(steps[paid]["fields"]["coolingOffEndsAt"])}
    by_key = {c.key: c for c in checks or []}
    return render_template("fund_evidence.html.j2", b=bundle, items=items, points=points, cooling=cooling,
                           checks=by_key, stages=STAGES, parts=_parts)


# ---------------------------------------------------------------------------------------------
# Re-check
# ---------------------------------------------------------------------------------------------


def verify_bundle(bundle_path: str | Path, *, files_dir: str | Path | None = None) -> list[ItemCheck]:
    """Re-checks every item of a bundle against the chain and the original files."""
    from ape import chain, project

    data = load_json(bundle_path)
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise CarbonChainError(f"{bundle_path} is not a CarbonChain fund evidence bundle")
    check_fields(bundle_path, data, {"chain_id": "int", "contracts": "object", "items": "list"})
    if int(data["chain_id"]) != int(chain.chain_id):
        raise CarbonChainError(f"the bundle is for chain {data['chain_id']}, connected to chain {chain.chain_id}")
    base = Path(files_dir) if files_dir else Path(bundle_path).parent
    checks = [_check_contracts(data["contracts"])]
    for raw in data["items"]:
        item = Item(**raw)
        if item.key == "credential.status":
            checks.append(_check_status(item, project))
        else:
            checks.append(_check_item(item, base, project, chain, by_name=files_dir is not None))
    return checks


def _check_contracts(contracts: dict[str, str]) -> ItemCheck:
    """The bundle's contract addresses against this chain's deployments file, where there is one."""
    from ..core.deployments import Deployment

    from ape import chain

    check = ItemCheck("contracts", "Contract addresses are the deployment's", True)
    dep = Deployment.load(chain.chain_id)
    if dep is None:
        check.reasons.append("no deployments file here: compare the addresses with those the platform publishes")
        return check
    for name, address in contracts.items():
        known = dep.contracts.get(name)
        if known is None or known.lower() != address.lower():
            check.holds = False
            check.reasons.append(f"{name} is {address} in the bundle but {known or 'absent'} in {dep.path}")
    return check


def _check_item(item: Item, base: Path, project: Any, chain: Any, *, by_name: bool) -> ItemCheck:
    check = ItemCheck(item.key, item.title, True)

    def fail(reason: str) -> None:
        check.holds = False
        check.reasons.append(reason)

    try:
        receipt = chain.provider.get_receipt(item.tx)
    except Exception:  # noqa: BLE001 - any failure means the transaction is not there
        fail(f"transaction {item.tx} not found on chain {chain.chain_id}")
        return check
    if int(receipt.block_number) != item.block:
        fail(f"transaction is in block {receipt.block_number}, not {item.block}")
    elif int(chain.blocks[item.block].timestamp) != item.timestamp:
        fail(f"block {item.block} has time {chain.blocks[item.block].timestamp}, not {item.timestamp}")
    contract = getattr(project, item.contract).at(item.address)
    logs = [lg for lg in receipt.decode_logs(getattr(contract, item.event))
            if str(lg.contract_address).lower() == item.address.lower()]
    found = next((lg for lg in logs if int(lg.log_index) == item.log_index), None)
    if found is None:
        fail(f"no {item.event} log of {item.address} at position {item.log_index} in {item.tx}")
        return check
    actual = _args(found)
    for k, v in item.fields.items():
        if _norm(actual.get(k)) != _norm(v):
            fail(f"{k} is {actual.get(k)} on chain, {v} in the bundle")
    if item.digest:
        if item.file is None:
            check.reasons.append("no original file in the bundle: the digest is checked on chain only")
        else:
            path = (base / Path(item.file).name) if by_name else (base / item.file)
            if not path.is_file():
                fail(f"original file {path} is missing")
            else:
                alg = Algorithm.parse(item.algorithm or "sha256")
                got = "0x" + (credential_digest(path.read_text().strip()) if item.key == "credential.issued"
                              else digest_file_all(path)[alg]).hex()
                if got != item.digest.lower():
                    fail(f"file {path.name} hashes to {got} ({alg.label}), not the anchored {item.digest}")
    return check


def _check_status(item: Item, project: Any) -> ItemCheck:
    check = ItemCheck(item.key, item.title, True)
    contract = project.CredentialRegistry.at(item.address)
    try:
        now = _credential_status(contract, item.fields["issuer"], bytes.fromhex(item.fields["credential"][2:]),
                                 item.block)
    except Exception as err:  # noqa: BLE001 - a node without that block's state
        check.reasons.append(f"could not read the status at block {item.block}: {err}")
        return check
    for k, v in item.fields.items():
        if k != "credential" and now.get(k) != v:
            check.holds = False
            check.reasons.append(f"{k} was {now.get(k)} at block {item.block}, {v} in the bundle")
    return check


def _norm(v: Any) -> Any:
    if isinstance(v, str) and v.startswith("0x"):
        return v.lower()
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v


def summary(checks: list[ItemCheck]) -> tuple[int, int]:
    """(items that hold, items in all)."""
    return sum(c.holds for c in checks), len(checks)


