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


def npm_resolve(chain, registry_address: str, did: str) -> tuple[dict, int]:
    """The npm ethr-did-resolver's answer for ``did`` (tools/resolve-did.js), with delegates judged at
    the latest block's time; returns it with that time, for the Python resolver to judge at the same
    moment. Left to itself the npm resolver reads the wall clock, which a dev chain that moved its
    clock (Hardhat, where no snapshot winds it back between tests) has left behind."""
    import json
    import subprocess

    from tests.utils.docs import ROOT

    head = chain.blocks.head
    out = subprocess.run(
        ["node", str(ROOT / "tools" / "resolve-did.js"), rpc_url(chain.provider), str(chain.chain_id),
         str(registry_address), did, str(head.number)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(out.stdout), int(head.timestamp)


def npm_verify(chain, registry_address: str, jwt: str) -> dict:
    """The npm did-jwt-vc verdict on ``jwt`` (tools/verify-vc.js), nbf/exp judged by the chain's clock
    (chain_time, as the Python verifier judges them), not the wall clock."""
    import json
    import subprocess

    from carbonchain.core.network import chain_time
    from tests.utils.docs import ROOT

    out = subprocess.run(
        ["node", str(ROOT / "tools" / "verify-vc.js"), rpc_url(chain.provider), str(chain.chain_id),
         str(registry_address), jwt, str(chain_time())],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(out.stdout)
