"""The node a test runs on, as far as the npm cross-checks need it."""


def rpc_url(provider) -> str | None:
    """The provider's HTTP JSON-RPC URL on any provider that has one (anvil, Hardhat through Ape's
    `node` provider, a Besu node...); None in-process. Cross-checks run wherever this is set
    (issue 16, bug 4: they used to run only when the provider was named "foundry")."""
    if getattr(provider, "name", "") == "test":  # Ape's in-process EVM reports a nominal URI
        return None
    for attr in ("http_uri", "uri"):
        try:
            value = getattr(provider, attr, None)
        except Exception:  # noqa: BLE001 - some providers raise when they have no such URL
            value = None
        if isinstance(value, str) and value.startswith("http"):
            return value
    return None
