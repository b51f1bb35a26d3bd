"""Two checkouts on one machine (issue 9, item 16): each keeps its own solc launcher.

Setup used to write one launcher per solc version into ~/.solcx with the checkout's path baked in:
the last clone set up won, and the first then compiled against the second's interfaces/. Now each
checkout writes its launcher into its own .solcx/ (SOLCX_BINARY_PATH, exported by the Makefile and
the venv); this test sets up two clones side by side and compiles the same import in each.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SOURCE = """// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "interfaces/Which.sol";
contract Probe { function which() external pure returns (uint256) { return WHICH; } }
"""


def make_clone(path: Path, which: int) -> Path:
    """A checkout as far as the compiler sees it: tools/, its own interfaces/, node_modules."""
    shutil.copytree(ROOT / "tools" / "solc", path / "tools" / "solc")
    (path / "interfaces").mkdir(parents=True)
    (path / "interfaces" / "Which.sol").write_text(f"// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\nuint256 constant WHICH = {which};\n")
    (path / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(["bash", str(path / "tools" / "solc" / "install-launcher.sh")], check=True, capture_output=True)
    return path


def compiled_which(clone: Path, tmp_path: Path) -> int:
    """Compiles like ape-solidity (base path: a temporary copy of the sources) with py-solc-x
    pointed at the clone's launchers, and returns the constant the import brought in."""
    launchers = sorted((clone / ".solcx").glob("solc-v*"))
    assert len(launchers) == 1
    build = tmp_path / f"build-{clone.name}"
    build.mkdir()
    request = {
        "language": "Solidity",
        "sources": {"Probe.sol": {"content": SOURCE}},
        "settings": {"outputSelection": {"*": {"*": ["evm.deployedBytecode.object"]}}},
    }
    env = {**os.environ, "SOLCX_BINARY_PATH": str(clone / ".solcx")}
    code = (
        "import json, sys, solcx; exe = solcx.install.get_executable(solcx.get_installed_solc_versions()[0]); "
        "print(json.dumps({'exe': str(exe), 'out': solcx.compile_standard(json.loads(sys.argv[1]), "
        "base_path=sys.argv[2], solc_binary=exe)}))"
    )
    res = subprocess.run(
        ["python", "-c", code, json.dumps(request), str(build)], env=env, capture_output=True, text=True, check=True
    )
    answer = json.loads(res.stdout)
    assert Path(answer["exe"]).parent == clone / ".solcx"
    runtime = answer["out"]["contracts"]["Probe.sol"]["Probe"]["evm"]["deployedBytecode"]["object"]
    # `return WHICH` compiles to PUSH1 <WHICH>; the two clones differ only in that constant.
    assert f"60{which_hex(clone)}" in runtime
    return int(which_hex(clone), 16)


def which_hex(clone: Path) -> str:
    value = int((clone / "interfaces" / "Which.sol").read_text().rsplit("=", 1)[1].strip(" ;\n"))
    return f"{value:02x}"


def test_two_clones_each_compile_against_their_own_files(tmp_path):
    first = make_clone(tmp_path / "first", 0x11)
    second = make_clone(tmp_path / "second", 0x22)
    launcher = (first / ".solcx").glob("solc-v*").__next__().read_text()
    assert str(first) in launcher and str(second) not in launcher
    assert compiled_which(first, tmp_path) == 0x11
    assert compiled_which(second, tmp_path) == 0x22
    # Deleting the second clone leaves the first one working.
    shutil.rmtree(second)
    (tmp_path / "build-first").rename(tmp_path / "build-first-old")
    assert compiled_which(first, tmp_path) == 0x11
