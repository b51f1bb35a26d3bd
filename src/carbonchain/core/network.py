"""Which network scripts run on, and which account sends.

The default is a local anvil node through ape-foundry: Ape connects to one already listening on
127.0.0.1:8545 (``make node``) or starts one for the duration of the command. Where no anvil is
installed, Ape's in-process provider (py-evm) is the fallback.
"""

from __future__ import annotations

import contextlib
import shutil
from typing import Iterator

LOCAL_ANVIL = "ethereum:local:foundry"
IN_PROCESS = "ethereum:local:test"


def default_network() -> str:
    return LOCAL_ANVIL if shutil.which("anvil") else IN_PROCESS


_connected_here: list[bool] = []


@contextlib.contextmanager
def connect(network: str | None = None) -> Iterator[object]:
    """Connects to ``network`` (or the default) unless a provider is already connected
    (in ``ape console``, ``ape test`` or a caller's own ``connect``)."""
    from ape import networks

    if networks.active_provider is not None and networks.active_provider.is_connected and network is None:
        _connected_here.append(False)
        try:
            yield networks.active_provider
        finally:
            _connected_here.pop()
        return
    with networks.parse_network_choice(network or default_network()) as provider:
        _connected_here.append(True)
        try:
            yield provider
        finally:
            _connected_here.pop()


def is_ephemeral(provider: object) -> bool:
    """True when the chain dies when the current :func:`connect` block ends: it connected by
    itself and the chain is in-process (py-evm) or a node Ape started for this process."""
    if not (_connected_here and _connected_here[-1]):
        return False
    if getattr(provider, "name", "") == "test":
        return True
    return getattr(provider, "process", None) is not None


def get_account(spec: str | None = None, index: int = 0):
    """The sending account: ``None`` -> test account ``index``; ``test:N`` -> test account N; a
    persona name (``manager``, ``broker``... see :mod:`carbonchain.core.personas`) -> its test
    account, unless an Ape account alias of that name exists; anything else -> the Ape account
    alias (``ape accounts import ...``)."""
    from ape import accounts

    from .personas import persona_index

    if spec is None:
        return accounts.test_accounts[index]
    if spec.startswith("test:"):
        return accounts.test_accounts[int(spec.split(":", 1)[1])]
    persona = persona_index(spec)
    if persona is not None and spec not in set(accounts.aliases):
        return accounts.test_accounts[persona]
    if spec.startswith("0x") and len(spec) == 42:
        for acct in accounts.test_accounts:
            if acct.address.lower() == spec.lower():
                return acct
    return accounts.load(spec)
