"""Repo figures: gas of every RepoManager call, ``check`` for 1/10/100 agreements with and without a
transition, and the keeper's scan of 10 / 1,000 / 10,000 open agreements (wall time and RPC calls)
beside the plain one-call-per-agreement loop. Written to ``benchmarks/repo.{json,md}`` by
``ape run repo bench`` (on anvil).

How the agreements are made: the first 10 through the real path, one agreement = 4 transactions
from 4 accounts through Ape (propose, maker approval, checker approval, activation), timed; the rest
through the test-only ``BulkRepoOpener`` (contracts/test/), which opens many agreements per
transaction through the same RepoManager functions and checks (it is the financier, the maker and
the custodian; its ``RepoSecondReviewer`` is the checker). No storage is written behind the
contract's back.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.bench import Figure, environment, recorder
from ..core.deployments import project_root
from ..core.hashing import Algorithm
from ..core.jsonio import write_json
from .keeper import RpcReader, plain_loop, scan
from .local import RepoWorld

Progress = Callable[[str], None]
CHECK_SIZES = (1, 10, 100)
SCAN_SIZES = (10, 1_000, 10_000)
REAL_PATH = 10
PER_TX = 50  # agreements per BulkRepoOpener transaction (about 420k gas each)


def _world(accounts: Sequence[Any]) -> RepoWorld:
    from ape import project

    w = RepoWorld.build(list(accounts), project)
    w.publish("80")
    return w


def measure_calls(accounts: Sequence[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """Gas of each RepoManager call once, on a fresh world."""
    figs: list[Figure] = []
    add = recorder(figs, progress)
    w = _world(accounts)
    repo = w.repo
    t = w.terms()
    r = repo.propose(t.as_tuple(), sender=w.financier)
    add("propose", "propose (terms stored, RepoProposed)", r)
    rid = int(list(r.decode_logs(repo.RepoProposed))[0].id)
    add("propose_approval", "proposeApproval (maker)", repo.proposeApproval(rid, 3, w.ref(), sender=w.risk[0]))
    add("confirm_approval", "confirmApproval (checker: contract, credential, price, haircut)",
        repo.confirmApproval(rid, sender=w.risk[1]))
    add("activate", "activate (custodian)", repo.activate(rid, w.ref(), sender=w.custodian))
    add("top_up", "topUp, no health change", repo.topUp(rid, 100, w.ref(), sender=w.custodian))
    add("repay", "repay (interest folded), no health change", repo.repay(rid, 1_000_000, w.ref(), sender=w.financier))
    add("check_1_none", "check([1 id]), no transition", repo.check([rid], sender=w.counterparty))
    w.publish("50")
    add("check_1_margin_call", "check([1 id]) -> MarginCall", repo.check([rid], sender=w.counterparty))
    add("top_up_cure", "topUp that cures a margin call", repo.topUp(rid, 3000, w.ref(), sender=w.custodian))
    w.publish("65")
    add("repurchase", "repurchase (custodian)", repo.repurchase(rid, w.ref(), sender=w.custodian))
    b = w.propose(t)
    add("cancel", "cancel (proposed)", repo.cancel(b, sender=w.counterparty))
    now = w.now()
    c = w.open(start=now, maturity=now + 3 * 86400)
    w.advance(4 * 86400)
    w.publish("65")
    add("declare_default", "declareDefault (financier)", repo.declareDefault(c, sender=w.financier))
    add("propose_close_out", "proposeCloseOut (maker)", repo.proposeCloseOut(c, 18_000_000, w.ref(), sender=w.risk[0]))
    add("confirm_close_out", "confirmCloseOut (checker)", repo.confirmCloseOut(c, sender=w.risk[1]))
    return figs


class Opener:
    """Opens agreements in bulk through RepoManager's own functions (test-only BulkRepoOpener)."""

    def __init__(self, w: RepoWorld) -> None:
        from ape import project

        self.w = w
        self.opener = w.admin.deploy(project.BulkRepoOpener)
        reviewer = self.opener.reviewer()
        repo = w.repo
        for role, who in ((repo.FINANCIER_ROLE(), self.opener), (repo.RISK_ROLE(), self.opener),
                          (repo.CUSTODIAN_ROLE(), self.opener), (repo.RISK_ROLE(), reviewer)):
            repo.grantRole(role, who, sender=w.admin)
        d = w.ref("bulk-contract")
        alg = int(Algorithm.SHA256)
        self.opener.anchorAndSign(w.documents, d, alg, [self.opener.address, w.counterparty.address], sender=w.admin)
        w.documents.sign(self.opener.address, d, alg, sender=w.counterparty)
        now = w.now()
        self.terms = w.terms(financier=self.opener.address, contract_digest=d, start=now, maturity=now + 365 * 86400)

    def open(self, n: int, progress: Progress) -> None:
        done = 0
        while done < n:
            k = min(PER_TX, n - done)
            self.opener.open(self.w.repo, self.terms.as_tuple(), k, sender=self.w.admin, gas_limit=29_000_000)
            done += k
            if done % 500 == 0 or done == n:
                progress(f"bulk-opened {done}/{n}")


def measure_check(accounts: Sequence[Any], *, progress: Progress = lambda _m: None) -> list[Figure]:
    """check(ids) for 1, 10, 100 agreements: no transition, then each -> Warning."""
    figs: list[Figure] = []
    add = recorder(figs, progress)
    for n in CHECK_SIZES:
        w = _world(accounts)
        opener = Opener(w)
        first = int(w.repo.agreementCount()) + 1
        opener.open(n, progress)
        ids = list(range(first, first + n))
        add(f"check_{n}_none", f"check({n} ids), no transition", w.repo.check(ids, sender=w.counterparty), docs=n)
        w.publish("60")  # 150%: Warning
        add(f"check_{n}_warning", f"check({n} ids), each -> Warning", w.repo.check(ids, sender=w.counterparty), docs=n)
    return figs


def marginal(figs: list[Figure], kind: str) -> float:
    by = {f.key: f.gas for f in figs}
    lo, hi = CHECK_SIZES[0], CHECK_SIZES[-1]
    return (by[f"check_{hi}_{kind}"] - by[f"check_{lo}_{kind}"]) / (hi - lo)


def measure_scan(accounts: Sequence[Any], *, sizes: Sequence[int] = SCAN_SIZES, progress: Progress = lambda _m: None,
                 plain_up_to: int = 10_000) -> dict[str, Any]:
    """Keeper scans at each size (agreements added between sizes), with the plain loop beside."""
    w = _world(accounts)
    out: dict[str, Any] = {"sizes": [], "real_path": {}}
    t0 = time.perf_counter()
    for _ in range(min(REAL_PATH, sizes[0])):
        w.open()
    real = time.perf_counter() - t0
    out["real_path"] = {"agreements": min(REAL_PATH, sizes[0]), "seconds": round(real, 2),
                        "seconds_per_agreement": round(real / min(REAL_PATH, sizes[0]), 3),
                        "transactions_per_agreement": 4}
    progress(f"real path: {min(REAL_PATH, sizes[0])} agreements in {real:.1f} s")
    opener = Opener(w)
    bulk = out["bulk_path"] = {"agreements": 0, "seconds": 0.0, "per_transaction": PER_TX}
    for n in sizes:
        have = int(w.repo.agreementCount())
        if n > have:
            t1 = time.perf_counter()
            opener.open(n - have, progress)
            spent = time.perf_counter() - t1
            bulk["agreements"] += n - have
            bulk["seconds"] = round(bulk["seconds"] + spent, 1)
            progress(f"bulk path: {n - have} agreements in {spent:.1f} s")
        reader = RpcReader()
        s = scan(reader, w.repo.address)
        row = {"agreements": len(s.rows), "scan_rpc_calls": s.rpc_calls, "scan_seconds": round(s.seconds, 3),
               "errors": len(s.errors)}
        if n <= plain_up_to:
            calls, secs = plain_loop(RpcReader(), w.repo.address, [r.id for r in s.rows])
            row.update(plain_rpc_calls=calls, plain_seconds=round(secs, 3))
        out["sizes"].append(row)
        progress(f"{n}: keeper scan {s.rpc_calls} calls / {s.seconds:.2f} s; plain loop "
                 f"{row.get('plain_rpc_calls', '-')} calls / {row.get('plain_seconds', '-')} s")
    return out


def run(accounts: Sequence[Any], *, sizes: Sequence[int] = SCAN_SIZES, progress: Progress = lambda _m: None,
        out_dir: str | Path | None = None) -> tuple[Path, Path]:
    calls = measure_calls(accounts, progress=progress)
    checks = measure_check(accounts, progress=progress)
    scans = measure_scan(accounts, sizes=sizes, progress=progress)
    env = environment()
    data = {
        "environment": env,
        "calls": {f.key: {"operation": f.operation, "gas": f.gas} for f in calls},
        "check": {f.key: {"operation": f.operation, "gas": f.gas, "agreements": f.documents} for f in checks},
        "check_marginal": {"none": marginal(checks, "none"), "warning": marginal(checks, "warning")},
        "scan": scans,
    }
    out = Path(out_dir) if out_dir else project_root() / "benchmarks"
    json_path = write_json(out / "repo.json", data)
    md_path = out / "repo.md"
    md_path.write_text(render(data))
    return json_path, md_path


def render(data: dict[str, Any]) -> str:
    env = data["environment"]
    m = data["check_marginal"]
    lines = [
        "# Carbon repo figures",
        "",
        "Written by `ape run repo bench` (here on anvil). Gas is each receipt's `gasUsed`; wall times are",
        f"this machine's, with other work running beside. Provider `{env.get('provider')}` (chain {env.get('chain_id')}),",
        f"solc {env.get('solc')}, optimizer {env.get('optimizer_runs')} runs.",
        "",
        "## Gas of every call",
        "",
        "| call | gas |",
        "|---|---:|",
    ]
    lines += [f"| {v['operation']} | {v['gas']:,} |" for v in data["calls"].values()]
    lines += [
        "",
        "## `check(ids)`",
        "",
        "| agreements | no transition | each -> Warning |",
        "|---:|---:|---:|",
    ]
    c = data["check"]
    for n in CHECK_SIZES:
        lines.append(f"| {n} | {c[f'check_{n}_none']['gas']:,} | {c[f'check_{n}_warning']['gas']:,} |")
    lines += [
        "",
        f"Marginal gas per agreement (from 1 to 100): **{m['none']:,.0f}** without a transition (aim <= 10,000),",
        f"**{m['warning']:,.0f}** with one (aim <= 20,000). One price read per feed per call; two storage slots",
        "read per agreement; a transition writes one slot and emits HealthChanged.",
        "",
        "## Keeper scan",
        "",
        "The keeper reads the open set from one `eth_getLogs`, positions in batches of 1,000 ids, two calls",
        "per feed and the head block; the plain loop calls `ratio(id)` once per agreement. Both through the",
        "same counted raw JSON-RPC reader.",
        "",
        "| open agreements | keeper RPC calls | keeper wall time | plain loop RPC calls | plain loop wall time |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in data["scan"]["sizes"]:
        lines.append(f"| {row['agreements']:,} | {row['scan_rpc_calls']} | {row['scan_seconds']:.2f} s | "
                     f"{row.get('plain_rpc_calls', '-'):,} | {row.get('plain_seconds', 0):.2f} s |")
    rp = data["scan"]["real_path"]
    lines += [
        "",
        f"How the agreements were made: the first {rp['agreements']} through the real path, "
        f"{rp['transactions_per_agreement']} transactions",
        f"from 4 accounts each through Ape ({rp['seconds_per_agreement']:.2f} s per agreement here); the rest with the",
        "test-only `BulkRepoOpener`, which calls the same RepoManager functions (propose, maker and checker",
        f"approval, activation) for {PER_TX} agreements per transaction. No storage written behind the contract.",
    ]
    bp = data["scan"].get("bulk_path")
    if bp:
        lines.append(f"Bulk path here: {bp['agreements']:,} agreements in {bp['seconds']:,.0f} s.")
    lines += [
        "",
        "Run on an anvil started by hand (`anvil --port <port> --accounts 16 --gas-limit 30000000`) that Ape",
        "connected to: ape-foundry starts anvil with `--steps-tracing`, which kept every EVM step of the",
        "bulk transactions and grew anvil past 7 GB before 10,000 agreements.",
        "",
    ]
    return "\n".join(lines)
