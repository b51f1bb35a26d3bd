// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IRetirementRegistry
/// @notice Retirements (cancellations) of voluntary offset credits, one record per serial range of a
/// lot (standard, project, vintage). A serial is retired at most once at any time: a range that
/// overlaps a live range of the same lot is refused, naming the conflicting record. The check is
/// constant-time: the live ranges of a lot form a list sorted by serial, and the caller passes a
/// hint (the live record just before the new range, 0 if it comes first) that the contract verifies
/// against its two neighbours; the SDK finds the hint off chain with `locate`. Records are never
/// edited or deleted: a correction is a reversal record linked to the retirement, with a reason,
/// which takes the range out of the list (the serials may be retired again).
interface IRetirementRegistry {
    /// @notice What the caller supplies for a retirement (quantity follows from the serial range).
    struct RetirementInput {
        bytes32 standard; // registry standard as short text, e.g. "VCS", "CCER", "GS"
        bytes32 projectId; // project id as short text, e.g. "1529"
        uint16 vintage; // vintage year
        uint64 firstSerial;
        uint64 lastSerial; // inclusive
        address beneficiary; // the did:ethr address the credits are retired for
        bytes32 reason; // retirement reason: short text or the digest of a longer one
        bytes32 cancellationDigest; // digest of the registry's cancellation certificate
        bytes32 tradeDigest; // digest of the trade confirmation
        uint64 programme; // NeutralityProgramme id the retirement counts for (0: none)
    }

    /// @notice A retirement as read back, with its lot and whether a reversal took it back.
    struct RetirementView {
        bytes32 lot;
        bytes32 standard;
        bytes32 projectId;
        uint16 vintage;
        uint64 firstSerial;
        uint64 lastSerial;
        uint64 quantity; // tonnes CO2e (one credit = one tonne)
        address beneficiary;
        bytes32 reason;
        uint64 retiredAt;
        bytes32 cancellationDigest;
        bytes32 tradeDigest;
        uint64 programme;
        uint64 reversal; // id of the reversal record, 0 while the retirement stands
    }

    /// @notice A reversal (correction) of a retirement.
    struct Reversal {
        uint64 retirement;
        uint64 reversedAt;
        address by;
        bytes32 reason;
    }

    /// @notice The standard is empty.
    error RetirementRegistryZeroStandard();
    /// @notice The project id is empty.
    error RetirementRegistryZeroProject();
    /// @notice The vintage year is zero.
    error RetirementRegistryZeroVintage();
    /// @notice The serial range is empty (first after last).
    error RetirementRegistryInvalidRange(uint64 firstSerial, uint64 lastSerial);
    /// @notice The beneficiary is the zero address.
    error RetirementRegistryZeroBeneficiary();
    /// @notice A retirement or reversal needs a reason.
    error RetirementRegistryZeroReason();
    /// @notice The digest of the registry's cancellation certificate is missing.
    error RetirementRegistryZeroCancellationDigest();
    /// @notice The digest of the trade confirmation is missing.
    error RetirementRegistryZeroTradeDigest();
    /// @notice The hint is not a standing retirement of this lot.
    error RetirementRegistryHintNotInLot(uint64 hint);
    /// @notice The hint is not the standing range just before the new one: ask the SDK for a fresh hint.
    error RetirementRegistryHintNotPredecessor(uint64 hint);
    /// @notice Some of these serials are already retired in the named record.
    error RetirementRegistryOverlap(uint64 conflictingRecord, uint64 firstSerial, uint64 lastSerial);
    /// @notice No retirement with this id.
    error RetirementRegistryUnknownRetirement(uint64 id);
    /// @notice The retirement was already reversed by the named reversal.
    error RetirementRegistryAlreadyReversed(uint64 id, uint64 reversal);
    /// @notice No reversal with this id.
    error RetirementRegistryUnknownReversal(uint64 id);

    /// @notice A lot (standard, project, vintage) was used for the first time.
    event LotRegistered(bytes32 indexed lot, bytes32 standard, bytes32 projectId, uint16 vintage);
    /// @notice A serial range was retired for a beneficiary.
    event RangeRetired(
        uint64 indexed id,
        bytes32 indexed lot,
        address indexed beneficiary,
        uint64 firstSerial,
        uint64 lastSerial,
        uint64 programme,
        bytes32 reason,
        bytes32 cancellationDigest,
        bytes32 tradeDigest,
        address by
    );
    /// @notice A retirement was reversed; its serials are free again.
    event RetirementReversed(uint64 indexed reversal, uint64 indexed retirement, bytes32 indexed lot, address by, bytes32 reason);

    /// @notice Retires a serial range (RETIRER_ROLE); `hint` is the standing record just before the
    /// range in its lot, 0 if none (see `locate`). Returns the new record id.
    function retire(RetirementInput calldata input, uint64 hint) external returns (uint64 id);

    /// @notice Reverses a standing retirement with a reason (REVERSER_ROLE); frees its serials.
    function reverse(uint64 id, bytes32 reason) external returns (uint64 reversalId);

    /// @notice The key of a lot: keccak256(abi.encode(standard, projectId, vintage)).
    function lotKey(bytes32 standard, bytes32 projectId, uint16 vintage) external pure returns (bytes32);

    /// @notice A retirement record; reverts for an unknown id.
    function retirement(uint64 id) external view returns (RetirementView memory);

    /// @notice A reversal record; reverts for an unknown id.
    function reversal(uint64 id) external view returns (Reversal memory);

    /// @notice Whether the retirement exists and has not been reversed.
    function isLive(uint64 id) external view returns (bool);

    /// @notice Number of retirement records ever made (ids run from 1).
    function retirementCount() external view returns (uint64);

    /// @notice Number of reversal records ever made (ids run from 1).
    function reversalCount() external view returns (uint64);

    /// @notice The standing record with the lowest serials in a lot (0: none).
    function lotHead(bytes32 lot) external view returns (uint64);

    /// @notice The standing neighbours of a standing record in its lot's sorted list (0: none).
    function neighbours(uint64 id) external view returns (uint64 prev, uint64 next);

    /// @notice Off-chain helper: walks at most `maxSteps` standing ranges of `lot` from `startAfter`
    /// (0: the start) and returns the last one whose first serial is at most `serial`, i.e. the
    /// hint for a range starting at `serial`, or the record that may contain `serial`; `complete`
    /// is false when the walk stopped early (call again with `startAfter` = the returned id).
    function locate(bytes32 lot, uint64 serial, uint64 startAfter, uint256 maxSteps)
        external
        view
        returns (uint64 predecessor, bool complete);

    /// @notice Off-chain helper: whether `serial` of the lot is retired now and in which record
    /// (walks the lot's list, so its cost grows with the lot; use `locate` in pages for huge lots).
    function serialStatus(bytes32 standard, bytes32 projectId, uint16 vintage, uint64 serial)
        external
        view
        returns (bool retired, uint64 id);
}
