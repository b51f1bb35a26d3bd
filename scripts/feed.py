"""ape run feed push|status|sign|relay|schedule-closures|prune-closures|set-bounds: the oracle operators' feed script.

`push --once` exits 1 when a market had an error or an alert (a held candidate, or a round stuck short
of quorum while the price goes stale);
`push --watch` prints each alert as a loud line every pass."""

import datetime as _dt
from pathlib import Path

import click
from rich.table import Table

from carbonchain.core.cli import account_option, connected, console, network_option
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.jsonio import check_fields, check_output, load_json, write_json
from carbonchain.oracle.feeder import ERROR, SUBMIT, Feeder
from carbonchain.oracle.markets import day_of, from_price, to_price
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
@click.option("--as-of", default=None, help="Use quotes observed up to this time (replays; default: all).")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 10))
@network_option
@account_option
@connected
def push(provider, source, markets, mode, interval, cycles, dry_run, as_of, retries, account=None):
    """Push each market's new trading-day close (checked against bounds, calendar and the exchange's band)."""
    operator = get_account(account)
    feeds = PriceFeeds.deployed()
    src = open_source(source)
    codes = [m.strip() for m in markets.split(",")] if markets else None
    feeder = Feeder(feeds, operator, retries=retries, markets=codes, log=lambda m: console.print(f"[yellow]{m}[/yellow]", markup=True))
    as_of_ts = parse_time(as_of) if as_of else None
    console.print(f"operator {operator.address}, source {src.name}{' (dry run)' if dry_run else ''}")

    def report(decisions):
        from ape import chain

        console.print(summary(decisions, int(chain.pending_timestamp)))
        for d in decisions:
            if d.action == ERROR:
                console.print(f"[red]error: {d.market}: {d.reason}[/red]")
            if d.alert:
                console.print(f"[bold red]ALERT {d.market}: {d.alert}[/bold red]")

    if mode == "watch":
        done = feeder.watch(src, interval=interval, cycles=cycles, as_of=as_of_ts, dry_run=dry_run,
                            on_cycle=lambda n, ds: (console.print(f"pass {n}"), report(ds)))
        console.print(done.line())
        return
    with console.status("pushing...") as spinner:
        decisions = feeder.run_once(src, as_of=as_of_ts, dry_run=dry_run,
                                    progress=lambda d: spinner.update(f"{d.market}: {d.action}"))
    report(decisions)
    if any(d.action == ERROR or d.alert for d in decisions):
        raise SystemExit(1)


@cli.command()
@network_option
@connected
def status(provider):
    """Every feed: latest price, observation time, age, staleness, held round, next closures."""
    from ape import chain

    feeds = PriceFeeds.deployed()
    now = int(chain.pending_timestamp)
    t = Table(title=f"price feeds on chain {chain.chain_id}")
    for col in ("market", "price", "observed", "age", "usable", "stale at", "closed", "open round", "quotes",
                "next closures"):
        t.add_column(col)
    for code, feed in feeds.items():
        st = feed.status()
        lt = st.latest
        nxt = ", ".join(f"{_when(s)[:10]}..{_when(e)[:10]}" for s, e in st.next_closures(3)) or "-"
        rnd = f"{st.open_round.round_id} {st.open_round.state}"
        if st.held:
            rnd = f"[red]{rnd} ({st.open_round.price})[/red]"
        t.add_row(code, str(lt.price) if lt else "-", _when(lt.observed_at if lt else None),
                  _age(now, lt.observed_at if lt else None),
                  "yes" if st.usable else ("[red]no: stale[/red]" if st.stale else "[yellow]no[/yellow]"),
                  _when(st.stale_at), "yes" if st.closed else "no", rnd, str(st.open_round.submissions), nxt)
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
    check_output(out)
    st = feed.status()
    rid = st.open_round.round_id
    if st.latest is not None and day_of(q.observed_at) <= day_of(st.latest.observed_at):
        console.print(f"[yellow]warning: {feed.market}'s market day of this quote is already published (round "
                      f"{st.latest.round_id}): a bundle of it will be refused; sign again once the source has the "
                      "next trading day's close[/yellow]")
    elif st.open_round.submissions:
        console.print(f"[yellow]warning: round {rid} of {feed.market} is already open with "
                      f"{st.open_round.submissions} quote(s) pushed on chain (`feed push`): finish it the same way "
                      "(each operator pushes), or relay a bundle of a full quorum[/yellow]")
    signed = feed.sign_quote(rid, q.price, q.observed_at, operator)
    write_json(out, {"market": feed.market, "feed": feed.address, **signed.to_json()})
    console.print(f"{operator.address} signed {q} for round {signed.round_id} -> {out}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@network_option
@account_option
@connected
def relay(provider, files, account=None):
    """Relay operators' signed quotes (from `feed sign`) for one market as one bundle."""
    docs = [check_fields(f, load_json(f), SIGNED_QUOTE_FIELDS) for f in files]
    markets = {d.get("market") for d in docs}
    if len(markets) != 1:
        raise CarbonChainError(f"a bundle is for one market, got {sorted(map(str, markets))}")
    feed = PriceFeeds.deployed()[markets.pop()]
    receipt = feed.submit_bundle([SignedQuote.from_json(d) for d in docs], sender=get_account(account))
    latest = feed.latest()
    console.print(f"bundle of {len(docs)} relayed: tx {receipt.txn_hash}; {feed.market} round "
                  f"{feed.round(docs[0]['round_id']).state}, latest {latest.price if latest else '-'}")


#: What `feed sign` writes and `feed relay` reads.
SIGNED_QUOTE_FIELDS = {"market": "str", "feed": "address", "signer": "address", "round_id": "int", "price": "int",
                       "observed_at": "int", "r": "hex32", "vs": "hex32"}


@cli.command("schedule-closures")
@click.argument("calendar", type=click.Path(exists=True, dir_okay=False))
@network_option
@account_option
@connected
def schedule_closures(provider, calendar, account=None):
    """Add market closures (holidays) from a calendar JSON to each feed's calendar (feed admin).

    Windows already scheduled are skipped; a window overlapping a different one is refused before
    anything is sent (cancel the old one first): nothing is ever overwritten silently."""
    plan = []
    for i, c in enumerate(check_fields(calendar, load_json(calendar), {"closures": "list"})["closures"]):
        where = f"{calendar}: closures[{i}]"
        c = check_fields(where, c, {"market": "str", "start": "str", "end": "str"})
        day = {}
        for key in ("start", "end"):
            try:
                day[key] = parse_time(c[key] + "T00:00:00+08:00")
            except (ValueError, TypeError):
                raise CarbonChainError(f"{where}: field '{key}' is {c[key]!r}, a date YYYY-MM-DD expected") from None
        plan.append((c["market"].upper(), day["start"], day["end"]))
    feeds = PriceFeeds.deployed()
    admin = get_account(account)
    todo = []
    for market, start, end in plan:
        feed = feeds[market]
        if not 0 < end - start <= int(feed.contract.MAX_CLOSURE()):
            raise CarbonChainError(f"{market}: closure {_when(start)} .. {_when(end)} is empty or too long: nothing sent")
        if not feed.contract.hasRole(feed.contract.FEED_ADMIN_ROLE(), admin.address):
            raise CarbonChainError(f"{admin.address} is not feed admin of {market}: nothing sent")
        existing = list(feed.closures()) + [(s, e) for m, s, e in todo if m == market]
        if (start, end) in existing:
            continue
        clash = [(s, e) for s, e in existing if s < end and start < e]
        if clash:
            s, e = clash[0]
            raise CarbonChainError(f"{market}: {_when(start)} .. {_when(end)} overlaps the scheduled closure "
                                   f"{_when(s)} .. {_when(e)} (cancel it first): nothing sent")
        todo.append((market, start, end))
    counts = {m: len(feeds[m].closures()) + sum(1 for x, _s, _e in todo if x == m) for m in {x for x, _s, _e in todo}}
    for market, n in counts.items():
        cap = int(feeds[market].contract.MAX_CLOSURES())
        if n > cap:
            raise CarbonChainError(f"{market}: {n} closures exceed the calendar's {cap}: prune past ones "
                                   "(`ape run feed prune-closures`): nothing sent")
    for market, start, end in todo:
        feeds[market].contract.scheduleClosure(start, end, sender=admin)
        console.print(f"{market}: closed {_when(start)} .. {_when(end)} CST")
    console.print(f"{len(todo)} closures scheduled, {len(plan) - len(todo)} already in the calendar")


@cli.command("prune-closures")
@network_option
@account_option
@connected
def prune_closures(provider, account=None):
    """Remove closures that ended before each feed's latest observation (feed admin)."""
    admin = get_account(account)
    for code, feed in PriceFeeds.deployed().items():
        latest = feed.latest()
        if latest is None:
            continue
        receipt = feed.contract.pruneClosures(latest.observed_at, sender=admin)
        (ev,) = receipt.decode_logs(feed.contract.ClosuresPruned)
        console.print(f"{code}: {ev.count} past closures pruned")


@cli.command("bench-replay")
@click.option("--out", default="benchmarks/oracle-replay.md", show_default=True, type=click.Path(dir_okay=False))
@network_option
@connected
def bench_replay(provider, out):
    """Replay throughput (tx/s) of a synthetic real-shaped series through the Feeder, written to OUT."""
    from carbonchain.core.network import get_account as _acct
    from carbonchain.oracle.bench import measure_replay, render_replay

    fig = measure_replay([_acct(None, i) for i in range(11)], progress=lambda m: console.print(f"  {m}", markup=False))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(render_replay(fig))
    console.print(f"{fig['transactions']} transactions in {fig['seconds']} s: {fig['tx_per_second']} tx/s -> {out}")


@cli.command("set-bounds")
@click.option("--market", required=True)
@click.option("--min", "lo", required=True, help="Lowest accepted price, CNY (e.g. 15).")
@click.option("--max", "hi", required=True, help="Highest accepted price, CNY (e.g. 400).")
@network_option
@account_option
@connected
def set_bounds(provider, market, lo, hi, account=None):
    """Widen (or narrow) a feed's price bounds (feed admin): the documented way past a record price."""
    feed = PriceFeeds.deployed()[market]
    try:
        lo_p, hi_p = to_price(lo), to_price(hi)
    except ValueError as err:
        raise CarbonChainError(str(err)) from None
    feed.contract.setBounds(lo_p, hi_p, sender=get_account(account))
    console.print(f"{feed.market}: bounds now [{lo}, {hi}] CNY")
