"""Gas benchmarks: every figure is a real receipt's ``gasUsed`` on a fresh deployment.

Gas is deterministic for a given compiler, optimizer setting and EVM version, so the figures are
committed (``benchmarks/gas.json`` and ``benchmarks/gas.md``) and a test compares the current
code against them: a change shows up in review and must be explained.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .deployments import project_root
from .hashing import Algorithm, digest_bytes
from .merkle import StandardMerkleTree
from .notary import Notary

BATCH_SIZES = (1, 10, 100, 1000)
ZERO = b"\x00" * 32
ESTIMATES = {"verify_member_1000"}  # eth_estimateGas figures: differ between providers
#: The MakerDAO Median-style reference poke has measured 2,800 gas apart between runs whose earlier
#: transactions differed (same inputs, same contract); the cause is not found yet, so it is
#: reported but not held to the snapshot. Every CarbonChain figure is.
VOLATILE = {f"median_style_{n}" for n in (3, 5, 7)} | {
    # EAS attestation uids hash the block time and the attester's nonce: their zero bytes, and so
    # the calldata cost of a revoke, move by a few gas from run to run.
    "eas_attest", "eas_revoke",
}


@dataclass
class Figure:
    key: str
    operation: str
    gas: int
    documents: int = 1
    signatures: int = 0  # ECDSA signatures in the calldata (see SIGNATURE_TOLERANCE)

    @property
    def per_document(self) -> float:
        return self.gas / self.documents


def _doc(tag: str) -> bytes:
    return digest_bytes(tag.encode(), Algorithm.SHA256)


def measure_notary(accounts: list[Any], *, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """Deploys a fresh DocumentRegistry and measures each operation once."""
    from ape import project

    admin, a, b, c = accounts[:4]
    registry = admin.deploy(project.DocumentRegistry, admin.address)
    n = Notary(registry)
    sha = int(Algorithm.SHA256)
    figs: list[Figure] = []

    def add(key: str, op: str, receipt: Any, docs: int = 1, sigs: int = 0) -> None:
        figs.append(Figure(key, op, int(receipt.gas_used), docs, sigs))
        progress(f"{op}: {int(receipt.gas_used)} gas")

    add("anchor", "anchor (digest only, no signers)", registry.anchor(_doc("plain"), sha, ZERO, [], sender=a))
    add("anchor_metadata", "anchor with metadata digest", registry.anchor(_doc("meta"), sha, _doc("m"), [], sender=a))
    three = _doc("three")
    add("anchor_3_signers", "anchor with metadata and 3 signers",
        registry.anchor(three, sha, _doc("m3"), [a.address, b.address, c.address], sender=a))
    add("sign", "sign by transaction (first signer)", registry.sign(three, sha, sender=a))
    sig = n.offline_signature(three, sha, b)
    add("sign_for", "signFor: relayed EIP-712 signature", n.relay(sig, sender=admin), sigs=1)
    add("sign_last", "last signature (record becomes FullySigned)", registry.sign(three, sha, sender=c))
    add("revoke", "revoke", registry.revoke(_doc("plain"), sha, 2, sender=a))
    add("supersede", "supersede (new version with 3 signers)",
        registry.supersede(three, sha, _doc("three-v2"), sha, _doc("m3v2"), [a.address, b.address, c.address], 1,
                           sender=a))
    calls = [registry.anchor.encode_input(_doc(f"multi-{i}"), sha, _doc(f"mm-{i}"), []) for i in range(10)]
    add("multicall_10", "10 anchors in one multicall", registry.multicall(calls, sender=a), 10)
    for size in BATCH_SIZES:
        tree = StandardMerkleTree.of([_doc(f"batch-{size}-{i}") for i in range(size)])
        add(f"batch_{size}", f"anchorBatch of {size}", registry.anchorBatch(tree.root, sha, size, ZERO, sender=a), size)
    # Verifying a member of the 1000-document batch is a view; report its gas as an eth_estimateGas.
    values = [_doc(f"batch-1000-{i}") for i in range(1000)]
    tree = StandardMerkleTree.of(values)
    est = registry.verifyBatchMember.estimate_gas_cost(tree.root, values[500], tree.proof(500), sender=admin)
    figs.append(Figure("verify_member_1000", "verifyBatchMember in a batch of 1000 (view; eth_estimateGas, "
                       "provider-dependent, not in the snapshot test)", int(est)))
    progress(f"verifyBatchMember: {int(est)} gas")
    return figs


OPERATOR_COUNTS = (3, 5, 7)
OBSERVED_AT = 1_767_225_600  # 2026-01-01T00:00Z
MEDIAN_AGE = 4_000_000_000
#: Figures that carry ECDSA signatures over chain-specific data (contract address, chain id):
#: calldata costs 4 gas per zero byte and 16 per other byte, so they may move by a few dozen gas
#: between deployments; the snapshot test allows this much per signature.
SIGNATURE_TOLERANCE = 64
SCRIBE_POKE_5 = 81_025  # Chronicle Scribe, published figure for a poke with 5 signers (not measured here)


def measure_oracle(accounts: list[Any], *, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """Per operator count: each on-chain submission, a relayed EIP-712 bundle, and a MakerDAO
    Median-style poke, all in steady state (round 2, after a first round has been published)."""
    from ape import project
    from eth_account.messages import encode_defunct

    from .markets import market_code, to_price
    from .oracle import Feed

    admin = accounts[0]
    ops_all = accounts[6:13]
    figs: list[Figure] = []

    def add(key: str, op: str, gas: int, docs: int = 1, sigs: int = 0) -> None:
        figs.append(Figure(key, op, int(gas), docs, sigs))
        progress(f"{op}: {int(gas)} gas")

    for n in OPERATOR_COUNTS:
        ops = ops_all[:n]
        addrs = [o.address for o in ops]
        prices = [to_price(p) for p in ("71.00", "71.20", "70.90", "71.10", "71.30", "70.80", "71.05")[:n]]

        def new_feed(addrs=addrs, n=n):
            return Feed(admin.deploy(project.CarbonPriceFeed, market_code("CEA"), "CEA / CNY", admin, addrs,
                                     to_price("1"), to_price("1000"), n, 1000, 4 * 86400))

        # Fixed observation times keep the signed messages, and so the calldata, identical run to run.
        t = OBSERVED_AT
        # submit path: n transactions per round
        feed = new_feed()
        for o, p in zip(ops, prices):
            feed.submit(p, t, sender=o)
        gases = [int(feed.submit(p, t + 10, sender=o).gas_used) for o, p in zip(ops, prices)]
        add(f"submit_first_{n}", f"{n} operators: first submit of a round", gases[0])
        add(f"submit_closing_{n}", f"{n} operators: closing submit (median, publish)", gases[-1])
        add(f"submit_round_{n}", f"{n} operators: whole round by submit ({n} transactions)", sum(gases))

        # bundle path: one transaction per round
        feed = new_feed()
        for rid, tt in ((1, t), (2, t + 10)):
            quotes = [feed.sign_quote(rid, p, tt, o) for o, p in zip(ops, prices)]
            receipt = feed.submit_bundle(quotes, sender=ops[0])
        add(f"bundle_{n}", f"{n} operators: round by one relayed EIP-712 bundle", receipt.gas_used, sigs=n)

        # MakerDAO Median-style poke (no history kept), same operators
        median = admin.deploy(project.MedianStylePoke, market_code("CEA"), addrs, n)
        sorted_prices = sorted(prices)
        for k in range(2):
            age = MEDIAN_AGE + k  # must only exceed the last poke's time
            sigs = []
            for o, p in zip(ops, sorted_prices):
                h = keccak_packed(p, age, market_code("CEA"))
                sig = o.sign_message(encode_defunct(primitive=h))
                sigs.append((int(sig.v), bytes(sig.r).rjust(32, b"\x00"), bytes(sig.s).rjust(32, b"\x00")))
            receipt = median.poke(sorted_prices, [age] * n, [x[0] for x in sigs], [x[1] for x in sigs],
                                  [x[2] for x in sigs], sender=ops[0])
        add(f"median_style_{n}", f"{n} operators: MakerDAO Median-style poke (reference pattern)", receipt.gas_used,
            sigs=n)
    return figs


def measure_identity(accounts: list[Any], *, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """Every ERC-1056 call on our DIDRegistry and on the reference registry, same calls, same order."""
    from ape import project

    from .identity import bytes32_text, sign_action
    from .reference import reference_did_registry_container

    admin, ident, delegate, owner2, relayer = accounts[0], accounts[1], accounts[2], accounts[4], accounts[12]
    key = bytes32_text("did/pub/Secp256k1/veriKey/hex")
    veri = bytes32_text("veriKey")
    value = b"\x02" + b"\x11" * 32  # a compressed secp256k1 public key, 33 bytes
    figs: list[Figure] = []
    for label, container in (("ours", project.DIDRegistry), ("reference", reference_did_registry_container())):
        reg = admin.deploy(container)

        def signed(action: str, *args: Any, reg: Any = reg, signer: Any = ident) -> Any:
            sig = sign_action(reg, signer, ident.address, action, *args)
            return getattr(reg, f"{action}Signed")(ident, sig.v, sig.r, sig.s, *args, sender=relayer)

        steps = [
            ("setAttribute_first", "setAttribute (first change of an identity)",
             lambda reg=reg: reg.setAttribute(ident, key, value, 86400, sender=ident), 0),
            ("setAttribute", "setAttribute (later change)",
             lambda reg=reg: reg.setAttribute(ident, key, value, 86400, sender=ident), 0),
            ("addDelegate", "addDelegate", lambda reg=reg: reg.addDelegate(ident, veri, delegate, 86400, sender=ident), 0),
            ("revokeDelegate", "revokeDelegate", lambda reg=reg: reg.revokeDelegate(ident, veri, delegate, sender=ident), 0),
            ("revokeAttribute", "revokeAttribute", lambda reg=reg: reg.revokeAttribute(ident, key, value, sender=ident), 0),
            ("setAttributeSigned", "setAttributeSigned", lambda: signed("setAttribute", key, value, 86400), 1),
            ("addDelegateSigned", "addDelegateSigned", lambda: signed("addDelegate", veri, delegate.address, 86400), 1),
            ("revokeDelegateSigned", "revokeDelegateSigned", lambda: signed("revokeDelegate", veri, delegate.address), 1),
            ("revokeAttributeSigned", "revokeAttributeSigned", lambda: signed("revokeAttribute", key, value), 1),
            ("changeOwnerSigned", "changeOwnerSigned", lambda: signed("changeOwner", owner2.address), 1),
            ("changeOwner", "changeOwner (by the new owner, back)",
             lambda reg=reg: reg.changeOwner(ident, ident.address, sender=owner2), 0),
        ]
        for key_, op, fn, sigs in steps:
            gas = int(fn().gas_used)
            figs.append(Figure(f"{label}_{key_}", f"{op} [{label}]", gas, 1, sigs))
            progress(f"{op} [{label}]: {gas} gas")
    return figs


EAS_SCHEMA = "bytes32 digest,bytes32 credentialType,string subjectDid,uint64 expiresAt"


def measure_credentials(accounts: list[Any], *, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """TrustedIssuerRegistry and CredentialRegistry calls, and an EAS attest / revoke of the same
    fields (EAS deployed from its npm artifacts in the same run)."""
    from ape import chain, project
    from eth_abi import encode

    from .did_resolver import did_for
    from .identity import bytes32_text
    from .reference import eas_containers

    gov, issuer, subject, verifier = accounts[0], accounts[2], accounts[3], accounts[6]
    ptype = bytes32_text("ProfessionalInvestor")
    figs: list[Figure] = []

    def add(key: str, op: str, receipt: Any) -> None:
        figs.append(Figure(key, op, int(receipt.gas_used)))
        progress(f"{op}: {int(receipt.gas_used)} gas")

    tir = gov.deploy(project.TrustedIssuerRegistry, gov)
    creds = gov.deploy(project.CredentialRegistry, gov, tir)
    start = OBSERVED_AT
    until = 4_000_000_000
    add("tir_accredit", "TrustedIssuerRegistry.accredit (root issuer)",
        tir.accredit(issuer, ptype, start, until, True, sender=gov))
    add("tir_accredit_sub", "TrustedIssuerRegistry.accredit (sub-issuer, by the root)",
        tir.accredit(accounts[7], ptype, start, until, False, sender=issuer))
    add("tir_suspend", "TrustedIssuerRegistry.suspend", tir.suspend(accounts[7], ptype, 1, sender=gov))
    add("tir_reinstate", "TrustedIssuerRegistry.reinstate", tir.reinstate(accounts[7], ptype, sender=gov))
    add("tir_withdraw", "TrustedIssuerRegistry.withdraw", tir.withdraw(accounts[7], ptype, 2, sender=gov))
    d1, d2 = bytes32_text("credential-1"), bytes32_text("credential-2")
    add("cred_issue", "CredentialRegistry.issue", creds.issue(d1, ptype, subject, until, sender=issuer))
    creds.issue(d2, ptype, subject, until, sender=issuer)
    add("cred_verify_record", "CredentialRegistry.recordVerification", creds.recordVerification(d1, sender=verifier))
    add("cred_suspend", "CredentialRegistry.suspend", creds.suspend(d2, 1, sender=issuer))
    add("cred_reinstate", "CredentialRegistry.reinstate", creds.reinstate(d2, sender=issuer))
    add("cred_revoke", "CredentialRegistry.revoke", creds.revoke(d1, 3, sender=issuer))

    schema_registry_c, eas_c = eas_containers()
    schema_registry = gov.deploy(schema_registry_c)
    eas = gov.deploy(eas_c, schema_registry.address)
    receipt = schema_registry.register(EAS_SCHEMA, "0x" + "00" * 20, True, sender=gov)
    uid = bytes(receipt.decode_logs(schema_registry.Registered)[0].uid) if hasattr(schema_registry, "Registered") else None
    if uid is None:
        raise RuntimeError("EAS schema registration did not log a uid")
    data = encode(["bytes32", "bytes32", "string", "uint64"],
                  [d1, ptype, did_for(subject.address, chain.chain_id), until])
    req = (uid, (subject.address, until, True, b"\x00" * 32, data, 0))
    receipt = eas.attest(req, sender=issuer)
    add("eas_attest", "EAS.attest of the same fields (reference)", receipt)
    att_uid = bytes(receipt.decode_logs(eas.Attested)[0].uid)
    add("eas_revoke", "EAS.revoke (reference)", eas.revoke((uid, (att_uid, 0)), sender=issuer))
    return figs


def render_credentials(figs: list[Figure]) -> list[str]:
    if not figs:
        return []
    by = {f.key: f.gas for f in figs}
    lines = [
        "",
        "## Trusted issuers and credential status (beside EAS)",
        "",
        "| operation | gas |",
        "|---|---:|",
    ] + [f"| {f.operation} | {f.gas:,} |" for f in figs]
    issue, attest = by["cred_issue"], by["eas_attest"]
    revoke, eas_revoke = by["cred_revoke"], by["eas_revoke"]
    lines += [
        "",
        f"- Aim: anchoring a credential costs at most a third of an EAS attest of the same fields: "
        f"{issue:,} vs {attest:,} ({issue / attest:.0%}) — {'met' if issue * 3 <= attest else 'NOT met'}.",
        f"- Aim: a revocation costs at most half an EAS revoke: {revoke:,} vs {eas_revoke:,} "
        f"({revoke / eas_revoke:.0%}) — {'met' if revoke * 2 <= eas_revoke else 'NOT met'}.",
        "- EAS is deployed from `@ethereum-attestation-service/eas-contracts` 1.9.0 in the same run, schema",
        f"  `{EAS_SCHEMA}`. The issue's figures (attest 342,280, revoke 79,460) were measured elsewhere",
        "  with another payload; the ones above are from this run.",
    ]
    return lines


def render_identity(figs: list[Figure]) -> list[str]:
    if not figs:
        return []
    by = {f.key: f.gas for f in figs}
    names = [f.key[len("ours_"):] for f in figs if f.key.startswith("ours_")]
    ops = {f.key[len("ours_"):]: f.operation.replace(" [ours]", "") for f in figs if f.key.startswith("ours_")}
    lines = [
        "",
        "## DIDRegistry (ERC-1056) beside the reference EthereumDIDRegistry",
        "",
        "Same calls in the same order on both (the reference is the npm `ethr-did-registry` 1.3.0 artifact,",
        "solc 0.8.6, 1000 optimizer runs). The published figure for the reference's first `setAttribute`",
        "is 51,286 gas; the run here uses a 33-byte key value.",
        "",
        "| call | DIDRegistry | reference | difference |",
        "|---|---:|---:|---:|",
    ]
    for n in names:
        a, b = by[f"ours_{n}"], by[f"reference_{n}"]
        lines.append(f"| {ops[n]} | {a:,} | {b:,} | {a - b:+,} |")
    worst = max(by[f"ours_{n}"] - by[f"reference_{n}"] for n in names)
    lines += ["", f"- Aim: no call costs more than the reference — {'met' if worst <= 0 else 'NOT met'}."]
    return lines


def keccak_packed(val: int, age: int, wat: bytes) -> bytes:
    from .hashing import keccak256

    return keccak256(val.to_bytes(32, "big") + age.to_bytes(32, "big") + wat)


def environment() -> dict[str, Any]:
    from ape import chain, compilers

    solc = compilers.get_compiler("solidity")
    version = ""
    try:
        version = str(solc.latest_installed_version)
    except Exception:  # noqa: BLE001 - informative only
        pass
    return {
        "chain_id": chain.chain_id,
        "provider": chain.provider.name,
        "solc": version,
        "evm_version": "cancun",
        "optimizer_runs": 200,
    }


def _as_json(figs: list[Figure]) -> dict[str, Any]:
    return {
        f.key: {
            "operation": f.operation, "gas": f.gas, "documents": f.documents, "signatures": f.signatures,
            "estimate": f.key in ESTIMATES,
            "volatile": f.key in VOLATILE,
        }
        for f in figs
    }


def write(
    figs: list[Figure],
    env: dict[str, Any],
    out_dir: str | Path | None = None,
    oracle: list[Figure] | None = None,
    identity: list[Figure] | None = None,
    credentials: list[Figure] | None = None,
) -> tuple[Path, Path]:
    out = Path(out_dir) if out_dir else project_root() / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    data = {"environment": env, "notary": _as_json(figs), "oracle": _as_json(oracle or []),
            "identity": _as_json(identity or []), "credentials": _as_json(credentials or [])}
    json_path = out / "gas.json"
    json_path.write_text(json.dumps(data, indent=2) + "\n")
    md_path = out / "gas.md"
    md_path.write_text(render_markdown(figs, env, oracle or [], identity or [], credentials or []))
    (out / "gas.html").write_text(render_html(figs, env, oracle or [], identity or [], credentials or []))
    return json_path, md_path


def render_oracle(figs: list[Figure]) -> list[str]:
    if not figs:
        return []
    by = {f.key: f.gas for f in figs}
    lines = [
        "",
        "## CarbonPriceFeed (carbon price oracle)",
        "",
        "Steady state: round 2 of a feed whose quorum equals the operator count (every operator quotes).",
        "",
        "| operators | first submit | closing submit | whole round by submit | one relayed bundle | "
        "MakerDAO Median-style poke | Chronicle Scribe poke (published) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in OPERATOR_COUNTS:
        scribe = f"{SCRIBE_POKE_5:,}" if n == 5 else "-"
        lines.append(
            f"| {n} | {by[f'submit_first_{n}']:,} | {by[f'submit_closing_{n}']:,} | {by[f'submit_round_{n}']:,} | "
            f"{by[f'bundle_{n}']:,} | {by[f'median_style_{n}']:,} | {scribe} |"
        )
    b5, m5 = by["bundle_5"], by["median_style_5"]
    lines += [
        "",
        f"- Aim: a published round with 5 operators below Chronicle Scribe's {SCRIBE_POKE_5:,} gas. "
        f"Our relayed bundle: **{b5:,}** — {'met' if b5 < SCRIBE_POKE_5 else 'NOT met'}"
        f" ({b5 - SCRIBE_POKE_5:+,}). The MakerDAO Median-style poke measured beside it: {m5:,}.",
        "- Where the difference goes: Scribe verifies one aggregated Schnorr signature and overwrites one",
        "  slot; the Median-style poke overwrites one slot and keeps no history. Each CarbonPriceFeed round",
        "  writes a new storage slot (~22k gas) so that `getRoundData` serves every past round, as",
        "  Chainlink consumers expect, checks one ECDSA signature and one role per operator (~6k each),",
        "  and logs every operator's signed price and observation time for the audit trail.",
    ]
    return lines


def render_markdown(
    figs: list[Figure],
    env: dict[str, Any],
    oracle: list[Figure] | None = None,
    identity: list[Figure] | None = None,
    credentials: list[Figure] | None = None,
) -> str:
    by = {f.key: f for f in figs}
    lines = [
        "# Gas figures",
        "",
        "Written by `make bench` (`ape run bench`); every figure is the `gasUsed` of a real receipt on a",
        "fresh deployment (views: `eth_estimateGas`). Gas is deterministic for a given compiler and",
        "settings; `tests/unit/notary/test_gas_snapshot.py` fails when the code no longer matches these",
        "figures, so any change is seen and explained in review.",
        "",
        f"Environment: solc {env.get('solc')}, optimizer 200 runs, EVM {env.get('evm_version')}, "
        f"provider `{env.get('provider')}` (chain {env.get('chain_id')}).",
        "",
        "## DocumentRegistry (contract-hash notary)",
        "",
        "| operation | gas | documents | gas per document |",
        "|---|---:|---:|---:|",
    ]
    for f in figs:
        lines.append(f"| {f.operation} | {f.gas:,} | {f.documents} | {f.per_document:,.0f} |")
    anchor = by["anchor"].gas
    b1000 = by["batch_1000"].per_document
    lines += [
        "",
        "## Against the aims",
        "",
        f"- Single anchor: **{anchor:,} gas** (aim: under 60,000) — "
        f"{'met' if anchor < 60_000 else 'NOT met'}. One storage slot holds the whole record header;",
        "  the metadata digest travels in the `DocumentAnchored` event instead of a second slot",
        f"  (anchor with metadata: {by['anchor_metadata'].gas:,}). Each required signer adds one slot",
        f"  (~22.1k): {by['anchor_3_signers'].gas:,} with three.",
        f"- Batch of 1000: **{b1000:,.1f} gas per document** (aim: under 100) — "
        f"{'met' if b1000 < 100 else 'NOT met'}. One root write whatever the size: "
        + ", ".join(f"{by[f'batch_{s}'].gas:,} for {s}" for s in BATCH_SIZES) + ".",
        f"- Signing: {by['sign'].gas:,} by transaction, {by['sign_for'].gas:,} relayed (EIP-712 check adds"
        f" ~{by['sign_for'].gas - by['sign'].gas:,}).",
        "",
        "## Scaling with batch size",
        "",
        "| documents | gas | gas per document |",
        "|---:|---:|---:|",
    ]
    for s in BATCH_SIZES:
        f = by[f"batch_{s}"]
        lines.append(f"| {s} | {f.gas:,} | {f.per_document:,.1f} |")
    lines += render_oracle(oracle or [])
    lines += render_identity(identity or [])
    lines += render_credentials(credentials or [])
    lines += [
        "",
        f"_Generated {_dt.datetime.now(tz=_dt.timezone.utc).strftime('%Y-%m-%d')}._",
        "",
    ]
    return "\n".join(lines)


_PALETTE = {"notary": "#2c6fbb", "batch": "#4b9f6a", "submit": "#9aa7b4", "bundle": "#2c6fbb",
            "median": "#c98a00", "scribe": "#8e44ad"}


def _bars(rows: list[tuple[str, int, str, str]], *, width: int = 900, label_width: int = 300, bar_h: int = 18,
          gap: int = 6, scale_max: int | None = None) -> dict[str, Any]:
    top = scale_max or max(v for _, v, _, _ in rows)
    span = width - label_width - 110
    bars = [
        {"label": label, "value": value, "colour": colour, "suffix": suffix, "y": 6 + i * (bar_h + gap),
         "h": bar_h, "w": round(span * value / top, 1)}
        for i, (label, value, colour, suffix) in enumerate(rows)
    ]
    return {"bars": bars, "width": width, "label_width": label_width,
            "height": 12 + len(rows) * (bar_h + gap), "span": span, "top": top}


def render_html(
    figs: list[Figure],
    env: dict[str, Any],
    oracle: list[Figure],
    identity: list[Figure] | None = None,
    credentials: list[Figure] | None = None,
) -> str:
    """The same figures as gas.md, as charts."""
    from .reports import render_template

    by = {f.key: f for f in figs}
    ob = {f.key: f.gas for f in oracle}
    charts = []
    single = _bars([(f.operation, f.gas, _PALETTE["notary"], "") for f in figs if not f.key.startswith("batch_")
                    and f.key not in ESTIMATES])
    single.update(title="DocumentRegistry: gas per operation", note="One transaction each; the dashed line is the 60,000-gas aim for a single anchor.")
    single["aim"] = {"x": single["label_width"] + single["span"] * 60_000 / single["top"], "label": "60k aim"}
    charts.append(single)
    per_doc = _bars([(f"batch of {s}", round(by[f"batch_{s}"].per_document), _PALETTE["batch"], " gas/doc")
                     for s in BATCH_SIZES])
    per_doc.update(title="DocumentRegistry: gas per document in a Merkle batch",
                   note="One root write whatever the size, so the cost per document falls as 1/N (aim: under 100 at 1000).",
                   aim=None)
    charts.append(per_doc)
    if oracle:
        rows = []
        for n in OPERATOR_COUNTS:
            rows += [
                (f"{n} ops: one tx per operator (whole round)", ob[f"submit_round_{n}"], _PALETTE["submit"], ""),
                (f"{n} ops: one relayed EIP-712 bundle", ob[f"bundle_{n}"], _PALETTE["bundle"], ""),
                (f"{n} ops: MakerDAO Median-style poke", ob[f"median_style_{n}"], _PALETTE["median"], ""),
            ]
            if n == 5:
                rows.append(("5 signers: Chronicle Scribe poke (published)", SCRIBE_POKE_5, _PALETTE["scribe"], ""))
        chart = _bars(rows)
        chart.update(title="CarbonPriceFeed: gas per published round",
                     note="Steady state (round 2). Our rounds keep history for getRoundData; the Median-style "
                          "and Scribe pokes overwrite one slot.", aim=None)
        charts.append(chart)
    if identity:
        ib = {f.key: f.gas for f in identity}
        rows = []
        for f in identity:
            if f.key.startswith("ours_"):
                n = f.key[len("ours_"):]
                rows.append((f.operation, ib[f"ours_{n}"], _PALETTE["bundle"], ""))
                rows.append((f.operation.replace("[ours]", "[reference]"), ib[f"reference_{n}"], _PALETTE["submit"], ""))
        chart = _bars(rows, label_width=380)
        chart.update(title="DIDRegistry (ERC-1056) beside the reference registry",
                     note="Same calls, same order; blue: ours, grey: the npm ethr-did-registry artifact.", aim=None)
        charts.append(chart)
    if credentials:
        cb = {f.key: f.gas for f in credentials}
        chart = _bars([
            ("CredentialRegistry.issue", cb["cred_issue"], _PALETTE["bundle"], ""),
            ("EAS.attest (same fields)", cb["eas_attest"], _PALETTE["submit"], ""),
            ("CredentialRegistry.revoke", cb["cred_revoke"], _PALETTE["bundle"], ""),
            ("EAS.revoke", cb["eas_revoke"], _PALETTE["submit"], ""),
        ], label_width=300)
        chart.update(title="Credential status beside EAS", note="Both deployed in the same run.", aim=None)
        charts.append(chart)
    aims = [
        {"text": f"single anchor under 60,000 gas ({by['anchor'].gas:,})", "met": by["anchor"].gas < 60_000},
        {"text": f"batch of 1000 under 100 gas per document ({by['batch_1000'].per_document:.1f})",
         "met": by["batch_1000"].per_document < 100},
    ]
    if oracle:
        aims.append({"text": f"5-operator round below Chronicle Scribe's {SCRIBE_POKE_5:,} ({ob['bundle_5']:,})",
                     "met": ob["bundle_5"] < SCRIBE_POKE_5})
    return render_template(
        "gas.html.j2",
        charts=charts, figures=figs + oracle + list(identity or []) + list(credentials or []), aims=aims, env=env,
        generated=_dt.datetime.now(tz=_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )


def load_snapshot(path: str | Path | None = None) -> dict[str, Any]:
    p = Path(path) if path else project_root() / "benchmarks" / "gas.json"
    return json.loads(p.read_text())
