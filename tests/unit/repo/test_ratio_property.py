"""Property: for random terms, prices, times, top-ups and repayments, the contract's ratio, amount
due and health equal the Python reference model (carbonchain.repo.model) step by step."""

from dataclasses import replace

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonchain.repo.model import DAY, Health, Position, Status, after_repay, amount_due, evaluate, max_principal
from tests.utils.repo import position

CNY = 10**8  # one CNY as an 8-decimal price


@st.composite
def scenarios(draw):
    price0 = draw(st.integers(40, 200)) * CNY
    close = draw(st.integers(10_000, 15_000))
    margin = close + draw(st.integers(1, 3_000))
    warning = margin + draw(st.integers(1, 3_000))
    haircut = draw(st.integers(3_000, 9_000))
    quantity = draw(st.integers(100, 100_000))
    principal = draw(st.integers(1, max_principal(quantity, price0, haircut)))
    terms = dict(
        quantity=quantity, principal=principal, rate_bps=draw(st.integers(0, 2_000)),
        warning_bps=warning, margin_call_bps=margin, close_out_bps=close, haircut_bps=haircut,
        cure_period=draw(st.integers(3_600, 5 * DAY)),
    )
    tenor = draw(st.integers(10, 200)) * DAY
    steps = draw(st.lists(
        st.tuples(
            st.integers(0, 12 * DAY),  # time passing
            st.integers(-45, 45),  # price move, percent (the feed holds moves beyond 50%)
            st.sampled_from(["none", "none", "top-up", "repay"]),
            st.integers(1, 99),  # size of the action, percent
        ),
        min_size=1, max_size=3,
    ))
    return price0, terms, tenor, steps


def _model_at(p: Position, price: int, t: int) -> Position:
    _, h, since, deadline = evaluate(p, price, t)
    return replace(p, health=h, since=since, deadline=deadline)


def _block_time(receipt) -> int:
    return ape.chain.blocks[receipt.block_number].timestamp


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=scenarios())
def test_contract_follows_the_reference_model(world, repo, case):
    price0, terms, tenor, steps = case
    world.publish(price0, confirm_held=True)
    now = world.now()
    rid = world.open(start=now, maturity=now + tenor, **terms)
    model = position(repo, rid)  # terms as stored; from here on the model moves by itself
    assert model.status == Status.ACTIVE and model.health == Health.HEALTHY
    price = price0
    for dt, move, action, size in steps:
        if dt:
            world.advance(dt)
        price = min(max(price * (100 + move) // 100, CNY), 1000 * CNY)
        world.publish(price)
        if action == "top-up":
            r = repo.topUp(rid, model.quantity * size // 100 + 1, world.ref(), sender=world.custodian)
            model = _model_at(replace(model, quantity=model.quantity + model.quantity * size // 100 + 1), price,
                              _block_time(r))
        elif action == "repay" and model.principal > 1:
            amount = max(1, model.principal * size // 100)
            amount = min(amount, model.principal - 1)
            r = repo.repay(rid, amount, world.ref(), sender=world.financier)
            model = _model_at(after_repay(model, amount, _block_time(r)), price, _block_time(r))
        # the view, at whatever time the node evaluates calls (recovered from the price's age)
        v = repo.ratio(rid)
        t_view = int(world.feed.getRound(world.feed.latestRoundId()).observedAt) + int(v.age)
        ratio, implied, _, deadline = evaluate(model, price, t_view)
        assert v.unavailable == 0 and v.price == price
        assert v.amountDue == amount_due(model, t_view) and v.ratioBps == ratio
        assert Health(v.implied) == implied and v.deadline == deadline
        # the transition
        r = repo.check([rid], sender=world.counterparty)
        model = _model_at(model, price, _block_time(r))
        chain_now = position(repo, rid)
        assert (chain_now.health, chain_now.since, chain_now.deadline) == (model.health, model.since, model.deadline)
        assert (chain_now.quantity, chain_now.principal, chain_now.interest_num, chain_now.accrual_day) == (
            model.quantity, model.principal, model.interest_num, model.accrual_day)
