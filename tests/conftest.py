"""Personas and factories shared by every test (yearn-vaults-v3 style).

The bulk runs on Ape's in-process provider; `make test` runs tests/e2e again on anvil.
Ape snapshots the chain around each test, so module-scoped deployments start clean every time.
"""

import pytest

from carbonchain.notary import Notary
from tests.utils.docs import make_digest


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def manager(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def custodian(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def investor(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def platform(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def outsider(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def deploy_registry(project, admin):
    def deploy(owner=None):
        return (owner or admin).deploy(project.DocumentRegistry, 0, (owner or admin).address, (owner or admin).address)

    return deploy


@pytest.fixture(scope="module")
def registry(deploy_registry):
    return deploy_registry()


@pytest.fixture(scope="module")
def notary(registry):
    return Notary(registry)


@pytest.fixture(scope="module")
def tir(project, admin):
    """A fresh TrustedIssuerRegistry per module, governed by admin (identity and fund tests)."""
    return admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)


@pytest.fixture
def digest():
    """Factory of distinct, reproducible 32-byte digests: digest("fund-contract")."""
    return make_digest


@pytest.fixture(scope="session")
def make_wallet(project):
    def make(owner):
        return owner.deploy(project.TestSmartWallet, owner.address)

    return make


@pytest.fixture(scope="session", autouse=True)
def _gas_policy(chain):
    """Tests send with the scripts' gas headroom wherever Ape estimates (a Hardhat or Besu node:
    issue 16, bug 1); the dev chains send the block gas limit and are left alone."""
    from carbonchain.core.network import apply_gas_policy

    apply_gas_policy(chain.provider)
