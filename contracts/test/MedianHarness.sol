// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {MedianLib} from "../libraries/MedianLib.sol";

/// @title MedianHarness
/// @notice Test fixture only: exposes MedianLib.median for property tests.
contract MedianHarness {
    /// @notice The median of `values` (reverts MedianLibEmpty for none).
    function median(int256[] memory values) external pure returns (int256) {
        return MedianLib.median(values);
    }
}
