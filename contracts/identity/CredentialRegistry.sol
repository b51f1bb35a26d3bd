// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ICredentialRegistry} from "@carbonchain/interfaces/ICredentialRegistry.sol";
import {ITrustedIssuerRegistry} from "@carbonchain/interfaces/ITrustedIssuerRegistry.sol";

/// @title CredentialRegistry
/// @notice Credential status and audit trail, gated by the TrustedIssuerRegistry.
/// @dev A credential record belongs to its issuer: it is keyed by (issuer, digest), so no other
/// issuer can take a digest first and control it (security review, issue 8). Three storage slots per
/// credential: (issuer, issuedAt, expiresAt, status, accredited at issuance), the credential type,
/// and (subject, reason).
contract CredentialRegistry is ICredentialRegistry, AccessControlDefaultAdminRules {
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
    mapping(bytes32 id => Record) private _records;

    /// @param adminDelay Seconds a DEFAULT_ADMIN_ROLE transfer waits before it can be accepted.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes the other roles; two-step transfer).
    /// @param revoker Receives REVOKER_ROLE.
    constructor(uint48 adminDelay, address admin, address revoker, ITrustedIssuerRegistry trustedIssuers_)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        trustedIssuers = trustedIssuers_;
        _grantRole(REVOKER_ROLE, revoker);
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICredentialRegistry
    function issue(bytes32 digest, bytes32 credentialType, address subject, uint64 expiresAt) external {
        if (digest == bytes32(0)) revert CredentialRegistryZeroDigest();
        if (credentialType == bytes32(0)) revert CredentialRegistryZeroType();
        if (subject == address(0)) revert CredentialRegistryZeroSubject();
        if (expiresAt <= block.timestamp || expiresAt > type(uint40).max) {
            revert CredentialRegistryInvalidExpiry(expiresAt);
        }
        bytes32 id = credentialId(msg.sender, digest);
        if (_records[id].status != Status.None) revert CredentialRegistryAlreadyIssued(msg.sender, digest);
        if (!trustedIssuers.isTrusted(msg.sender, credentialType)) {
            revert CredentialRegistryIssuerNotTrusted(msg.sender, credentialType);
        }
        _records[id] = Record({
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
        Record storage r = _ownRecord(digest);
        if (r.status != Status.Active) revert CredentialRegistryWrongStatus(msg.sender, digest, r.status);
        if (reason == 0) revert CredentialRegistryZeroReason();
        r.status = Status.Suspended;
        r.reason = reason;
        emit CredentialSuspended(digest, msg.sender, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstate(bytes32 digest) external {
        Record storage r = _ownRecord(digest);
        if (r.status != Status.Suspended) revert CredentialRegistryWrongStatus(msg.sender, digest, r.status);
        // an issuer that lost its accreditation may not bring its credentials back (issue 8, item 6)
        if (!trustedIssuers.isTrusted(msg.sender, r.credentialType)) {
            revert CredentialRegistryIssuerNotTrusted(msg.sender, r.credentialType);
        }
        r.status = Status.Active;
        emit CredentialReinstated(digest, msg.sender);
    }

    /// @inheritdoc ICredentialRegistry
    function revoke(address issuer, bytes32 digest, uint16 reason) external {
        Record storage r = _records[credentialId(issuer, digest)];
        Status status = r.status;
        if (status == Status.None) revert CredentialRegistryUnknownCredential(issuer, digest);
        if (msg.sender != issuer && !hasRole(REVOKER_ROLE, msg.sender)) {
            revert CredentialRegistryUnauthorized(issuer, digest, msg.sender);
        }
        if (status == Status.Revoked) revert CredentialRegistryWrongStatus(issuer, digest, status);
        if (reason == 0) revert CredentialRegistryZeroReason();
        r.status = Status.Revoked;
        r.reason = reason;
        emit CredentialRevoked(digest, issuer, msg.sender, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function recordVerification(address issuer, bytes32 digest) external returns (Verification memory v) {
        v = verify(issuer, digest);
        emit CredentialVerified(digest, msg.sender, v.subject, issuer, v.valid);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICredentialRegistry
    function credentialId(address issuer, bytes32 digest) public pure returns (bytes32) {
        return keccak256(abi.encode(issuer, digest));
    }

    /// @inheritdoc ICredentialRegistry
    function verify(address issuer, bytes32 digest) public view returns (Verification memory v) {
        Record memory r = _records[credentialId(issuer, digest)];
        if (r.status == Status.None) revert CredentialRegistryUnknownCredential(issuer, digest);
        v = _verification(r);
    }

    /// @inheritdoc ICredentialRegistry
    function verifyById(bytes32 id) external view returns (Verification memory v) {
        Record memory r = _records[id];
        if (r.status == Status.None) revert CredentialRegistryUnknownCredentialId(id);
        v = _verification(r);
    }

    /// @inheritdoc ICredentialRegistry
    function isValidFor(address issuer, bytes32 digest, bytes32 credentialType, address subject)
        external
        view
        returns (bool)
    {
        Record memory r = _records[credentialId(issuer, digest)];
        return r.credentialType == credentialType && r.subject == subject && _valid(r);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _verification(Record memory r) private view returns (Verification memory v) {
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
        v.valid = _valid(r);
    }

    function _valid(Record memory r) private view returns (bool) {
        return r.status == Status.Active && block.timestamp < r.expiresAt && r.accreditedAtIssuance;
    }

    /// @dev The caller's own record of `digest`; reverts when it has none.
    function _ownRecord(bytes32 digest) private view returns (Record storage r) {
        r = _records[credentialId(msg.sender, digest)];
        if (r.status == Status.None) revert CredentialRegistryUnknownCredential(msg.sender, digest);
    }
}
