// Hardhat's node (EDR) as a second, independent EVM for the portability suite (make test-hardhat).
// The same chain id and funded accounts as anvil and Ape's test accounts (the public test mnemonic),
// automine, and blocks allowed to share a timestamp: the suite sends several transactions per second.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: "cancun",
      allowBlocksWithSameTimestamp: true,
      accounts: {
        mnemonic: "test test test test test test test test test test test junk",
        count: 16,
        accountsBalance: "10000000000000000000000000",
      },
      // Automine each transaction. The interval only makes eth_mining answer true: Ape's node
      // provider reads eth_mining=false as "manual mining" and then never fetches receipts.
      mining: { auto: true, interval: 3600000 },
    },
  },
};
