"""A ready repo world on a local chain, from real parts (DocumentRegistry, TrustedIssuerRegistry,
CredentialRegistry, MarketRegistry, CarbonPriceFeed, RepoManager): tests, the benchmark and the
demo build on it.

    w = RepoWorld.build(accounts, project)
    w.publish("80")                        # a closing price from a quorum of operators
    rid = w.open(quantity=5000, principal=w.fen("200,000.00"))   # proposed, approved twice, activated
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..core.hashing import Algorithm, digest_bytes
from ..core.network import set_chain_time
from ..core.units import to_price
from ..identity import bytes32_text
from ..oracle import market_code
from .terms import DAY, Terms, parse_cny

CARBON_ACCOUNT_HOLDER = bytes32_text("CarbonAccountHolder")


def tag_digest(tag: str) -> bytes:
    return digest_bytes(tag.encode(), Algorithm.SHA256)


@dataclass
class RepoWorld:
    repo: Any
    documents: Any
    credentials: Any
    issuers: Any
    markets: Any
    feed: Any
    admin: Any
    financier: Any
    counterparty: Any
    custodian: Any
    risk: tuple[Any, Any]
    broker: Any
    operators: list[Any]
    quorum: int
    market: str = "CEA"
    _serial: list[int] = field(default_factory=lambda: [0])
    _shared: dict[str, bytes] = field(default_factory=dict)

    def _credential_live(self, credential_id: bytes) -> bool:
        try:
            return bool(self.credentials.verifyById(credential_id).valid)
        except Exception:  # unknown after a snapshot revert
            return False

    # ---------------------------------------------------------------- build
    @classmethod
    def build(
        cls,
        accounts: Any,
        project: Any,
        *,
        market: str = "CEA",
        max_move_bps: int = 5000,
        grace: int = DAY,
        quorum: int = 3,
        roles: dict[str, int] | None = None,
    ) -> "RepoWorld":
        r = {"admin": 0, "financier": 1, "custodian": 2, "counterparty": 3, "risk1": 11, "risk2": 12,
             "broker": 13, "operators": 6}
        r.update(roles or {})
        admin = accounts[r["admin"]]
        ops = [accounts[r["operators"] + i] for i in range(quorum + 1)]
        documents = admin.deploy(project.DocumentRegistry, 0, admin, admin)
        issuers = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
        credentials = admin.deploy(project.CredentialRegistry, 0, admin, admin, issuers)
        markets = admin.deploy(project.MarketRegistry, 0, admin, admin)
        # limitBps = max_move_bps: one daily limit per round at least; stale `grace` after the next
        # trading day's close (AccessControlDefaultAdminRules delay 0: local chain)
        feed = admin.deploy(
            project.CarbonPriceFeed, market_code(market), f"{market} / CNY", 0, admin, admin, admin,
            [o.address for o in ops], (to_price("1"), to_price("1000"), max_move_bps, 100, quorum, grace),
        )
        markets.registerMarket(market_code(market), feed, b"CNY", f"{market} allowances", sender=admin)
        repo = admin.deploy(project.RepoManager, 0, admin, markets, documents, credentials)
        w = cls(
            repo=repo, documents=documents, credentials=credentials, issuers=issuers, markets=markets, feed=feed,
            admin=admin, financier=accounts[r["financier"]], counterparty=accounts[r["counterparty"]],
            custodian=accounts[r["custodian"]], risk=(accounts[r["risk1"]], accounts[r["risk2"]]),
            broker=accounts[r["broker"]], operators=ops, quorum=quorum, market=market,
        )
        repo.grantRole(repo.FINANCIER_ROLE(), w.financier, sender=admin)
        repo.grantRole(repo.CUSTODIAN_ROLE(), w.custodian, sender=admin)
        for officer in w.risk:
            repo.grantRole(repo.RISK_ROLE(), officer, sender=admin)
        feed.grantRole(feed.RISK_ROLE(), w.risk[0], sender=admin)
        now = w.now()
        issuers.accredit(w.broker, CARBON_ACCOUNT_HOLDER, now - 10, now + 3650 * DAY, False, sender=admin)
        return w

    # ---------------------------------------------------------------- time and prices
    @staticmethod
    def now() -> int:
        from ape import chain

        return chain.pending_timestamp

    @staticmethod
    def advance(seconds: int) -> None:
        from ape import chain

        set_chain_time(chain.pending_timestamp + seconds)

    @staticmethod
    def fen(text: str) -> int:
        return parse_cny(text)

    def publish(self, price: str | int, *, operators: list[Any] | None = None, confirm_held: bool = False) -> int:
        """A quorum of operators quote ``price`` (CNY text or 8-decimal int); returns the round id.
        A move beyond the feed's maximum is held, unless ``confirm_held`` (the risk officer confirms it)."""
        from ape import chain

        value = to_price(price) if isinstance(price, str) else int(price)
        last = int(self.feed.getRound(self.feed.latestRoundId()).observedAt) if self.feed.latestRoundId() else 0
        # Observed at the latest block's time (every submit lands at or after it; the pending time is
        # only a guess, which Hardhat overshoots when it mines several blocks in one second), or
        # just after the last round, with a block mined there.
        head = int(chain.blocks.head.timestamp)
        obs = max(head, last + 1)
        if obs > head:
            set_chain_time(obs)
        round_id = int(self.feed.openRoundId())
        for op in operators or self.operators[: self.quorum]:
            self.feed.submit(round_id, value, obs, sender=op)
        if confirm_held and int(self.feed.getRound(round_id).state) == 2:
            self.feed.confirmHeldRound(round_id, sender=self.risk[0])
        return round_id

    # ---------------------------------------------------------------- documents and credentials
    def _tag(self, kind: str) -> str:
        self._serial[0] += 1
        return f"{kind}-{self.repo.address}-{self._serial[0]}"

    def signed_contract(self, *, sign: tuple[Any, ...] | None = None) -> bytes:
        """Anchors a repo contract digest that financier and counterparty must sign; both sign unless told."""
        d = tag_digest(self._tag("repo-contract"))
        alg = int(Algorithm.SHA256)
        self.documents.anchor(d, alg, b"\x00" * 32, [self.financier, self.counterparty], sender=self.financier)
        for who in (self.financier, self.counterparty) if sign is None else sign:
            self.documents.sign(self.financier, d, alg, sender=who)
        return d

    def credential(self, subject: Any | None = None, *, days: int = 365, credential_type: bytes = CARBON_ACCOUNT_HOLDER) -> bytes:
        """Issues a credential as the broker; returns its record key (credentialId(broker, digest)), what
        RepoManager's terms carry. ``credential_digest(id)`` gives the digest back for status changes."""
        d = tag_digest(self._tag("credential"))
        self.credentials.issue(d, credential_type, subject or self.counterparty, self.now() + days * DAY, sender=self.broker)
        cid = bytes(self.credentials.credentialId(self.broker, d))
        self._shared[cid.hex()] = d
        return cid

    def credential_digest(self, credential_id: bytes) -> bytes:
        """The digest of a credential this world issued, from its record key."""
        return self._shared[bytes(credential_id).hex()]

    # ---------------------------------------------------------------- agreements
    def terms(self, **over: Any) -> Terms:
        now = self.now()
        base = dict(
            financier=self.financier.address, counterparty=self.counterparty.address, market=market_code(self.market),
            quantity=5000, principal=parse_cny("200,000.00"), rate_bps=500, start=now, maturity=now + 90 * DAY,
            warning_bps=16000, margin_call_bps=14000, close_out_bps=12000, cure_period=2 * DAY, haircut_bps=7000,
            contract_digest=None, contract_algorithm=int(Algorithm.SHA256), credential=None,
        )
        base.update(over)
        # One signed contract and one credential serve every agreement unless given (fewer transactions).
        if base["contract_digest"] is None:
            if not self._shared.get("contract") or not self.documents.isAnchored(self.financier, self._shared["contract"], 1):
                self._shared["contract"] = self.signed_contract()
            base["contract_digest"] = self._shared["contract"]
        if base["credential"] is None:
            if not self._shared.get("credential") or not self._credential_live(self._shared["credential"]):
                self._shared["credential"] = self.credential(days=3650)
            base["credential"] = self._shared["credential"]
        return Terms(**base)

    def propose(self, terms: Terms | None = None, *, sender: Any | None = None, **over: Any) -> int:
        t = terms or self.terms(**over)
        receipt = self.repo.propose(t.as_tuple(), sender=sender or self.financier)
        (ev,) = receipt.decode_logs(self.repo.RepoProposed)
        return int(ev.id)

    def approve(self, rid: int, *, grade: int = 3) -> None:
        self.repo.proposeApproval(rid, grade, tag_digest(self._tag("scoring")), sender=self.risk[0])
        self.repo.confirmApproval(rid, sender=self.risk[1])

    def activate(self, rid: int) -> None:
        self.repo.activate(rid, tag_digest(self._tag("transfer")), sender=self.custodian)

    def open(self, terms: Terms | None = None, **over: Any) -> int:
        """Proposed, approved (maker-checker) and activated."""
        rid = self.propose(terms, **over)
        self.approve(rid)
        self.activate(rid)
        return rid

    def ref(self, kind: str = "ref") -> bytes:
        """A fresh reference digest (custodian confirmation, repayment slip...)."""
        return tag_digest(self._tag(kind))

    def with_terms(self, t: Terms, **over: Any) -> Terms:
        return replace(t, **over)
