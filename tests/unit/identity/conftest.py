"""Fixtures shared by the identity tests."""

import pytest


@pytest.fixture(scope="session")
def broker(accounts):
    return accounts[2]
