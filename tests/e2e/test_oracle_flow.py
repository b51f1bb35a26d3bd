"""E2E: four operators push the sample quotes through the feed logic (an outlier, an offline
operator, a move beyond the exchange's limit); consumers read the right medians. Runs on the
in-process provider and again on anvil (`make test`)."""

from carbonchain.oracle.markets import to_price
from carbonchain.oracle.quotes import CsvSource, latest_quotes
from carbonchain.oracle.scenario import fresh_feeds, oracle_scenario, sample_dir


def test_oracle_scenario_bad_quotes_never_reach_consumers(accounts):
    ops = [accounts[i] for i in (6, 7, 8, 9)]
    feeds = fresh_feeds(accounts[0], ops, quorum=3)
    checks = oracle_scenario(feeds, ops, accounts[0], log=lambda _m: None)
    assert [(c.name, c.got) for c in checks if not c.ok] == []
    names = {c.name for c in checks}
    assert {"each operator's own checks refuse its bad quote (band, bounds)", "CEA waits for a third honest quote",
            "CEA median from the honest operators once D is back", "HBEA consumers still read the day D-1 price",
            "restarted operator submits nothing twice"} <= names
    # what consumers read, straight from the contracts
    ref = CsvSource(sample_dir() / "reference.csv").quotes()
    days = sorted({q.observed_at for q in ref})
    last, before = latest_quotes(ref), latest_quotes(ref, days[-2])
    assert feeds["CEA"].contract.latestRoundData()[1] == last["CEA"].price < to_price("400")
    assert feeds["HBEA"].contract.latestRoundData()[1] == before["HBEA"].price
    assert feeds["CEA"].contract.latestRoundData()[3] == last["CEA"].observed_at  # honest updatedAt
