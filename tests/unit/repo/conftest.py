"""A repo world per module from real parts (see carbonchain.repo.local)."""

import pytest

from carbonchain.repo.local import RepoWorld


@pytest.fixture(scope="module")
def world(accounts, project):
    w = RepoWorld.build(accounts, project)
    w.publish("80")
    return w


@pytest.fixture(scope="module")
def repo(world):
    return world.repo


@pytest.fixture(scope="module")
def base_terms(world):
    """One valid set of terms (signed contract, valid credential) to vary in rejection tests."""
    return world.terms()
