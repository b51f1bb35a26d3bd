"""E2E: the scenario runner's fast path on a real node (anvil in `make test`'s second pass): on anvil
a step's transactions are mined together in one block at the step's time, a revert in the middle
of that block still fails the step with its custom error's name and its own transaction, a failing
expectation still names expected, actual, step and transaction, and the node gets its automine and
block gas limit back. On a node without manual mining (Hardhat through Ape's generic provider) the
same verdicts hold, one block per transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from ape import accounts

from carbonchain.scenario import parse, run_scenario
from carbonchain.scenario.context import StepFailed
from carbonchain.scenario.runner import new_context

STORY = """\
scenario: batching
title: batching
personas: [opA, opB, opC, risk]
setup:
  - markets: {codes: [CEA], operators: [opA, opB, opC], quorum: 3, risk: risk}
timeline:
  - day: 1
    quote: {market: CEA, prices: {opA: 70, opB: %s, opC: 70}}
  - price: {market: CEA, is: %s}
"""


def _anvil(chain) -> bool:
    return getattr(chain.provider, "name", "") == "foundry"


def _play(tmp_path: Path, chain, text: str):
    """Plays without the runner's own revert, so the test can read the blocks (Ape's test isolation
    reverts them after the test)."""
    path = tmp_path / "batching.yaml"
    path.write_text(text)
    return run_scenario(parse(path), isolate=False)


def test_a_revert_inside_a_step_block_names_its_error_step_and_own_transaction(tmp_path, chain):
    w3 = chain.provider.web3
    r = _play(tmp_path, chain, STORY % ("0.5", "70"))
    assert r.failure is not None
    assert r.failure.step == "timeline[0] day 1 quote" and r.failure.line == 7
    assert "CarbonPriceFeedPriceOutOfBounds" in r.failure.message
    if not r.failure.tx:  # a node that refuses a reverting transaction when it is sent leaves no hash
        assert not _anvil(chain)
        return
    receipt = w3.eth.get_transaction_receipt(r.failure.tx)
    assert receipt["status"] == 0
    assert w3.eth.get_transaction(r.failure.tx)["from"] == accounts.test_accounts[2].address  # opB's
    if _anvil(chain):
        block = w3.eth.get_block(receipt["blockNumber"])
        # opA's, opB's and opC's submits in one block, in the order sent; the middle one reverted
        assert len(block["transactions"]) == 3 and receipt["transactionIndex"] == 1
        assert block["timestamp"] - r.t0 in range(86_400, 86_400 + 60)  # at day 1


def test_a_failing_expectation_names_expected_actual_step_and_the_last_transaction(tmp_path, chain):
    w3 = chain.provider.web3
    r = _play(tmp_path, chain, STORY % ("70", "71"))
    assert r.failure is None and not r.passed
    (bad,) = r.failed_outcomes
    assert (bad.name, str(bad.expected), str(bad.actual), bad.step, bad.line) == \
        ("CEA price", "71", "70", "timeline[1] price", 9)
    receipt = w3.eth.get_transaction_receipt(bad.tx)
    assert receipt["status"] == 1
    published = [e for e in r.events if e["event"] == "RoundPublished"]
    assert len(published) == 1 and published[0]["tx"] == bad.tx  # the third submit published the close
    if _anvil(chain):
        assert len(w3.eth.get_block(receipt["blockNumber"])["transactions"]) == 3
        assert r.blocks < r.txs


def test_the_node_gets_its_automine_and_block_gas_limit_back(tmp_path, chain):
    if not _anvil(chain):
        pytest.skip("anvil only: other nodes mine as transactions come")
    w3 = chain.provider.web3
    limit = w3.eth.get_block("latest")["gasLimit"]
    r = _play(tmp_path, chain, STORY % ("70", "70"))
    assert r.passed, r.summary()
    assert chain.provider.make_request("anvil_getAutomine", []) is True
    chain.mine(1)
    assert w3.eth.get_block("latest")["gasLimit"] == limit


def test_a_block_that_does_not_hold_the_step_in_the_order_sent_fails_the_step(tmp_path, chain):
    """The safety net under one block per step: anvil orders its pool by fee, so a later transaction
    paying more would be mined first; the runner's own never do (same fee), and if the block ever
    disagrees with the order sent, the step fails instead of judging a different story."""
    if not _anvil(chain):
        pytest.skip("anvil only: other nodes mine as transactions come")
    path = tmp_path / "order.yaml"
    path.write_text(STORY % ("70", "70"))
    ctx = new_context(parse(path))
    ctx.step_label = "timeline[0] transfers"
    try:
        ctx._hold()
        a, b = ctx.account("opA"), ctx.account("opB")
        for who, price in ((a, 10**9), (b, 100 * 10**9)):
            h = ctx.rpc("eth_sendTransaction", [{"from": who.address, "to": accounts.test_accounts[9].address,
                                                  "value": "0x1", "gas": hex(21_000), "gasPrice": hex(price)}])
            ctx._pending.append((h, {"what": f"transfer from {who.address}", "from": who.address}))
        with pytest.raises(StepFailed, match="reordered") as err:
            ctx.settle()
        assert err.value.tx == h
    finally:
        ctx.close()


def test_views_read_together_see_what_the_step_sent_before_them(tmp_path, chain):
    """A read in the middle of a step reads the state after the step's earlier transactions (on
    anvil they are mined first, in one block), and many views read in one batch come back in order."""
    from carbonchain.oracle import to_price
    from carbonchain.scenario.runner import play_step

    path = tmp_path / "reads.yaml"
    path.write_text(STORY % ("70", "70"))
    scn = parse(path)
    ctx = new_context(scn)
    try:
        ctx.advance_to(ctx.t0)
        play_step(ctx, scn.steps[0])  # the CEA feed with three operators
        feed = ctx.recall("market", "CEA")
        rid = ctx.call(feed.openRoundId)
        sent = [ctx.send(feed.submit, rid, to_price("70"), ctx.now(), sender=who) for who in ("opA", "opB")]
        got = ctx.call_many([(feed.hasSubmitted, (rid, ctx.account(w).address)) for w in ("opA", "opB", "opC")]
                            + [(feed.getRound, (rid,))])
        assert got[:3] == [True, True, False] and int(got[3].submissions) == 2
        receipts = [chain.provider.web3.eth.get_transaction_receipt(h) for h in sent]
        assert all(rc["status"] == 1 for rc in receipts)
        if _anvil(chain):
            assert receipts[0]["blockNumber"] == receipts[1]["blockNumber"]
    finally:
        ctx.close()


def test_after_console_steps_ape_sends_as_usual(tmp_path, chain):
    """`scenario(...)` in `ape console` plays steps on the console's chain; after each call the node
    mines as it comes again and its head has the usual gas limit, so a plain Ape transaction goes
    through (Ape takes the head's limit as a transaction's gas)."""
    from ape.exceptions import APINotImplementedError

    from carbonchain.scenario.console import scenario

    try:
        chain.snapshot()
    except APINotImplementedError:
        pytest.skip("the console rewinds with chain snapshots, a dev-node facility this node lacks")
    path = tmp_path / "console.yaml"
    path.write_text(STORY % ("70", "70"))
    s = scenario(str(path))
    try:
        s.next(2)
        assert s.position == 2 and not s.failed
        receipt = accounts.test_accounts[0].transfer(accounts.test_accounts[9], 1)
        assert receipt.status == 1
        s.run()
        assert s.position == len(s.scenario.steps) and not s.failed
    finally:
        chain.restore(s.snapshot)
