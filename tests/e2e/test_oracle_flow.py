"""E2E: three operators push the sample quotes through the feed logic (an outlier, an offline
operator, a wild jump held for the risk officer); consumers read the right medians. Runs on the
in-process provider and again on anvil (`make test`)."""

from carbonchain.oracle.scenario import fresh_feeds, oracle_scenario


def test_oracle_scenario(accounts):
    ops = [accounts[i] for i in (6, 7, 8, 9)]
    feeds = fresh_feeds(accounts[0], ops, quorum=3)
    checks = oracle_scenario(feeds, ops, accounts[0], log=lambda _m: None)
    failed = [(c.name, c.expected, c.got) for c in checks if not c.ok]
    assert not failed
    assert len(checks) >= 10
