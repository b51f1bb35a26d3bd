"""E2E: three operators push the sample quotes through the feed logic (an outlier, an offline
operator, a wild jump held for the risk officer); consumers read the right medians. Runs on the
in-process provider and again on anvil (`make test`)."""

import pytest

from carbonchain.deploy import deploy_all
from carbonchain.scenarios import oracle_scenario


@pytest.fixture
def deployed(accounts, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path))
    ops = [accounts[i] for i in (6, 7, 8, 9)]
    deploy_all(accounts[0], operators=[o.address for o in ops], quorum=3)
    return ops


def test_oracle_scenario(deployed, accounts):
    checks = oracle_scenario(deployed, accounts[0], log=lambda _m: None)
    failed = [(c.name, c.expected, c.got) for c in checks if not c.ok]
    assert not failed
    assert len(checks) >= 10
