"""Shared pieces of the ``ape run`` scripts: options, connection, progress, one-line errors."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from .errors import one_line_errors
from .network import connect, default_network, is_ephemeral

# Wide when output goes to a file or pipe (logs, CI), so that tables are not cut at 80 columns.
console = Console(stderr=False, highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 240)


def network_option(f: Callable) -> Callable:
    return click.option(
        "--network",
        default=None,
        help=f"Ape network choice (default: {default_network()}: the persistent local node started by "
        "`make node` (its URL from $APE_FOUNDRY_HOST or `make node PORT=...`, else 127.0.0.1:8545); "
        "the in-process provider where anvil is missing).",
    )(f)


def account_option(f: Callable) -> Callable:
    return click.option(
        "--account",
        default=None,
        help="Sending account: an Ape account alias; on local chains also a persona name (manager, "
        "broker...), `test:N` for test account N or a test account's address (default: test account 0 "
        "on local chains; required on any other network).",
    )(f)


def allow_empty_option(f: Callable) -> Callable:
    return click.option(
        "--allow-empty", is_flag=True, default=False,
        help="Accept empty input files (refused by default: every empty file has the same digest).",
    )(f)


def connected(f: Callable | None = None, *, own_chain: bool = False) -> Callable:
    """Connects to ``--network`` for the command body and turns any failure into one line.

    ``@connected`` commands work on the persistent local node's records; ``@connected(own_chain=True)``
    (demo, benchmarks) get a fresh chain of their own when no ``--network`` is given."""

    def decorate(f: Callable) -> Callable:
        @functools.wraps(f)
        def wrapper(*args: Any, network: str | None = None, **kwargs: Any) -> Any:
            with one_line_errors(), connect(network, own_chain=own_chain) as provider:
                return f(*args, provider=provider, **kwargs)

        return wrapper

    return decorate(f) if f is not None else decorate


def warn_if_ephemeral(provider: Any) -> None:
    if is_ephemeral(provider):
        console.print(
            "[yellow]note: this chain lives only for this command (no node was running); "
            "start a persistent one with `make node` to keep records between commands[/yellow]"
        )


def hashing_progress(paths: Sequence[str | Path], label: str = "hashing") -> "HashProgress":
    return HashProgress(paths, label)


class HashProgress:
    """A rich progress bar over the total size of some files; call it with bytes read."""

    def __init__(self, paths: Sequence[str | Path], label: str) -> None:
        self.total = sum(Path(p).stat().st_size for p in paths if Path(p).is_file())
        self.label = label
        self._progress: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> "HashProgress":
        # Only worth drawing for large inputs (>= 64 MiB).
        if self.total >= 64 << 20:
            self._progress = Progress(
                TextColumn(self.label), BarColumn(), DownloadColumn(), TimeRemainingColumn(), console=console
            )
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=self.total)
        return self

    def __call__(self, n: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
