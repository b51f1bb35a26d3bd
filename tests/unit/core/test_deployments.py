"""The deployer and the deployments file: reuse, --fresh, and never a stale address."""

import json

import pytest

from carbonchain.deploy import CONTRACTS, deploy_all
from carbonchain.core.deployments import Deployment, contract, current
from carbonchain.core.errors import CarbonChainError
from carbonchain.oracle.markets import DEFAULT_MARKETS, market_code

NAMES = [c.name for c in CONTRACTS]


@pytest.fixture(autouse=True)
def deployments_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path))
    return tmp_path


def test_first_deploy_writes_file(admin, chain, deployments_dir):
    before = chain.blocks.head.number
    result = deploy_all(admin)
    assert result.deployed == [c.name for c in CONTRACTS] and result.reused == []
    assert result.feeds_deployed == [m.code for m in DEFAULT_MARKETS]
    data = json.loads((deployments_dir / f"{chain.chain_id}.json").read_text())
    assert data["chain_id"] == chain.chain_id
    assert set(data["contracts"]) == set(NAMES)
    assert set(data["price_feeds"]) == {m.code for m in DEFAULT_MARKETS}
    markets = contract("MarketRegistry")
    for code, address in data["price_feeds"].items():
        assert markets.feedOf(market_code(code)) == address
    assert data["block"] == before + 1  # the first deployment transaction: constructors' events included
    assert data["artifacts"]["DocumentRegistry"].startswith("0x")
    registry = contract("DocumentRegistry")
    assert registry.hasRole(registry.REGISTRY_ADMIN_ROLE(), admin)
    assert contract("CredentialRegistry").trustedIssuers() == data["contracts"]["TrustedIssuerRegistry"]
    programme = contract("NeutralityProgramme")
    assert programme.retirements() == data["contracts"]["RetirementRegistry"]
    assert programme.trustedIssuers() == data["contracts"]["TrustedIssuerRegistry"]


def test_rerun_reuses_and_fresh_redeploys(admin):
    first = deploy_all(admin).deployment
    again = deploy_all(admin)
    assert again.reused == NAMES and again.deployed == []
    assert again.feeds_deployed == []
    assert again.deployment.contracts == first.contracts and again.deployment.block == first.block
    assert again.deployment.price_feeds == first.price_feeds
    fresh = deploy_all(admin, fresh=True)
    assert fresh.deployed == NAMES
    assert fresh.deployment.contracts["DocumentRegistry"] != first.contracts["DocumentRegistry"]


def test_admin_can_differ_from_deployer(admin, manager):
    dep = deploy_all(admin, admin=manager.address).deployment
    for name in ("DocumentRegistry", "TrustedIssuerRegistry", "CredentialRegistry", "MarketRegistry"):
        c = contract(name)
        assert c.hasRole(c.DEFAULT_ADMIN_ROLE(), manager) and not c.hasRole(c.DEFAULT_ADMIN_ROLE(), admin)
    markets = contract("MarketRegistry")
    assert markets.hasRole(markets.MARKET_ADMIN_ROLE(), manager) and not markets.hasRole(markets.MARKET_ADMIN_ROLE(), admin)
    from ape import project

    feed = project.CarbonPriceFeed.at(dep.price_feeds["CEA"])
    assert feed.hasRole(feed.FEED_ADMIN_ROLE(), manager) and not feed.hasRole(feed.FEED_ADMIN_ROLE(), admin)


def test_address_without_code_means_redeploy(admin, chain):
    """...and every contract whose constructor takes the redeployed one's address is redeployed
    too (RepoManager and FundSubscriptions take the DocumentRegistry): never reused pointing at the old one."""
    dep = deploy_all(admin).deployment
    dep.contracts["DocumentRegistry"] = "0x" + "42" * 20  # what a restarted node looks like
    dep.save()
    with pytest.raises(CarbonChainError, match="gone or outdated"):
        contract("DocumentRegistry")
    result = deploy_all(admin)
    assert result.deployed == ["DocumentRegistry", "RepoManager", "FundSubscriptions"]
    assert result.reused == [n for n in NAMES if n not in result.deployed]
    assert contract("DocumentRegistry").address != "0x" + "42" * 20
    assert contract("FundSubscriptions").documents() == contract("DocumentRegistry").address
    assert contract("RepoManager").documents() == contract("DocumentRegistry").address


def test_other_contract_at_the_same_address_means_redeploy(admin, project):
    """A restarted node replays deployments in another order: the recorded address may hold
    another contract. Its code hash gives it away."""
    dep = deploy_all(admin).deployment
    did_address = dep.contracts["DIDRegistry"]
    dep.contracts["MarketRegistry"] = did_address  # as if MarketRegistry had lived there before
    dep.save()
    with pytest.raises(CarbonChainError, match="gone or outdated"):
        contract("MarketRegistry")
    result = deploy_all(admin)
    assert "MarketRegistry" in result.deployed
    assert result.deployment.contracts["MarketRegistry"] != did_address


def test_changed_artifact_means_redeploy(admin):
    dep = deploy_all(admin).deployment
    dep.artifacts["DocumentRegistry"] = "0x" + "00" * 32  # built from other source
    dep.save()
    assert deploy_all(admin).deployed == ["DocumentRegistry", "RepoManager", "FundSubscriptions"]  # and its dependants


def test_gone_feed_is_redeployed_and_re_registered(admin):
    dep = deploy_all(admin).deployment
    dep.price_feeds["HBEA"] = "0x" + "43" * 20
    dep.save()
    result = deploy_all(admin)
    assert result.feeds_deployed == ["HBEA"] and result.deployed == []
    assert contract("MarketRegistry").feedOf(market_code("HBEA")) == result.deployment.price_feeds["HBEA"]


def test_nothing_deployed_is_a_clear_error(chain):
    with pytest.raises(CarbonChainError, match="nothing deployed"):
        current()


def test_corrupt_file_is_a_clear_error(chain, deployments_dir):
    (deployments_dir / f"{chain.chain_id}.json").write_text("{not json")
    with pytest.raises(CarbonChainError, match="not a valid deployments file"):
        Deployment.load(chain.chain_id)


def test_repo_roles_go_to_test_accounts_on_local_chains(admin, accounts):
    deploy_all(admin)
    repo = contract("RepoManager")
    assert repo.hasRole(repo.FINANCIER_ROLE(), accounts[4]) and repo.hasRole(repo.CUSTODIAN_ROLE(), accounts[1])
    assert repo.hasRole(repo.RISK_ROLE(), accounts[10]) and repo.hasRole(repo.RISK_ROLE(), accounts[15])
    assert repo.documents() == contract("DocumentRegistry").address
    assert repo.markets() == contract("MarketRegistry").address and repo.defaultAdminDelay() == 0
