"""What a step handler gets: personas, named things, time, fast sending with per-step checks,
expectations, chart points and the event trail of one scenario run.

Sending (``Context.send``) has two modes:

- fast (default): the transaction is encoded once and handed to the node as raw JSON-RPC over one
  keep-alive connection (``eth_sendTransaction`` with explicit nonce and gas for the node's unlocked
  accounts on anvil, otherwise signed locally with the test key); the step does not wait on each
  receipt. On anvil the node's automine is off while a step plays: its transactions wait in the pool
  in the order sent and :meth:`Context.settle` mines them together in one block (``evm_mine``, at the
  step's time), then fetches every receipt in one batch, checks that the block holds them in the
  order sent, fails the step on the first reverted one (with its decoded custom error and hash) and
  decodes the logs of the contracts the scenario knows. A view read (``Context.call``) settles what
  the step sent before it, so it reads the state those transactions made. Other nodes mine each
  transaction as it comes and ``settle`` polls for the receipts.
- plain (``fast=False``): each transaction goes through Ape (``method(*args, sender=...)``), as a
  hand-written ape script would; the benchmark runs both over the same library.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable

from ..core.deployer import constructor_args
from ..core.errors import CarbonChainError, decode_revert, describe
from ..core.network import set_chain_time
from .rpc import RpcError, connect_rpc

DAY = 86_400
#: The block gas limit while a step's transactions are mined together on anvil: room for thousands
#: of transactions at the fixed per-transaction limit (restored when the step ends).
STEP_BLOCK_GAS_LIMIT = 1_000_000_000_000


class StepFailed(CarbonChainError):
    """A step that could not be played (an unexpected revert, an unknown name...)."""

    def __init__(self, message: str, *, tx: str = "", error: str = "") -> None:
        super().__init__(message)
        self.tx = tx
        self.error = error


@dataclass
class Outcome:
    """One expectation: what was expected, what the chain gave, where in the scenario."""

    name: str
    expected: Any
    actual: Any
    ok: bool
    step: str = ""
    line: int = 0
    tx: str = ""
    detail: str = ""


@dataclass
class Chart:
    """A line chart of the report: series of (time, value) and constant reference lines."""

    key: str
    title: str
    unit: str
    kind: str  # "price", "ratio", "offset"...
    series: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    lines: dict[str, float] = field(default_factory=dict)


def _hex(b: Any) -> str:
    if isinstance(b, str):
        return b if b.startswith("0x") else "0x" + b
    return "0x" + bytes(b).hex()


def _int(v: Any) -> int:
    return int(v, 16) if isinstance(v, str) else int(v)


def _revert_data(err: BaseException | None) -> Any:
    """The revert data carried by a web3 / eth-tester / Ape error (or its cause), if any."""
    import ast

    seen = 0
    while err is not None and seen < 4:
        data = getattr(err, "data", None)
        if isinstance(data, dict):
            data = data.get("data")
        # web3's Web3RPCError keeps the node's answer: Hardhat refuses a reverting transaction when it
        # is sent, with the revert data under error.data (or error.data.data)
        if data is None and isinstance(answer := getattr(err, "rpc_response", None), dict):
            data = answer.get("error")
            while isinstance(data, dict):
                data = data.get("data")
        if isinstance(data, (bytes, bytearray)) and len(data) >= 4:
            return bytes(data)
        if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
            return data
        for a in err.args:
            if isinstance(a, (bytes, bytearray)) and len(a) >= 4:
                return bytes(a)
            if isinstance(a, str):
                if a.startswith("0x") and len(a) >= 10:
                    return a
                i = a.find("b'") if "b'" in a else a.find('b"')
                if i >= 0:
                    try:
                        raw = ast.literal_eval(a[i:])
                        if isinstance(raw, bytes) and len(raw) >= 4:
                            return raw
                    except (ValueError, SyntaxError):
                        pass
        err = err.__cause__ or err.__context__
        seen += 1
    return None


def _timed(key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds the wall time of the outermost timed call to ``self.timings[key]`` (where the time goes)."""
    import functools
    import time

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(self: Any, *a: Any, **k: Any) -> Any:
            if self._timing:
                return fn(self, *a, **k)
            self._timing = True
            t = time.perf_counter()
            try:
                return fn(self, *a, **k)
            finally:
                self.timings[key] += time.perf_counter() - t
                self._timing = False
        return inner
    return wrap


class Struct(tuple):
    """A decoded ABI tuple with its components' names as attributes."""

    _names: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[self._names.index(name)]
        except ValueError:
            raise AttributeError(name) from None


def _shape(abi_type: Any, value: Any) -> Any:
    t = abi_type.type
    comps = getattr(abi_type, "components", None)
    if t.startswith("tuple") and comps:
        if t.endswith("]"):
            inner = abi_type.model_copy(update={"type": "tuple"})
            return [_shape(inner, v) for v in value]
        st = Struct(_shape(c, v) for c, v in zip(comps, value))
        st._names = tuple(c.name for c in comps)
        return st
    return value


def _decode_outputs(outputs: Any, raw: bytes) -> tuple[Any, ...]:
    """ABI-decodes a call's return data; tuples become Structs with attribute access."""
    from eth_abi import decode

    values = decode([o.canonical_type for o in outputs], raw)
    return tuple(_shape(o, v) for o, v in zip(outputs, values))


class Context:
    """The state of one scenario run, handed to every step handler."""

    def __init__(
        self,
        personas: dict[str, Any],
        admin: Any,
        *,
        fast: bool = True,
        log: Callable[[str], None] = lambda _m: None,
        specs: dict[str, Any] | None = None,
        base_dir: Any = None,
    ) -> None:
        from ape import chain

        self.personas = dict(personas)
        self.personas.setdefault("admin", admin)
        self.admin = admin
        self.fast = fast
        self.log = log
        self.base_dir = base_dir
        self._specs = specs or {}
        self.named: dict[str, dict[str, Any]] = {}
        self.state: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, Any] = {}
        self._topics: dict[bytes, tuple[Any, str]] = {}
        self.outcomes: list[Outcome] = []
        self.events: list[dict[str, Any]] = []
        self.charts: dict[str, Chart] = {}
        self.txs: list[str] = []
        self.step_label = "setup"
        self.step_line = 0
        self.expected_revert: str | None = None
        self.reverts_seen: list[str] = []
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._nonces: dict[str, int] = {}
        self._listeners: dict[str, list[Callable[..., None]]] = {}
        self.w3 = chain.provider.web3
        self._timing = False
        self.timings: dict[str, float] = {"send": 0.0, "receipts": 0.0, "reads": 0.0, "deploy": 0.0, "time": 0.0}
        # HTTP nodes answer raw JSON-RPC; the in-process provider goes through web3 as usual.
        self._raw_rpc = getattr(chain.provider, "name", "") != "test"
        self._rpc = connect_rpc(self.w3.provider) if self._raw_rpc else None
        # anvil, fast: a step's transactions are mined together (automine off while the step plays)
        self.manual_mining = fast and getattr(chain.provider, "name", "") == "foundry"
        self._held = False
        self._head_raised = False  # the latest block was mined with the step's raised gas limit
        self._block_gas_limit: int | None = None
        self.blocks_mined = 0
        self._now: int | None = None
        self._ecosystem = chain.provider.network.ecosystem
        self.chain_id = chain.chain_id
        self._gas_price: int | None = None
        self._unlocked: set[str] = set()
        if fast and getattr(chain.provider, "name", "") == "foundry":
            try:
                self._unlocked = {a.lower() for a in self.rpc("eth_accounts", [])}
            except Exception:  # noqa: BLE001 - fall back to local signing
                self._unlocked = set()
        # Day 0 starts at the next Monday's midnight UTC (+1 h) after the chain's clock: day N is t0 + N
        # days, so days 5 and 6 of each week are the weekend whatever the date (price feeds judge
        # staleness in trading days).
        head = self.now()
        midnight = (head // DAY + 1) * DAY
        self.t0 = midnight + ((4 - midnight // DAY) % 7) * DAY + 3600
        self.day = 0.0
        if self.t0 - 3600 > head:  # setup runs on Monday at 00:00 UTC (08:00 CST), the morning of day 0
            set_chain_time(self.t0 - 3600)

    # ------------------------------------------------------------------ names
    def account(self, persona: str) -> Any:
        try:
            return self.personas[persona]
        except KeyError:
            raise StepFailed(f"unknown persona {persona!r} (personas: {', '.join(sorted(self.personas))})") from None

    def remember(self, kind: str, name: str, value: Any) -> Any:
        self.named.setdefault(kind, {})[name] = value
        return value

    def recall(self, kind: str, name: str) -> Any:
        known = self.named.get(kind, {})
        if name not in known:
            listed = ", ".join(sorted(known)) or "none yet"
            raise StepFailed(f"unknown {kind} {name!r} (known: {listed})")
        return known[name]

    def domain(self, key: str) -> dict[str, Any]:
        """A domain's own scratch state for this scenario."""
        return self.state.setdefault(key, {})

    # ------------------------------------------------------------------ contracts
    def register(self, instance: Any, name: str | None = None) -> Any:
        """Makes a contract's events part of the trail (and ``name`` resolvable by ``contract``)."""
        from eth_utils import keccak

        cname = name or instance.contract_type.name
        if name is not None or cname not in self.contracts:
            self.contracts[cname] = instance
        for abi in instance.contract_type.events:
            self._topics.setdefault(keccak(text=abi.selector), (abi, instance.contract_type.name))
        return instance

    @_timed("deploy")
    def deploy(self, container_name: str, *args: Any, name: str | None = None) -> Any:
        """Deploys a project contract from the admin persona and registers it."""
        from ape import project

        container = getattr(project, container_name)
        self.settle()
        if not self.fast:
            instance = self.admin.deploy(container, *args)
            self.txs.append(str(getattr(instance, "txn_hash", "") or "deploy"))
            return self.register(instance, name or container_name)
        from hexbytes import HexBytes

        code = bytes(HexBytes(container.contract_type.deployment_bytecode.bytecode))
        data = _hex(code + bytes(container.constructor.encode_input(*args)))
        h = self._transact({"from": self.admin.address, "data": data, "value": "0x0"}, self.admin,
                           f"deploy {container_name}")
        self.txs.append(h)
        (receipt,) = self._receipts([h])
        if _int(receipt["status"]) != 1:
            raise StepFailed(f"deploying {container_name} failed", tx=h)
        from ape.contracts import ContractInstance

        # Not container.at(): Ape caches a contract type per address, and after a snapshot revert
        # the same address may hold another contract of another scenario.
        instance = ContractInstance(self._checksum(receipt["contractAddress"]), container.contract_type)
        return self.register(instance, name or container_name)

    def rpc(self, method: str, params: list[Any]) -> Any:
        """One JSON-RPC request straight to the node (no web3 middleware); errors raised with their data."""
        if self._rpc is not None:
            return self._rpc.request(method, params)
        resp = self.w3.provider.make_request(method, params)
        if "error" in resp:
            err = resp["error"]
            raise RpcError(err.get("message", str(err)) if isinstance(err, dict) else str(err),
                           err.get("data") if isinstance(err, dict) else None)
        return resp["result"]

    @property
    def round_trips(self) -> int:
        """Raw JSON-RPC requests made to the node so far (a batch counts once)."""
        return self._rpc.requests if self._rpc is not None else 0

    def close(self) -> None:
        """Hands the node back as found (automine on, a head with the usual gas limit) and closes the
        raw connection."""
        self.release()
        self.hand_back()
        if self._rpc is not None:
            self._rpc.close()

    _selectors: dict[str, tuple[bytes, list[str]]] = {}

    def _encode(self, method: Any, args: tuple[Any, ...]) -> bytes:
        """Calldata straight from eth-abi for plain arguments (ints, bytes, address strings, tuples);
        Ape's converters (ENS names, accounts, decimals...) only when that fails."""
        if len(method.abis) == 1:
            abi = method.abis[0]
            cached = self._selectors.get(abi.selector)
            if cached is None:
                from eth_utils import keccak

                cached = (keccak(text=abi.selector)[:4], [i.canonical_type for i in abi.inputs])
                self._selectors[abi.selector] = cached
            try:
                from eth_abi import encode

                return cached[0] + encode(cached[1], list(args))
            except Exception:  # noqa: BLE001 - not plain values: let Ape convert them
                pass
        return bytes(method.encode_input(*args))

    @staticmethod
    def _checksum(address: str) -> str:
        from eth_utils import to_checksum_address

        return to_checksum_address(address)

    def call(self, method: Any, *args: Any, sender: Any = None) -> Any:
        """A view call without Ape's per-call overhead: one ``eth_call``, decoded by the ABI
        (one output: the value itself; structs keep attribute access). It reads the state after
        every transaction the step sent before it (those are mined first)."""
        if len(method.abis) != 1 or not self.fast:
            return method(*args)
        (out,) = self.call_many([(method, args)], sender=sender)
        return out

    def call_many(self, calls: list[tuple[Any, tuple[Any, ...]]], *, sender: Any = None) -> list[Any]:
        """Several view calls ``[(method, args), ...]`` read together (one JSON-RPC batch on an HTTP
        node); results in order, each decoded as by :meth:`call`."""
        if not self.fast or any(len(m.abis) != 1 for m, _a in calls):
            return [m(*a) for m, a in calls]
        if self.manual_mining and self._pending and any(m.abis[0].stateMutability != "pure" for m, _a in calls):
            self.settle()
        return self._read(calls, sender)

    @_timed("reads")
    def _read(self, calls: list[tuple[Any, tuple[Any, ...]]], sender: Any) -> list[Any]:
        frm = None
        if sender is not None:
            frm = (self.account(sender) if isinstance(sender, str) else sender).address
        txs = []
        for method, args in calls:
            tx = {"to": method.contract.address, "data": _hex(self._encode(method, args))}
            if frm is not None:
                tx["from"] = frm
            txs.append(tx)
        if self._rpc is not None and len(txs) > 1:
            raws: list[Any] = self._rpc.batch([("eth_call", [tx, "latest"]) for tx in txs])
        else:
            raws = []
            for tx in txs:
                try:
                    raws.append(self.rpc("eth_call", [tx, "latest"]) if self._raw_rpc else self.w3.eth.call(tx))
                except Exception as err:  # noqa: BLE001 - judged below with the batch's errors
                    raws.append(err)
        out = []
        for (method, _args), raw in zip(calls, raws):
            abi = method.abis[0]
            if isinstance(raw, Exception):  # a revert of a view: decoded, one line
                raise self._fail(raw, f"{method.contract.contract_type.name}.{abi.name}", _revert_data(raw)) from None
            values = _decode_outputs(abi.outputs, bytes.fromhex(raw[2:]) if isinstance(raw, str) else bytes(raw))
            out.append(values[0] if len(values) == 1 else values)
        return out

    def contract(self, name: str) -> Any:
        """The scenario's instance of a project contract, deployed (admin = the admin persona) on
        first use from the owning domain's ``ContractSpec``."""
        if name in self.contracts:
            return self.contracts[name]
        spec = self._specs.get(name)
        if spec is None:
            raise StepFailed(f"no contract {name!r} in this scenario and no domain deploys it")
        for _ in range(len(self._specs) + 1):
            try:
                args = constructor_args(spec, self.admin.address, self.admin.address, self.contracts)
                break
            except KeyError as missing:  # a contract it is built on: deploy that first
                dep = missing.args[0]
                if dep in self.contracts or dep not in self._specs:
                    raise
                self.contract(dep)
        return self.deploy(name, *args)

    # ------------------------------------------------------------------ time
    def now(self) -> int:
        """The chain's time: the latest block's, or the time set for the next block by ``advance_to``."""
        if self._now is not None:
            return self._now
        if self._raw_rpc:
            block = self.rpc("eth_getBlockByNumber", ["latest", False])
            if self._block_gas_limit is None:
                self._block_gas_limit = _int(block["gasLimit"])
            return _int(block["timestamp"])
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def at(self, day: float, clock: str | None = None) -> int:
        ts = self.t0 + int(round(day * DAY))
        if clock:
            hh, mm = clock.split(":")
            ts = self.t0 - 3600 + int(day) * DAY + int(hh) * 3600 + int(mm) * 60
        return ts

    @_timed("time")
    def advance_to(self, ts: int, *, mine: bool = True) -> None:
        """Moves the clock to ``ts``: mines one block at that time, or (``mine=False``, when the next
        thing is a transaction anyway) makes it the next block's time."""
        from ape import chain

        self.settle()
        self._now = None
        if ts > self.now():
            if self._raw_rpc and getattr(chain.provider, "name", "") == "foundry":
                self.rpc("evm_setNextBlockTimestamp", [ts])
                if mine:
                    self.rpc("evm_mine", [])
                else:
                    self._now = ts
            else:
                set_chain_time(ts)
        self.day = (max(ts, self.t0) - self.t0) / DAY

    def advance(self, *, days: float = 0, hours: float = 0, seconds: int = 0) -> None:
        self.advance_to(self.now() + int(days * DAY + hours * 3600 + seconds))

    # ------------------------------------------------------------------ listeners
    def on(self, topic: str, fn: Callable[..., None]) -> None:
        """Subscribes to a scenario topic (``price``: a market's price moved...)."""
        self._listeners.setdefault(topic, []).append(fn)

    def emit(self, topic: str, **kw: Any) -> None:
        for fn in self._listeners.get(topic, []):
            fn(self, **kw)

    # ------------------------------------------------------------------ sending
    def _gas(self) -> int:
        if self._gas_price is None:
            self._gas_price = int(self.w3.eth.gas_price) * 2 + 1
        return self._gas_price

    def _gas_limit(self) -> int:
        if not hasattr(self, "_limit"):
            self._limit = min(int(self.w3.eth.get_block("latest")["gasLimit"]) // 2, 15_000_000)
        return self._limit

    def _nonce(self, address: str) -> int:
        """The sender's next nonce, counted here (first use: every persona's, read in one batch)."""
        key = address.lower()
        if key not in self._nonces:
            if self._rpc is not None:
                known = sorted(({a.address.lower() for a in self.personas.values()} | {key}) - set(self._nonces))
                for who, n in zip(known, self._rpc.batch([("eth_getTransactionCount", [w, "pending"]) for w in known])):
                    if not isinstance(n, Exception):
                        self._nonces[who] = _int(n)
            if key not in self._nonces:
                self._nonces[key] = int(self.w3.eth.get_transaction_count(address, "pending"))
        n = self._nonces[key]
        self._nonces[key] = n + 1
        return n

    # ------------------------------------------------------------------ one block per step (anvil)
    def _hold(self) -> None:
        """Before a step's first transaction on anvil: automine off (the step's transactions wait in
        the pool, in the order sent) and room in the block for all of them."""
        if not self.manual_mining or self._held:
            return
        if self._block_gas_limit is None:
            self.now()
        answers = self._rpc.batch([("anvil_setAutomine", [False]),  # type: ignore[union-attr]
                                   ("evm_setBlockGasLimit", [hex(STEP_BLOCK_GAS_LIMIT)])])
        self._held = True
        if any(isinstance(a, Exception) for a in answers):  # not anvil after all: mine as it comes
            self.release()
            self.manual_mining = False

    def release(self) -> None:
        """At the end of a step (or after a failure): whatever is still in the pool is mined, and the
        node gets its automine and block gas limit back."""
        if not self._held:
            return
        self._held = False
        assert self._rpc is not None
        leftovers, self._pending = self._pending, []
        if leftovers:  # a step that failed before its settle: mined so the pool is empty, not checked
            self._rpc.request("evm_mine", [])
        self._rpc.batch([("anvil_setAutomine", [True]),
                         ("evm_setBlockGasLimit", [hex(self._block_gas_limit or 30_000_000)])])
        self._head_raised = True

    def hand_back(self) -> None:
        """Before anything else sends on this chain (a console user, Ape): the step blocks carry the
        raised gas limit, and Ape takes the latest block's limit as a transaction's gas, which the
        node would now refuse; one empty block with the usual limit ends that. The runner needs it
        only once, when a scenario ends (and its chain snapshot is reverted anyway)."""
        if self._head_raised and self._rpc is not None:
            self._head_raised = False
            self._rpc.request("evm_mine", [])

    def _fail(self, err: BaseException | None, what: str, data: Any = None, tx: str = "") -> StepFailed:
        decoded = decode_revert(data) if data else None
        if decoded:
            name, line = decoded
            return StepFailed(f"{what} {line}", tx=tx, error=name)
        return StepFailed(f"{what} failed: {describe(err) if err else 'reverted'}", tx=tx)

    def send(self, method: Any, *args: Any, sender: Any, value: int = 0) -> str:
        """Sends ``method(*args)`` from ``sender`` (a persona name or an account); returns the hash.

        Under ``expect_revert`` the call is simulated and its custom error recorded instead."""
        acct = self.account(sender) if isinstance(sender, str) else sender
        what = f"{method.contract.contract_type.name}.{method.abis[0].name}"
        if self.expected_revert is not None:
            return self._simulate(method, args, acct, value, what)
        if not self.fast:
            from ..core.errors import is_revert

            try:
                receipt = method(*args, sender=acct, value=value)
            except Exception as err:  # noqa: BLE001 - reverts on any provider; anything else re-raised
                if not is_revert(err):
                    raise
                raise self._fail(err, what, _revert_data(err) or getattr(err, "revert_message", None)) from None
            h = str(receipt.txn_hash)
            self.txs.append(h)
            self._decode_logs(receipt.logs, h)
            return h
        tx = {"from": acct.address, "to": method.contract.address, "data": _hex(self._encode(method, args)),
              "value": hex(value)}
        h = self._transact(tx, acct, what)
        self._pending.append((h, {"what": what, "from": acct.address, "to": tx["to"], "data": tx["data"], "value": value}))
        self.txs.append(h)
        return h

    @_timed("send")
    def _transact(self, tx: dict[str, Any], acct: Any, what: str) -> str:
        """Hands one transaction to the node without waiting for it to be mined; returns its hash."""
        if acct.address.lower() in self._unlocked:
            # The node's own account: no signing here; a fixed gas limit, because the node would
            # estimate against a state that does not hold this step's earlier transactions yet, and
            # an explicit nonce, so that the block holds a sender's transactions in the order sent.
            self._hold()
            try:
                return self.rpc("eth_sendTransaction", [{**tx, "gas": hex(self._gas_limit()),
                                                        "nonce": hex(self._nonce(acct.address))}])
            except RpcError as err:
                self._nonces.clear()
                raise self._fail(err, what, err.data) from None
        from eth_account import Account

        # No estimate: py-evm's is a binary search (a dozen executions per transaction). A generous
        # fixed limit costs nothing on a dev chain (only gas used is charged); a revert shows in the
        # receipt and settle() decodes it by replaying the call.
        self._hold()
        body = {k: v for k, v in tx.items() if k != "value"}
        body["value"] = int(tx.get("value", "0x0"), 16) if isinstance(tx.get("value"), str) else int(tx.get("value", 0))
        signed = Account.sign_transaction(
            {**body, "gas": self._gas_limit(), "gasPrice": self._gas(), "nonce": self._nonce(acct.address),
             "chainId": self.chain_id}, acct.private_key)
        try:
            return _hex(self.w3.eth.send_raw_transaction(signed.raw_transaction))
        except Exception as err:  # noqa: BLE001 - eth-tester refuses a reverting transaction at once
            self._nonces.clear()
            raise self._fail(err, what, _revert_data(err)) from None

    def _simulate(self, method: Any, args: tuple[Any, ...], acct: Any, value: int, what: str) -> str:
        if self.manual_mining and self._pending:
            self.settle()  # simulated against the state the step's earlier transactions made
        call = {"from": acct.address, "to": method.contract.address, "data": _hex(method.encode_input(*args)),
                "value": value}
        try:
            if self._raw_rpc:
                self.rpc("eth_call", [{**call, "value": hex(value)}, "latest"])
            else:
                self.w3.eth.call(call)
        except Exception as err:  # noqa: BLE001 - web3 and eth-tester raise different types
            decoded = decode_revert(_revert_data(err))
            self.reverts_seen.append(decoded[0] if decoded else f"revert: {err}")
            return ""
        self.reverts_seen.append(f"{what} succeeded")
        return ""

    def settle(self) -> None:
        """Mines and checks the step's transactions together: they must be in the chain in the order
        sent; the first reverted one fails the step (its custom error decoded); logs are decoded."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._now = None
        receipts = self._receipts([h for h, _ in pending])
        last = (-1, -1)
        for (h, tx), rc in zip(pending, receipts):
            where = (_int(rc["blockNumber"]), _int(rc["transactionIndex"]))
            if where <= last:
                raise StepFailed(f"{tx['what']} was mined before a transaction sent earlier in this step "
                                 f"(block {where[0]}, index {where[1]}): the node reordered the step", tx=h)
            last = where
        for (h, tx), rc in zip(pending, receipts):
            if _int(rc["status"]) != 1:
                self._nonces.clear()
                raise self._fail(None, tx["what"], self._revert_data_of(h, tx, _int(rc["blockNumber"])), tx=h)
            self._decode_logs(rc["logs"], h)

    def _revert_data_of(self, h: str, tx: dict[str, Any], block: int) -> Any:
        """A mined transaction's revert data: from the node's call trace (exact wherever the
        transaction sits in its block), else by replaying it on the state before its block."""
        if self._raw_rpc:
            try:
                trace = self.rpc("debug_traceTransaction", [h, {"tracer": "callTracer"}])
                out = trace.get("output") if isinstance(trace, dict) else None
                if isinstance(out, str) and len(out) >= 10:
                    return out
            except (RpcError, OSError):
                pass
        try:
            call = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
            if self._raw_rpc:
                self.rpc("eth_call", [{**call, "value": hex(int(call.get("value") or 0))}, hex(block - 1)])
            else:
                self.w3.eth.call(call, block - 1)
        except Exception as err:  # noqa: BLE001 - we want its revert data
            return _revert_data(err)
        return None

    @_timed("receipts")
    def _receipts(self, hashes: list[str]) -> list[dict[str, Any]]:
        """Every receipt, in one batch request where the node takes batches. On anvil the pool is
        mined first (one block; another only if the first had no room left); elsewhere it polls
        briefly for any not mined yet."""
        import time

        if not self._raw_rpc:
            return [dict(self.w3.eth.wait_for_transaction_receipt(h, timeout=60)) for h in hashes]
        assert self._rpc is not None
        out: dict[str, dict[str, Any]] = {}
        todo = list(hashes)
        deadline = time.monotonic() + 60
        mines = 0
        while todo:
            if self._held:
                if mines >= 8:
                    raise StepFailed(f"{todo[0]} is still not mined after {mines} blocks (dropped by the node?)",
                                     tx=todo[0])
                self._rpc.request("evm_mine", [])
                self.blocks_mined += 1
                mines += 1
            if len(todo) > 1:
                results = self._rpc.batch([("eth_getTransactionReceipt", [h]) for h in todo])
            else:
                results = [self.rpc("eth_getTransactionReceipt", [todo[0]])]
            for h, r in zip(todo, results):
                if r and not isinstance(r, Exception):
                    out[h] = r
            todo = [h for h in todo if h not in out]
            if todo and not self._held:
                if time.monotonic() > deadline:
                    raise StepFailed(f"no receipt for {todo[0]} after 60 s", tx=todo[0])
                time.sleep(0.002)
        return [out[h] for h in hashes]

    def _decode_logs(self, logs: list[Any], tx: str) -> None:
        from eth_abi import decode

        for log in logs:
            topics = [bytes.fromhex(t[2:]) if isinstance(t, str) else bytes(t) for t in log["topics"]]
            if not topics or topics[0] not in self._topics:
                continue
            abi, cname = self._topics[topics[0]]
            indexed = [i for i in abi.inputs if i.indexed]
            plain = [i for i in abi.inputs if not i.indexed]
            raw = log["data"]
            data = bytes.fromhex(raw[2:]) if isinstance(raw, str) else bytes(raw)
            try:
                values = dict(zip([i.name for i in plain], decode([i.canonical_type for i in plain], data)))
                for i, t in zip(indexed, topics[1:]):
                    simple = not (i.canonical_type in ("string", "bytes") or i.canonical_type.endswith("]")
                                  or i.canonical_type.startswith("("))
                    values[i.name] = decode([i.canonical_type], t)[0] if simple else t
            except Exception:  # noqa: BLE001 - a log we cannot read is left out of the trail
                continue
            self.events.append({"step": self.step_label, "line": self.step_line, "day": self.day,
                                "contract": cname, "event": abi.name, "args": values, "tx": tx,
                                "address": str(log["address"]).lower()})

    # ------------------------------------------------------------------ expectations
    @property
    def last_tx(self) -> str:
        return self.txs[-1] if self.txs else ""

    def check(self, name: str, expected: Any, actual: Any, detail: str = "", *, ok: bool | None = None) -> bool:
        """Records one expectation (``ok`` defaults to ``expected == actual``)."""
        good = (expected == actual) if ok is None else bool(ok)
        self.outcomes.append(Outcome(name, expected, actual, good, self.step_label, self.step_line, self.last_tx, detail))
        self.log(("✓ " if good else "✗ ") + name + ("" if good else f": expected {expected}, got {actual}"))
        return good

    def check_range(self, name: str, low: Any, high: Any, actual: Any, detail: str = "") -> bool:
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        ok = (low is None or actual >= low) and (high is None or actual <= high)
        return self.check(name, f"[{lo}, {hi}]", actual, detail, ok=ok)

    def events_named(self, event: str, contract: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == event and (contract is None or e["contract"] == contract)]

    # ------------------------------------------------------------------ charts
    def chart(self, key: str, title: str, unit: str, kind: str) -> Chart:
        if key not in self.charts:
            self.charts[key] = Chart(key, title, unit, kind)
        return self.charts[key]

    def point(self, key: str, series: str, value: float, *, at: int | None = None) -> None:
        self.charts[key].series.setdefault(series, []).append((at if at is not None else self.now(), float(value)))

    def date(self, ts: int | None = None) -> str:
        return _dt.datetime.fromtimestamp(ts if ts is not None else self.now(), tz=_dt.timezone.utc).strftime("%Y-%m-%d")
