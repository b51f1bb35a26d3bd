"""Serial numbers as registries print them: Verra VCU blocks and STANDARD-PROJECT-VINTAGE-first-last;
every malformed part is named in one line."""

import pytest

from carbonchain.offset import SerialBlock, SerialError, parse_generic, parse_serial, parse_serial_number, parse_verra

VCU = "10174-183398935-183399934-VCS-VCU-263-VER-CN-1-1529-01012018-31122018-0"


def test_verra_block():
    b = parse_serial(VCU)
    assert b == SerialBlock("VCS", "1529", 2018, 183398935, 183399934)
    assert b.quantity == 1000 and parse_verra(VCU) == b
    assert parse_serial("0001-000001-000100-VCS-VCU-003-VER-US-0003-01012020-31122020-1") == SerialBlock(
        "VCS", "3", 2020, 1, 100)


def test_generic_block():
    assert parse_serial("CCER-001234-2021-1-500") == SerialBlock("CCER", "001234", 2021, 1, 500)
    assert parse_generic("gs-GS-1247-2020-7-7") == SerialBlock("GS", "GS-1247", 2020, 7, 7)
    assert str(SerialBlock("GS", "GS-1247", 2020, 7, 9)) == "GS-GS-1247-2020-7-9"


@pytest.mark.parametrize("text,needle", [
    ("10174-18339893x-183399934-VCS-VCU-263-VER-CN-1-1529-01012018-31122018-0", "first serial '18339893x' is not a number"),
    ("10174-183398935-183398934-VCS-VCU-263-VER-CN-1-1529-01012018-31122018-0", "last serial '183398934' is before"),
    ("10174-1-2-VCS-VCU-263-XYZ-CN-1-1529-01012018-31122018-0", "VER marker 'XYZ' should be VER"),
    ("10174-1-2-VCS-VCU-263-VER-CHN-1-1529-01012018-31122018-0", "country 'CHN' is not a two-letter"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1-15a9-01012018-31122018-0", "project id '15a9' is not a number"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1-1529-32012018-31122018-0", "vintage start '32012018' is not a valid"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1-1529-0101201-31122018-0", "vintage start '0101201' is not a DDMMYYYY"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1-1529-01012019-31122018-0", "vintage end '31122018' is before"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1-1529-01012018-31122018-2", "additional certification flag '2'"),
    ("10174-1-2-VCS-VCU-263-VER-CN-1529-01012018-31122018", "has 13 hyphen-separated parts (12 without the sectoral scope), this one has 11"),
    ("CCER-001234-21-1-500", "vintage '21' is not a year"),
    ("CCER-001234-2021-one-500", "first serial 'one' is not a number"),
    ("CCER-001234-2021-9-5", "last serial '5' is before the first serial 9"),
    ("CCER-001234-2021-1-99999999999999999999", "is above the largest serial"),
    ("CC ER-001234-2021-1-5", "standard 'CC ER' must be"),
    ("CCER-2021-1-5", "expected STANDARD-PROJECT-VINTAGE-first-last"),
    ("", "empty"),
])
def test_malformed_serial_is_one_line_naming_the_part(text, needle):
    with pytest.raises(SerialError) as info:
        parse_serial(text)
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_single_serials():
    assert parse_serial_number("CCER-001234-2021-42") == (SerialBlock("CCER", "001234", 2021, 42, 42), 42)
    block, serial = parse_serial_number(VCU + "@183399000")
    assert serial == 183399000 and block.first == 183398935
    with pytest.raises(SerialError, match="serial '5' is outside the block 183398935-183399934"):
        parse_serial_number(VCU + "@5")
    with pytest.raises(SerialError, match="names 1000 credits; add @SERIAL"):
        parse_serial_number(VCU)
