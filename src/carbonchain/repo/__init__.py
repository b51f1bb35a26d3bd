"""Carbon repo: agreements, collateral health, the keeper and the desk (issue 11)."""

from .keeper import Keeper, RpcReader, Scan, open_ids, plain_loop, scan
from .model import Health, Position, Status, amount_due, collateral_ratio, evaluate, max_principal
from .notices import Notice, notice_for, publish_notice
from .sdk import AgreementInfo, RatioInfo, Repo, to_ref
from .terms import Terms, format_bps, format_cny, format_tonnes, parse_bps, parse_cny, parse_tonnes

__all__ = [
    "AgreementInfo", "Health", "Keeper", "Notice", "Position", "RatioInfo", "Repo", "RpcReader", "Scan", "Status",
    "Terms", "amount_due", "collateral_ratio", "evaluate", "format_bps", "format_cny", "format_tonnes",
    "max_principal", "notice_for", "open_ids", "parse_bps", "parse_cny", "parse_tonnes", "plain_loop",
    "publish_notice", "scan", "to_ref",
]
