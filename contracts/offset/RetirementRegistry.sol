// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IRetirementRegistry} from "@carbonchain/interfaces/IRetirementRegistry.sol";

/// @title RetirementRegistry
/// @notice Offset retirements with no serial counted twice, checked in constant time with a hint.
/// @dev Storage per retirement: the immutable record (lot, packed serials/time/programme,
/// beneficiary, reason, two digests) and, while it stands, one link slot (prev, next, live) in its
/// lot's list sorted by serial. Standing ranges of a lot never overlap, so sorting by first serial
/// also sorts by last serial; a new range fits between its predecessor P (the hint) and P's
/// successor S iff P.last < first and last < S.first, which is two record reads whatever the lot's
/// size. Reversals unlink in constant time. Nothing loops over earlier records on the write path.
contract RetirementRegistry is IRetirementRegistry, AccessControlDefaultAdminRules {
    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    /// @notice Records retirements (the carbon desk or the registry operator).
    bytes32 public constant RETIRER_ROLE = keccak256("RETIRER_ROLE");
    /// @notice Records reversals (corrections), kept apart from retiring.
    bytes32 public constant REVERSER_ROLE = keccak256("REVERSER_ROLE");

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Record {
        bytes32 lot;
        uint64 firstSerial; // 8
        uint64 lastSerial; // 8
        uint64 retiredAt; // 8
        uint64 programme; // 8  => one slot
        address beneficiary;
        bytes32 reason;
        bytes32 cancellationDigest;
        bytes32 tradeDigest;
    }

    struct Link {
        uint64 prev;
        uint64 next;
        bool live;
    }

    struct Lot {
        bytes32 standard;
        bytes32 projectId;
        uint16 vintage; // 0: lot never used
    }

    mapping(uint64 id => Record) private _records;
    mapping(uint64 id => Link) private _links;
    mapping(uint64 id => uint64 reversalId) private _reversalOf;
    mapping(uint64 id => Reversal) private _reversals;
    mapping(bytes32 lot => Lot) private _lots;
    mapping(bytes32 lot => uint64 id) private _heads;
    uint64 private _retirementCount;
    uint64 private _reversalCount;

    /// @param adminDelay Seconds a DEFAULT_ADMIN_ROLE transfer waits (0 only on local chains).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes the roles; two-step transfer).
    /// @param retirer Receives RETIRER_ROLE.
    /// @param reverser Receives REVERSER_ROLE.
    constructor(uint48 adminDelay, address admin, address retirer, address reverser)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        _grantRole(RETIRER_ROLE, retirer);
        _grantRole(REVERSER_ROLE, reverser);
    }

    /*//////////////////////////////////////////////////////////////
                                 LOGIC
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRetirementRegistry
    function retire(RetirementInput calldata input, uint64 hint) external onlyRole(RETIRER_ROLE) returns (uint64 id) {
        _checkInput(input);
        bytes32 lot = _lotKey(input.standard, input.projectId, input.vintage);
        uint64 next = _checkFit(lot, input.firstSerial, input.lastSerial, hint);

        if (_lots[lot].vintage == 0) {
            _lots[lot] = Lot({standard: input.standard, projectId: input.projectId, vintage: input.vintage});
            emit LotRegistered(lot, input.standard, input.projectId, input.vintage);
        }
        id = ++_retirementCount;
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
        _links[id] = Link({prev: hint, next: next, live: true});
        if (hint == 0) _heads[lot] = id;
        else _links[hint].next = id;
        if (next != 0) _links[next].prev = id;
        emit RangeRetired(
            id,
            lot,
            input.beneficiary,
            input.firstSerial,
            input.lastSerial,
            input.programme,
            input.reason,
            input.cancellationDigest,
            input.tradeDigest,
            msg.sender
        );
    }

    /// @inheritdoc IRetirementRegistry
    function reverse(uint64 id, bytes32 reason) external onlyRole(REVERSER_ROLE) returns (uint64 reversalId) {
        if (id == 0 || id > _retirementCount) revert RetirementRegistryUnknownRetirement(id);
        if (_reversalOf[id] != 0) revert RetirementRegistryAlreadyReversed(id, _reversalOf[id]);
        if (reason == bytes32(0)) revert RetirementRegistryZeroReason();
        Link memory link = _links[id];
        bytes32 lot = _records[id].lot;
        if (link.prev == 0) _heads[lot] = link.next;
        else _links[link.prev].next = link.next;
        if (link.next != 0) _links[link.next].prev = link.prev;
        delete _links[id];
        reversalId = ++_reversalCount;
        _reversals[reversalId] = Reversal({retirement: id, reversedAt: uint64(block.timestamp), by: msg.sender, reason: reason});
        _reversalOf[id] = reversalId;
        emit RetirementReversed(reversalId, id, lot, msg.sender, reason);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRetirementRegistry
    function lotKey(bytes32 standard, bytes32 projectId, uint16 vintage) external pure returns (bytes32) {
        return _lotKey(standard, projectId, vintage);
    }

    /// @inheritdoc IRetirementRegistry
    function retirement(uint64 id) external view returns (RetirementView memory v) {
        if (id == 0 || id > _retirementCount) revert RetirementRegistryUnknownRetirement(id);
        Record storage r = _records[id];
        Lot storage l = _lots[r.lot];
        v.lot = r.lot;
        v.standard = l.standard;
        v.projectId = l.projectId;
        v.vintage = l.vintage;
        v.firstSerial = r.firstSerial;
        v.lastSerial = r.lastSerial;
        v.quantity = r.lastSerial - r.firstSerial + 1;
        v.beneficiary = r.beneficiary;
        v.reason = r.reason;
        v.retiredAt = r.retiredAt;
        v.cancellationDigest = r.cancellationDigest;
        v.tradeDigest = r.tradeDigest;
        v.programme = r.programme;
        v.reversal = _reversalOf[id];
    }

    /// @inheritdoc IRetirementRegistry
    function reversal(uint64 id) external view returns (Reversal memory) {
        if (id == 0 || id > _reversalCount) revert RetirementRegistryUnknownReversal(id);
        return _reversals[id];
    }

    /// @inheritdoc IRetirementRegistry
    function isLive(uint64 id) external view returns (bool) {
        return _links[id].live;
    }

    /// @inheritdoc IRetirementRegistry
    function retirementCount() external view returns (uint64) {
        return _retirementCount;
    }

    /// @inheritdoc IRetirementRegistry
    function reversalCount() external view returns (uint64) {
        return _reversalCount;
    }

    /// @inheritdoc IRetirementRegistry
    function lotHead(bytes32 lot) external view returns (uint64) {
        return _heads[lot];
    }

    /// @inheritdoc IRetirementRegistry
    function neighbours(uint64 id) external view returns (uint64 prev, uint64 next) {
        Link memory link = _links[id];
        return (link.prev, link.next);
    }

    /// @inheritdoc IRetirementRegistry
    function locate(bytes32 lot, uint64 serial, uint64 startAfter, uint256 maxSteps)
        external
        view
        returns (uint64 predecessor, bool complete)
    {
        if (startAfter != 0) {
            if (!_links[startAfter].live || _records[startAfter].lot != lot) {
                revert RetirementRegistryHintNotInLot(startAfter);
            }
            if (_records[startAfter].firstSerial > serial) revert RetirementRegistryHintNotPredecessor(startAfter);
        }
        return _locate(lot, serial, startAfter, maxSteps);
    }

    /// @inheritdoc IRetirementRegistry
    function serialStatus(bytes32 standard, bytes32 projectId, uint16 vintage, uint64 serial)
        external
        view
        returns (bool retired, uint64 id)
    {
        (uint64 p,) = _locate(_lotKey(standard, projectId, vintage), serial, 0, type(uint256).max);
        if (p != 0 && _records[p].lastSerial >= serial) return (true, p);
        return (false, 0);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _lotKey(bytes32 standard, bytes32 projectId, uint16 vintage) private pure returns (bytes32) {
        return keccak256(abi.encode(standard, projectId, vintage));
    }

    function _checkInput(RetirementInput calldata input) private pure {
        if (input.standard == bytes32(0)) revert RetirementRegistryZeroStandard();
        if (input.projectId == bytes32(0)) revert RetirementRegistryZeroProject();
        if (input.vintage == 0) revert RetirementRegistryZeroVintage();
        if (input.firstSerial > input.lastSerial) {
            revert RetirementRegistryInvalidRange(input.firstSerial, input.lastSerial);
        }
        if (input.beneficiary == address(0)) revert RetirementRegistryZeroBeneficiary();
        if (input.reason == bytes32(0)) revert RetirementRegistryZeroReason();
        if (input.cancellationDigest == bytes32(0)) revert RetirementRegistryZeroCancellationDigest();
        if (input.tradeDigest == bytes32(0)) revert RetirementRegistryZeroTradeDigest();
    }

    /// @dev Verifies that [first, last] fits right after `hint` (0: at the head) with no overlap;
    /// returns the successor it will be linked before. Two record reads, whatever the lot's size.
    function _checkFit(bytes32 lot, uint64 first, uint64 last, uint64 hint) private view returns (uint64 next) {
        if (hint == 0) {
            next = _heads[lot];
        } else {
            Link storage h = _links[hint];
            if (!h.live) revert RetirementRegistryHintNotInLot(hint);
            Record storage p = _records[hint];
            if (p.lot != lot) revert RetirementRegistryHintNotInLot(hint);
            if (p.firstSerial <= last && p.lastSerial >= first) revert RetirementRegistryOverlap(hint, p.firstSerial, p.lastSerial);
            if (p.firstSerial > last) revert RetirementRegistryHintNotPredecessor(hint);
            next = h.next;
        }
        if (next != 0) {
            Record storage s = _records[next];
            if (s.firstSerial <= last && s.lastSerial >= first) revert RetirementRegistryOverlap(next, s.firstSerial, s.lastSerial);
            if (s.lastSerial < first) revert RetirementRegistryHintNotPredecessor(hint);
        }
    }

    function _locate(bytes32 lot, uint64 serial, uint64 startAfter, uint256 maxSteps)
        private
        view
        returns (uint64 predecessor, bool complete)
    {
        predecessor = startAfter;
        uint64 cur = startAfter == 0 ? _heads[lot] : _links[startAfter].next;
        for (uint256 steps; steps < maxSteps; ++steps) {
            if (cur == 0 || _records[cur].firstSerial > serial) return (predecessor, true);
            predecessor = cur;
            cur = _links[cur].next;
        }
        return (predecessor, cur == 0 || _records[cur].firstSerial > serial);
    }
}
