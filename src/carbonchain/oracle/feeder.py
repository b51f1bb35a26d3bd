"""The operator's push loop: decide per market, send, and survive restarts, reverts and node hiccups.

Every trading day's close is pushed once (staleness is judged per trading day). Idempotent by
construction: before sending, it reads the chain (is this market day already published? has this
operator already quoted it?), so a feeder killed at any point and started again never submits twice.
Each quote is checked first against the feed's bounds, the market calendar (no close on a weekend or
holiday) and the exchange's band (one daily limit per trading day elapsed, plus tolerance): a quote
outside is a data error, reported and not sent. Losing a race (another quorum published first) is a
normal skip. A held candidate or a stale feed is an alert: the CLI exits non-zero under ``--once``
and prints a loud line under ``--watch``. Every market is one transaction; a failure on one market
is reported on one line and the others go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..core.errors import describe, is_revert
from .markets import day_of, from_price, in_band_across, is_trading_day
from .feeds import Feed, PriceFeeds
from .quotes import Quote, QuoteSource, latest_quotes

SUBMIT, SKIP, ERROR, WOULD_SUBMIT = "submit", "skip", "error", "would submit"


@dataclass
class Decision:
    market: str
    action: str  # submit | skip | error | would submit
    reason: str
    quote: Quote | None = None
    round_id: int | None = None
    tx: str | None = None
    on_chain: int | None = None  # latest answer after the action
    observed_at: int | None = None
    stale: bool | None = None
    closed: bool | None = None
    alert: str | None = None  # held candidate or stale feed after this pass: someone must look


class TransientError(Exception):
    """A failure worth retrying (connection, timeout, nonce race)."""


def _is_transient(err: BaseException) -> bool:
    from ape.exceptions import ProviderError

    if is_revert(err):
        return False
    if isinstance(err, (ConnectionError, TimeoutError, ProviderError)):
        return True
    text = str(err).lower()
    return any(s in text for s in ("nonce too low", "connection", "timed out", "already known", "replacement"))


class Feeder:
    def __init__(
        self,
        feeds: PriceFeeds | dict[str, Feed],
        operator: Any,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        markets: Iterable[str] | None = None,
        clock: Callable[[], int] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.feeds = feeds
        self.operator = operator
        self.retries = retries
        self.backoff = backoff
        self.markets = [m.upper() for m in markets] if markets else None
        self.clock = clock
        self.sleep = sleep
        self.log = log

    def _now(self) -> int:
        if self.clock is not None:
            return self.clock()
        from ape import chain

        return int(chain.pending_timestamp)

    # -- deciding ----------------------------------------------------------------------------

    def decide(self, feed: Feed, quote: Quote | None) -> Decision:
        """What to do for one market, from the chain's state and the latest quote (sends nothing)."""
        st = feed.status()
        latest = st.latest
        base = dict(
            market=feed.market, quote=quote, round_id=st.open_round.round_id,
            on_chain=latest.answer if latest else None, observed_at=latest.observed_at if latest else None,
            stale=st.stale, closed=st.closed,
        )
        if quote is None:
            return Decision(action=SKIP, reason="no quote for this market in the source", **base)
        qday = day_of(quote.observed_at)
        if latest is not None and qday <= day_of(latest.observed_at):
            return Decision(action=SKIP, reason="already on chain (this market day is published)", **base)
        if quote.observed_at > self._now():
            return Decision(action=SKIP, reason="quote is time-stamped in the future: not sent", **base)
        rid = st.open_round.round_id
        pending_day = int(feed.contract.pendingRound()[0])
        if pending_day > qday:
            return Decision(action=SKIP, reason="the open round collects a newer market day: quote too old", **base)
        if pending_day == qday and feed.has_submitted(rid, self.operator):
            return Decision(
                action=SKIP,
                reason=f"already quoted round {rid} ({st.open_round.submissions} quotes so far, {st.open_round.state})",
                **base,
            )
        p = feed.params()
        if not int(p.minPrice) <= quote.price <= int(p.maxPrice):
            return Decision(
                action=ERROR,
                reason=f"price {from_price(quote.price)} outside the feed's bounds "
                f"[{from_price(int(p.minPrice))}, {from_price(int(p.maxPrice))}]: not sent",
                **base,
            )
        if not is_trading_day(st.closures, qday):
            return Decision(action=ERROR, reason="quote dated on a weekend or a scheduled closure: not sent", **base)
        if latest is not None:
            limit, tol = int(p.limitBps), int(p.toleranceBps)
            ok = in_band_across(latest.answer, quote.price, day_of(latest.observed_at), qday, limit, tol, st.closures)
            held = st.open_round if st.open_round.state == "Held" else None
            if not ok and held is not None:  # a held candidate the market confirms is a real move
                ok = in_band_across(held.answer, quote.price, day_of(held.observed_at), qday, limit, tol, st.closures)
            if not ok:
                move = (quote.price - latest.answer) * 10_000 // latest.answer
                return Decision(
                    action=ERROR,
                    reason=f"moved {move:+} bps from {from_price(latest.answer)}, beyond the exchange's band "
                    f"({limit} bps a trading day + {tol} bps): check the source; not sent",
                    **base,
                )
        if pending_day == qday:
            return Decision(action=SUBMIT, reason=f"joining round {rid}", **base)
        if latest is None:
            return Decision(action=SUBMIT, reason="first price of this feed", **base)
        return Decision(action=SUBMIT, reason="new trading day's close", **base)

    @staticmethod
    def alert_for(feed: Feed) -> str | None:
        """A held candidate, or a round stuck short of quorum while the price goes stale: a line
        someone must read (the CLI exits non-zero on it under --once)."""
        st = feed.status()
        if st.held:
            return (f"round {st.open_round.round_id} HELD at {from_price(st.open_round.answer)} "
                    f"(last {st.latest.price if st.latest else '-'}): waits for the next trading day's quorum "
                    "or the risk role")
        if st.stale and st.latest is not None and st.open_round.state == "Collecting":
            return (f"round {st.open_round.round_id} STUCK with {st.open_round.submissions} quotes (quorum "
                    f"{int(feed.params().quorum)}) and the price is stale: operators missing")
        return None

    # -- acting ------------------------------------------------------------------------------

    def _send(self, feed: Feed, d: Decision) -> Decision:
        assert d.quote is not None and d.round_id is not None
        attempt = 0
        while True:
            attempt += 1
            try:
                receipt = feed.submit(d.quote.price, d.quote.observed_at, sender=self.operator, round_id=d.round_id)
                d.tx = str(receipt.txn_hash)
                latest = feed.latest()
                d.on_chain = latest.answer if latest else None
                d.observed_at = latest.observed_at if latest else None
                state = feed.round(d.round_id).state
                d.reason += f"; round {d.round_id} now {state}"
                return d
            except Exception as err:  # noqa: BLE001 - a revert (on any provider), else classified below
                if is_revert(err):
                    # Someone else may have closed the round meanwhile: look again, once.
                    again = self.decide(feed, d.quote)
                    if again.action == SUBMIT and again.round_id != d.round_id and attempt <= self.retries:
                        d = again
                        continue
                    if again.action == SKIP:
                        again.reason = f"{again.reason} (after {describe(err)})"
                        return again
                    d.action, d.reason = ERROR, describe(err)
                    return d
                if _is_transient(err) and attempt <= self.retries:
                    self.log(f"{feed.market}: {describe(err)}; retry {attempt}/{self.retries}")
                    self.sleep(self.backoff * 2 ** (attempt - 1))
                    # the transaction may have gone through before the failure: re-check
                    again = self.decide(feed, d.quote)
                    if again.action != SUBMIT:
                        return again
                    d = again
                    continue
                d.action, d.reason = ERROR, describe(err)
                return d

    def run_once(
        self,
        source: QuoteSource | Iterable[Quote],
        *,
        as_of: int | None = None,
        dry_run: bool = False,
        progress: Callable[[Decision], None] | None = None,
    ) -> list[Decision]:
        """One pass over every market: decide and (unless ``dry_run``) send."""
        quotes = source.quotes() if hasattr(source, "quotes") else list(source)
        latest = latest_quotes(quotes, as_of)
        codes = self.markets or list(self.feeds)
        # a bad row of the source is one line; the other rows and markets go on
        decisions = [Decision(market="source", action=ERROR, reason=p) for p in getattr(source, "problems", [])]
        if progress is not None:
            for d in decisions:
                progress(d)
        for code in codes:
            if code not in self.feeds:
                d = Decision(market=code, action=ERROR, reason="no feed deployed for this market")
            else:
                feed = self.feeds[code]
                try:
                    d = self.decide(feed, latest.get(code))
                    if d.action == SUBMIT:
                        d = Decision(**{**d.__dict__, "action": WOULD_SUBMIT}) if dry_run else self._send(feed, d)
                    d.alert = self.alert_for(feed)
                except Exception as err:  # noqa: BLE001 - one line per problem, the others go on
                    d = Decision(market=code, action=ERROR, reason=describe(err))
            decisions.append(d)
            if progress is not None:
                progress(d)
        return decisions

    def watch(
        self,
        source: QuoteSource,
        *,
        interval: float,
        cycles: int | None = None,
        as_of: int | None = None,
        dry_run: bool = False,
        on_cycle: Callable[[int, list[Decision]], None] | None = None,
    ) -> "WatchSummary":
        """Runs :meth:`run_once` every ``interval`` seconds (forever, or ``cycles`` times) until
        Ctrl-C; returns what it did.

        A source that cannot be read is reported and retried next cycle. A node that stops answering
        (during a pass or in ``on_cycle``'s own chain reads) is one line when it goes and one when it
        is back; the passes in between are skipped and the loop carries on."""
        summary = WatchSummary()
        down_since: float | None = None
        n = 0
        try:
            while cycles is None or n < cycles:
                n += 1
                try:
                    self._node_answers()
                    try:
                        decisions = self.run_once(source, as_of=as_of, dry_run=dry_run)
                    except Exception as err:  # noqa: BLE001 - the source, or the node (checked below)
                        self._node_answers()
                        decisions = [Decision(market="*", action=ERROR, reason=describe(err))]
                    if on_cycle is not None:
                        on_cycle(n, decisions)
                except Exception as err:  # noqa: BLE001 - the node went away: one line, then carry on
                    if self._node_answers(raise_=False):
                        raise
                    if down_since is None:
                        down_since = time.monotonic()
                        summary.outages += 1
                        self.log(f"node unreachable ({_first_line(describe(err))}): pass {n} skipped, "
                                 f"trying again every {interval:g} s")
                else:
                    if down_since is not None:
                        summary.down_seconds += time.monotonic() - down_since
                        self.log(f"node back after {time.monotonic() - down_since:.0f} s: carrying on")
                        down_since = None
                    summary.count(decisions)
                if cycles is None or n < cycles:
                    self.sleep(interval)
        except KeyboardInterrupt:
            summary.interrupted = True
        if down_since is not None:
            summary.down_seconds += time.monotonic() - down_since
        return summary

    @staticmethod
    def _node_answers(raise_: bool = True) -> bool:
        """One cheap read of the node (eth_blockNumber); raises (or returns False) when it does not answer."""
        from ape import networks

        try:
            networks.active_provider.make_request("eth_blockNumber", [])
            return True
        except Exception:  # noqa: BLE001
            if raise_:
                raise
            return False


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else "no answer"
    return line if len(line) <= 120 else line[:117] + "..."


@dataclass
class WatchSummary:
    """What a ``watch`` did, for the one line printed when it stops."""

    passes: int = 0
    submitted: int = 0
    skipped: int = 0
    errors: int = 0
    outages: int = 0
    down_seconds: float = 0.0
    interrupted: bool = False

    def count(self, decisions: list[Decision]) -> None:
        self.passes += 1
        for d in decisions:
            if d.action == SUBMIT and d.tx:
                self.submitted += 1
            elif d.action == ERROR:
                self.errors += 1
            else:
                self.skipped += 1

    def line(self) -> str:
        how = "stopped" if self.interrupted else "done"
        text = (f"{how} after {self.passes} pass{'es' if self.passes != 1 else ''}: {self.submitted} submitted, "
                f"{self.skipped} skipped, {self.errors} errors")
        if self.outages:
            text += f"; node unreachable {self.outages} time{'s' if self.outages != 1 else ''} ({self.down_seconds:.0f} s)"
        return text
