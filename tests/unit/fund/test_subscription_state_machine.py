"""Property: any sequence of steps, waits and credential changes on a subscription does exactly what
a plain-Python model of the rules says: each step succeeds when the model allows it and otherwise
reverts with the error the model names."""

import itertools

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.docs import make_digest
from tests.utils.fund import DAY, MIN_FEN, SM3, signed_contract

ACTIONS = st.lists(
    st.tuples(st.sampled_from(["record", "contract", "pay", "pay_low", "withdraw", "refund", "revisit",
                               "suspend", "reinstate"]),
              st.sampled_from([1, 60, DAY // 2, DAY, 2 * DAY])),
    min_size=3, max_size=8,
)
_run = itertools.count()


def expected(m, action, now):
    """The model: None when the step succeeds, else the error's name (checks in the contract's order)."""
    stage, suspended, ends = m["stage"], m["suspended"], m["ends"]
    if action == "record":
        return "NotAwaitingRecording" if stage != "Opened" else ("CredentialSuspended" if suspended else None)
    if action == "contract":
        return "NotAwaitingContract" if stage != "Recorded" else ("CredentialSuspended" if suspended else None)
    if action in ("pay", "pay_low"):
        if stage != "Contracted":
            return "NotAwaitingPayment"
        if action == "pay_low":
            return "BelowMinimum"
        return "CredentialSuspended" if suspended else None
    if action == "withdraw":
        return "NotWithdrawable" if stage != "Paid" else ("CoolingOffOver" if now >= ends else None)
    if action == "refund":
        return "NotAwaitingRefund" if stage != "Withdrawn" else None
    if action == "revisit":
        if stage != "Paid":
            return "NotAwaitingReturnVisit"
        if now < ends:
            return "CoolingOffNotOver"
        return "CredentialSuspended" if suspended else None
    raise AssertionError(action)


NEXT = {"record": "Recorded", "contract": "Contracted", "pay": "Paid", "withdraw": "Withdrawn",
        "refund": "Refunded", "revisit": "Final"}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ACTIONS)
def test_steps_follow_the_model(subs, creds, registry, flow, manager, custodian, investor, broker, regulator,
                                chain, actions):
    tag = f"sm-{next(_run)}"
    sid = flow("Opened", tag=tag)
    cred = bytes(subs.trail(sid, sender=regulator).credential)
    contract = signed_contract(registry, "c-" + tag, manager, custodian, investor)
    calls = {
        "record": lambda: subs.recordSale(sid, make_digest("r"), sender=manager),
        "contract": lambda: subs.attachContract(sid, contract, SM3, sender=manager),
        "pay": lambda: subs.confirmPayment(sid, MIN_FEN, make_digest("b"), sender=custodian),
        "pay_low": lambda: subs.confirmPayment(sid, MIN_FEN - 1, make_digest("b"), sender=custodian),
        "withdraw": lambda: subs.withdraw(sid, sender=investor),
        "refund": lambda: subs.confirmRefund(sid, make_digest("f"), sender=custodian),
        "revisit": lambda: subs.confirmReturnVisit(sid, make_digest("v"), sender=manager),
    }
    m = {"stage": "Opened", "suspended": False, "ends": None}
    for action, wait in actions:
        now = chain.pending_timestamp + wait
        chain.pending_timestamp = now
        if action == "suspend":
            if not m["suspended"]:
                creds.suspend(cred, 1, sender=broker)
                m["suspended"] = True
            continue
        if action == "reinstate":
            if m["suspended"]:
                creds.reinstate(cred, sender=broker)
                m["suspended"] = False
            continue
        error = expected(m, action, now)
        if error is None:
            calls[action]()
            m["stage"] = NEXT[action]
            if action == "pay":
                m["ends"] = now + DAY
        else:
            with ape.reverts(getattr(subs, "FundSubscriptions" + error)):
                calls[action]()
        assert subs.stageOf(sid) == ["None", "Opened", "Recorded", "Contracted", "Paid", "Withdrawn", "Refunded",
                                     "Final"].index(m["stage"])
