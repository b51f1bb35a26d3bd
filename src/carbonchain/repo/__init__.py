"""Carbon repo (``contracts/repo/``): agreements marked to market against the oracle, with
warning, margin-call and close-out lines. Reserved for the repo domain."""
