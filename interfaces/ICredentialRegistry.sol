// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICredentialRegistry
/// @notice Status registry of verifiable credentials: only the credential's digest, its type, the
/// subject's DID address and its validity go on chain, never personal data. An issuer accredited
/// for the type at that moment anchors it; the issuer suspends, reinstates or revokes it; verifiers
/// record their verifications, so that a regulator can audit who issued, verified and revoked what.
interface ICredentialRegistry {
    /// @notice Status of a credential.
    enum Status {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @notice The one-call answer of `verify`.
    struct Verification {
        Status status;
        address issuer;
        bytes32 credentialType;
        address subject;
        uint64 issuedAt;
        uint64 expiresAt;
        uint16 reason; // of the last suspension or revocation
        bool issuerAccreditedAtIssuance;
        bool issuerTrustedNow;
        bool valid; // Active, not expired, issuer accredited at issuance
    }

    /// @dev The digest is zero.
    error CredentialRegistryZeroDigest();
    /// @dev The credential type is zero.
    error CredentialRegistryZeroType();
    /// @dev The subject is the zero address.
    error CredentialRegistryZeroSubject();
    /// @dev The expiry is not in the future.
    error CredentialRegistryInvalidExpiry(uint64 expiresAt);
    /// @dev This digest was already anchored.
    error CredentialRegistryAlreadyIssued(bytes32 digest);
    /// @dev The sender is not accredited for this credential type now.
    error CredentialRegistryIssuerNotTrusted(address issuer, bytes32 credentialType);
    /// @dev No credential with this digest.
    error CredentialRegistryUnknownCredential(bytes32 digest);
    /// @dev Only the issuer (or the revoker role, for revocations) may change the credential.
    error CredentialRegistryUnauthorized(bytes32 digest, address caller);
    /// @dev The change does not apply to the credential's current status.
    error CredentialRegistryWrongStatus(bytes32 digest, Status status);
    /// @dev Suspensions and revocations need a non-zero reason code.
    error CredentialRegistryZeroReason();

    /// @dev A credential was anchored.
    event CredentialIssued(
        bytes32 indexed digest, address indexed issuer, address indexed subject, bytes32 credentialType, uint64 expiresAt
    );
    /// @dev A credential was suspended.
    event CredentialSuspended(bytes32 indexed digest, address indexed by, uint16 reason);
    /// @dev A suspended credential was reinstated.
    event CredentialReinstated(bytes32 indexed digest, address indexed by);
    /// @dev A credential was revoked for good.
    event CredentialRevoked(bytes32 indexed digest, address indexed by, uint16 reason);
    /// @dev A verifier recorded that it checked the credential, and the outcome.
    event CredentialVerified(bytes32 indexed digest, address indexed verifier, address indexed subject, bool valid);

    /// @notice Anchors a credential digest (the sender must be accredited for the type now).
    function issue(bytes32 digest, bytes32 credentialType, address subject, uint64 expiresAt) external;

    /// @notice Suspends an active credential (its issuer).
    function suspend(bytes32 digest, uint16 reason) external;

    /// @notice Reinstates a suspended credential (its issuer).
    function reinstate(bytes32 digest) external;

    /// @notice Revokes a credential for good (its issuer, or the revoker role).
    function revoke(bytes32 digest, uint16 reason) external;

    /// @notice A verifier records its verification on the audit trail; returns the verification.
    function recordVerification(bytes32 digest) external returns (Verification memory);

    /// @notice Everything a verifier needs about a credential in one call; reverts for an unknown digest.
    function verify(bytes32 digest) external view returns (Verification memory);
}
