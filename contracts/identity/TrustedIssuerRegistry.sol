// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ITrustedIssuerRegistry} from "@carbonchain/interfaces/ITrustedIssuerRegistry.sol";

/// @title TrustedIssuerRegistry
/// @notice Who may issue which credentials, when; history is appended, never overwritten.
/// @dev Trust rules (security review, issue 8): governance accredits roots and may change any
/// accreditation; a root with canAccredit may accredit only issuers with no history for the type or
/// its own sub-issuers, never itself; every entry records whether governance made it, and only
/// governance changes an accreditation whose current state governance set. The trust check looks
/// one level up (a sub-issuer's parent must be a trusted root at the same moment), never recursing.
contract TrustedIssuerRegistry is ITrustedIssuerRegistry, AccessControlDefaultAdminRules {
    /// @notice Accredits root issuers and may change any accreditation (regulator, industry body).
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");

    mapping(address issuer => mapping(bytes32 credentialType => Entry[])) private _history;

    /// @param adminDelay Seconds a DEFAULT_ADMIN_ROLE transfer waits before it can be accepted.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes the other roles; two-step transfer).
    /// @param governance Receives GOVERNANCE_ROLE.
    constructor(uint48 adminDelay, address admin, address governance)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        _grantRole(GOVERNANCE_ROLE, governance);
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITrustedIssuerRegistry
    function accredit(address issuer, bytes32 credentialType, uint64 validFrom, uint64 validUntil, bool canAccredit)
        external
    {
        if (issuer == address(0)) revert TrustedIssuerRegistryZeroIssuer();
        if (credentialType == bytes32(0)) revert TrustedIssuerRegistryZeroType();
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert TrustedIssuerRegistryInvalidWindow(validFrom, validUntil);
        }
        uint8 depth;
        address parent;
        bool byGovernance = hasRole(GOVERNANCE_ROLE, msg.sender);
        if (!byGovernance) {
            Entry[] storage own = _history[msg.sender][credentialType];
            if (own.length == 0 || !_trustedAt(msg.sender, credentialType, uint64(block.timestamp))) {
                revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
            }
            Entry storage mine = own[own.length - 1];
            if (mine.depth != 0 || canAccredit) revert TrustedIssuerRegistryChainTooDeep(msg.sender);
            if (!mine.canAccredit) revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
            if (issuer == msg.sender) revert TrustedIssuerRegistrySelfAccreditation(issuer);
            Entry[] storage target = _history[issuer][credentialType];
            if (target.length != 0) {
                Entry storage last = target[target.length - 1];
                if (last.depth != 1 || last.parent != msg.sender) {
                    revert TrustedIssuerRegistryNotSubIssuer(msg.sender, issuer, credentialType);
                }
                if (last.byGovernance) revert TrustedIssuerRegistryGovernanceDecision(issuer, credentialType);
            }
            depth = 1;
            parent = msg.sender;
        }
        _history[issuer][credentialType].push(
            Entry({
                at: uint64(block.timestamp),
                status: Status.Active,
                validFrom: validFrom,
                validUntil: validUntil,
                canAccredit: canAccredit,
                depth: depth,
                byGovernance: byGovernance,
                by: msg.sender,
                parent: parent,
                reason: 0
            })
        );
        emit IssuerAccredited(issuer, credentialType, msg.sender, validFrom, validUntil, canAccredit, depth);
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function suspend(address issuer, bytes32 credentialType, uint16 reason) external {
        _change(issuer, credentialType, Status.Active, Status.Suspended, reason);
        emit AccreditationSuspended(issuer, credentialType, msg.sender, reason);
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function reinstate(address issuer, bytes32 credentialType) external {
        _change(issuer, credentialType, Status.Suspended, Status.Active, 0);
        emit AccreditationReinstated(issuer, credentialType, msg.sender);
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function withdraw(address issuer, bytes32 credentialType, uint16 reason) external {
        _change(issuer, credentialType, Status.None, Status.Withdrawn, reason);
        emit AccreditationWithdrawn(issuer, credentialType, msg.sender, reason);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITrustedIssuerRegistry
    function isTrusted(address issuer, bytes32 credentialType) external view returns (bool) {
        return _trustedAt(issuer, credentialType, uint64(block.timestamp));
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function wasTrusted(address issuer, bytes32 credentialType, uint64 t) external view returns (bool) {
        return _trustedAt(issuer, credentialType, t);
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function accreditation(address issuer, bytes32 credentialType) external view returns (Entry memory) {
        Entry[] storage h = _history[issuer][credentialType];
        if (h.length == 0) revert TrustedIssuerRegistryUnknownAccreditation(issuer, credentialType);
        return h[h.length - 1];
    }

    /// @inheritdoc ITrustedIssuerRegistry
    function accreditationHistory(address issuer, bytes32 credentialType) external view returns (Entry[] memory) {
        return _history[issuer][credentialType];
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The entry in force at time t (the last one made at or before t), if any.
    function _entryAt(address issuer, bytes32 credentialType, uint64 t) private view returns (bool found, Entry memory e) {
        Entry[] storage h = _history[issuer][credentialType];
        uint256 lo = 0;
        uint256 hi = h.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (h[mid].at <= t) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return (false, e);
        return (true, h[lo - 1]);
    }

    /// @dev Non-recursive: a depth-0 entry stands alone; a depth-1 entry also needs its parent's entry
    /// at `t` to be an active, in-window root (depth 0) entry.
    function _trustedAt(address issuer, bytes32 credentialType, uint64 t) private view returns (bool) {
        (bool found, Entry memory e) = _entryAt(issuer, credentialType, t);
        if (!_activeAt(found, e, t)) return false;
        if (e.depth == 0) return true;
        (bool parentFound, Entry memory p) = _entryAt(e.parent, credentialType, t);
        return p.depth == 0 && _activeAt(parentFound, p, t);
    }

    function _activeAt(bool found, Entry memory e, uint64 t) private pure returns (bool) {
        return found && e.status == Status.Active && t >= e.validFrom && t < e.validUntil;
    }

    /// @dev Appends a status change; `from` None means "Active or Suspended".
    function _change(address issuer, bytes32 credentialType, Status from, Status to, uint16 reason) private {
        Entry[] storage h = _history[issuer][credentialType];
        if (h.length == 0) revert TrustedIssuerRegistryUnknownAccreditation(issuer, credentialType);
        Entry memory last = h[h.length - 1];
        bool ok = from == Status.None
            ? (last.status == Status.Active || last.status == Status.Suspended)
            : last.status == from;
        if (!ok) revert TrustedIssuerRegistryWrongStatus(issuer, credentialType, last.status);
        bool byGovernance = hasRole(GOVERNANCE_ROLE, msg.sender);
        if (!byGovernance) {
            if (!(last.depth == 1 && last.parent == msg.sender)) {
                revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
            }
            if (last.byGovernance) revert TrustedIssuerRegistryGovernanceDecision(issuer, credentialType);
        }
        if (to != Status.Active && reason == 0) revert TrustedIssuerRegistryZeroReason();
        last.at = uint64(block.timestamp);
        last.status = to;
        last.by = msg.sender;
        last.byGovernance = byGovernance;
        last.reason = reason;
        h.push(last);
    }
}
