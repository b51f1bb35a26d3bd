"""core.jsonio.check_output: an output path is judged before anything is sent."""

import pytest

from carbonchain.core.errors import CarbonChainError
from carbonchain.core.jsonio import check_output, write_json


def test_missing_folder_is_fine_when_it_can_be_created(tmp_path):
    out = tmp_path / "new" / "deeper" / "x.json"
    assert check_output(out) == out
    write_json(out, {"a": 1})
    assert out.read_text().strip().startswith("{")


def test_existing_writable_file_is_fine(tmp_path):
    out = tmp_path / "x.json"
    out.write_text("kept")
    check_output(out)
    assert out.read_text() == "kept"  # the probe changes nothing


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda t: t, "is a folder"),
        (lambda t: (t / "f.txt").write_text("x") and t / "f.txt" / "out.json", "is a file, not a folder"),
        (lambda t: (t / "f.txt").write_text("x") and t / "f.txt" / "a" / "out.json", "is a file, not a folder"),
    ],
)
def test_unwritable_paths_are_refused(tmp_path, make, needle):
    with pytest.raises(CarbonChainError, match=needle) as info:
        check_output(make(tmp_path), "--out")
    assert "nothing was sent" in str(info.value) and str(info.value).startswith("--out ")


def test_unwritable_folder_is_refused():
    with pytest.raises(CarbonChainError, match="/proc/carbonchain"):  # not writable even by root
        check_output("/proc/carbonchain/proofs.json")


def test_evidence_digest_refuses_empty_files(tmp_path):
    from carbonchain.core.hashing import digest_evidence, digest_file

    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(CarbonChainError, match="empty.bin is empty"):
        digest_evidence(empty, "sha256")
    assert digest_evidence(empty, "sha256", allow_empty=True) == digest_file(empty, "sha256")
