// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ICredentialRegistry} from "@carbonchain/interfaces/ICredentialRegistry.sol";
import {ITrustedIssuerRegistry} from "@carbonchain/interfaces/ITrustedIssuerRegistry.sol";

/// @title CredentialRegistry
/// @notice Credential status and audit trail, gated by the TrustedIssuerRegistry.
/// @dev Three storage slots per credential: (issuer, issuedAt, expiresAt, status, accredited at
/// issuance), the credential type, and (subject, reason).
contract CredentialRegistry is ICredentialRegistry, AccessControl {
    /// @notice May revoke any credential (a regulator acting on a court order, say).
    bytes32 public constant REVOKER_ROLE = keccak256("REVOKER_ROLE");

    struct Record {
        address issuer; // 20
        uint40 issuedAt; // 5
        uint40 expiresAt; // 5
        Status status; // 1
        bool accreditedAtIssuance; // 1  => 32 bytes: issue() checked the issuer's accreditation
        bytes32 credentialType;
        address subject; // 20
        uint16 reason; // 2
    }

    /// @notice The accreditation registry consulted at issuance and by `verify`.
    ITrustedIssuerRegistry public immutable trustedIssuers;
    mapping(bytes32 digest => Record) private _records;

    /// @param admin Receives DEFAULT_ADMIN_ROLE and REVOKER_ROLE.
    constructor(address admin, ITrustedIssuerRegistry trustedIssuers_) {
        trustedIssuers = trustedIssuers_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REVOKER_ROLE, admin);
    }

    /// @inheritdoc ICredentialRegistry
    function issue(bytes32 digest, bytes32 credentialType, address subject, uint64 expiresAt) external {
        if (digest == bytes32(0)) revert CredentialRegistryZeroDigest();
        if (credentialType == bytes32(0)) revert CredentialRegistryZeroType();
        if (subject == address(0)) revert CredentialRegistryZeroSubject();
        if (expiresAt <= block.timestamp) revert CredentialRegistryInvalidExpiry(expiresAt);
        if (_records[digest].status != Status.None) revert CredentialRegistryAlreadyIssued(digest);
        if (!trustedIssuers.isTrusted(msg.sender, credentialType)) {
            revert CredentialRegistryIssuerNotTrusted(msg.sender, credentialType);
        }
        _records[digest] = Record({
            issuer: msg.sender,
            issuedAt: uint40(block.timestamp),
            expiresAt: uint40(expiresAt),
            status: Status.Active,
            accreditedAtIssuance: true,
            credentialType: credentialType,
            subject: subject,
            reason: 0
        });
        emit CredentialIssued(digest, msg.sender, subject, credentialType, expiresAt);
    }

    /// @inheritdoc ICredentialRegistry
    function suspend(bytes32 digest, uint16 reason) external {
        Record storage r = _issuerRecord(digest);
        if (r.status != Status.Active) revert CredentialRegistryWrongStatus(digest, r.status);
        if (reason == 0) revert CredentialRegistryZeroReason();
        r.status = Status.Suspended;
        r.reason = reason;
        emit CredentialSuspended(digest, msg.sender, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstate(bytes32 digest) external {
        Record storage r = _issuerRecord(digest);
        if (r.status != Status.Suspended) revert CredentialRegistryWrongStatus(digest, r.status);
        r.status = Status.Active;
        emit CredentialReinstated(digest, msg.sender);
    }

    /// @inheritdoc ICredentialRegistry
    function revoke(bytes32 digest, uint16 reason) external {
        Record storage r = _records[digest];
        Status status = r.status;
        if (status == Status.None) revert CredentialRegistryUnknownCredential(digest);
        if (msg.sender != r.issuer && !hasRole(REVOKER_ROLE, msg.sender)) {
            revert CredentialRegistryUnauthorized(digest, msg.sender);
        }
        if (status == Status.Revoked) revert CredentialRegistryWrongStatus(digest, status);
        if (reason == 0) revert CredentialRegistryZeroReason();
        r.status = Status.Revoked;
        r.reason = reason;
        emit CredentialRevoked(digest, msg.sender, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function recordVerification(bytes32 digest) external returns (Verification memory v) {
        v = verify(digest);
        emit CredentialVerified(digest, msg.sender, v.subject, v.valid);
    }

    /// @inheritdoc ICredentialRegistry
    function verify(bytes32 digest) public view returns (Verification memory v) {
        Record memory r = _records[digest];
        if (r.status == Status.None) revert CredentialRegistryUnknownCredential(digest);
        v.status = r.status;
        v.issuer = r.issuer;
        v.credentialType = r.credentialType;
        v.subject = r.subject;
        v.issuedAt = r.issuedAt;
        v.expiresAt = r.expiresAt;
        v.reason = r.reason;
        // Recorded when issued (issue() refuses issuers that are not accredited at that moment), so it
        // does not depend on how later changes within the same second are ordered.
        v.issuerAccreditedAtIssuance = r.accreditedAtIssuance;
        v.issuerTrustedNow = trustedIssuers.isTrusted(r.issuer, r.credentialType);
        v.valid = r.status == Status.Active && block.timestamp < r.expiresAt && v.issuerAccreditedAtIssuance;
    }

    function _issuerRecord(bytes32 digest) private view returns (Record storage r) {
        r = _records[digest];
        if (r.status == Status.None) revert CredentialRegistryUnknownCredential(digest);
        if (msg.sender != r.issuer) revert CredentialRegistryUnauthorized(digest, msg.sender);
    }
}
