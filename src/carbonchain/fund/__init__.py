"""Private-fund subscription (``contracts/fund/``). Reserved for the fund domain."""
