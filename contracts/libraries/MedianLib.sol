// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MedianLib
/// @notice Median of a small array of prices (at most a few dozen operators), as Chainlink's
/// aggregators compute it: the middle value, or the mean of the two middle values (rounded
/// toward zero) for an even count.
library MedianLib {
    /// @dev The array is empty.
    error MedianLibEmpty();

    /// @notice Sorts `values` in place (insertion sort: cheapest for the sizes feeds use) and returns the median.
    function median(int256[] memory values) internal pure returns (int256) {
        uint256 n = values.length;
        if (n == 0) revert MedianLibEmpty();
        // Insertion sort over the array's words (signed comparison), in assembly: at the sizes
        // feeds use the bounds checks of the Solidity loop cost more than the comparisons. An
        // element already in place (the common case: equal observation times, near-sorted prices)
        // costs one comparison and no write.
        int256 middle;
        assembly ("memory-safe") {
            let base := add(values, 0x20)
            let end := add(base, shl(5, n))
            for { let p := add(base, 0x20) } lt(p, end) { p := add(p, 0x20) } {
                let key := mload(p)
                let prev := mload(sub(p, 0x20))
                if sgt(prev, key) {
                    let q := p
                    for {} 1 {} {
                        mstore(q, prev)
                        q := sub(q, 0x20)
                        if eq(q, base) { break }
                        prev := mload(sub(q, 0x20))
                        if iszero(sgt(prev, key)) { break }
                    }
                    mstore(q, key)
                }
            }
            middle := mload(add(base, shl(5, shr(1, n))))
        }
        if (n % 2 == 1) return middle;
        // Solidity's signed division truncates toward zero. The sum is checked: for any realistic
        // price (feeds bound prices to int96) it cannot overflow, and if it ever did it reverts
        // rather than return a wrong median.
        return (values[n / 2 - 1] + middle) / 2;
    }
}
