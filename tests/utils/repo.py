"""Helpers shared by the repo tests."""

from carbonchain.repo.model import Health, Position, Status

ZERO32 = b"\x00" * 32


def position(repo, rid) -> Position:
    (p,) = repo.positions([rid])
    return Position.from_chain(p)


def health(repo, rid) -> Health:
    return Health(int(repo.getAgreement(rid).health))


def status(repo, rid) -> Status:
    return Status(int(repo.getAgreement(rid).status))


def events(receipt, contract, name):
    return list(receipt.decode_logs(getattr(contract, name)))
