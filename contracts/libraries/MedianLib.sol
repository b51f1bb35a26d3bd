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
        for (uint256 i = 1; i < n; ++i) {
            int256 key = values[i];
            uint256 j = i;
            while (j > 0 && values[j - 1] > key) {
                values[j] = values[j - 1];
                --j;
            }
            values[j] = key;
        }
        if (n % 2 == 1) return values[n / 2];
        // Solidity's signed division truncates toward zero. The sum is checked: for any realistic
        // price (feeds bound prices to int96) it cannot overflow, and if it ever did it reverts
        // rather than return a wrong median.
        return (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
