"""The scenario runner: validation before anything runs (file, line, field), the shipped schema,
the template, verdicts with expected/actual/step/transaction, isolation, JUnit and HTML."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from carbonchain.scenario import ScenarioError, parse, run_scenario
from carbonchain.scenario.model import schema_path, schema_text
from carbonchain.scenario.report import html_report, junit_xml
from carbonchain.scenario.template import new_scenario

ORACLE = """\
scenario: tiny
title: tiny
personas: [opA, opB, opC, risk]
setup:
  - markets: {codes: [CEA], operators: [opA, opB, opC], quorum: 3, risk: risk}
timeline:
  - day: 1
    quote: {market: CEA, price: 70, by: [opA, opB, opC]}
  - price: {market: CEA, is: %s}
  - quote: {market: CEA, prices: {opA: 0.5}}
    expect_revert: %s
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse(path)
    return e.value.problems


def test_the_shipped_schema_is_the_composed_one():
    assert schema_path().read_text() == schema_text(), "run `ape run scenario schema`"


def test_a_misspelt_field_names_file_line_and_a_suggestion(tmp_path):
    p = write(tmp_path, ORACLE.replace("expect_revert", "expct_revert") % ("70", "X"))
    (msg,) = problems(p)
    assert msg == f"{p}:11: timeline[2].expct_revert: unknown field 'expct_revert' in this step (did you mean 'expect_revert'?)"


def test_a_wrong_value_names_the_field(tmp_path):
    p = write(tmp_path, ORACLE.replace("market: CEA, is", "market: cea, is") % ("70", "X"))
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:9: timeline[1].price.market: 'cea' does not match")


def test_unknown_persona_time_going_back_and_an_action_among_expectations(tmp_path):
    text = (ORACLE % ("70", "X")).replace("by: [opA, opB, opC]", "by: [opA, opZ, opC]") + \
        "  - day: 0.5\n    advance: 1\nexpect:\n  - advance: 1\n"
    got = problems(write(tmp_path, text))
    assert any(":8: timeline[0].quote.by[1]: unknown persona 'opZ'" in m for m in got)
    assert any(":12: timeline[3].day: day 0.5 is before day 1" in m for m in got)
    assert any(":15: expect[0].advance: 'advance' is an action" in m for m in got)


def test_duplicate_keys_and_bad_yaml_are_refused(tmp_path):
    (msg,) = problems(write(tmp_path, "scenario: a\nscenario: b\ntitle: t\ntimeline: []\n"))
    assert msg.endswith(":2: scenario: duplicate key")
    (msg,) = problems(write(tmp_path, "scenario: [a\n", "bad.yaml"))
    assert "bad.yaml:2: not valid YAML" in msg


def test_the_template_is_a_valid_scenario(tmp_path):
    scn = parse(new_scenario("my-story", tmp_path))
    assert scn.name == "my-story" and scn.steps


def test_a_run_reports_expected_actual_step_and_tx_and_leaves_the_chain_as_it_was(tmp_path, chain):
    scn = parse(write(tmp_path, ORACLE % ("71", "CarbonPriceFeedRoundClosed")))
    head = chain.blocks.head.number
    r = run_scenario(scn)
    assert chain.blocks.head.number == head
    assert not r.passed and r.failure is None
    bad = {o.name: o for o in r.failed_outcomes}
    price = bad["CEA price"]
    assert (str(price.expected), str(price.actual), price.line) == ("71", "70", 9)
    assert price.step == "timeline[1] price" and price.tx.startswith("0x")
    revert = bad["refused with CarbonPriceFeedRoundClosed"]
    assert revert.actual == "CarbonPriceFeedPriceOutOfBounds"
    assert f"{scn.path}:9: timeline[1] price: CEA price: expected 71, got 70" in r.summary()
    suite = ET.parse(junit_xml([r], tmp_path / "j.xml")).getroot().find("testsuite")
    assert suite.get("failures") == "1" and "expected 71, got 70" in suite.find("testcase/failure").text
    page = html_report([r], network="test", path=tmp_path / "r.html").read_text()
    assert "<svg" in page and "CEA price path" in page and "FAIL" in page


def test_a_passing_run(tmp_path):
    r = run_scenario(parse(write(tmp_path, ORACLE % ("70", "CarbonPriceFeedPriceOutOfBounds"))))
    assert r.passed, r.summary()
    assert r.txs >= 4 and [e["event"] for e in r.events].count("RoundPublished") == 1


def test_an_unexpected_revert_stops_the_scenario_with_the_decoded_error(tmp_path):
    text = (ORACLE % ("70", "X")).replace("    expect_revert: X\n", "")
    r = run_scenario(parse(write(tmp_path, text)))
    assert r.failure is not None and r.failure.step == "timeline[2] quote"
    assert "CarbonPriceFeedPriceOutOfBounds" in r.failure.message
