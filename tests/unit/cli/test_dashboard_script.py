"""ape run dashboard: indexing from the deployments file, resuming, and one-line errors."""

import sqlite3

from carbonchain.core.hashing import Algorithm
from carbonchain.deploy import deploy_all
from tests.utils.docs import make_digest
from tests.utils.scripts import one_line_error, run


def test_index_without_a_deployment_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "none"))
    res = run("dashboard", "index", "--db", tmp_path / "x.sqlite")
    one_line_error(res, "nothing deployed", "ape run deploy")


def test_index_then_catch_up(tmp_path, monkeypatch, accounts):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    dep = deploy_all(accounts[0], contracts=["DocumentRegistry"]).deployment
    db = tmp_path / "index.sqlite"
    res = run("dashboard", "index", "--db", db)
    assert res.exit_code == 0 and "indexed afresh (new index)" in res.output, res.output
    from carbonchain.core.deployments import contract

    contract("DocumentRegistry").anchor(make_digest("late"), int(Algorithm.SHA256), b"\x00" * 32, [],
                                        sender=accounts[1])
    res = run("dashboard", "index", "--db", db)
    assert res.exit_code == 0 and "afresh" not in res.output and ": 1 new events" in res.output, res.output
    rows = sqlite3.connect(db).execute("SELECT block FROM notary_documents").fetchall()
    assert len(rows) == 1 and rows[0][0] > dep.block
