"""Turning failures into one clear line.

Contract reverts arrive from Ape as :class:`ape.exceptions.CustomError` (named after the Solidity
error, with its inputs). :func:`describe` renders any exception a script may meet as one line;
:func:`one_line_errors` wraps a script body so that a user sees that line, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from typing import Any, Iterator

import click


class CarbonChainError(Exception):
    """A failure the user can act on; its message is the one line printed."""


_EXPLAIN: dict[str, str] = {
    "DocumentRegistryZeroDigest": "the digest is zero",
    "DocumentRegistryUnsupportedAlgorithm": "unsupported hash algorithm",
    "DocumentRegistryAlreadyAnchored": "you already anchored this digest with this algorithm",
    "DocumentRegistryUnknownRecord": "this anchorer has no record of this digest and algorithm",
    "DocumentRegistryTooManySigners": "too many required signers",
    "DocumentRegistryZeroSigner": "a required signer is the zero address",
    "DocumentRegistryDuplicateSigner": "a signer is listed twice",
    "DocumentRegistryNotRequiredSigner": "this account is not a required signer of the record",
    "DocumentRegistryAlreadySigned": "this signer has already signed",
    "DocumentRegistryInvalidSignature": "the signature does not match the signer",
    "DocumentRegistryRecordRevoked": "the record was revoked",
    "DocumentRegistryRecordSuperseded": "the record was superseded by a newer version",
    "DocumentRegistryUnauthorized": "only the record's anchoring account (or, to revoke, a registry admin) may do this",
    "DocumentRegistryZeroReason": "a reason code is required",
    "DocumentRegistryEmptyBatch": "a batch needs at least one document",
    "DocumentRegistryBatchAlreadyAnchored": "you already anchored this batch root",
    "DocumentRegistryUnknownBatch": "this anchorer anchored no batch with this root",
    "DocumentRegistryInvalidProof": "the proof does not place the digest under the root",
    "AccessControlUnauthorizedAccount": "the account lacks the required role",
    "CarbonPriceFeedAlreadyPublished": "this market day is already published (another quorum was faster): "
    "nothing to relay for this market day; sign again when the source has the next trading day's close",
    "CarbonPriceFeedRoundClosed": "this round was already published (another quorum was faster): sign again "
    "for the open round (`ape run feed sign`)",
    # OpenZeppelin internals without NatSpec of their own
    "InvalidShortString": "a short string is longer than 31 bytes",
    "StringTooLong": "a string is too long for a short string",
    "AccessControlEnforcedDefaultAdminRules": "the admin role moves only by the two-step, delayed transfer",
}


@functools.lru_cache(maxsize=1)
def _natspec() -> dict[str, str]:
    """Error name -> its NatSpec (``@notice``, else ``@dev``) from every compiled contract, first sentence."""
    from ape import project

    table: dict[str, str] = {}
    for ct in project.contracts.values():
        for doc, key in ((ct.devdoc or {}, "details"), (ct.userdoc or {}, "notice")):
            for signature, entries in (doc.get("errors") or {}).items():
                text = " ".join(str(e.get(key, "")) for e in entries).strip()
                if text:
                    table.setdefault(signature.split("(")[0], _first_sentence(text))
    return table


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for end in (". ", "; "):
        if end in text:
            text = text.split(end)[0]
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


@functools.lru_cache(maxsize=1)
def _enums() -> dict[str, list[str]]:
    """``Scope.Enum`` (and bare ``Enum``) -> member names, read from the project's Solidity sources
    (the ABI names an enum's type but not its members)."""
    from .deployments import project_root

    table: dict[str, list[str]] = {}
    root = project_root()
    decl = re.compile(r"\b(?:interface|contract|library|abstract\s+contract)\s+(\w+)")
    enum = re.compile(r"\benum\s+(\w+)\s*\{([^}]*)\}")
    for folder in ("interfaces", "contracts"):
        for path in sorted((root / folder).rglob("*.sol")):
            src = re.sub(r"//[^\n]*|/\*.*?\*/", "", path.read_text(errors="replace"), flags=re.S)
            scopes = [(m.start(), m.group(1)) for m in decl.finditer(src)]
            for m in enum.finditer(src):
                members = [x.strip() for x in m.group(2).split(",") if x.strip()]
                scope = [name for pos, name in scopes if pos < m.start()]
                if scope:
                    table.setdefault(f"{scope[-1]}.{m.group(1)}", members)
                table.setdefault(m.group(1), members)
    return table


def explain(name: str) -> str | None:
    """The one-line explanation of a custom error: hand-written where the NatSpec is terse, else the
    compiler's NatSpec for it."""
    if name in _EXPLAIN:
        return _EXPLAIN[name]
    try:
        return _natspec().get(name)
    except Exception:  # noqa: BLE001 - no project loaded: no explanation, still one line
        return None


def format_value(value: Any, internal_type: str | None = None) -> str:
    """An error argument as a person reads it: bytes as hex, enums by name (``Revoked(3)``)."""
    if internal_type and internal_type.startswith("enum ") and isinstance(value, int):
        try:
            members = _enums().get(internal_type[5:]) or _enums().get(internal_type[5:].split(".")[-1])
        except Exception:  # noqa: BLE001
            members = None
        if members and 0 <= value < len(members):
            return f"{members[value]}({value})"
    return _fmt(value)


def _args(abi: Any, values: Any) -> str:
    inputs = list(getattr(abi, "inputs", []) or [])
    if isinstance(values, dict):
        pairs = list(values.items())
    else:
        pairs = [(i.name, v) for i, v in zip(inputs, values)]
    types = {i.name: getattr(i, "internal_type", None) or getattr(i, "internalType", None) for i in inputs}
    return ", ".join(f"{k}={format_value(v, types.get(k))}" for k, v in pairs)


def render_custom_error(abi: Any, values: Any) -> str:
    """``reverted with Name(arg=value, ...): explanation``."""
    why = explain(abi.name)
    return f"reverted with {abi.name}({_args(abi, values)})" + (f": {why}" if why else "")


def _fmt(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


@functools.lru_cache(maxsize=1)
def _error_abis() -> dict[bytes, Any]:
    """Selector -> ErrorABI for every custom error in the compiled project."""
    from ape import project
    from eth_utils import keccak

    table: dict[bytes, Any] = {}
    for ct in project.contracts.values():
        for abi in ct.abi:
            if getattr(abi, "type", None) == "error":
                table[keccak(text=abi.selector)[:4]] = abi
    return table


def decode_revert(data: bytes | str | None) -> tuple[str, str] | None:
    """Revert data (``0x<selector><args>``) -> (custom error name, ``reverted with Name(...): why``)."""
    from eth_abi import decode

    if isinstance(data, str):
        data = bytes.fromhex(data[2:] if data.startswith("0x") else data)
    if not data or len(data) < 4:
        return None
    abi = _error_abis().get(bytes(data[:4]))
    if abi is None:
        return None
    types = [i.canonical_type for i in abi.inputs]
    values = decode(types, bytes(data[4:])) if types else ()
    return abi.name, render_custom_error(abi, values)


def _decode_message(message: str | None) -> tuple[str, str] | None:
    """(name, line) of ``custom error 0x<selector>: <hex args>`` (an eth_call revert) or, on Hardhat/EDR
    and other generic JSON-RPC nodes, ``... (return data: 0x...)``, from the project ABIs."""
    m = re.search(r"(?:custom error|return data:) (0x[0-9a-fA-F]{8}):?\s*([0-9a-fA-F]*)", message or "")
    return decode_revert(m.group(1) + m.group(2)) if m else None


def decode_custom_error(message: str) -> str | None:
    """The one-line rendering of a custom error named in a revert message, or None."""
    decoded = _decode_message(message)
    return decoded[1] if decoded else None


@contextlib.contextmanager
def quiet_traces() -> Iterator[None]:
    """Keeps Ape from printing a call trace for every revert (scripts print one line instead).

    Set ``CARBONCHAIN_TRACES=1`` to see them."""
    import os

    if os.environ.get("CARBONCHAIN_TRACES"):
        yield
        return
    from ape_ethereum.trace import Trace

    original = Trace.show
    Trace.show = lambda self, *a, **k: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Trace.show = original  # type: ignore[method-assign]


def is_revert(err: BaseException) -> bool:
    """True when ``err`` is a contract rejecting a call or transaction, on any provider.

    anvil and the in-process EVM raise Ape's ContractLogicError; a generic JSON-RPC node (Hardhat,
    Besu, Quorum through Ape's `node` provider) often raises its parent VirtualMachineError for the
    same revert. Out-of-gas is not a revert: the contract did not say no."""
    from ape.exceptions import ContractLogicError, OutOfGasError, VirtualMachineError

    if isinstance(err, ContractLogicError):
        return True
    return isinstance(err, VirtualMachineError) and not isinstance(err, OutOfGasError)


def revert_name(err: BaseException) -> str:
    """The custom error's name of a revert on any provider (its message when it has no name)."""
    abi = getattr(err, "abi", None)
    if name := getattr(abi, "name", ""):
        return name
    decoded = _decode_error(err)
    return decoded[0] if decoded else str(getattr(err, "message", "") or err)


def _decode_error(err: BaseException) -> tuple[str, str] | None:
    """(name, line) of a revert Ape left undecoded: from its message, else from any revert data it carries."""
    return _decode_message(str(getattr(err, "message", "") or err)) or _decode_any_hex(err)


def _decode_any_hex(err: BaseException) -> tuple[str, str] | None:
    """Revert data that Ape could not match to the contract it called (its contract-type cache can
    hold another type for a reused address, e.g. after a snapshot revert): the raw ``0x<selector>...``
    in the error's revert message, decoded against every project ABI."""
    base = getattr(err, "base_err", None)
    sources = (getattr(err, "revert_message", None), getattr(err, "message", None), str(err),
               getattr(base, "data", None), base, getattr(base, "args", None), getattr(err, "args", None))
    for source in sources:
        for blob in re.findall(r"0x[0-9a-fA-F]{8,}", str(source or "")):
            if (len(blob) - 10) % 64 == 0 and (decoded := decode_revert(blob)):
                return decoded
    return None


def describe(err: BaseException) -> str:
    """One line for any error a script may meet."""
    from ape.exceptions import (
        ApeException,
        ContractLogicError,
        CustomError,
        OutOfGasError,
        ProviderNotConnectedError,
        TransactionError,
    )

    if isinstance(err, CarbonChainError):
        return str(err)
    if isinstance(err, CustomError):
        return render_custom_error(err.abi, err.inputs or {})
    if isinstance(err, ContractLogicError):
        decoded = _decode_error(err)
        return decoded[1] if decoded else f"reverted: {err.message or 'no reason given'}"
    if isinstance(err, OutOfGasError):
        return "transaction ran out of gas: raise the network's gas multiplier (docs/networks.md)"
    if is_revert(err):
        text = str(getattr(err, "message", "") or err)
        first = text.splitlines()[0] if text else "no reason given"
        return decode_custom_error(text) or f"reverted: {first}"
    if isinstance(err, TransactionError):
        return f"transaction failed: {err}"
    if isinstance(err, ProviderNotConnectedError):
        return "not connected to a node: start one with `make node` or pass --network"
    if isinstance(err, ApeException):
        return f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
    if isinstance(err, FileNotFoundError):
        return f"file not found: {err.filename}"
    if isinstance(err, OSError):
        return f"{err.strerror or err}: {err.filename}" if err.filename else str(err)
    if isinstance(err, (ValueError, KeyError)):
        return str(err).strip("'\"")
    return f"{type(err).__name__}: {err}"


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """Runs a script body; any failure becomes ``error: <one line>`` on stderr and exit code 1."""
    try:
        with quiet_traces():
            yield
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the point is to catch everything
        click.secho(f"error: {describe(err)}", fg="red", err=True)
        sys.exit(1)
