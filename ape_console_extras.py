"""Names that `ape console` gets on start: the CarbonChain SDK and the deployed contracts.

    >>> notary.anchor_files(["contract.pdf"], sender=manager, signers=[manager, custodian])
    >>> DocumentRegistry.getRecord(digest, 1)
    >>> feeds["CEA"].contract.latestRoundData(); feeds["CEA"].status()
    >>> funds.subscription(1, reader=manager); funds.product("GGF-1")
    >>> check_serial("VCS-1529-2024-1100").lines()   # retired? in which record, for whom, when
    >>> deploy()            # deploy (or reuse) everything on this chain

Each domain's SDK object comes from its own ``deployed()`` (which checks the deployments file
against the chain); a domain whose contracts are missing is simply left out.
"""

from carbonchain.core import hashing, merkle
from carbonchain.core.deployments import Deployment, is_live
from carbonchain.core.errors import CarbonChainError
from carbonchain.core.hashing import Algorithm, digest_file
from carbonchain.core.personas import PERSONAS
from carbonchain.core.units import from_price, to_price
from carbonchain.deploy import deploy_all
from carbonchain.fund import Funds
from carbonchain.identity import Credentials, DIDs
from carbonchain.notary import Notary
from carbonchain.offset import Programmes, Retirements, check_serial, parse_serial
from carbonchain.oracle import Feed, PriceFeeds
from carbonchain.repo import Repo
from carbonchain.repo.console import console_helpers
from carbonchain.scenario.console import scenario

#: console name -> how to build it from this chain's deployment (one per domain SDK).
SDKS = {
    "notary": Notary.deployed,
    "dids": DIDs.deployed,
    "creds": Credentials.deployed,
    "feeds": PriceFeeds.deployed,
    "funds": Funds.deployed,
    "offsets": Retirements.deployed,
    "programmes": Programmes.deployed,
    "repo": Repo.deployed,
}


def ape_init_extras(accounts, chain, project):
    extras = {
        "Algorithm": Algorithm,
        "digest_file": digest_file,
        "hashing": hashing,
        "merkle": merkle,
        "Notary": Notary,
        "Feed": Feed,
        "PriceFeeds": PriceFeeds,
        "to_price": to_price,
        "from_price": from_price,
        "check_serial": check_serial,
        "parse_serial": parse_serial,
        "scenario": scenario,  # scenario("repo-crash-cure").next() ... .run(); .reset()
    }
    test = accounts.test_accounts
    # The personas every CLI accepts (`--account broker`), as Python names (`other_broker`).
    extras.update({name.replace("-", "_"): test[i] for name, i in PERSONAS.items() if i < len(test)})
    extras["operators"] = [test[PERSONAS[f"operator-{x}"]] for x in "abcd"]

    def _bind(dep):
        import builtins

        bound = []
        for name, address in dep.contracts.items():
            container = getattr(project, name, None)
            if container is not None and is_live(address, container, dep, name):
                extras[name] = builtins.__dict__[name] = container.at(address)
        for name, build in SDKS.items():
            try:
                extras[name] = builtins.__dict__[name] = build()
                bound.append(name)
            except CarbonChainError:
                pass
        return bound

    def deploy(fresh: bool = False):
        """Deploy (or reuse) every contract from test account 0; refreshes the console names."""
        result = deploy_all(test[0], fresh=fresh, log=print)
        _bind(result.deployment)
        return result.deployment

    extras["deploy"] = deploy
    extras.update(console_helpers(chain))  # ratio(id), advance(days=1)
    dep = Deployment.load(chain.chain_id)
    if dep is not None and dep.contracts:
        bound = _bind(dep)
        if bound:
            print(f"CarbonChain: loaded from {dep.path}; {', '.join(f'`{n}`' for n in bound)} ready")
        else:
            print("CarbonChain: the deployments file is stale for this chain; run deploy()")
    else:
        print("CarbonChain: nothing deployed on this chain yet; run deploy()")
    return extras
