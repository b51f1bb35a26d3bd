"""ape run feed push|status|sign|relay|schedule-closures: the oracle operators' feed script."""

import datetime as _dt
import json
from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.oracle.feeder import ERROR, SUBMIT, Feeder
from carbonchain.oracle.markets import from_price
from carbonchain.core.network import get_account
from carbonchain.oracle import PriceFeeds, SignedQuote
from carbonchain.oracle.quotes import CST, latest_quotes, open_source, parse_time


def _when(ts):
    if not ts:
        return "-"
    return _dt.datetime.fromtimestamp(int(ts), CST).strftime("%Y-%m-%d %H:%M")


def _age(now, ts):
    if not ts:
        return "-"
    h = (now - int(ts)) // 3600
    return f"{h // 24}d {h % 24}h"


def summary(decisions, now):
    t = Table(title="feed summary", show_lines=False)
    for col in ("market", "action", "quote", "on-chain price", "observed", "age", "stale", "closed", "why"):
        t.add_column(col)
    colours = {SUBMIT: "green", ERROR: "red"}
    for d in decisions:
        c = colours.get(d.action, "white")
        t.add_row(
            d.market, f"[{c}]{d.action}[/{c}]", str(from_price(d.quote.price)) if d.quote else "-",
            str(from_price(d.on_chain)) if d.on_chain is not None else "-", _when(d.observed_at),
            _age(now, d.observed_at), {True: "[red]yes[/red]", False: "no", None: "-"}[d.stale],
            {True: "yes", False: "no", None: "-"}[d.closed], d.reason,
        )
    return t


@click.group()
def cli():
    """Push carbon-market closing prices to the CarbonPriceFeed contracts."""


@cli.command()
@click.option("--source", "-s", required=True, help="Quotes: FILE.csv, FILE.json, csv:PATH, json:PATH or http(s)://URL.")
@click.option("--markets", default=None, help="Comma-separated market codes (default: every deployed feed).")
@click.option("--once", "mode", flag_value="once", default=True, help="One pass, then exit (default).")
@click.option("--watch", "mode", flag_value="watch", help="Repeat every --interval seconds until stopped.")
@click.option("--interval", default=60.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds between passes.")
@click.option("--cycles", default=None, type=click.IntRange(min=1), help="With --watch: stop after N passes.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--deviation-bps", default=50, show_default=True, type=click.IntRange(1, 10_000),
              help="Push when the price moved at least this much from the on-chain answer.")
@click.option("--push-after", default=None, type=click.IntRange(min=1),
              help="Push anyway when the on-chain observation is this many seconds old (default: half the feed's heartbeat).")
@click.option("--as-of", default=None, help="Use quotes observed up to this time (replays; default: all).")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 10))
@network_option
@account_option
@connected
def push(provider, source, markets, mode, interval, cycles, dry_run, deviation_bps, push_after, as_of, retries,
         account=None):
    """Push each market whose price moved past the threshold or whose heartbeat is due."""
    operator = get_account(account)
    feeds = PriceFeeds.deployed()
    src = open_source(source)
    codes = [m.strip() for m in markets.split(",")] if markets else None
    feeder = Feeder(feeds, operator, deviation_bps=deviation_bps, push_after=push_after, retries=retries,
                    markets=codes, log=lambda m: console.print(f"[yellow]{m}[/yellow]", markup=True))
    as_of_ts = parse_time(as_of) if as_of else None
    console.print(f"operator {operator.address}, source {src.name}{' (dry run)' if dry_run else ''}")

    def report(decisions):
        from ape import chain

        console.print(summary(decisions, int(chain.pending_timestamp)))
        for d in decisions:
            if d.action == ERROR:
                console.print(f"[red]error: {d.market}: {d.reason}[/red]")

    if mode == "watch":
        try:
            feeder.watch(src, interval=interval, cycles=cycles, as_of=as_of_ts, dry_run=dry_run,
                         on_cycle=lambda n, ds: (console.print(f"pass {n}"), report(ds)))
        except KeyboardInterrupt:
            console.print("stopped")
        return
    with console.status("pushing...") as spinner:
        decisions = feeder.run_once(src, as_of=as_of_ts, dry_run=dry_run,
                                    progress=lambda d: spinner.update(f"{d.market}: {d.action}"))
    report(decisions)
    if any(d.action == ERROR for d in decisions):
        raise SystemExit(1)


@cli.command()
@network_option
@connected
def status(provider):
    """Every feed: latest price, observation time, age, staleness, open round."""
    from ape import chain

    feeds = PriceFeeds.deployed()
    now = int(chain.pending_timestamp)
    t = Table(title=f"price feeds on chain {chain.chain_id}")
    for col in ("market", "price", "observed", "age", "stale", "closed", "open round", "quotes"):
        t.add_column(col)
    for code, feed in feeds.items():
        st = feed.status()
        lt = st.latest
        t.add_row(code, str(lt.price) if lt else "-", _when(lt.observed_at if lt else None),
                  _age(now, lt.observed_at if lt else None), "[red]yes[/red]" if st.stale else "no",
                  "yes" if st.closed else "no", f"{st.open_round.round_id} {st.open_round.state}",
                  str(st.open_round.submissions))
    console.print(t)


@cli.command()
@click.option("--source", "-s", required=True, help="Quotes source (as for push).")
@click.option("--market", required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Signed quote file to write.")
@network_option
@account_option
@connected
def sign(provider, source, market, out, account=None):
    """Sign this operator's latest quote for MARKET's open round (EIP-712, no gas)."""
    operator = get_account(account)
    feed = PriceFeeds.deployed()[market]
    q = latest_quotes(open_source(source).quotes()).get(market.upper())
    if q is None:
        raise CarbonChainError(f"no {market} quote in {source}")
    signed = feed.sign_quote(feed.open_round(), q.price, q.observed_at, operator)
    Path(out).write_text(json.dumps({"market": feed.market, "feed": feed.address, **signed.to_json()}, indent=2) + "\n")
    console.print(f"{operator.address} signed {q} for round {signed.round_id} -> {out}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@network_option
@account_option
@connected
def relay(provider, files, account=None):
    """Relay operators' signed quotes (from `feed sign`) for one market as one bundle."""
    docs = []
    for f in files:
        try:
            docs.append(json.loads(Path(f).read_text()))
        except json.JSONDecodeError as err:
            raise CarbonChainError(f"{f} is not valid JSON: {err}") from None
    markets = {d.get("market") for d in docs}
    if len(markets) != 1:
        raise CarbonChainError(f"a bundle is for one market, got {sorted(map(str, markets))}")
    feed = PriceFeeds.deployed()[markets.pop()]
    receipt = feed.submit_bundle([SignedQuote.from_json(d) for d in docs], sender=get_account(account))
    latest = feed.latest()
    console.print(f"bundle of {len(docs)} relayed: tx {receipt.txn_hash}; {feed.market} round "
                  f"{feed.round(docs[0]['round_id']).state}, latest {latest.price if latest else '-'}")


@cli.command("schedule-closures")
@click.argument("calendar", type=click.Path(exists=True, dir_okay=False))
@network_option
@account_option
@connected
def schedule_closures(provider, calendar, account=None):
    """Schedule market closures (holidays) from a calendar JSON (feed admin)."""
    data = json.loads(Path(calendar).read_text())
    feeds = PriceFeeds.deployed()
    admin = get_account(account)
    plan = [(c["market"], parse_time(c["start"] + "T00:00:00+08:00"), parse_time(c["end"] + "T00:00:00+08:00"))
            for c in data["closures"]]
    # Check everything before sending anything: every market exists, every window is valid and
    # the account is feed admin of every feed. (Re-running the same calendar is harmless.)
    for market, start, end in plan:
        feed = feeds[market]
        if not 0 < end - start <= int(feed.contract.MAX_CLOSURE()):
            raise CarbonChainError(f"{market}: closure {_when(start)} .. {_when(end)} is empty or too long: nothing sent")
        if not feed.contract.hasRole(feed.contract.FEED_ADMIN_ROLE(), admin.address):
            raise CarbonChainError(f"{admin.address} is not feed admin of {market}: nothing sent")
    for market, start, end in plan:
        feeds[market].contract.scheduleClosure(start, end, sender=admin)
        console.print(f"{market}: closed {_when(start)} .. {_when(end)} CST")

