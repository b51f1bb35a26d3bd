"""The subscription story for `make demo`: a broker's QualifiedInvestor credential, a product, an
unsuitable investor turned away, a sale through every step to final (with a payment below the minimum
and a too-early return visit refused), a second sale withdrawn in the cooling-off and refunded, and
the first sale's evidence bundle re-checked, then re-checked again with one file changed by one byte.

Moves the chain's clock forward by the product's cooling-off (24 h): run it on a local chain.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Callable

from ..core.errors import CarbonChainError
from ..core.story import Check, checker
from .evidence import build_bundle, summary, verify_bundle
from .sdk import DAY, QUALIFIED_INVESTOR, Funds
from ..core.network import set_chain_time, set_next_block_time

MINIMUM_CNY = 1_000_000


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def rejection(fn: Callable[[], Any]) -> str:
    """The custom error's name a call reverts with ('' if it went through)."""
    from ..core.errors import is_revert, revert_name

    try:
        fn()
    except Exception as err:  # noqa: BLE001 - reverts on any provider; anything else re-raised
        if not is_revert(err):
            raise
        return revert_name(err)
    return ""


def fund_scenario(funds: Funds, creds: Any, people: dict[str, Any], out: Path, *,
                  log: Callable[[str], None] = print) -> list[Check]:
    """people: gov (accredits), manager, custodian, investor, broker (issues QualifiedInvestor)."""

    checks: list[Check] = []
    check = checker(checks, log)
    gov, manager, custodian, investor, broker = (people[k] for k in ("gov", "manager", "custodian", "investor",
                                                                     "broker"))
    run = secrets.token_hex(3)
    d = out / "fund"
    files = {name: _write(d / name, body) for name, body in {
        "template.txt": "Private fund contract template v1 (CarbonChain Green Growth Fund)\n",
        "questionnaire.txt": f"Suitability questionnaire of the investor, answers A-C-C-D-B, rating C4 ({run})\n",
        "recording.mp4": b"\x00\x00\x00\x18ftypmp42" + secrets.token_bytes(4096),
        "contract.txt": f"Fund contract GGF-{run}: CNY 1,200,000, manager / custodian / investor\n",
        "bank-payment.txt": f"Custodian bank: received CNY 1,200,000 ref GGF-{run}-PAY\n",
        "return-visit.txt": f"Return visit call: investor confirms the subscription GGF-{run}\n",
    }.items()}

    if not creds.trusted.isTrusted(broker.address, QUALIFIED_INVESTOR.encode().ljust(32, b"\x00")):
        creds.accredit(broker.address, QUALIFIED_INVESTOR, 365, sender=gov)
    jwt = creds.issue(broker, creds.did_of(investor), QUALIFIED_INVESTOR, {"basis": "financial assets"}, days=180)
    files["investor.jwt"] = _write(d / "investor.jwt", jwt + "\n")
    log(f"broker {broker.address} issued a QualifiedInvestor credential to {creds.did_of(investor)}")

    code = f"GGF-{run}"
    funds.register_product(code, risk="R3", minimum_fen=MINIMUM_CNY * 100, custodian=custodian,
                           template=files["template.txt"], cooling_off=DAY, open=True, sender=manager)
    log(f"product {code}: R3, minimum CNY 1,000,000, cooling-off 24 h")

    def opening(suitability: str) -> int:
        return funds.open(code, investor=creds.did_of(investor), credential=jwt, issuer=broker,
                          suitability=suitability, questionnaire=files["questionnaire.txt"], sender=manager)

    check("a C2 investor is turned away from an R3 product", "FundSubscriptionsUnsuitable",
          rejection(lambda: opening("C2")))
    sid = opening("C4")
    check("opened for a C4 investor with a valid credential", "Opened", funds.stage(sid), f"subscription #{sid}")
    funds.record(sid, files["recording.mp4"], sender=manager)
    check("double recording anchored", "Recorded", funds.stage(sid))
    funds.anchor_contract(sid, files["contract.txt"], sender=manager)
    for party in (manager, custodian, investor):
        funds.sign_contract(files["contract.txt"], sender=party)
    funds.attach_contract(sid, files["contract.txt"], sender=manager)
    check("fund contract signed by manager, custodian and investor", "Contracted", funds.stage(sid))
    check("a payment below the minimum is refused", "FundSubscriptionsBelowMinimum",
          rejection(lambda: funds.pay(sid, MINIMUM_CNY * 100 - 1, files["bank-payment.txt"], sender=custodian)))
    funds.pay(sid, 1_200_000 * 100, files["bank-payment.txt"], sender=custodian)
    ends = funds.subscription(sid, reader=manager).cooling_off_ends_at
    check("payment confirmed by the custodian", "Paid", funds.stage(sid))
    set_next_block_time(ends - 1)  # the revisit would land at exactly this second
    check("a return visit one second before the cooling-off ends is refused", "FundSubscriptionsCoolingOffNotOver",
          rejection(lambda: funds.revisit(sid, files["return-visit.txt"], sender=manager)))
    set_chain_time(ends)
    funds.revisit(sid, files["return-visit.txt"], sender=manager)
    check("return visit after the cooling-off: final", "Final", funds.stage(sid))

    second = opening("C4")
    funds.record(second, files["recording.mp4"], sender=manager)
    contract2 = _write(d / "contract-2.txt", f"Fund contract GGF-{run}-2: CNY 1,000,000\n")
    funds.anchor_contract(second, contract2, sender=manager)
    for party in (manager, custodian, investor):
        funds.sign_contract(contract2, sender=party)
    funds.attach_contract(second, contract2, sender=manager)
    funds.pay(second, MINIMUM_CNY * 100, files["bank-payment.txt"], sender=custodian)
    funds.withdraw(second, sender=investor)
    funds.refund(second, _write(d / "refund.txt", f"Refund of GGF-{run}-2\n"), sender=custodian)
    check("a second subscription withdrawn in the cooling-off and refunded", "Refunded", funds.stage(second))

    json_path, html_path = build_bundle(funds, sid, files=list(files.values()), out_dir=d)
    checks_ok = verify_bundle(json_path)
    ok, total = summary(checks_ok)
    check("every item of the evidence bundle holds against the chain and the files", total, ok, f"{html_path}")
    tampered = d / "tampered"
    tampered.mkdir(exist_ok=True)
    for p in files.values():
        data = p.read_bytes()
        if p.name == "recording.mp4":
            data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        (tampered / p.name).write_bytes(data)
    failing = [c.key for c in verify_bundle(json_path, files_dir=tampered) if not c.holds]
    check("with the recording changed by one byte, the re-check names that item", ["recorded"], failing)
    if not checks:
        raise CarbonChainError("the fund story ran no checks")
    return checks
