// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MedianStylePoke
/// @notice Benchmark reference only (never deployed by scripts/deploy.py): the MakerDAO Median
/// `poke` pattern rebuilt for a like-for-like gas comparison with CarbonPriceFeed. `bar` signed
/// (value, age) messages per poke, values in ascending order, signer uniqueness by a bloom of the
/// signers' first address byte, the median value and the poke time stored in one slot, and no
/// history. Written from the pattern's description; the original's require strings are custom
/// errors here.
contract MedianStylePoke {
    /// @dev Wrong number of messages for `bar`.
    error MedianStyleWrongCount(uint256 count, uint256 bar);
    /// @dev A signature is not from an authorised oracle.
    error MedianStyleInvalidOracle(address signer);
    /// @dev A message is not newer than the stored value.
    error MedianStyleStaleMessage();
    /// @dev Values must be sorted ascending.
    error MedianStyleNotInOrder();
    /// @dev Two messages from oracles sharing a first address byte (or the same oracle).
    error MedianStyleAlreadySigned(address signer);

    /// @dev A new median was stored.
    event LogMedianPrice(uint256 val, uint256 age);
    /// @dev An oracle was authorised.
    event OracleLifted(address indexed oracle);

    uint128 public val;
    uint32 public age;
    bytes32 public immutable wat;
    uint256 public bar;
    mapping(address => uint256) public orcl;

    constructor(bytes32 wat_, address[] memory oracles, uint256 bar_) {
        wat = wat_;
        bar = bar_;
        for (uint256 i = 0; i < oracles.length; ++i) {
            orcl[oracles[i]] = 1;
            emit OracleLifted(oracles[i]);
        }
    }

    /// @notice Stores the median of `bar` signed prices.
    function poke(
        uint256[] calldata val_,
        uint256[] calldata age_,
        uint8[] calldata v,
        bytes32[] calldata r,
        bytes32[] calldata s
    ) external {
        if (val_.length != bar) revert MedianStyleWrongCount(val_.length, bar);
        uint256 bloom = 0;
        uint256 last = 0;
        uint256 zzz = age;
        for (uint256 i = 0; i < val_.length; ++i) {
            address signer = recover(val_[i], age_[i], v[i], r[i], s[i]);
            if (orcl[signer] != 1) revert MedianStyleInvalidOracle(signer);
            if (age_[i] <= zzz) revert MedianStyleStaleMessage();
            if (val_[i] < last) revert MedianStyleNotInOrder();
            last = val_[i];
            uint8 sl = uint8(uint256(uint160(signer)) >> 152);
            if ((bloom >> sl) % 2 != 0) revert MedianStyleAlreadySigned(signer);
            bloom += uint256(1) << sl;
        }
        val = uint128(val_[val_.length >> 1]);
        age = uint32(block.timestamp);
        emit LogMedianPrice(val, age);
    }

    /// @notice The signer of a (value, age) message for this feed.
    function recover(uint256 val_, uint256 age_, uint8 v, bytes32 r, bytes32 s) public view returns (address) {
        return ecrecover(
            keccak256(
                abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encodePacked(val_, age_, wat)))
            ),
            v,
            r,
            s
        );
    }
}
