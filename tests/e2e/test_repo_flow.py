"""Carbon repo flows end to end through the SDK and the keeper, on real registries and feed:
cure by top-up (with notices anchored, and a restarted keeper sending nothing twice), close-out
after an uncured margin call under maker-checker, repurchase with interest, default at maturity,
stale and held prices (no trigger), a holiday closure moving a deadline."""

import ape
import pytest

from carbonchain.core.hashing import Algorithm, digest_bytes
from carbonchain.core.network import set_chain_time
from carbonchain.oracle import to_price
from carbonchain.repo import Health, Keeper, Repo, Status
from carbonchain.repo.local import RepoWorld
from carbonchain.repo.model import DAY, ceil_div, out_of_closure


def _fresh_world(accounts, project):
    w = RepoWorld.build(accounts, project)
    w.publish("80")
    return w


@pytest.fixture(scope="module")
def shared_world(accounts, project):
    return _fresh_world(accounts, project)


@pytest.fixture
def world(request, shared_world, accounts, project):
    """The module's world, which Ape's per-test snapshot resets; where nothing can reset it
    (`--disable-isolation`: `make test-hardhat`, which runs as on a real network), a fresh one per
    test, so that no test sees the prices and agreements an earlier one left. (The module's world is
    a plain dependency: built lazily inside the first test, the snapshot reverted it away.)"""
    if request.config.getoption("disable_isolation"):
        return _fresh_world(accounts, project)
    return shared_world


@pytest.fixture
def sdk(world):
    return Repo(world.repo)


def keeper_for(world, sdk, tmp_path):
    return Keeper(sdk, world.documents, world.admin, notices_dir=tmp_path / "notices",
                  state_file=tmp_path / "keeper.json")


def test_cure_by_top_up_with_keeper_and_notices(world, sdk, tmp_path):
    calm, hit = world.open(), world.open(quantity=8000)
    k = keeper_for(world, sdk, tmp_path)
    assert k.run_once().scan.candidates == []
    world.publish("60")  # hit: 8000 x 60 = 480k / 200k = 240%: healthy; calm: 150%: warning
    res = k.run_once()
    assert res.checked == [calm] and res.changes == 1 and res.anchored == 1
    world.publish("50")  # calm: 125%: margin call
    res = k.run_once()
    assert res.checked == [calm] and sdk.agreement(calm).health == Health.MARGIN_CALL and res.anchored == 1
    notice = max(res.notices, key=lambda p: p.stat().st_mtime)
    html = notice.read_text()
    assert "Margin call" in html and "125.00%" in html and "50.00 CNY/tCO2e" in html and "Cure deadline" in html
    assert world.documents.isAnchored(world.admin, digest_bytes(html.encode(), Algorithm.SHA256), int(Algorithm.SHA256))
    # a keeper restarted from nothing (state file gone) re-renders the same notices and sends nothing twice
    (tmp_path / "keeper.json").unlink()
    again = keeper_for(world, sdk, tmp_path).run_once()
    assert again.checked == [] and again.anchored == 0 and len(again.notices) == 2
    # the exchange confirms a top-up: cured at once, no keeper needed
    r = sdk.top_up(calm, 3000, world.ref("top-up"), sender=world.custodian)
    (ev,) = sdk.health_changes(r)
    assert (Health(ev.previous), Health(ev.health)) == (Health.MARGIN_CALL, Health.HEALTHY)
    assert sdk.ratio(calm).ratio_bps == 8000 * 50 * 10**8 // (sdk.agreement(calm).amount_due * 100)
    assert keeper_for(world, sdk, tmp_path).run_once().checked == [] and sdk.agreement(hit).health == Health.HEALTHY


def test_close_out_after_an_uncured_margin_call_needs_two_risk_officers(world, sdk, accounts, tmp_path):
    rid = world.open()
    world.publish("50")
    sdk.check([rid], sender=accounts[5])
    deadline = sdk.agreement(rid).deadline
    world.advance(2 * DAY + 60)
    world.publish("50")
    res = keeper_for(world, sdk, tmp_path).run_once()
    assert res.checked == [rid] and sdk.agreement(rid).health == Health.CLOSE_OUT_ELIGIBLE
    assert sdk.agreement(rid).deadline == deadline
    maker, checker = world.risk
    sdk.propose_close_out(rid, 19_000_000, world.ref("disposal"), sender=maker)
    with ape.reverts(world.repo.RepoManagerSameReviewer):
        sdk.confirm_close_out(rid, sender=maker)
    r = sdk.confirm_close_out(rid, sender=checker)
    (ev,) = r.decode_logs(world.repo.RepoClosedOut)
    assert ev.shortfall == ev.amountDue - 19_000_000 > 0
    assert sdk.agreement(rid).status == Status.CLOSED_OUT


def test_repurchase_with_interest(world, sdk):
    rid = world.open(rate_bps=600, principal=30_000_000, quantity=6000)
    world.advance(45 * DAY + 3600)
    world.publish("80")
    sdk.repay(rid, 10_000_000, world.ref("slip"), sender=world.financier)
    world.advance(15 * DAY)
    r = sdk.repurchase(rid, world.ref("return"), sender=world.custodian)
    (ev,) = r.decode_logs(world.repo.RepoRepurchased)
    expected = ceil_div(30_000_000 * 600 * 45 + 20_000_000 * 600 * 15, 3_650_000)
    assert ev.principal == 20_000_000 and ev.interest == expected
    assert sdk.agreement(rid).status == Status.REPURCHASED


def test_default_at_maturity_then_close_out(world, sdk):
    now = world.now()
    rid = world.open(start=now, maturity=now + 30 * DAY, rate_bps=500)
    world.advance(31 * DAY)
    with ape.reverts(world.repo.RepoManagerMatured):
        sdk.repurchase(rid, world.ref(), sender=world.custodian)
    r = sdk.declare_default(rid, sender=world.financier)
    (ev,) = r.decode_logs(world.repo.RepoDefaulted)
    assert ev.amountDue == 20_000_000 + ceil_div(20_000_000 * 500 * 30, 3_650_000)
    sdk.propose_close_out(rid, 25_000_000, world.ref(), sender=world.risk[1])
    r = sdk.confirm_close_out(rid, sender=world.risk[0])
    (ev,) = r.decode_logs(world.repo.RepoClosedOut)
    assert ev.surplus == 25_000_000 - ev.amountDue and ev.shortfall == 0


def test_stale_and_held_prices_trigger_nothing(world, sdk, tmp_path):
    rid = world.open()
    k = keeper_for(world, sdk, tmp_path)
    world.publish("45")
    world.advance(5 * DAY)  # stale: heartbeat 4 days
    s = k.run_once()
    assert s.checked == [] and not s.scan.rows[-1].quote.usable
    r = sdk.check([rid], sender=world.counterparty)
    assert [int(e.reasons) for e in r.decode_logs(world.repo.PriceUnavailable)] == [2]
    assert sdk.agreement(rid).health == Health.HEALTHY
    world.publish("45")
    world.advance(60)  # a later observation: the feed takes one observation per round, strictly after the last
    rnd = world.feed.openRoundId()
    observed = ape.chain.blocks.head.timestamp  # every submit lands at or after it (the pending time is a guess)
    for op in world.operators[: world.quorum]:
        world.feed.submit(rnd, to_price("15"), observed, sender=op)  # -67%: held
    r = sdk.check([rid], sender=world.counterparty)
    assert [int(e.reasons) for e in r.decode_logs(world.repo.PriceUnavailable)] == [4]
    assert sdk.agreement(rid).health == Health.HEALTHY and k.run_once().checked == []
    world.feed.discardHeldRound(rnd, sender=world.risk[0])
    world.publish("45")
    sdk.check([rid], sender=world.counterparty)
    assert sdk.agreement(rid).health == Health.CLOSE_OUT_ELIGIBLE


def test_holiday_closure_moves_the_margin_call_deadline(world, sdk):
    rid = world.open(cure_period=3 * DAY)
    now = world.now()
    start, end = now + 2 * DAY, now + 10 * DAY - 6 * 3600  # a National Day closure, reopening at 18:00
    world.feed.scheduleClosure(start, end, sender=world.admin)
    world.publish("50")
    r = sdk.check([rid], sender=world.counterparty)
    (ev,) = sdk.health_changes(r)
    t = ape.chain.blocks[r.block_number].timestamp
    assert ev.deadline == out_of_closure(t + 3 * DAY, (start, end)) and end <= ev.deadline < end + DAY
    # the desk publishes the last close before the closure: the next trading day is after the reopening,
    # so the price stays fresh (stale only after that day's 15:00 CST close plus grace) and only the
    # closure holds the repo still
    set_chain_time(start - 60)
    world.publish("50")
    # during the closure nothing moves; after reopening, the old deadline has passed but the new one not yet
    world.advance(2 * DAY)
    assert world.feed.marketClosed() and not world.feed.isStale() and world.now() > t + 3 * DAY
    r = sdk.check([rid], sender=world.counterparty)
    assert [int(e.reasons) for e in r.decode_logs(world.repo.PriceUnavailable)] == [8]
    set_chain_time(end + 60)
    world.publish("50")
    sdk.check([rid], sender=world.counterparty)
    assert sdk.agreement(rid).health == Health.MARGIN_CALL
    set_chain_time(int(ev.deadline) + 1)
    world.publish("50")
    sdk.check([rid], sender=world.counterparty)
    assert sdk.agreement(rid).health == Health.CLOSE_OUT_ELIGIBLE
