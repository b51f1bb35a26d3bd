"""The solc-js shim (tools/solc/solc-shim.js) as py-solc-x and Slither call it.

Finding 14 of the security review: the shim ignored ``--allow-paths`` and followed absolute and
``..`` imports anywhere on the machine. Native solc refuses a file outside the allowed directories
(the base path, the include paths and ``--allow-paths``); so does the shim now.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHIM = ROOT / "tools" / "solc" / "solc-shim.js"

CONTRACT = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "{target}";
contract Importer is Secret {{ function f() external pure returns (uint256) {{ return 1; }} }}
"""
SECRET = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Secret { uint256 internal s; }
"""


def shim(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["node", str(SHIM), *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture
def tree(tmp_path):
    """project/ (the allowed base path) and outside/Secret.sol next to it."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "Secret.sol").write_text(SECRET)
    return project, outside


def standard_json(project: Path, target: str, *extra: str) -> dict:
    source = CONTRACT.format(target=target)
    request = {
        "language": "Solidity",
        "sources": {"Importer.sol": {"content": source}},
        "settings": {"outputSelection": {"*": {"*": ["abi"]}}},
    }
    res = shim("--standard-json", "--base-path", str(project), *extra, stdin=json.dumps(request))
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def error_messages(out: dict) -> list[str]:
    return [e["message"] for e in out.get("errors", []) if e["severity"] == "error"]


def test_dotdot_import_outside_allowed_paths_is_refused(tree):
    """Finding 14: an import whose `..` segments leave the base path is refused, not read (a
    relative `../x` is normalised by the compiler itself; a direct `a/../../x` reaches the shim)."""
    project, _ = tree
    out = standard_json(project, "lib/../../outside/Secret.sol")
    assert "contracts" not in out or not out["contracts"]
    assert any("outside of allowed directories" in m for m in error_messages(out)), out


def test_absolute_import_outside_allowed_paths_is_refused(tree):
    """Finding 14: an absolute import of a file outside the allowed directories is refused."""
    project, outside = tree
    out = standard_json(project, str(outside / "Secret.sol"))
    assert any("outside of allowed directories" in m for m in error_messages(out)), out


def test_allow_paths_admits_the_directory_it_names(tree):
    """The same absolute import compiles once --allow-paths names its directory."""
    project, outside = tree
    out = standard_json(project, str(outside / "Secret.sol"), "--allow-paths", str(outside))
    assert error_messages(out) == []
    assert "Importer" in out["contracts"]["Importer.sol"]


def test_imports_inside_the_base_path_still_resolve(tree):
    project, _ = tree
    (project / "lib").mkdir()
    (project / "lib" / "Secret.sol").write_text(SECRET)
    out = standard_json(project, "lib/Secret.sol")
    assert error_messages(out) == []


def test_combined_json_answers_what_slither_reads(tree):
    """Slither (crytic-compile) calls `solc FILE --combined-json ... --allow-paths`; the answer has
    every contract keyed `file:Name` with abi, both bytecodes and source maps, and each source's AST."""
    project, _ = tree
    (project / "Secret.sol").write_text(SECRET)
    (project / "Importer.sol").write_text(CONTRACT.format(target="./Secret.sol"))
    opts = "abi,ast,bin,bin-runtime,srcmap,srcmap-runtime,userdoc,devdoc,hashes"
    res = shim("Importer.sol", "--combined-json", opts, "--allow-paths", f".,{project}", cwd=project)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    importer = out["contracts"]["Importer.sol:Importer"]
    assert set(importer) == set(opts.split(",")) - {"ast"}
    assert importer["hashes"] == {"f()": "26121ff0"}
    assert importer["bin-runtime"] and importer["srcmap-runtime"]
    assert set(out["sourceList"]) == {"Importer.sol", "Secret.sol"}
    assert out["sources"]["Secret.sol"]["AST"]["nodeType"] == "SourceUnit"


def test_combined_json_refuses_imports_outside_allowed_paths(tree):
    """Finding 14 in the mode Slither uses: the input file's directory and --allow-paths only."""
    project, _ = tree
    (project / "Importer.sol").write_text(CONTRACT.format(target="x/../../outside/Secret.sol"))
    res = shim("Importer.sol", "--combined-json", "abi", "--allow-paths", ".", cwd=project)
    assert res.returncode != 0
    assert "outside of allowed directories" in res.stderr
