"""Property: after any sequence of accreditations, suspensions, reinstatements and withdrawals at
increasing times, wasTrusted(t) for every moment equals a plain-Python replay of the history."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carbonchain.identity import bytes32_text

T = bytes32_text("CarbonVerifier")
OPS = st.lists(
    st.tuples(st.sampled_from(["accredit", "suspend", "reinstate", "withdraw"]),
              st.integers(1, 3 * 86400),  # wait before the step
              st.integers(-86400, 86400), st.integers(3600, 5 * 86400)),  # validFrom offset, duration
    min_size=1, max_size=8,
)


def model_trusted(entries, t):
    current = None
    for e in entries:
        if e["at"] <= t:
            current = e
    return bool(current and current["status"] == "Active" and current["from"] <= t < current["until"])


@pytest.fixture(scope="module")
def deploy_tir(project, admin):
    return lambda: admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_history_replay_matches(deploy_tir, admin, accounts, chain, ops):
    tir = deploy_tir()
    issuer = accounts[5]
    entries = []
    moments = []
    for op, wait, offset, duration in ops:
        chain.pending_timestamp = chain.pending_timestamp + wait
        now = chain.pending_timestamp
        last = entries[-1] if entries else None
        status = last["status"] if last else None
        if op == "accredit":
            start, end = now + offset, now + offset + duration
            if end <= now:
                continue
            tir.accredit(issuer, T, start, end, False, sender=admin)
            entries.append({"at": now, "status": "Active", "from": start, "until": end})
        elif op == "suspend" and status == "Active":
            tir.suspend(issuer, T, 1, sender=admin)
            entries.append({**last, "at": now, "status": "Suspended"})
        elif op == "reinstate" and status == "Suspended":
            tir.reinstate(issuer, T, sender=admin)
            entries.append({**last, "at": now, "status": "Active"})
        elif op == "withdraw" and status in ("Active", "Suspended"):
            tir.withdraw(issuer, T, 2, sender=admin)
            entries.append({**last, "at": now, "status": "Withdrawn"})
        else:
            continue
        moments += [now - 1, now, now + 1, now + offset, now + offset + duration]
    for t in moments:
        if t >= 0:
            assert tir.wasTrusted(issuer, T, t) == model_trusted(entries, t), (t, entries)
