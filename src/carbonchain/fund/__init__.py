"""Private-fund subscription (``contracts/fund/``): products, and the sale as an evidence trail
(qualified investor, suitability, double recording, e-contract, payment, cooling-off, return visit),
with an evidence bundle per subscription that a third party re-checks against the chain."""

from .evidence import BUNDLE_FORMAT, Item, ItemCheck, build_bundle, render_bundle, summary, verify_bundle
from .sdk import (
    DAY,
    NEXT_STEP,
    QUALIFIED_INVESTOR,
    STAGES,
    Funds,
    Product,
    Subscription,
    address_of,
    credential_ref,
    describe_subscription,
    parse_level,
    product_code,
)

__all__ = [
    "BUNDLE_FORMAT", "DAY", "NEXT_STEP", "QUALIFIED_INVESTOR", "STAGES", "Funds", "Item", "ItemCheck", "Product",
    "Subscription", "address_of", "build_bundle", "credential_ref", "describe_subscription", "parse_level",
    "product_code", "render_bundle", "summary", "verify_bundle",
]
