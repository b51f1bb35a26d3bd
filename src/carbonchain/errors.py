"""Turning failures into one clear line.

Contract reverts arrive from Ape as :class:`ape.exceptions.CustomError` (named after the Solidity
error, with its inputs). :func:`describe` renders any exception a script may meet as one line;
:func:`one_line_errors` wraps a script body so that a user sees that line, never a traceback.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Iterator

import click


class CarbonChainError(Exception):
    """A failure the user can act on; its message is the one line printed."""


_EXPLAIN: dict[str, str] = {
    "DocumentRegistryZeroDigest": "the digest is zero",
    "DocumentRegistryUnsupportedAlgorithm": "unsupported hash algorithm",
    "DocumentRegistryAlreadyAnchored": "this digest is already anchored with this algorithm",
    "DocumentRegistryUnknownRecord": "no record for this digest and algorithm",
    "DocumentRegistryTooManySigners": "too many required signers",
    "DocumentRegistryZeroSigner": "a required signer is the zero address",
    "DocumentRegistryDuplicateSigner": "a signer is listed twice",
    "DocumentRegistryNotRequiredSigner": "this account is not a required signer of the record",
    "DocumentRegistryAlreadySigned": "this signer has already signed",
    "DocumentRegistryInvalidSignature": "the signature does not match the signer",
    "DocumentRegistryRecordRevoked": "the record was revoked",
    "DocumentRegistryRecordSuperseded": "the record was superseded by a newer version",
    "DocumentRegistryUnauthorized": "only the anchoring account or a registry admin may do this",
    "DocumentRegistryZeroReason": "a reason code is required",
    "DocumentRegistryEmptyBatch": "a batch needs at least one document",
    "DocumentRegistryBatchAlreadyAnchored": "this batch root is already anchored",
    "DocumentRegistryUnknownBatch": "no batch was anchored with this root",
    "DocumentRegistryInvalidProof": "the proof does not place the digest under the root",
    "AccessControlUnauthorizedAccount": "the account lacks the required role",
}


def _fmt(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return str(value)


def describe(err: BaseException) -> str:
    """One line for any error a script may meet."""
    from ape.exceptions import (
        ApeException,
        ContractLogicError,
        CustomError,
        ProviderNotConnectedError,
        TransactionError,
    )

    if isinstance(err, CarbonChainError):
        return str(err)
    if isinstance(err, CustomError):
        name = err.abi.name
        args = ", ".join(f"{k}={_fmt(v)}" for k, v in (err.inputs or {}).items())
        why = _EXPLAIN.get(name)
        return f"reverted with {name}({args})" + (f": {why}" if why else "")
    if isinstance(err, ContractLogicError):
        return f"reverted: {err.message or 'no reason given'}"
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
        yield
    except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
        raise
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the point is to catch everything
        click.secho(f"error: {describe(err)}", fg="red", err=True)
        sys.exit(1)
