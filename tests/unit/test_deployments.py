"""The deployer and the deployments file: reuse, --fresh, and never a stale address."""

import json

import pytest

from carbonchain.deploy import CONTRACTS, deploy_all
from carbonchain.deployments import Deployment, contract, current
from carbonchain.errors import CarbonChainError


@pytest.fixture(autouse=True)
def deployments_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CARBONCHAIN_DEPLOYMENTS", str(tmp_path))
    return tmp_path


def test_first_deploy_writes_file(admin, chain, deployments_dir):
    result = deploy_all(admin)
    assert result.deployed == [c.name for c in CONTRACTS] and result.reused == []
    data = json.loads((deployments_dir / f"{chain.chain_id}.json").read_text())
    assert data["chain_id"] == chain.chain_id
    assert set(data["contracts"]) == {"DocumentRegistry"}
    assert data["block"] == chain.blocks.head.number
    assert data["artifacts"]["DocumentRegistry"].startswith("0x")
    registry = contract("DocumentRegistry")
    assert registry.hasRole(registry.REGISTRY_ADMIN_ROLE(), admin)


def test_rerun_reuses_and_fresh_redeploys(admin):
    first = deploy_all(admin).deployment
    again = deploy_all(admin)
    assert again.reused == ["DocumentRegistry"] and again.deployed == []
    assert again.deployment.contracts == first.contracts and again.deployment.block == first.block
    fresh = deploy_all(admin, fresh=True)
    assert fresh.deployed == ["DocumentRegistry"]
    assert fresh.deployment.contracts["DocumentRegistry"] != first.contracts["DocumentRegistry"]


def test_admin_can_differ_from_deployer(admin, manager):
    deploy_all(admin, admin=manager.address)
    registry = contract("DocumentRegistry")
    assert registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), manager)
    assert not registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin)


def test_address_without_code_means_redeploy(admin, chain):
    dep = deploy_all(admin).deployment
    dep.contracts["DocumentRegistry"] = "0x" + "42" * 20  # what a restarted node looks like
    dep.save()
    with pytest.raises(CarbonChainError, match="gone or outdated"):
        contract("DocumentRegistry")
    result = deploy_all(admin)
    assert result.deployed == ["DocumentRegistry"]
    assert contract("DocumentRegistry").address != "0x" + "42" * 20


def test_changed_artifact_means_redeploy(admin):
    dep = deploy_all(admin).deployment
    dep.artifacts["DocumentRegistry"] = "0x" + "00" * 32  # built from other source
    dep.save()
    assert deploy_all(admin).deployed == ["DocumentRegistry"]


def test_nothing_deployed_is_a_clear_error(chain):
    with pytest.raises(CarbonChainError, match="nothing deployed"):
        current()


def test_corrupt_file_is_a_clear_error(chain, deployments_dir):
    (deployments_dir / f"{chain.chain_id}.json").write_text("{not json")
    with pytest.raises(CarbonChainError, match="not a valid deployments file"):
        Deployment.load(chain.chain_id)
