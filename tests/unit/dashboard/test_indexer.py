"""The indexer: every kind of event lands in its domain's table, with its transaction, block and
time; a run killed mid-way resumes and counts nothing twice; another chain or deployment is
indexed afresh."""

import dataclasses
import sqlite3

import pytest

from carbonchain.audit import AUDITS
from carbonchain.core.deployments import Deployment
from carbonchain.core.errors import CarbonChainError
from carbonchain.dashboard import Indexer
from carbonchain.dashboard.indexer import ape_contract_type
from tests.utils.dashboard import q


STORY_DOMAINS = ("notary", "identity", "oracle")  # what the world's story drives (repo, fund: test_domain_views)


def domain_tables(path):
    names = [r[0] for r in q(path, "SELECT name FROM sqlite_master WHERE type='table'")]
    return sorted(n for n in names if n.split("_")[0] in STORY_DOMAINS)


def snapshot(path):
    """Every row of every table but meta (for comparing two index files)."""
    return {t: sorted(q(path, f'SELECT * FROM "{t}"')) for t in domain_tables(path) + ["events", "contracts"]}


def test_every_declared_event_is_mapped_or_deliberately_left_raw():
    """Every event of every contract a domain reads (all of them deployed) has a mapper or is
    listed as deliberately left in the raw log."""
    from ape import project

    names = [n for n in project.contracts if not n.startswith(("I", "Test", "Median", "Looping", "Bulk"))]
    everything = Deployment(chain_id=1, contracts={n: "0x" + f"{i + 1:040x}" for i, n in enumerate(names)},
                            price_feeds={"CEA": "0x" + "ff" * 20})
    seen = set()
    for domain in AUDITS:
        for source in domain.sources(everything):
            seen.add(source.contract)
            for event in ape_contract_type(source.contract).events:
                assert (source.contract, event.name) in domain.mappers or event.name in domain.unmapped, (
                    f"{source.contract}.{event.name} is neither mapped by {domain.name} nor listed as unmapped")
    assert {"DocumentRegistry", "CredentialRegistry", "CarbonPriceFeed", "RepoManager", "FundSubscriptions"} <= seen


def test_an_event_of_every_kind_lands_in_its_table(world, indexed):
    emitted = {(c, e) for c, e in q(indexed, "SELECT DISTINCT contract, event FROM events")}
    mapped = {key for d in AUDITS if d.name in STORY_DOMAINS for key in d.mappers}
    assert mapped <= emitted, f"the story misses {sorted(mapped - emitted)}"
    # every domain row carries its provenance, and that provenance is a real indexed event
    for table in domain_tables(indexed):
        rows = q(indexed, f"SELECT tx, log_index, block, time FROM {table}")
        assert rows, f"{table} is empty"
        for tx, log_index, block, time in rows:
            assert q(indexed, "SELECT block, time FROM events WHERE tx = ? AND log_index = ?", tx, log_index) == [
                (block, time)]
    f = world.facts
    assert q(indexed, "SELECT status, signed, required FROM notary_documents WHERE digest = ?", f["contract"]) == [
        ("FullySigned", 3, 3)]
    assert q(indexed, "SELECT status, next_digest FROM notary_documents WHERE digest = ?", f["draft"]) == [
        ("Superseded", f["amended"])]
    # the new version is anchored just after DocumentSuperseded (same tx): it still links back
    assert q(indexed, "SELECT status, previous_digest, anchorer FROM notary_documents WHERE digest = ?",
             f["amended"]) == [("Registered", f["draft"], world.people["manager"].address)]
    assert q(indexed, "SELECT status, reason FROM notary_documents WHERE digest = ?", f["wrong"]) == [("Revoked", 2)]
    assert q(indexed, "SELECT leaf_count FROM notary_batches WHERE root = ?", f["root"]) == [(4,)]
    assert q(indexed, "SELECT status, reason FROM identity_credentials WHERE digest = ?", f["revoked_credential"]) == [
        ("Revoked", 3)]
    assert [r[0] for r in q(indexed, "SELECT action FROM identity_credential_events WHERE digest = ? ORDER BY block",
                            f["revoked_credential"])] == ["issued", "suspended", "reinstated", "revoked"]
    assert {r[0] for r in q(indexed, "SELECT action FROM identity_accreditations")} == {
        "accredited", "suspended", "reinstated", "withdrawn"}
    assert {r[0] for r in q(indexed, "SELECT change FROM identity_did_changes")} == {"owner", "delegate", "attribute"}
    assert {r[0] for r in q(indexed, "SELECT action FROM oracle_rounds")} == {"published", "held", "discarded", "confirmed"}
    assert {r[0] for r in q(indexed, "SELECT setting FROM oracle_settings")} == {
        "bounds", "params", "operator added", "operator removed", "closure", "closure cancelled"}
    assert {r[0] for r in q(indexed, "SELECT action FROM oracle_markets")} == {"registered", "updated", "removed"}
    assert q(indexed, "SELECT COUNT(*) FROM oracle_quotes WHERE relayer IS NOT NULL") == [(3,)]


class Crash(Exception):
    pass


def crashing(domains, event, after):
    """The same domains, but the mapper of ``event`` raises on its ``after``-th call (a kill mid-run)."""
    calls = {"n": 0}
    out = []
    for d in domains:
        mappers = dict(d.mappers)
        for key, fn in d.mappers.items():
            if key[1] == event:
                def boom(db, ev, fn=fn):
                    calls["n"] += 1
                    if calls["n"] == after:
                        raise Crash("killed")
                    fn(db, ev)
                mappers[key] = boom
        out.append(dataclasses.replace(d, mappers=mappers))
    return out


def test_restart_mid_index_resumes_and_counts_nothing_twice(world, proofs_dir, tmp_path, chain):
    clean = tmp_path / "clean.sqlite"
    Indexer(clean, world.deployment, AUDITS).run()
    path = tmp_path / "restarted.sqlite"
    head = chain.blocks.head.number
    start = world.deployment.block
    first = Indexer(path, world.deployment, AUDITS, chunk_blocks=7).run(to_block=start + 20)
    assert first.fresh and first.to_block == start + 20
    with pytest.raises(CarbonChainError, match="killed"):
        Indexer(path, world.deployment, crashing(AUDITS, "CredentialRevoked", 1), chunk_blocks=7).run()
    last = int(q(path, "SELECT value FROM meta WHERE key = 'last_block'")[0][0])
    assert start + 20 <= last < head
    # the killed chunk left nothing behind: every raw event is at or below the last whole chunk
    assert q(path, "SELECT COUNT(*) FROM events WHERE block > ?", last) == [(0,)]
    again = Indexer(path, world.deployment, AUDITS, chunk_blocks=7).run()
    assert not again.fresh and again.from_block == last + 1 and again.to_block == head
    assert snapshot(path) == snapshot(clean)
    # nothing new: a further run reads nothing and changes nothing
    assert Indexer(path, world.deployment, AUDITS).run().events == 0
    assert snapshot(path) == snapshot(clean)


def test_changed_chain_or_deployment_is_indexed_afresh(world, tmp_path):
    path = tmp_path / "index.sqlite"
    Indexer(path, world.deployment, AUDITS).run()
    full = q(path, "SELECT COUNT(*) FROM events")[0][0]

    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0xdead' WHERE key = 'genesis'")
    db.execute("INSERT INTO notary_batches (tx, log_index, block, time, root) VALUES ('0xstale', 0, 1, 1, '0x00')")
    db.commit()
    db.close()
    r = Indexer(path, world.deployment, AUDITS).run()
    assert r.fresh and "genesis" in r.reason
    assert q(path, "SELECT COUNT(*) FROM notary_batches WHERE tx = '0xstale'") == [(0,)]
    assert q(path, "SELECT COUNT(*) FROM events")[0][0] == full

    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0xbeef' WHERE key = 'last_block_hash'")
    db.commit()
    db.close()
    r = Indexer(path, world.deployment, AUDITS).run()
    assert r.fresh and "no longer on the chain" in r.reason

    fewer = dataclasses.replace(world.deployment, price_feeds={},
                                contracts={k: v for k, v in world.deployment.contracts.items() if k != "MarketRegistry"})
    r = Indexer(path, fewer, AUDITS).run()
    assert r.fresh and r.reason == "deployments changed"
    assert q(path, "SELECT COUNT(*) FROM oracle_rounds") == [(0,)]
    assert q(path, "SELECT COUNT(*) FROM events")[0][0] < full
    assert q(path, "SELECT COUNT(*) FROM notary_documents") == [(4,)]


def test_market_staleness_is_judged_by_the_indexed_chains_clock(indexed, tmp_path):
    """A chain whose clock runs ahead of (or behind) the wall is judged by its own time: the index
    keeps the head block's time and the market view's staleness uses it, not the wall clock."""
    import shutil
    import sqlite3

    from carbonchain.core.audit import chain_time
    from carbonchain.oracle.audit import _market_sections

    path = tmp_path / "copy.sqlite"
    shutil.copy(indexed, path)
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    head = int(db.execute("SELECT value FROM meta WHERE key = 'last_block_time'").fetchone()[0])
    assert head >= int(db.execute("SELECT MAX(time) FROM events").fetchone()[0]) and chain_time(db) == head
    last_obs = int(db.execute("SELECT MAX(observed_at) FROM oracle_rounds WHERE action IN ('published', 'confirmed')")
                   .fetchone()[0])

    def staleness(at):
        db.execute("UPDATE meta SET value = ? WHERE key = 'last_block_time'", (str(at),))
        (section,) = _market_sections(db, "CEA")
        return dict(section.facts)["staleness"]

    # the story's last price was observed 14 days before the head: stale by the chain's clock...
    assert staleness(head).startswith("STALE")
    # ...and fresh on a chain whose clock stands an hour after that observation, whatever the wall says
    assert staleness(last_obs + 3600).startswith("fresh until")
