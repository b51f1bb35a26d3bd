"""Fixtures of the offset tests: the real RetirementRegistry, NeutralityProgramme and
TrustedIssuerRegistry, with a carbon desk (retirer), an enterprise, a verifier and a certifier."""

import pytest

from tests.utils.offset import retirement_input, find_hint


def deploy_trusted_issuers(project, admin):
    """The TrustedIssuerRegistry governed by admin (whatever its constructor's current shape)."""
    container = project.TrustedIssuerRegistry
    arity = len(container.contract_type.constructor.inputs)
    args = {1: (admin,), 2: (0, admin), 3: (0, admin, admin)}[arity]
    return admin.deploy(container, *args)


@pytest.fixture(scope="session")
def desk(accounts):
    """The securities firm's carbon desk: retires credits for clients."""
    return accounts[6]


@pytest.fixture(scope="session")
def enterprise(accounts):
    return accounts[7]


@pytest.fixture(scope="session")
def verifier(accounts):
    return accounts[8]


@pytest.fixture(scope="session")
def certifier(accounts):
    return accounts[9]


@pytest.fixture(scope="module")
def retirements(project, admin, desk):
    return admin.deploy(project.RetirementRegistry, 0, admin, desk, admin)


@pytest.fixture(scope="module")
def trusted_issuers(project, admin):
    return deploy_trusted_issuers(project, admin)


@pytest.fixture(scope="module")
def programmes(project, admin, retirements, trusted_issuers, certifier):
    return admin.deploy(project.NeutralityProgramme, 0, admin, certifier, admin, retirements, trusted_issuers)


@pytest.fixture
def retire(retirements, desk, enterprise):
    """retire(first, last, **input) with the hint found on chain; returns the receipt."""

    def go(first, last, *, hint=None, sender=None, **kw):
        kw.setdefault("beneficiary", enterprise.address)
        data = retirement_input(first, last, **kw)
        if hint is None:
            hint = find_hint(retirements, data[0], kw.get("project", "1529"), data[2], first)
        return retirements.retire(data, hint, sender=sender or desk)

    return go
