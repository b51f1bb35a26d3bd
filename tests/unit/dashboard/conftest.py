"""The dashboard's fixtures: one world (real contracts, every kind of event), its index file, the
page served on 127.0.0.1 and a real headless Chromium (one world per module: Ape reverts the chain
after each module, so no other test sees it)."""

import os
import shutil
import socket
import threading
import time

import pytest

from carbonchain.audit import AUDITS
from carbonchain.dashboard import Indexer
from tests.utils.dashboard import deploy_world, identity_story, notary_story, oracle_story, proofs_env, write_proofs

CHROMIUM = os.environ.get("CARBONCHAIN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def world(project, accounts, chain):
    w = deploy_world(project, accounts, chain)
    notary_story(w)
    identity_story(w, chain)
    oracle_story(w, chain)
    return w


@pytest.fixture(scope="module")
def proofs_dir(world, tmp_path_factory):
    folder = tmp_path_factory.mktemp("proofs")
    write_proofs(world, folder)
    with proofs_env(folder):
        yield folder


@pytest.fixture(scope="module")
def indexed(world, proofs_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("index") / "dashboard.sqlite"
    Indexer(path, world.deployment, AUDITS).run()
    return path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(indexed):
    import uvicorn

    from carbonchain.dashboard.app import make_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(make_app(indexed, AUDITS), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright. Skips (one line) only where no browser is installed
    and not in CI; in CI (`CI` set) a missing browser fails."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must install chromium (.ci/run): {CHROMIUM} is missing")
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    yield pg
    pg.close()


@pytest.fixture
def shot(page, request):
    """page.screenshot helper for debugging: shot('name')."""
    return lambda name: page.screenshot(path=f"/tmp/dashboard-{name}.png", full_page=True)
