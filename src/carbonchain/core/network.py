"""Which network scripts run on, which account sends, and the rules that differ off the dev chain.

Commands that read or write records use the persistent local node (``make node``): the URL in
``$APE_FOUNDRY_HOST``, else the one ``make node PORT=...`` wrote to ``.carbonchain-node`` while it
runs, else http://127.0.0.1:8545. When none answers they say so in one line instead of starting a
throwaway chain. The demo and the benchmarks run on a fresh chain of their own (``own_chain``).
Where no anvil is installed, Ape's in-process provider (py-evm) is the fallback.

Off the local dev chains (chain id 31337 / 1337), test accounts (publicly known keys) are refused:
``--account`` is required; and every estimated transaction gets headroom (:func:`apply_gas_policy`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import urllib.request
from typing import Any, Iterator

from .errors import CarbonChainError

LOCAL_ANVIL = "ethereum:local:foundry"
IN_PROCESS = "ethereum:local:test"
DEFAULT_NODE_URL = "http://127.0.0.1:8545"
#: Chains whose test accounts are the public test mnemonic's: anvil, Hardhat, Ape's in-process EVM.
LOCAL_CHAIN_IDS = frozenset({31337, 1337})
#: Headroom on every gas estimate where Ape estimates (any non-dev network): an estimate is taken
#: against the latest block, and a call whose cost depends on the block it lands in (the DID
#: registry's ``changed[identity] = block.number``) would otherwise run out of gas on a real node.
#: An explicit ``gas_limit: {auto: {multiplier: M}}`` for the network in ape-config.yaml wins.
SAFE_GAS_MULTIPLIER = 1.2
NODE_FILE = ".carbonchain-node"


def default_network() -> str:
    return LOCAL_ANVIL if shutil.which("anvil") else IN_PROCESS


def node_url() -> str:
    """Where the persistent local node listens (see the module docstring)."""
    if env := os.environ.get("APE_FOUNDRY_HOST"):
        if env != "auto":
            return env
    from .deployments import project_root

    marker = project_root() / NODE_FILE
    if marker.is_file() and (url := marker.read_text().strip()):
        return url
    return DEFAULT_NODE_URL


def node_answers(url: str, timeout: float = 2.0) -> bool:
    """True when a JSON-RPC node answers ``eth_chainId`` at ``url``."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as res:  # noqa: S310 - a local URL the user set
            return "result" in json.loads(res.read() or b"{}")
    except (OSError, ValueError):
        return False


_connected_here: list[bool] = []


@contextlib.contextmanager
def connect(network: str | None = None, *, own_chain: bool = False) -> Iterator[Any]:
    """Connects to ``network`` (or the default) unless a provider is already connected
    (in ``ape console``, ``ape test`` or a caller's own ``connect``).

    With no ``network``: ``own_chain`` starts a fresh anvil on a free port for this command (demo,
    benchmarks); otherwise the persistent local node, which must be running."""
    from ape import networks

    if networks.active_provider is not None and networks.active_provider.is_connected and network is None:
        _connected_here.append(False)
        try:
            with preflight(networks.active_provider):
                yield networks.active_provider
        finally:
            _connected_here.pop()
        return
    choice = network or default_network()
    saved = os.environ.get("APE_FOUNDRY_HOST")
    if network is None and choice == LOCAL_ANVIL:
        if own_chain:
            os.environ["APE_FOUNDRY_HOST"] = "auto"  # ape-foundry: a new anvil on a random free port
        else:
            url = node_url()
            if not node_answers(url):
                raise CarbonChainError(
                    f"no local node answers at {url}: start one with `make node` (it keeps its state), "
                    "or pass --network ethereum:local:test for a throwaway in-process chain"
                )
            os.environ["APE_FOUNDRY_HOST"] = url
    try:
        with networks.parse_network_choice(choice) as provider:
            apply_gas_policy(provider)
            _connected_here.append(True)
            try:
                with preflight(provider):
                    yield provider
            finally:
                _connected_here.pop()
    finally:
        if saved is None:
            os.environ.pop("APE_FOUNDRY_HOST", None)
        else:
            os.environ["APE_FOUNDRY_HOST"] = saved


@contextlib.contextmanager
def without_steps_tracing() -> Iterator[None]:
    """An anvil that Ape starts inside this block runs as ``make node`` runs it: without
    ``--steps-tracing``, which ape-foundry always adds and which makes anvil keep a copy of the stack
    and memory at every EVM step of every transaction (several times slower on heavy transactions;
    the repo benchmark saw it grow past 7 GB). Call traces (``debug_traceTransaction`` with the
    ``callTracer``, revert data included) are recorded either way; what needs the step traces is Ape's
    source-level view of a transaction (``receipt.show_trace()``, ``dev:`` messages, gas and coverage
    reports), which scenario runs and benchmarks do not use. A node already running is left as it is.
    Where ape-foundry is not installed this does nothing."""
    try:
        from ape_foundry.provider import FoundryProvider
    except ImportError:
        yield
        return
    original = FoundryProvider.build_command

    def build_command(self: Any) -> list[str]:
        return [arg for arg in original(self) if arg != "--steps-tracing"]

    FoundryProvider.build_command = build_command  # type: ignore[method-assign]
    try:
        yield
    finally:
        FoundryProvider.build_command = original  # type: ignore[method-assign]


def is_ephemeral(provider: object) -> bool:
    """True when the chain dies when the current :func:`connect` block ends: it connected by
    itself and the chain is in-process (py-evm) or a node Ape started for this process."""
    if not (_connected_here and _connected_here[-1]):
        return False
    if getattr(provider, "name", "") == "test":
        return True
    return getattr(provider, "process", None) is not None


def is_local_chain(provider: Any = None) -> bool:
    """True on a development chain whose test accounts' keys are public (see LOCAL_CHAIN_IDS)."""
    if provider is None:
        from ape import networks

        provider = networks.active_provider
    if provider is None:
        return False
    if getattr(provider.network, "name", "") == "local":
        return True
    return int(provider.chain_id) in LOCAL_CHAIN_IDS


def apply_gas_policy(provider: Any) -> float | None:
    """Gives every estimated transaction on ``provider``'s network SAFE_GAS_MULTIPLIER headroom,
    unless ape-config.yaml sets a multiplier for that network. Returns the multiplier in force,
    or None where Ape does not estimate (``gas_limit: max`` or a fixed limit: the local dev nodes).

    Also turns a ``gas_limit: {auto: {...}}`` mapping that Ape left unparsed (it does so for local
    and custom networks) into the setting it stands for."""
    from ape.types.gas import AutoGasLimit

    network = provider.network
    configured = network.config.get("gas_limit", "auto")
    if isinstance(configured, dict):
        limit = AutoGasLimit.model_validate(configured.get("auto") or {})
        explicit = "multiplier" in (configured.get("auto") or {})
    elif configured in (None, "auto"):
        limit, explicit = AutoGasLimit(), False
    elif isinstance(configured, AutoGasLimit):
        limit, explicit = configured, configured.multiplier != 1.0
    else:
        return None
    if not explicit:
        limit = AutoGasLimit(multiplier=SAFE_GAS_MULTIPLIER)
    # Both are cached properties of Ape's NetworkAPI: set what they would have computed.
    network.__dict__["gas_limit"] = limit
    network.__dict__["auto_gas_multiplier"] = limit.multiplier
    return limit.multiplier


@contextlib.contextmanager
def preflight(provider: Any) -> Iterator[None]:
    """While the block runs, every transaction ``provider`` prepares without estimating its gas is
    first tried with ``eth_call`` against the latest block: one that would revert raises the
    contract's custom error before anything is signed or sent, so a rejection costs nothing.

    Where Ape estimates gas (every non-dev network, see :func:`apply_gas_policy`) the estimate already
    runs the transaction and raises the same error; the local dev nodes skip the estimate (anvil
    through ape-foundry and the in-process EVM use ``gas_limit: max``) and would mine the failure.
    A transaction with a gas limit of its own (not the block's, which Ape fills in on the dev nodes)
    or ``raise_on_revert=False`` is left alone (pipelined sends whose state depends on earlier
    unmined ones)."""
    if getattr(provider, "__dict__", {}).get("prepare_transaction") is not None:
        yield  # already checking (a nested connect)
        return
    original = provider.prepare_transaction

    def prepare_transaction(txn: Any) -> Any:
        check = txn.raise_on_revert and txn.sender and txn.gas_limit in (None, provider.max_gas)
        txn = original(txn)
        if check and not _estimates(provider):
            provider.send_call(txn, skip_trace=True)
        return txn

    provider.__dict__["prepare_transaction"] = prepare_transaction
    try:
        yield
    finally:
        provider.__dict__.pop("prepare_transaction", None)


def _estimates(provider: Any) -> bool:
    """True when Ape estimates gas on ``provider``'s network (the estimate checks for reverts)."""
    from ape.types.gas import AutoGasLimit

    limit = provider.network.gas_limit
    return limit in (None, "auto") or isinstance(limit, AutoGasLimit)


def chain_time() -> int:
    """The chain's clock: the pending block's timestamp, the ``block.timestamp`` the contracts' own
    checks see. Validity windows are judged by it, never by this machine's wall clock, which a node
    may drift from (Hardhat after snapshots, validators with skewed clocks)."""
    from ape import chain

    return int(chain.pending_timestamp)


def set_chain_time(timestamp: int) -> None:
    """Dev chains only: moves the chain's clock to ``timestamp`` (a cooling-off or deadline passing)
    by mining one block at that time. Every read after it, views, ``eth_call`` pre-flights and gas
    estimates alike, sees ``timestamp`` on every dev node, and every later block is at or after it.

    Pinning only the next block's time is not enough: Hardhat's ``eth_call`` keeps reading the
    latest block's time until a block is mined, so a transaction's pre-flight saw the old clock.
    Ape's ``chain.mine(timestamp=...)`` where the provider implements it (py-evm, anvil); else the
    JSON-RPC ``evm_mine [timestamp]`` that Hardhat and anvil answer through Ape's generic `node`
    provider. A real network's clock cannot be moved: there this raises."""
    from ape import chain
    from ape.exceptions import APINotImplementedError

    try:
        chain.mine(1, timestamp=int(timestamp))
        return
    except APINotImplementedError:
        pass
    _dev_rpc("evm_mine", int(timestamp))


def set_next_block_time(timestamp: int) -> None:
    """Dev chains only: pins the next block's timestamp without mining, for a check that the very
    next transaction lands at exactly ``timestamp`` (one second before a deadline). Reads before that
    block may still see the old clock (Hardhat's ``eth_call`` does); to move the clock for
    everything, use :func:`set_chain_time`."""
    from ape import chain
    from ape.exceptions import APINotImplementedError

    try:
        chain.pending_timestamp = int(timestamp)
        return
    except APINotImplementedError:
        pass
    _dev_rpc("evm_setNextBlockTimestamp", int(timestamp))


def _dev_rpc(method: str, timestamp: int) -> None:
    from ape import chain

    try:
        chain.provider.make_request(method, [timestamp])
    except Exception as err:  # noqa: BLE001 - whatever the node says, the answer is the same
        raise CarbonChainError(f"this network's clock cannot be moved ({method}: {err})") from err


def get_account(spec: str | None = None, index: int = 0):
    """The sending account: ``None`` -> test account ``index``; ``test:N`` -> test account N; a
    persona name (``manager``, ``broker``... see :mod:`carbonchain.core.personas`) -> its test
    account, unless an Ape account alias of that name exists; a test account's address; anything
    else -> the Ape account alias (``ape accounts import ...``).

    Test accounts (and so personas) only on local dev chains: their keys are public, and on a
    consortium chain without gas fees whoever holds them would own what they deployed."""
    from ape import accounts

    from .personas import persona_index

    persona = persona_index(spec) if spec is not None else None
    if persona is not None and spec in set(accounts.aliases):
        persona = None
    if spec is None or spec.startswith("test:") or persona is not None or _is_test_address(spec):
        if not is_local_chain():
            from ape import networks

            where = getattr(networks.active_provider, "network_choice", "this network")
            raise CarbonChainError(
                f"--account is required on {where}: test accounts have publicly known keys and are "
                "used only on local chains (import yours with `ape accounts import NAME`)"
            )
    if spec is None:
        return accounts.test_accounts[index]
    if spec.startswith("test:"):
        return accounts.test_accounts[int(spec.split(":", 1)[1])]
    if persona is not None:
        return accounts.test_accounts[persona]
    if _is_test_address(spec):
        for acct in accounts.test_accounts:
            if acct.address.lower() == spec.lower():
                return acct
    return accounts.load(spec)


def _is_test_address(spec: str) -> bool:
    if not (spec.startswith("0x") and len(spec) == 42):
        return False
    from ape import accounts

    return any(a.address.lower() == spec.lower() for a in accounts.test_accounts)


def address_of(spec: str) -> str:
    """An account address from what a person types: a 0x address, a did:ethr DID (its address), a
    persona name or ``test:N`` (local chains), or an Ape account alias."""
    from eth_utils import is_address, to_checksum_address

    text = str(getattr(spec, "address", spec)).strip()
    if is_address(text):
        return to_checksum_address(text)
    if text.startswith("did:ethr:"):
        tail = text.split("?")[0].rsplit(":", 1)[-1]
        if is_address(tail):
            return to_checksum_address(tail)
        from .errors import CarbonChainError

        raise CarbonChainError(f"unsupported did:ethr identifier in {text!r} (an address is expected)")
    return str(get_account(text).address)
