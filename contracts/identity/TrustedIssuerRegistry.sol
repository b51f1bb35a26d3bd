// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ITrustedIssuerRegistry} from "@carbonchain/interfaces/ITrustedIssuerRegistry.sol";

/// @title TrustedIssuerRegistry
/// @notice Who may issue which credentials, when; history is appended, never overwritten.
contract TrustedIssuerRegistry is ITrustedIssuerRegistry, AccessControl {
    /// @notice Accredits root issuers and may change any accreditation (regulator, industry body).
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");

    mapping(address issuer => mapping(bytes32 credentialType => Entry[])) private _history;

    /// @param admin Receives DEFAULT_ADMIN_ROLE and GOVERNANCE_ROLE.
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GOVERNANCE_ROLE, admin);
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
        if (!hasRole(GOVERNANCE_ROLE, msg.sender)) {
            Entry[] storage own = _history[msg.sender][credentialType];
            if (own.length == 0 || !_trustedAt(msg.sender, credentialType, uint64(block.timestamp))) {
                revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
            }
            Entry storage mine = own[own.length - 1];
            if (mine.depth != 0 || canAccredit) revert TrustedIssuerRegistryChainTooDeep(msg.sender);
            if (!mine.canAccredit) revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
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

    function _trustedAt(address issuer, bytes32 credentialType, uint64 t) private view returns (bool) {
        (bool found, Entry memory e) = _entryAt(issuer, credentialType, t);
        if (!found || e.status != Status.Active || t < e.validFrom || t >= e.validUntil) return false;
        // a sub-issuer is trusted only while the root issuer that accredited it is (chain of depth 1)
        return e.depth == 0 || _trustedAt(e.parent, credentialType, t);
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
        if (!hasRole(GOVERNANCE_ROLE, msg.sender) && !(last.depth == 1 && last.parent == msg.sender)) {
            revert TrustedIssuerRegistryUnauthorized(msg.sender, issuer, credentialType);
        }
        if (to != Status.Active && reason == 0) revert TrustedIssuerRegistryZeroReason();
        last.at = uint64(block.timestamp);
        last.status = to;
        last.by = msg.sender;
        last.reason = reason;
        h.push(last);
    }
}
