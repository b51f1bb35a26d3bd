"""End to end: an enterprise's carbon neutrality from demand to a certificate anyone can re-check,
on real contracts (DocumentRegistry, TrustedIssuerRegistry, RetirementRegistry, NeutralityProgramme),
with a double-counting attempt and a correction on the way (the story `make demo` plays)."""

from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.notary import Notary
from carbonchain.offset import Programmes, Retirements, Status
from carbonchain.offset.scenario import neutrality_story
from tests.unit.offset.conftest import deploy_trusted_issuers


def test_neutrality_from_demand_to_certificate(project, accounts, tmp_path):
    gov, desk, certifier, enterprise, verifier = (accounts[i] for i in (0, 6, 9, 7, 8))
    registry = gov.deploy(project.RetirementRegistry, 0, gov, desk, desk)
    trusted = deploy_trusted_issuers(project, gov)
    programme = gov.deploy(project.NeutralityProgramme, 0, gov, certifier, desk, registry, trusted)
    notary = Notary(gov.deploy(project.DocumentRegistry, 0, gov, gov))
    progs = Programmes(programme, Retirements(registry))
    out = tmp_path / "run-1"
    people = dict(governance=gov, desk=desk, certifier=certifier, enterprise=enterprise, verifier=verifier)
    checks, cert = neutrality_story(progs, notary, trusted, out, people=people, log=lambda _m: None)
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]
    assert len(checks) >= 9
    p = progs.show(1)
    assert p.status == Status.CERTIFIED and p.certificate_digest == digest_file(cert, Algorithm.SHA256)
    assert notary.is_anchored(p.certificate_digest, Algorithm.SHA256)
    assert p.retired == p.emissions == 1300 and len([r for r in p.retirements if r.live]) == 3
    # Every retirement counts once: each standing record is attributed to this programme only.
    for r in p.retirements:
        assert programme.attributionOf(r.id) == (1, False)
    assert cert.name == "neutrality-certificate-1.html" and "Acme Tea Co. Ltd" in cert.read_text()


def test_demo_act_on_the_deployment(accounts, tmp_path, monkeypatch):
    """The act `make demo` plays, on the deployer's contracts: every check passes, twice in a row
    (fresh serials per run), and the act ends with the certificate's path."""
    from carbonchain.demo import ACTS, DemoContext
    from carbonchain.deploy import deploy_all
    from carbonchain.offset.scenario import neutrality_act

    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path / "deployments"))
    assert "neutrality" in [a.key for a in ACTS]
    for _ in range(2):
        lines = []
        ctx = DemoContext(out=tmp_path / "out", account=lambda i: accounts[i], log=lines.append, network="",
                          batch_size=1)
        checks = neutrality_act(ctx, deploy_all)
        assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]
        assert lines[-1].startswith("neutrality certificate: ") and lines[-1].endswith(".html")
        assert ctx.reports[-1].is_file() and str(ctx.reports[-1]) in lines[-1]
