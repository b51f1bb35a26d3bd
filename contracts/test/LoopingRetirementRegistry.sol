// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRetirementRegistry} from "@carbonchain/interfaces/IRetirementRegistry.sol";

/// @title LoopingRetirementRegistry (test only: the benchmark's comparison)
/// @notice The naive design the RetirementRegistry avoids: each retirement compares its range with
/// every earlier range of the lot, so its gas grows with the lot. Same input and record as the real
/// registry; no roles and no reversal, because only the retirement's cost is compared.
/// @dev `seed` fills a lot's range list directly (no record, no check): filling 10,000 ranges through
/// `retire` would cost O(n^2) gas, far beyond any block. The measured `retire` reads the seeded
/// ranges exactly as it would read retired ones (one packed slot per range).
contract LoopingRetirementRegistry {
    struct Range {
        uint64 firstSerial;
        uint64 lastSerial;
        uint64 id;
    }

    struct Record {
        bytes32 lot;
        uint64 firstSerial;
        uint64 lastSerial;
        uint64 retiredAt;
        uint64 programme;
        address beneficiary;
        bytes32 reason;
        bytes32 cancellationDigest;
        bytes32 tradeDigest;
    }

    mapping(bytes32 lot => Range[]) private _ranges;
    mapping(uint64 id => Record) private _records;
    uint64 private _count;

    /// @notice Some of these serials are already retired in the named record.
    error LoopingRetirementRegistryOverlap(uint64 conflictingRecord);

    /// @notice A serial range was retired.
    event RangeRetired(uint64 indexed id, bytes32 indexed lot, uint64 firstSerial, uint64 lastSerial);

    /// @notice Retires a range after comparing it with every earlier range of its lot (hint ignored).
    function retire(IRetirementRegistry.RetirementInput calldata input, uint64) external returns (uint64 id) {
        bytes32 lot = keccak256(abi.encode(input.standard, input.projectId, input.vintage));
        Range[] storage ranges = _ranges[lot];
        uint256 n = ranges.length;
        for (uint256 i; i < n; ++i) {
            Range memory r = ranges[i];
            if (r.firstSerial <= input.lastSerial && r.lastSerial >= input.firstSerial) {
                revert LoopingRetirementRegistryOverlap(r.id);
            }
        }
        id = ++_count;
        _records[id] = Record({
            lot: lot,
            firstSerial: input.firstSerial,
            lastSerial: input.lastSerial,
            retiredAt: uint64(block.timestamp),
            programme: input.programme,
            beneficiary: input.beneficiary,
            reason: input.reason,
            cancellationDigest: input.cancellationDigest,
            tradeDigest: input.tradeDigest
        });
        ranges.push(Range({firstSerial: input.firstSerial, lastSerial: input.lastSerial, id: id}));
        emit RangeRetired(id, lot, input.firstSerial, input.lastSerial);
    }

    /// @notice Test only: appends `count` ranges [start + i*stride, start + i*stride + width - 1].
    function seed(bytes32 lot, uint64 start, uint64 width, uint64 stride, uint256 count) external {
        Range[] storage ranges = _ranges[lot];
        for (uint256 i; i < count; ++i) {
            uint64 first = start + uint64(i) * stride;
            ranges.push(Range({firstSerial: first, lastSerial: first + width - 1, id: ++_count}));
        }
    }

    /// @notice Number of ranges held for a lot.
    function rangeCount(bytes32 lot) external view returns (uint256) {
        return _ranges[lot].length;
    }
}
