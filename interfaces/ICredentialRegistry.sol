// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ICredentialRegistry
/// @notice Status registry of verifiable credentials: only the credential's digest, its type, the
/// subject's DID address and its validity go on chain, never personal data. An issuer accredited
/// for the type at that moment anchors it; the issuer suspends, reinstates or revokes it; verifiers
/// record their verifications, so that a regulator can audit who issued, verified and revoked what.
/// @dev A credential is identified by its issuer and digest (`credentialId`): two issuers anchoring
/// the same digest get two independent records, so nobody can front-run another issuer's digest.
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

    /// @notice The digest is zero.
    error CredentialRegistryZeroDigest();
    /// @notice The credential type is zero.
    error CredentialRegistryZeroType();
    /// @notice The subject is the zero address.
    error CredentialRegistryZeroSubject();
    /// @notice The expiry is not in the future, or is past the largest time the registry stores (2^40 - 1).
    error CredentialRegistryInvalidExpiry(uint64 expiresAt);
    /// @notice This issuer already anchored this digest.
    error CredentialRegistryAlreadyIssued(address issuer, bytes32 digest);
    /// @notice The issuer is not accredited for this credential type now.
    error CredentialRegistryIssuerNotTrusted(address issuer, bytes32 credentialType);
    /// @notice This issuer has no credential with this digest.
    error CredentialRegistryUnknownCredential(address issuer, bytes32 digest);
    /// @notice No credential has this record key (credentialId of an issuer and a digest).
    error CredentialRegistryUnknownCredentialId(bytes32 id);
    /// @notice Only the issuer (or the revoker role, for revocations) may change the credential.
    error CredentialRegistryUnauthorized(address issuer, bytes32 digest, address caller);
    /// @notice The change does not apply to the credential's current status.
    error CredentialRegistryWrongStatus(address issuer, bytes32 digest, Status status);
    /// @notice Suspensions and revocations need a non-zero reason code.
    error CredentialRegistryZeroReason();

    /// @notice A credential was anchored by `issuer`.
    event CredentialIssued(
        bytes32 indexed digest, address indexed issuer, address indexed subject, bytes32 credentialType, uint64 expiresAt
    );
    /// @notice The issuer (`by`) suspended its credential.
    event CredentialSuspended(bytes32 indexed digest, address indexed by, uint16 reason);
    /// @notice The issuer (`by`) reinstated its suspended credential.
    event CredentialReinstated(bytes32 indexed digest, address indexed by);
    /// @notice A credential was revoked for good (`by` is the issuer or a revoker).
    event CredentialRevoked(bytes32 indexed digest, address indexed issuer, address indexed by, uint16 reason);
    /// @notice A verifier recorded that it checked the credential, and the outcome.
    event CredentialVerified(
        bytes32 indexed digest, address indexed verifier, address indexed subject, address issuer, bool valid
    );

    /// @notice Anchors a credential digest as the sender's (the sender must be accredited for the type now).
    function issue(bytes32 digest, bytes32 credentialType, address subject, uint64 expiresAt) external;

    /// @notice Suspends the sender's active credential.
    function suspend(bytes32 digest, uint16 reason) external;

    /// @notice Reinstates the sender's suspended credential (the sender must be accredited for the type now).
    function reinstate(bytes32 digest) external;

    /// @notice Revokes `issuer`'s credential for good (the issuer itself, or the revoker role).
    function revoke(address issuer, bytes32 digest, uint16 reason) external;

    /// @notice A verifier records its verification on the audit trail; returns the verification.
    function recordVerification(address issuer, bytes32 digest) external returns (Verification memory);

    /// @notice The record key of `issuer`'s credential `digest`.
    function credentialId(address issuer, bytes32 digest) external pure returns (bytes32);

    /// @notice Everything a verifier needs about `issuer`'s credential in one call; reverts for an unknown one.
    function verify(address issuer, bytes32 digest) external view returns (Verification memory);

    /// @notice The same answer by record key (`credentialId(issuer, digest)`), for contracts that keep one
    /// word per credential; reverts for an unknown key.
    function verifyById(bytes32 id) external view returns (Verification memory);

    /// @notice Whether `issuer`'s credential `digest` is of `credentialType`, for `subject`, and valid now (Active,
    /// not expired, issuer accredited at issuance); false for an unknown one. The one-call check for other
    /// contracts (a fund admitting a professional investor who presents its credential's digest, say).
    function isValidFor(address issuer, bytes32 digest, bytes32 credentialType, address subject)
        external
        view
        returns (bool);
}
