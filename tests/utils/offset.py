"""Shared helpers of the offset tests: short texts as bytes32, retirement inputs, lots."""

from tests.utils.docs import make_digest

DAY = 86400
ZERO = b"\x00" * 32
ZERO_ADDRESS = "0x" + "00" * 20


def b32(text: str) -> bytes:
    """Short ASCII text as a right-padded bytes32 (Solidity's bytes32("VCS"))."""
    return text.encode().ljust(32, b"\x00")


VCS, GS = b32("VCS"), b32("GS")
CARBON_VERIFIER = b32("CarbonVerifier")


def retirement_input(first, last, *, standard=VCS, project="1529", vintage=2021, beneficiary=None,
                     reason="neutrality", programme=0, tag="r"):
    """The RetirementInput tuple for a range (digests derived from the tag and the serials)."""
    return (
        standard,
        b32(project),
        vintage,
        first,
        last,
        beneficiary,
        b32(reason),
        make_digest(f"cancel-{tag}-{first}-{last}"),
        make_digest(f"trade-{tag}-{first}-{last}"),
        programme,
    )


def find_hint(registry, standard, project, vintage, first, page=200):
    """The standing record just before a range starting at `first` (0: none), walked on chain in pages."""
    lot = registry.lotKey(standard, b32(project), vintage)
    cursor = 0
    while True:
        cursor, complete = registry.locate(lot, first, cursor, page)
        if complete:
            return cursor
