// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ITrustedIssuerRegistry
/// @notice Accreditation of credential issuers (by their did:ethr address) per credential type, in
/// the spirit of EBSI's trust chain: the governance role (a regulator or an industry body)
/// accredits root issuers; a root issuer allowed to do so may accredit sub-issuers for the same
/// type (root -> issuer, never deeper). Every change is appended to a history, so "was issuer X
/// trusted for type T at time t?" stays answerable after later suspensions or withdrawals.
interface ITrustedIssuerRegistry {
    /// @notice State of an accreditation.
    enum Status {
        None,
        Active,
        Suspended,
        Withdrawn
    }

    /// @notice One entry of an accreditation's history (the current state is the last entry).
    struct Entry {
        uint64 at; // block time of the change
        Status status;
        uint64 validFrom;
        uint64 validUntil;
        bool canAccredit;
        uint8 depth; // 0: accredited by governance; 1: by a root issuer
        bool byGovernance; // this entry (accreditation or status change) was made by the governance role
        address by; // who made this entry
        address parent; // the accrediting issuer for depth 1, else zero
        uint16 reason;
    }

    /// @dev The issuer address is zero.
    error TrustedIssuerRegistryZeroIssuer();
    /// @dev The credential type is zero.
    error TrustedIssuerRegistryZeroType();
    /// @dev The validity window is empty or already over.
    error TrustedIssuerRegistryInvalidWindow(uint64 validFrom, uint64 validUntil);
    /// @dev The caller may not accredit or change this accreditation.
    error TrustedIssuerRegistryUnauthorized(address caller, address issuer, bytes32 credentialType);
    /// @dev A sub-issuer may not accredit further issuers, nor pass on the right to.
    error TrustedIssuerRegistryChainTooDeep(address caller);
    /// @dev No accreditation exists for this issuer and type.
    error TrustedIssuerRegistryUnknownAccreditation(address issuer, bytes32 credentialType);
    /// @dev The change does not apply to the accreditation's current status.
    error TrustedIssuerRegistryWrongStatus(address issuer, bytes32 credentialType, Status status);
    /// @dev Suspensions and withdrawals need a non-zero reason code.
    error TrustedIssuerRegistryZeroReason();
    /// @notice An issuer may not accredit itself.
    error TrustedIssuerRegistrySelfAccreditation(address issuer);
    /// @notice A root issuer may accredit only issuers with no history for the type, or its own sub-issuers.
    error TrustedIssuerRegistryNotSubIssuer(address caller, address issuer, bytes32 credentialType);
    /// @notice Governance made the accreditation's current state: only governance may change it.
    error TrustedIssuerRegistryGovernanceDecision(address issuer, bytes32 credentialType);

    /// @dev An issuer was accredited (or renewed) for a type.
    event IssuerAccredited(
        address indexed issuer,
        bytes32 indexed credentialType,
        address indexed by,
        uint64 validFrom,
        uint64 validUntil,
        bool canAccredit,
        uint8 depth
    );
    /// @dev An accreditation was suspended.
    event AccreditationSuspended(address indexed issuer, bytes32 indexed credentialType, address indexed by, uint16 reason);
    /// @dev A suspended accreditation was reinstated.
    event AccreditationReinstated(address indexed issuer, bytes32 indexed credentialType, address indexed by);
    /// @dev An accreditation was withdrawn for good (a new accreditation may follow later).
    event AccreditationWithdrawn(address indexed issuer, bytes32 indexed credentialType, address indexed by, uint16 reason);

    /// @notice Accredits `issuer` for `credentialType` over [validFrom, validUntil): the governance
    /// role accredits root issuers; a root issuer with canAccredit accredits sub-issuers (issuers with
    /// no history for the type, or its own sub-issuers whose state governance did not set; never itself).
    function accredit(address issuer, bytes32 credentialType, uint64 validFrom, uint64 validUntil, bool canAccredit)
        external;

    /// @notice Suspends an active accreditation (governance, or the accrediting root issuer unless governance set the current state).
    function suspend(address issuer, bytes32 credentialType, uint16 reason) external;

    /// @notice Reinstates a suspended accreditation (governance, or the accrediting root issuer unless governance set the current state).
    function reinstate(address issuer, bytes32 credentialType) external;

    /// @notice Withdraws an active or suspended accreditation (governance, or the accrediting root issuer unless governance set the current state).
    function withdraw(address issuer, bytes32 credentialType, uint16 reason) external;

    /// @notice Whether `issuer` is trusted for `credentialType` now (for a sub-issuer: and its parent).
    function isTrusted(address issuer, bytes32 credentialType) external view returns (bool);

    /// @notice Whether `issuer` was trusted for `credentialType` at time `t`, from the kept history
    /// (at the end of second `t`: when several changes share a block time, the last one counts).
    function wasTrusted(address issuer, bytes32 credentialType, uint64 t) external view returns (bool);

    /// @notice The current accreditation; reverts for an unknown one.
    function accreditation(address issuer, bytes32 credentialType) external view returns (Entry memory);

    /// @notice Every change of the accreditation, oldest first.
    function accreditationHistory(address issuer, bytes32 credentialType) external view returns (Entry[] memory);
}
