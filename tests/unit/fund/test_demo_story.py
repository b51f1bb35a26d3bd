"""The demo's subscription act (`make demo`) on the project's deployment: every one of its checks
passes. Here rather than in tests/e2e so that it runs once (in-process), not again on anvil."""

import pytest

from carbonchain.core.story import assert_all_ok
from carbonchain.deploy import deploy_all
from carbonchain.fund import Funds
from carbonchain.fund.scenario import fund_scenario
from carbonchain.identity import Credentials
from tests.utils.fund import FUND_STACK


@pytest.fixture
def world(accounts, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    deploy_all(accounts[0], contracts=FUND_STACK)
    return Funds.deployed(), Credentials.deployed()


def test_subscription_story(world, accounts, tmp_path):
    funds, creds = world
    people = dict(gov=accounts[0], manager=accounts[0], custodian=accounts[1], investor=accounts[2],
                  broker=accounts[12])
    checks = fund_scenario(funds, creds, people, tmp_path, log=lambda _m: None)
    assert_all_ok(checks, "fund story")
    assert len(checks) == 11
