"""Gas benchmarks, shared by every domain: every figure is a real receipt's ``gasUsed`` on a
fresh deployment.

Gas is deterministic for a given compiler, optimizer setting and EVM version, so the figures are
committed (``benchmarks/gas.json``, ``gas.md``, ``gas.html``) and a test compares the current code
against them: a change shows up in review and must be explained. Each domain contributes
:class:`Bench` sections (``carbonchain.<domain>.bench.BENCHES``); ``carbonchain.bench`` composes them.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .deployments import project_root

#: Figures that carry ECDSA signatures over chain-specific data (contract address, chain id):
#: calldata costs 4 gas per zero byte and 16 per other byte, so they may move by a few dozen gas
#: between deployments; the snapshot test allows this much per signature.
SIGNATURE_TOLERANCE = 64
ZERO = b"\x00" * 32

Progress = Callable[[str], None]


@dataclass
class Figure:
    key: str
    operation: str
    gas: int
    documents: int = 1
    signatures: int = 0  # ECDSA signatures in the calldata (see SIGNATURE_TOLERANCE)
    estimate: bool = False  # an eth_estimateGas figure (provider-dependent): reported, not held to the snapshot
    volatile: bool = False  # known to move between runs (explained where it is measured): reported only

    @property
    def per_document(self) -> float:
        return self.gas / self.documents


@dataclass
class Bench:
    """One section of the gas report, contributed by a domain."""

    key: str  # the section's key in gas.json
    measure: Callable[..., list[Figure]]  # (accounts, *, progress) -> figures on fresh deployments
    render: Callable[[list[Figure]], list[str]]  # markdown lines, starting with the section heading
    charts: Callable[[list[Figure]], list[dict[str, Any]]] = field(default=lambda _figs: [])
    aims: Callable[[list[Figure]], list[dict[str, Any]]] = field(default=lambda _figs: [])


def recorder(figs: list[Figure], progress: Progress) -> Callable[..., None]:
    """``add(key, operation, receipt_or_gas, documents=1, signatures=0)``: appends a Figure and reports it."""

    def add(key: str, op: str, gas: Any, docs: int = 1, sigs: int = 0, **flags: bool) -> None:
        value = int(getattr(gas, "gas_used", gas))
        figs.append(Figure(key, op, value, docs, sigs, **flags))
        progress(f"{op}: {value} gas")

    return add


def environment() -> dict[str, Any]:
    from ape import chain, compilers

    solc = compilers.get_compiler("solidity")
    version = ""
    try:
        version = str(solc.latest_installed_version)
    except Exception:  # noqa: BLE001 - informative only
        pass
    return {
        "chain_id": chain.chain_id,
        "provider": chain.provider.name,
        "solc": version,
        "evm_version": "cancun",
        "optimizer_runs": 200,
    }


def as_json(figs: list[Figure]) -> dict[str, Any]:
    return {
        f.key: {
            "operation": f.operation, "gas": f.gas, "documents": f.documents, "signatures": f.signatures,
            "estimate": f.estimate, "volatile": f.volatile,
        }
        for f in figs
    }


def write(benches: list[Bench], results: dict[str, list[Figure]], env: dict[str, Any],
          out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Writes gas.json, gas.md and gas.html for ``results`` (bench key -> figures)."""
    from .jsonio import write_json

    out = Path(out_dir) if out_dir else project_root() / "benchmarks"
    out.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"environment": env}
    data.update({b.key: as_json(results.get(b.key, [])) for b in benches})
    json_path = write_json(out / "gas.json", data)
    md_path = out / "gas.md"
    md_path.write_text(render_markdown(benches, results, env))
    (out / "gas.html").write_text(render_html(benches, results, env))
    return json_path, md_path


def render_markdown(benches: list[Bench], results: dict[str, list[Figure]], env: dict[str, Any]) -> str:
    lines = [
        "# Gas figures",
        "",
        "Written by `make bench` (`ape run bench`); every figure is the `gasUsed` of a real receipt on a",
        "fresh deployment (views: `eth_estimateGas`). Gas is deterministic for a given compiler and",
        "settings; `tests/unit/test_gas_snapshot.py` fails when the code no longer matches these",
        "figures, so any change is seen and explained in review.",
        "",
        f"Environment: solc {env.get('solc')}, optimizer {env.get('optimizer_runs')} runs, EVM {env.get('evm_version')}, "
        f"provider `{env.get('provider')}` (chain {env.get('chain_id')}).",
    ]
    for b in benches:
        figs = results.get(b.key) or []
        if figs:
            lines += [""] + b.render(figs)
    lines += [
        "",
        f"_Generated {_dt.datetime.now(tz=_dt.timezone.utc).strftime('%Y-%m-%d')}._",
        "",
    ]
    return "\n".join(lines)


PALETTE = {"notary": "#2c6fbb", "batch": "#4b9f6a", "submit": "#9aa7b4", "bundle": "#2c6fbb",
           "median": "#c98a00", "scribe": "#8e44ad", "ours": "#2c6fbb", "reference": "#9aa7b4"}


def bars(rows: list[tuple[str, int, str, str]], *, width: int = 900, label_width: int = 300, bar_h: int = 18,
          gap: int = 6, scale_max: int | None = None) -> dict[str, Any]:
    top = scale_max or max(v for _, v, _, _ in rows)
    span = width - label_width - 110
    bars = [
        {"label": label, "value": value, "colour": colour, "suffix": suffix, "y": 6 + i * (bar_h + gap),
         "h": bar_h, "w": round(span * value / top, 1)}
        for i, (label, value, colour, suffix) in enumerate(rows)
    ]
    return {"bars": bars, "width": width, "label_width": label_width,
            "height": 12 + len(rows) * (bar_h + gap), "span": span, "top": top}


def render_html(benches: list[Bench], results: dict[str, list[Figure]], env: dict[str, Any]) -> str:
    """The same figures as gas.md, as charts."""
    from .reports import render_template

    charts: list[dict[str, Any]] = []
    aims: list[dict[str, Any]] = []
    figures: list[Figure] = []
    for b in benches:
        figs = results.get(b.key) or []
        if figs:
            charts += b.charts(figs)
            aims += b.aims(figs)
            figures += figs
    return render_template(
        "gas.html.j2", charts=charts, figures=figures, aims=aims, env=env,
        generated=_dt.datetime.now(tz=_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )


def load_snapshot(path: str | Path | None = None) -> dict[str, Any]:
    p = Path(path) if path else project_root() / "benchmarks" / "gas.json"
    return json.loads(p.read_text())
