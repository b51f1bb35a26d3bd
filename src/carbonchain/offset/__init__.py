"""Offset retirement and carbon neutrality (``contracts/offset/``): serial blocks retired once and
only once (RetirementRegistry, constant-time overlap check with a hint the SDK finds), neutrality
programmes from demand to certificate (NeutralityProgramme), the HTML certificate anchored in
DocumentRegistry, and the gas figures."""

from .certificate import CertificateResult, certify_programme, render_certificate
from .programme import FULL_BPS, Programme, Programmes, Scope, Status, format_period, parse_period
from .registry import Retirement, Retirements, SerialCheck, from_text32, reason32, text32
from .serials import SerialBlock, SerialError, parse_generic, parse_serial, parse_serial_number, parse_verra


def check_serial(serial: str) -> SerialCheck:
    """Whether a serial (or any serial of a block) is retired now on the project's deployment, in
    which record, for whom and when: ``check_serial("CCER-001234-2021-42").lines()``."""
    return Retirements.deployed().check_serial(serial)


__all__ = [
    "FULL_BPS", "CertificateResult", "Programme", "Programmes", "Retirement", "Retirements", "Scope", "SerialBlock",
    "SerialCheck", "SerialError", "Status", "certify_programme", "check_serial", "format_period", "from_text32",
    "parse_generic", "parse_period", "parse_serial", "parse_serial_number", "parse_verra", "reason32",
    "render_certificate", "text32",
]
