"""``ape console`` helpers of the repo domain: ``ratio(id)`` and, on local chains, ``advance(days=1)``."""

from __future__ import annotations

from typing import Any

from ..core.errors import CarbonChainError
from ..core.network import set_chain_time
from .deploy import LOCAL_CHAINS
from .sdk import RatioInfo, Repo


def console_helpers(chain: Any) -> dict[str, Any]:
    def ratio(rid: int) -> RatioInfo:
        """The collateral ratio of agreement ``rid`` now, with price, round, age and implied health."""
        info = Repo.deployed().ratio(rid)
        print(info.line())
        return info

    def advance(days: float = 1) -> int:
        """Local chains only: moves the chain's clock ``days`` ahead (mines one block); returns the new time."""
        if chain.chain_id not in LOCAL_CHAINS:
            raise CarbonChainError("advance() only works on local chains")
        set_chain_time(chain.pending_timestamp + int(days * 86_400))
        return chain.blocks.head.timestamp

    return {"ratio": ratio, "advance": advance}
