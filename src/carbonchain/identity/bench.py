"""Gas figures of the identity domain: the ERC-1056 DIDRegistry beside the reference registry, and
trusted issuers / credential status beside EAS (both references deployed from their npm artifacts)."""

from __future__ import annotations

from typing import Any

from ..core.bench import PALETTE, Bench, Figure, Progress, bars, recorder
from .did import bytes32_text, sign_action
from .reference import eas_containers, reference_did_registry_container
from .resolver import did_for

def measure_did_registry(accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """Every ERC-1056 call on our DIDRegistry and on the reference registry, same calls, same order."""
    from ape import project

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


def measure_credentials(accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """TrustedIssuerRegistry and CredentialRegistry calls, and an EAS attest / revoke of the same
    fields (EAS deployed from its npm artifacts in the same run)."""
    from ape import chain, project
    from eth_abi import encode

    gov, issuer, subject, verifier = accounts[0], accounts[2], accounts[3], accounts[6]
    ptype = bytes32_text("ProfessionalInvestor")
    figs: list[Figure] = []

    add = recorder(figs, progress)

    tir = gov.deploy(project.TrustedIssuerRegistry, 0, gov, gov)
    creds = gov.deploy(project.CredentialRegistry, 0, gov, gov, tir)
    start = 1_767_225_600  # 2026-01-01T00:00Z
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
    add("cred_verify_record", "CredentialRegistry.recordVerification", creds.recordVerification(issuer, d1, sender=verifier))
    add("cred_suspend", "CredentialRegistry.suspend", creds.suspend(d2, 1, sender=issuer))
    add("cred_reinstate", "CredentialRegistry.reinstate", creds.reinstate(d2, sender=issuer))
    add("cred_revoke", "CredentialRegistry.revoke", creds.revoke(issuer, d1, 3, sender=issuer))

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
    add("eas_attest", "EAS.attest of the same fields (reference)", receipt, volatile=True)
    att_uid = bytes(receipt.decode_logs(eas.Attested)[0].uid)
    add("eas_revoke", "EAS.revoke (reference)", eas.revoke((uid, (att_uid, 0)), sender=issuer), volatile=True)
    return figs


def render_credentials(figs: list[Figure]) -> list[str]:
    by = {f.key: f.gas for f in figs}
    lines = [
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


def render_did_registry(figs: list[Figure]) -> list[str]:
    by = {f.key: f.gas for f in figs}
    names = [f.key[len("ours_"):] for f in figs if f.key.startswith("ours_")]
    ops = {f.key[len("ours_"):]: f.operation.replace(" [ours]", "") for f in figs if f.key.startswith("ours_")}
    lines = [
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


def did_registry_charts(figs: list[Figure]) -> list[dict[str, Any]]:
    ib = {f.key: f.gas for f in figs}
    rows = []
    for f in figs:
        if f.key.startswith("ours_"):
            n = f.key[len("ours_"):]
            rows.append((f.operation, ib[f"ours_{n}"], PALETTE["ours"], ""))
            rows.append((f.operation.replace("[ours]", "[reference]"), ib[f"reference_{n}"], PALETTE["reference"], ""))
    chart = bars(rows, label_width=380)
    chart.update(title="DIDRegistry (ERC-1056) beside the reference registry",
                 note="Same calls, same order; blue: ours, grey: the npm ethr-did-registry artifact.", aim=None)
    return [chart]


def credential_charts(figs: list[Figure]) -> list[dict[str, Any]]:
    cb = {f.key: f.gas for f in figs}
    chart = bars([
        ("CredentialRegistry.issue", cb["cred_issue"], PALETTE["ours"], ""),
        ("EAS.attest (same fields)", cb["eas_attest"], PALETTE["reference"], ""),
        ("CredentialRegistry.revoke", cb["cred_revoke"], PALETTE["ours"], ""),
        ("EAS.revoke", cb["eas_revoke"], PALETTE["reference"], ""),
    ], label_width=300)
    chart.update(title="Credential status beside EAS", note="Both deployed in the same run.", aim=None)
    return [chart]


BENCHES = [
    Bench("identity", measure_did_registry, render_did_registry, did_registry_charts),
    Bench("credentials", measure_credentials, render_credentials, credential_charts),
]
