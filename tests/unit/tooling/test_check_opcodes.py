"""tools/check_opcodes.py: the conservative build's guard against PUSH0, MCOPY, TLOAD and TSTORE.

The checker must decode bytecode as the EVM does: a 0x5f inside PUSH data, in the compiler's
metadata or in a constant stored after the code is data, not PUSH0.
"""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("check_opcodes", ROOT / "tools" / "check_opcodes.py")
check = importlib.util.module_from_spec(_spec)
sys.modules["check_opcodes"] = check
_spec.loader.exec_module(check)

METADATA = bytes.fromhex("a2646970667358221220" + "5f" * 32 + "64736f6c6343000825" + "0033")


def names(code: str | bytes) -> list[str]:
    return [h.name for h in check.forbidden_opcodes(code)]


def test_each_newer_opcode_is_found():
    # PUSH0; TLOAD; TSTORE; MCOPY; STOP
    assert names("5f5c5d5e00") == ["PUSH0", "TLOAD", "TSTORE", "MCOPY"]


def test_push_data_is_not_read_as_code():
    # PUSH2 0x5f5e; PUSH1 0x5c; PUSH32 (all 0x5d); STOP
    assert names("615f5e605c7f" + "5d" * 32 + "00") == []


def test_a_push0_after_push_data_is_found_at_its_offset():
    hits = check.forbidden_opcodes("615f5e5f00")  # PUSH2 0x5f5e; PUSH0; STOP
    assert [(h.offset, h.name, h.fork) for h in hits] == [(3, "PUSH0", "shanghai")]


def test_compiler_metadata_and_data_after_the_code_are_skipped():
    # CALLVALUE; PUSH1 0; MSTORE; INVALID; then a stored constant full of 0x5f and the metadata
    assert names(bytes.fromhex("3460005250fe" + "5f5e5c5d" * 8) + METADATA) == []


def test_data_after_an_embedded_contract_is_skipped_but_a_second_contract_is_checked():
    """CarbonPriceFeed's runtime embeds the creation code of the OperatorSet it deploys (ending in
    its own metadata), then data with a 0x5b (no JUMPDEST there) and 0x5e in it: that is not MCOPY.
    A second embedded contract (solc's PUSH1 0x80 PUSH1 0x40 MSTORE prologue) is code, checked."""
    child = bytes.fromhex("608060405200") + METADATA
    data = bytes.fromhex("5b5e5c5d5f")
    assert names(bytes.fromhex("600000") + child + data + METADATA) == []
    second = bytes.fromhex("60a06040525f00") + METADATA  # PUSH1 0xa0 PUSH1 0x40 MSTORE PUSH0 STOP
    assert names(bytes.fromhex("600000") + child + second + METADATA) == ["PUSH0"]


def test_code_reachable_through_a_jumpdest_after_a_halt_is_checked():
    # PUSH1 4; JUMP; INVALID; JUMPDEST; PUSH0; STOP: the PUSH0 runs
    assert names("600456fe5b5f00") == ["PUSH0"]


def test_the_default_build_would_fail_and_the_london_build_passes():
    """The guard has teeth on real output: solc's cancun build of the project uses PUSH0 (checked on
    whichever manifests exist; `make build-london` must leave a clean one)."""
    default = ROOT / ".build" / "__local__.json"
    if default.is_file():
        found = check.check_manifest(default)
        assert any(hits for hits in found.values())
    london = ROOT / "profiles" / "london" / ".build" / "__local__.json"
    if london.is_file():
        assert check.main([str(london)]) == 0


def test_a_contract_over_eip170s_size_limit_is_reported(tmp_path):
    """Without PUSH0 code grows: the london build must also fit EIP-170 (24,576 bytes of runtime)."""
    import json

    manifest = tmp_path / "m.json"
    big, small = "0x" + "00" * (check.MAX_RUNTIME_SIZE + 1), "0x" + "00" * 10
    manifest.write_text(json.dumps({"contractTypes": {
        "Big": {"runtimeBytecode": {"bytecode": big}}, "Small": {"runtimeBytecode": {"bytecode": small}}}}))
    assert check.oversized(manifest) == {"Big": check.MAX_RUNTIME_SIZE + 1}
    assert check.main([str(manifest)]) == 1
