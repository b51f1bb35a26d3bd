"""Gas of every step of a private-fund subscription, on fresh deployments of the real registries
(TrustedIssuerRegistry, CredentialRegistry, DocumentRegistry) beside the fund contracts."""

from __future__ import annotations

from typing import Any

from ..core.bench import Bench, Figure, Progress, recorder

MIN_FEN = 100_000_000  # 1,000,000 CNY
SM3 = 3


def _b32(text: str) -> bytes:
    return text.encode().ljust(32, b"\x00")


def measure(accounts: list[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """Deploys the registries and the fund contracts, then runs two subscriptions: one to final,
    one withdrawn and refunded, recording each step's gas."""
    from ape import chain, project

    admin, manager, custodian, investor, broker = accounts[0], accounts[1], accounts[2], accounts[3], accounts[4]
    figs: list[Figure] = []
    add = recorder(figs, progress)
    tir = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
    creds = admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)
    docs = admin.deploy(project.DocumentRegistry, 0, admin, admin)
    products = admin.deploy(project.FundProductRegistry, 0, admin)
    subs = admin.deploy(project.FundSubscriptions, 0, admin, products, creds, docs)
    products.grantRole(products.MANAGER_ROLE(), manager, sender=admin)
    qi = _b32("QualifiedInvestor")
    now = int(chain.pending_timestamp)
    tir.accredit(broker, qi, now - 10, now + 400 * 86_400, False, sender=admin)
    code = _b32("BENCH-R3")
    add("fund_register_product", "FundProductRegistry.registerProduct",
        products.registerProduct(code, 3, MIN_FEN, custodian, _b32("template"), SM3, 86_400, False, sender=manager))
    add("fund_set_open", "FundProductRegistry.setOpen", products.setOpen(code, True, sender=manager))

    def subscription(tag: str, final: bool) -> None:
        cred = _b32("credential-" + tag)
        creds.issue(cred, qi, investor, int(chain.pending_timestamp) + 365 * 86_400, sender=broker)
        r = subs.open(code, investor, cred, broker, 4, _b32("questionnaire-" + tag), SM3, sender=manager)
        sid = int(r.decode_logs(subs.SubscriptionOpened)[0].id)
        steps = [("open", "1. open (credential + suitability checks)", r)]
        steps.append(("record", "2. recordSale", subs.recordSale(sid, _b32("recording-" + tag), sender=manager)))
        contract = _b32("contract-" + tag)
        docs.anchor(contract, SM3, b"\x00" * 32, [manager.address, custodian.address, investor.address],
                    sender=manager)
        for party in (manager, custodian, investor):
            docs.sign(manager, contract, SM3, sender=party)
        steps.append(("attach", "3. attachContract (3 signatures checked)",
                      subs.attachContract(sid, contract, SM3, sender=manager)))
        steps.append(("pay", "4. confirmPayment",
                      subs.confirmPayment(sid, MIN_FEN, _b32("bank-" + tag), sender=custodian)))
        if final:
            # mine a block at the end of the cooling-off, so the pre-flight call (current block) and the
            # transaction (next block) both see it over
            chain.mine(1, timestamp=int(chain.pending_timestamp) + 86_400)
            steps.append(("revisit", "6. confirmReturnVisit (final)",
                          subs.confirmReturnVisit(sid, _b32("visit-" + tag), sender=manager)))
        else:
            steps.append(("withdraw", "5a. withdraw (in the cooling-off)", subs.withdraw(sid, sender=investor)))
            steps.append(("refund", "5b. confirmRefund", subs.confirmRefund(sid, _b32("refund-" + tag),
                                                                           sender=custodian)))
        for key, op, receipt in steps:
            if key in ("open", "record", "attach", "pay") and not final:
                continue  # measured once, on the first subscription
            add(f"fund_{key}", f"FundSubscriptions.{op}", receipt)

    subscription("a", True)
    subscription("b", False)
    return figs


def render(figs: list[Figure]) -> list[str]:
    by = {f.key: f.gas for f in figs}
    sale = sum(by[k] for k in ("fund_open", "fund_record", "fund_attach", "fund_pay", "fund_revisit"))
    lines = [
        "## Private-fund subscription (every step)",
        "",
        "| operation | gas |",
        "|---|---:|",
    ] + [f"| {f.operation} | {f.gas:,} |" for f in figs]
    lines += [
        "",
        f"- One sale from opening to final costs {sale:,} gas in the fund contract's five steps (the fund "
        "contract's anchoring and three signatures in the DocumentRegistry come on top: see the notary section).",
        "- `open` writes five storage slots (product, investor/stage/times, issuer, credential, questionnaire) and",
        "  calls the credential registry's one-call `verify`; each later step re-checks the credential (one",
        "  external call) and writes one or two slots. `attachContract` reads the record and its signatures.",
    ]
    return lines


BENCHES = [Bench("fund", measure, render)]
