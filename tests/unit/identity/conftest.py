"""Fixtures shared by the identity tests."""

import pytest


@pytest.fixture(scope="module")
def tir(project, admin):
    """A fresh TrustedIssuerRegistry per module, governed by admin."""
    return admin.deploy(project.TrustedIssuerRegistry, admin)


@pytest.fixture(scope="session")
def broker(accounts):
    return accounts[2]
