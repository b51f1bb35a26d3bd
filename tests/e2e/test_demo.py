"""E2E: the demo that `make demo` runs, with a small batch; every one of its checks must pass."""

from carbonchain.demo import assert_all_ok, run


def test_demo_scenario(accounts, tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    steps = run(tmp_path / "out", accounts=list(accounts[:4]), batch_size=25, log=lambda _m: None)
    assert_all_ok(steps)
    assert [s.got for s in steps] == [
        "Registered", "VALID", "SUPERSEDED", "VALID", "25 documents", "VALID", "NOT_ANCHORED", "MISMATCH",
    ]
    (run_dir,) = (tmp_path / "out").iterdir()
    reports = sorted(p.name for p in (run_dir / "reports").iterdir())
    assert "fund-contract.evidence.html" in reports and "fund-contract-tampered.evidence.html" in reports
    assert (run_dir / "batch-proofs.json").is_file() and (run_dir / "investor-signature.json").is_file()
