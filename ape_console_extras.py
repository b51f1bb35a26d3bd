"""Names that `ape console` gets on start: the CarbonChain SDK and the deployed contracts.

    >>> notary.anchor_files(["contract.pdf"], sender=manager, signers=[manager, custodian])
    >>> DocumentRegistry.getRecord(digest, 1)
    >>> feeds["CEA"].contract.latestRoundData(); feeds["CEA"].status()
    >>> deploy()            # deploy (or reuse) everything on this chain
"""

from carbonchain import hashing, merkle
from carbonchain.deploy import deploy_all
from carbonchain.deployments import Deployment
from carbonchain.hashing import Algorithm, digest_file
from carbonchain.identity import DIDs
from carbonchain.markets import from_price, to_price
from carbonchain.notary import Notary
from carbonchain.oracle import Feed, PriceFeeds
from carbonchain.vc import Credentials


def ape_init_extras(accounts, chain, project):
    extras = {
        "Algorithm": Algorithm,
        "digest_file": digest_file,
        "hashing": hashing,
        "merkle": merkle,
        "Notary": Notary,
        "PriceFeeds": PriceFeeds,
        "to_price": to_price,
        "from_price": from_price,
    }
    test = accounts.test_accounts
    extras.update(manager=test[0], custodian=test[1], investor=test[2], platform=test[3],
                  operators=[test[i] for i in (6, 7, 8, 9)])

    def deploy(fresh: bool = False):
        """Deploy (or reuse) every contract from test account 0; refreshes the console names."""
        result = deploy_all(test[0], fresh=fresh, log=print)
        _bind(result.deployment)
        return result.deployment

    def _bind(dep):
        import builtins

        for name, address in dep.contracts.items():
            contract = getattr(project, name).at(address)
            extras[name] = contract
            setattr(builtins, name, contract)
        notary = Notary(project.DocumentRegistry.at(dep.contracts["DocumentRegistry"]), from_block=dep.block)
        extras["notary"] = notary
        builtins.notary = notary
        if "DIDRegistry" in dep.contracts:
            dids = DIDs(project.DIDRegistry.at(dep.contracts["DIDRegistry"]))
            extras["dids"] = dids
            builtins.dids = dids
        if {"DIDRegistry", "TrustedIssuerRegistry", "CredentialRegistry"} <= set(dep.contracts):
            creds = Credentials(project.DIDRegistry.at(dep.contracts["DIDRegistry"]),
                                project.TrustedIssuerRegistry.at(dep.contracts["TrustedIssuerRegistry"]),
                                project.CredentialRegistry.at(dep.contracts["CredentialRegistry"]), from_block=dep.block)
            extras["creds"] = creds
            builtins.creds = creds
        if dep.price_feeds:
            feeds = PriceFeeds({c: Feed(project.CarbonPriceFeed.at(a)) for c, a in dep.price_feeds.items()})
            extras["feeds"] = feeds
            builtins.feeds = feeds

    extras["deploy"] = deploy
    dep = Deployment.load(chain.chain_id)
    if dep is not None and dep.contracts:
        from carbonchain.deployments import is_live

        live = all(is_live(a, getattr(project, n), dep, n) for n, a in dep.contracts.items()) and all(
            is_live(a, project.CarbonPriceFeed, dep, "CarbonPriceFeed", key=f"feed:{c}") for c, a in dep.price_feeds.items()
        )
        if live:
            _bind(dep)
            print(f"CarbonChain: {', '.join(dep.contracts)} loaded from {dep.path}; `notary`, `dids`, `creds` and `feeds` are ready")
        else:
            print("CarbonChain: the deployments file is stale for this chain; run deploy()")
    else:
        print("CarbonChain: nothing deployed on this chain yet; run deploy()")
    return extras
