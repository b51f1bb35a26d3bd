"""The repo SDK's pure parts (amounts as people write them, the closure rule) and the keeper's
resilience: an RPC failure is one line and the scan goes on."""

import pytest

from carbonchain.core.errors import CarbonChainError
from carbonchain.repo import RpcReader, format_cny, parse_bps, parse_cny, parse_tonnes, scan, to_ref
from carbonchain.repo.model import DAY, out_of_closure


def test_amounts_as_people_write_them(tmp_path):
    assert parse_cny("1,000,000.00") == 100_000_000 and format_cny(100_000_000) == "1,000,000.00"
    assert parse_tonnes("5,000 t") == parse_tonnes("5000") == 5000
    assert parse_bps("160%") == 16000 and parse_bps("4.5%") == 450 and parse_bps("14000") == 14000
    for bad in ("1.001", "abc"):
        with pytest.raises(ValueError):
            parse_cny(bad)
    with pytest.raises(CarbonChainError):
        parse_bps("1.5")  # bps are whole
    f = tmp_path / "slip.pdf"
    f.write_bytes(b"bank slip")
    assert len(to_ref(f)) == 32 and to_ref("0x" + "ab" * 32) == b"\xab" * 32
    with pytest.raises(CarbonChainError):
        to_ref("no-such-file.pdf")


def test_deadline_out_of_closure_keeps_time_of_day():
    closure = (10 * DAY, 18 * DAY + 3600)
    assert out_of_closure(5 * DAY, closure) == 5 * DAY  # before
    assert out_of_closure(18 * DAY + 3600, closure) == 18 * DAY + 3600  # at reopening: open
    assert out_of_closure(12 * DAY + 7200, closure) == 18 * DAY + 7200  # same time on the first day at or after reopening
    assert out_of_closure(12 * DAY, closure) == 19 * DAY  # 18d 00:00 is still closed: the day after
    assert out_of_closure(12 * DAY, (0, 0)) == 12 * DAY


class FlakyReader(RpcReader):
    """A real reader whose calls to one address fail, as a dropped connection would."""

    def __init__(self, broken: str) -> None:
        super().__init__()
        self.broken = broken.lower()

    def call(self, to, data):
        if to.lower() == self.broken:
            self.calls += 1
            raise ConnectionError("connection reset by peer")
        return super().call(to, data)


def test_rpc_failure_is_one_line_and_the_scan_goes_on(world):
    rid = world.open()
    world.publish("60")
    s = scan(FlakyReader(world.feed.address), world.repo.address)
    assert [r.id for r in s.rows] == [rid] and s.candidates == []  # no price: nothing decided
    assert len(s.errors) == 1 and "connection reset by peer" in s.errors[0] and "\n" not in s.errors[0]
    good = scan(RpcReader(), world.repo.address)
    assert good.candidates == [rid] and good.errors == []
