"""A transaction that would revert is checked with a call first: the rejection costs nothing (no
transaction is mined, the sender's nonce and balance do not move) and says why (the custom error)."""

import ape
import pytest

from carbonchain.core.errors import describe
from carbonchain.core.network import connect

ZERO = b"\x00" * 32


@pytest.fixture(scope="module")
def registry(project, accounts):
    return accounts[0].deploy(project.DocumentRegistry, 0, accounts[0].address, accounts[0].address)


def test_rejected_transaction_is_not_sent(registry, accounts, chain):
    sender = accounts[1]
    with connect():
        nonce, balance, height = sender.nonce, sender.balance, chain.blocks.height
        with ape.reverts(registry.DocumentRegistryZeroDigest) as info:
            registry.anchor(ZERO, 1, ZERO, [], sender=sender)
        assert (sender.nonce, sender.balance, chain.blocks.height) == (nonce, balance, height)
    assert "DocumentRegistryZeroDigest" in describe(info.value) and "the digest is zero" in describe(info.value)


def test_accepted_transaction_still_sent(registry, accounts):
    sender = accounts[1]
    with connect():
        nonce = sender.nonce
        registry.anchor(b"\x01" * 32, 1, ZERO, [], sender=sender)
        assert sender.nonce == nonce + 1


def test_check_runs_as_the_sender(registry, accounts):
    digest = b"\x02" * 32
    with connect():
        registry.anchor(digest, 1, ZERO, [], sender=accounts[1])
        nonce = accounts[2].nonce
        with ape.reverts(registry.DocumentRegistryUnauthorized):
            registry.revoke(accounts[1], digest, 1, 1, sender=accounts[2])
        assert accounts[2].nonce == nonce
        registry.revoke(accounts[1], digest, 1, 1, sender=accounts[1])  # the anchorer may: the check saw who sends
