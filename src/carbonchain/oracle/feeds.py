"""Carbon price feeds: a Python SDK over ``CarbonPriceFeed`` and ``MarketRegistry``.

    feeds = PriceFeeds.deployed()            # every market in the deployments file
    cea = feeds["CEA"]
    cea.submit(to_price("71.25"), observed_at, sender=operator)
    q = cea.sign_quote(cea.open_round(), to_price("71.25"), observed_at, operator)   # EIP-712
    cea.submit_bundle(cea.open_round(), [q1, q2, q3], sender=operator)
    cea.status()
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping

from eth_account.messages import encode_typed_data

from ..core.eip712 import typed_message
from ..core.errors import CarbonChainError
from .markets import code_str, from_price, market_code

ROUND_STATES = {0: "None", 1: "Collecting", 2: "Held", 3: "Published"}


@dataclass(frozen=True)
class RoundInfo:
    round_id: int
    state: str
    answer: int
    observed_at: int  # median observation time of the round's quotes (also Chainlink's updatedAt)
    submissions: int

    @property
    def price(self) -> Decimal:
        return from_price(self.answer)


@dataclass(frozen=True)
class FeedStatus:
    market: str
    address: str
    latest: RoundInfo | None
    open_round: RoundInfo
    stale: bool
    stale_at: int
    held: bool
    closed: bool
    usable: bool
    closures: tuple[tuple[int, int], ...]
    now: int

    @property
    def age(self) -> int | None:
        return None if self.latest is None else self.now - self.latest.observed_at

    def next_closures(self, count: int = 3) -> list[tuple[int, int]]:
        return [w for w in self.closures if w[1] > self.now][:count]


@dataclass(frozen=True)
class SignedQuote:
    signer: str
    round_id: int
    price: int
    observed_at: int
    r: bytes
    vs: bytes  # EIP-2098 compact signature: yParity in the top bit of s

    def as_tuple(self) -> tuple:
        return (self.price, self.observed_at, self.r, self.vs)

    def to_json(self) -> dict[str, Any]:
        return {
            "signer": self.signer, "round_id": self.round_id, "price": self.price, "observed_at": self.observed_at,
            "r": "0x" + self.r.hex(), "vs": "0x" + self.vs.hex(),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> "SignedQuote":
        try:
            return cls(
                signer=str(d["signer"]), round_id=int(d["round_id"]), price=int(d["price"]),
                observed_at=int(d["observed_at"]), r=bytes.fromhex(str(d["r"])[2:]), vs=bytes.fromhex(str(d["vs"])[2:]),
            )
        except (KeyError, ValueError, TypeError) as err:
            raise CarbonChainError(f"not a signed quote: {err}") from None


@dataclass(frozen=True)
class TrailQuote:
    """One signed quote from a BundleSubmitted event (the audit trail)."""

    operator: str
    price: int
    observed_at: int


def decode_trail(word: int) -> TrailQuote:
    """``operator << 96 | observedAt << 56 | price`` -> its parts."""
    from eth_utils import to_checksum_address

    w = int(word)
    return TrailQuote(to_checksum_address((w >> 96).to_bytes(20, "big")), w & ((1 << 56) - 1), (w >> 56) & ((1 << 40) - 1))


def compact_signature(v: int, r: bytes, s: bytes) -> tuple[bytes, bytes]:
    """(r, vs) of EIP-2098 from (v, r, s)."""
    y = (int(v) - 27) if int(v) >= 27 else int(v)
    vs = (int.from_bytes(s, "big") | (y << 255)).to_bytes(32, "big")
    return bytes(r).rjust(32, b"\x00"), vs


#: Gas limit = estimate x GAS_HEADROOM (+ GAS_EXTRA): operators pushing at the same moment change
#: the state between estimate and inclusion (a closing quote publishes, a held round settles).
GAS_HEADROOM = 1.5
GAS_EXTRA = 30_000


def send_with_headroom(method: Any, *args: Any, sender: Any) -> Any:
    """Estimates, then sends with headroom. A revert in the estimate (e.g. the round closed meanwhile)
    raises the contract's error like the transaction would."""
    estimate = int(method.estimate_gas_cost(*args, sender=sender))
    return method(*args, sender=sender, gas=int(estimate * GAS_HEADROOM) + GAS_EXTRA)


class Feed:
    """Client of one market's ``CarbonPriceFeed``."""

    def __init__(self, contract: Any) -> None:
        self.contract = contract
        self.market = code_str(bytes(contract.market()))

    @property
    def address(self) -> str:
        return str(self.contract.address)

    def open_round(self) -> int:
        return int(self.contract.openRoundId())

    def round(self, round_id: int) -> RoundInfo:
        v = self.contract.getRound(round_id)
        return RoundInfo(
            round_id=int(round_id), state=ROUND_STATES[int(v.state)], answer=int(v.answer),
            observed_at=int(v.observedAt), submissions=int(v.submissions),
        )

    def latest(self) -> RoundInfo | None:
        rid = int(self.contract.latestRoundId())
        return None if rid == 0 else self.round(rid)

    def status(self) -> FeedStatus:
        from ape import chain

        c = self.contract
        usable = c.usablePrice()
        return FeedStatus(
            market=self.market, address=self.address, latest=self.latest(), open_round=self.round(self.open_round()),
            stale=bool(c.isStale()), stale_at=int(c.staleAt()), held=bool(c.isHeld()), closed=bool(c.marketClosed()),
            usable=bool(usable[0]), closures=self.closures(), now=int(chain.blocks.head.timestamp),
        )

    def closures(self) -> tuple[tuple[int, int], ...]:
        return tuple((int(w.start), int(w.end)) for w in self.contract.closures())

    def params(self) -> Any:
        return self.contract.params()

    def has_submitted(self, round_id: int, operator: Any) -> bool:
        return bool(self.contract.hasSubmitted(round_id, str(getattr(operator, "address", operator))))

    def submit(self, price: int, observed_at: int, *, sender: Any, round_id: int | None = None) -> Any:
        rid = self.open_round() if round_id is None else round_id
        return send_with_headroom(self.contract.submit, rid, int(price), int(observed_at), sender=sender)

    def typed_data(self, round_id: int, price: int, observed_at: int) -> dict[str, Any]:
        from ape import chain

        return typed_message(
            domain_name="CarbonChain CarbonPriceFeed", chain_id=chain.chain_id, contract=self.address,
            primary_type="Quote",
            fields=[("market", "bytes32"), ("roundId", "uint80"), ("price", "int256"), ("observedAt", "uint64")],
            message={
                "market": market_code(self.market), "roundId": int(round_id), "price": int(price),
                "observedAt": int(observed_at),
            },
        )

    def sign_quote(self, round_id: int, price: int, observed_at: int, account: Any) -> SignedQuote:
        """``account`` signs its quote off chain (EIP-712); no transaction."""
        sig = account.sign_message(encode_typed_data(full_message=self.typed_data(round_id, price, observed_at)))
        if sig is None:
            raise CarbonChainError(f"account {account.address} declined to sign")
        r, vs = compact_signature(int(sig.v), bytes(sig.r), bytes(sig.s).rjust(32, b"\x00"))
        return SignedQuote(
            signer=str(account.address), round_id=int(round_id), price=int(price), observed_at=int(observed_at),
            r=r, vs=vs,
        )

    def submit_bundle(self, quotes: Iterable[SignedQuote], *, sender: Any, round_id: int | None = None) -> Any:
        """Relays signed quotes in one transaction (sorted by signer, as the contract requires)."""
        qs = sorted(quotes, key=lambda q: int(q.signer, 16))
        if not qs:
            raise CarbonChainError("a bundle needs signed quotes")
        rid = qs[0].round_id if round_id is None and qs else round_id
        if any(q.round_id != rid for q in qs):
            raise CarbonChainError("all quotes of a bundle must be signed for the same round")
        return send_with_headroom(self.contract.submitBundle, rid, [q.as_tuple() for q in qs], sender=sender)


class PriceFeeds(Mapping[str, Feed]):
    """Every market's feed, by market code."""

    def __init__(self, feeds: dict[str, Feed], registry: Any | None = None) -> None:
        self._feeds = feeds
        self.registry = registry

    @classmethod
    def deployed(cls) -> "PriceFeeds":
        from ape import project

        from ..core.deployments import contract, current, is_live

        dep = current()
        if not dep.price_feeds:
            raise CarbonChainError(f"no price feeds in {dep.path}: run `ape run deploy`")
        container = project.CarbonPriceFeed
        feeds = {}
        for code, address in dep.price_feeds.items():
            if not is_live(address, container, dep, "CarbonPriceFeed", key=f"feed:{code}"):
                raise CarbonChainError(f"feed {code} at {address} is gone or outdated: run `ape run deploy`")
            feeds[code] = Feed(container.at(address))
        return cls(feeds, contract("MarketRegistry"))

    def __getitem__(self, code: str) -> Feed:
        try:
            return self._feeds[code.upper()]
        except KeyError:
            raise CarbonChainError(f"no feed for market {code!r} (have: {', '.join(self._feeds)})") from None

    def __contains__(self, code: object) -> bool:
        return str(code).upper() in self._feeds

    def __iter__(self) -> Iterator[str]:
        return iter(self._feeds)

    def __len__(self) -> int:
        return len(self._feeds)

