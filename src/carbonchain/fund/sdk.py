"""Client of the fund contracts: products, and the subscription's steps from files on disk.

Every evidence file (questionnaire, double recording, fund contract, bank confirmations, return
visit) is hashed here and only its digest goes on chain. The fund contract goes through the notary
(``DocumentRegistry``): anchored by the manager with manager, custodian and investor as required
signers, then attached to the subscription once fully signed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..core.errors import CarbonChainError
from ..core.hashing import Algorithm, digest_evidence, digest_file, to_bytes32
from ..core.jsonio import hex32
from ..identity import credential_digest, parse_did

DAY = 86_400
#: Stages of IFundSubscriptions.Stage, by their on-chain number.
STAGES = ("None", "Opened", "Recorded", "Contracted", "Paid", "Withdrawn", "Refunded", "Final")
#: What the subscription waits for at each stage, and who acts (for `status`).
NEXT_STEP = {
    "Opened": "double recording (manager: `fund record`)",
    "Recorded": "fund contract fully signed by manager, custodian and investor (`fund contract` / `fund sign`)",
    "Contracted": "payment confirmed by the custodian (`fund pay`)",
    "Paid": "cooling-off, then the return visit (manager: `fund revisit`); the investor may withdraw until then",
    "Withdrawn": "refund confirmed by the custodian (`fund withdraw --refund FILE`)",
    "Refunded": "nothing: the subscription was withdrawn and refunded",
    "Final": "nothing: the subscription is final",
}
QUALIFIED_INVESTOR = "QualifiedInvestor"


def parse_level(value: str | int, letter: str) -> int:
    """``R3`` / ``r3`` / ``3`` -> 3 (risk levels R1-R5, suitability ratings C1-C5)."""
    text = str(value).strip().upper()
    if text.startswith(letter):
        text = text[1:]
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise CarbonChainError(f"{value!r} is not a level {letter}1-{letter}5")
    return int(text)


def product_code(code: str | bytes) -> bytes:
    """A product code as bytes32 (ASCII, right-padded)."""
    if isinstance(code, (bytes, bytearray)):
        return bytes(code).ljust(32, b"\x00")
    raw = code.encode("utf-8")
    if not raw or len(raw) > 32:
        raise CarbonChainError(f"product code must be 1 to 32 bytes: {code!r}")
    return raw.ljust(32, b"\x00")


def code_text(code: bytes) -> str:
    return bytes(code).rstrip(b"\x00").decode("utf-8", "replace")


def address_of(who: Any) -> str:
    """An account, an address, a did:ethr DID or (local chains) a persona name -> checksummed address."""
    from eth_utils import is_address, to_checksum_address

    from ..core.network import address_of as account_address

    if hasattr(who, "address"):
        return str(who.address)
    text = str(who)
    if text.startswith("did:"):
        return parse_did(text)[1]
    return to_checksum_address(text) if is_address(text) else account_address(text)


def credential_ref(value: str | bytes) -> bytes:
    """A credential given as its digest (hex), a VC-JWT, or a file holding the JWT -> its digest."""
    if isinstance(value, (bytes, bytearray)):
        return to_bytes32(value)
    text = str(value).strip()
    if text.count(".") != 2 and Path(text).is_file():
        text = Path(text).read_text().strip()
    if text.count(".") == 2:
        return credential_digest(text)
    return to_bytes32(text)


@dataclass
class Product:
    code: str
    manager: str
    custodian: str
    risk_level: int
    minimum_fen: int
    cooling_off: int
    template_digest: bytes
    template_algorithm: Algorithm
    open: bool
    registered_at: int

    @classmethod
    def from_view(cls, code: bytes, v: Any) -> "Product":
        return cls(code_text(code), str(v.manager), str(v.custodian), int(v.riskLevel), int(v.minimumFen),
                   int(v.coolingOff), bytes(v.templateDigest), Algorithm(int(v.templateAlgorithm)), bool(v.open),
                   int(v.registeredAt))


@dataclass
class Subscription:
    id: int
    product: str
    investor: str
    stage: str
    suitability: int
    algorithm: Algorithm
    opened_at: int
    credential_issuer: str
    recorded_at: int
    contracted_at: int
    credential: bytes
    questionnaire: bytes
    recording: bytes
    contract_digest: bytes
    contract_algorithm: int
    paid_at: int
    cooling_off_ends_at: int
    withdrawn_at: int
    refunded_at: int
    final_at: int
    amount_fen: int
    payment_ref: bytes
    refund_ref: bytes
    return_visit: bytes

    @classmethod
    def from_view(cls, sid: int, v: Any) -> "Subscription":
        def camel(name: str) -> str:
            head, *rest = name.split("_")
            return head + "".join(p.capitalize() for p in rest)

        values: dict[str, Any] = {"id": sid}
        for f in fields(cls):
            if f.name == "id":
                continue
            raw = getattr(v, camel(f.name))
            if f.name == "product":
                values[f.name] = code_text(raw)
            elif f.name == "stage":
                values[f.name] = STAGES[int(raw)]
            elif f.name == "algorithm":
                values[f.name] = Algorithm(int(raw))
            elif isinstance(raw, (bytes, bytearray)) or f.type == "bytes":
                values[f.name] = bytes(raw)
            elif f.type == "int":
                values[f.name] = int(raw)
            else:
                values[f.name] = str(raw)
        return cls(**values)

    @property
    def next_step(self) -> str:
        return NEXT_STEP.get(self.stage, "")


class Funds:
    """The fund contracts of one deployment, with the notary and the credential registry they read."""

    def __init__(self, products: Any, subscriptions: Any, notary: Any, credentials: Any, *,
                 from_block: int = 0) -> None:
        self.products, self.subscriptions, self.notary, self.credentials = products, subscriptions, notary, credentials
        self.from_block = from_block

    @classmethod
    def deployed(cls) -> "Funds":
        """The contracts of this chain's deployments file (checked to still be on chain)."""
        from ..core.deployments import contract, current
        from ..notary import Notary

        return cls(contract("FundProductRegistry"), contract("FundSubscriptions"), Notary.deployed(),
                   contract("CredentialRegistry"), from_block=current().block)

    # -- products --------------------------------------------------------------------------------

    def register_product(self, code: str, *, risk: str | int, minimum_fen: int, custodian: Any,
                         template: str | Path, algorithm: Algorithm | str | int = Algorithm.SM3,
                         cooling_off: int = DAY, open: bool = True, sender: Any) -> Any:
        """Registers a product; the template file is hashed here, only its digest goes on chain."""
        alg = Algorithm.parse(algorithm)
        return self.products.registerProduct(
            product_code(code), parse_level(risk, "R"), int(minimum_fen), address_of(custodian),
            digest_evidence(template, alg), int(alg), int(cooling_off), bool(open), sender=sender)

    def set_open(self, code: str, open: bool, *, sender: Any) -> Any:
        return self.products.setOpen(product_code(code), bool(open), sender=sender)

    def product(self, code: str | bytes) -> Product:
        c = product_code(code)
        return Product.from_view(c, self.products.product(c))

    def product_codes(self) -> list[str]:
        return [code_text(c) for c in self.products.productCodes()]

    # -- the subscription's steps ----------------------------------------------------------------

    def open(self, product: str, *, investor: Any, credential: str | bytes, issuer: Any, suitability: str | int,
             questionnaire: str | Path, algorithm: Algorithm | str | int = Algorithm.SM3, sender: Any) -> int:
        """Step 1: opens a subscription; returns its id."""
        alg = Algorithm.parse(algorithm)
        receipt = self.subscriptions.open(
            product_code(product), address_of(investor), credential_ref(credential), address_of(issuer),
            parse_level(suitability, "C"), digest_evidence(questionnaire, alg), int(alg), sender=sender)
        return int(receipt.decode_logs(self.subscriptions.SubscriptionOpened)[0].id)

    def record(self, sid: int, recording: str | Path, *, sender: Any) -> Any:
        """Step 2: anchors the digest of the double recording (audio/video file)."""
        return self.subscriptions.recordSale(sid, self._evidence_digest(sid, recording, sender), sender=sender)

    def contract_parties(self, sid: int, reader: Any) -> list[str]:
        """Manager, custodian, investor: the required signers of the subscription's fund contract."""
        s = self.subscription(sid, reader=reader)
        p = self.product(s.product)
        return [p.manager, p.custodian, s.investor]

    def anchor_contract(self, sid: int, path: str | Path, *, sender: Any,
                        algorithm: Algorithm | str | int = Algorithm.SM3) -> bytes:
        """Step 3a (manager): anchors the fund contract in the notary with the three parties as signers."""
        alg = Algorithm.parse(algorithm)
        digest = digest_evidence(path, alg)
        if not self.notary.is_anchored(digest, alg):
            self.notary.anchor_files([path], sender=sender, algorithm=alg,
                                     signers=self.contract_parties(sid, sender))
        return digest

    def sign_contract(self, path: str | Path, *, sender: Any, algorithm: Algorithm | str | int = Algorithm.SM3) -> Any:
        """Step 3b (each party): signs the fund contract's record in the notary."""
        return self.notary.sign(digest_file(path, algorithm), algorithm, sender=sender)

    def missing_signers(self, path: str | Path, algorithm: Algorithm | str | int = Algorithm.SM3) -> list[str]:
        return [s.signer for s in self.notary.signatures(digest_file(path, algorithm), algorithm) if not s.signed]

    def attach_contract(self, sid: int, path: str | Path, *, sender: Any,
                        algorithm: Algorithm | str | int = Algorithm.SM3) -> Any:
        """Step 3c (manager): attaches the fully signed fund contract to the subscription."""
        alg = Algorithm.parse(algorithm)
        return self.subscriptions.attachContract(sid, digest_evidence(path, alg), int(alg), sender=sender)

    def pay(self, sid: int, amount_fen: int, confirmation: str | Path, *, sender: Any) -> Any:
        """Step 4 (custodian): confirms the payment with the digest of the bank's confirmation."""
        return self.subscriptions.confirmPayment(sid, int(amount_fen), self._evidence_digest(sid, confirmation, sender),
                                                 sender=sender)

    def withdraw(self, sid: int, *, sender: Any) -> Any:
        """Step 5a (investor): withdraws inside the cooling-off."""
        return self.subscriptions.withdraw(sid, sender=sender)

    def refund(self, sid: int, confirmation: str | Path, *, sender: Any) -> Any:
        """Step 5b (custodian): confirms the refund with the digest of the bank's confirmation."""
        return self.subscriptions.confirmRefund(sid, self._evidence_digest(sid, confirmation, sender), sender=sender)

    def revisit(self, sid: int, record: str | Path, *, sender: Any) -> Any:
        """Step 6 (manager): confirms the return visit after the cooling-off; the subscription becomes final."""
        return self.subscriptions.confirmReturnVisit(sid, self._evidence_digest(sid, record, sender), sender=sender)

    # -- reads -----------------------------------------------------------------------------------

    def subscription(self, sid: int, *, reader: Any) -> Subscription:
        """The trail (for the regulator role and the subscription's parties)."""
        return Subscription.from_view(sid, self.subscriptions.trail(sid, sender=reader))

    def stage(self, sid: int) -> str:
        return STAGES[int(self.subscriptions.stageOf(sid))]

    def count(self) -> int:
        return int(self.subscriptions.subscriptionCount())

    def _evidence_digest(self, sid: int, path: str | Path, reader: Any) -> bytes:
        if not Path(path).is_file():
            raise CarbonChainError(f"not a file: {path}")
        return digest_evidence(path, self.subscription(sid, reader=reader).algorithm)


def describe_subscription(s: Subscription, p: Product) -> list[tuple[str, str]]:
    """Label/value rows of a subscription for the `status` command."""
    from ..core.reports import utc
    from ..core.units import format_fen

    rows = [
        ("subscription", f"#{s.id} of product {s.product} (R{p.risk_level}, minimum CNY {format_fen(p.minimum_fen)})"),
        ("stage", s.stage),
        ("investor", f"{s.investor} (C{s.suitability})"),
        ("credential", f"{hex32(s.credential)} from {s.credential_issuer}"),
        ("opened", utc(s.opened_at)),
        ("double recording", f"{hex32(s.recording)} at {utc(s.recorded_at)}" if s.recorded_at else "-"),
        ("fund contract", f"{hex32(s.contract_digest)} at {utc(s.contracted_at)}" if s.contracted_at else "-"),
        ("payment", f"CNY {format_fen(s.amount_fen)} at {utc(s.paid_at)}" if s.paid_at else "-"),
        ("cooling-off ends", utc(s.cooling_off_ends_at)),
    ]
    if s.withdrawn_at:
        rows.append(("withdrawn", utc(s.withdrawn_at)))
    if s.refunded_at:
        rows.append(("refunded", utc(s.refunded_at)))
    rows += [("final", utc(s.final_at)), ("next", s.next_step)]
    return rows
