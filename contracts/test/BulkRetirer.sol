// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRetirementRegistry} from "@carbonchain/interfaces/IRetirementRegistry.sol";

/// @title BulkRetirer (test only)
/// @notice Fills a lot of the real RetirementRegistry quickly for benchmarks: many `retire` calls in
/// one transaction, each through the registry's full checks (this contract needs RETIRER_ROLE).
/// Ranges are [start + i*stride, start + i*stride + width - 1], ascending, so each hint is the
/// record made just before.
contract BulkRetirer {
    /// @notice `count` ranges were retired through the registry, the last with id `lastId`.
    event BulkRetired(uint256 count, uint64 lastId);

    /// @notice Retires `count` ascending ranges in one transaction; `hint` precedes the first one.
    function retireMany(
        IRetirementRegistry registry,
        IRetirementRegistry.RetirementInput calldata template,
        uint64 start,
        uint64 width,
        uint64 stride,
        uint256 count,
        uint64 hint
    ) external returns (uint64 lastId) {
        IRetirementRegistry.RetirementInput memory input = template;
        lastId = hint;
        for (uint256 i; i < count; ++i) {
            input.firstSerial = start + uint64(i) * stride;
            input.lastSerial = input.firstSerial + width - 1;
            lastId = registry.retire(input, lastId);
        }
        emit BulkRetired(count, lastId);
    }
}
