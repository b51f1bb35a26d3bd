// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title INeutralityProgramme
/// @notice Carbon-neutrality programmes: an enterprise raises a demand (scope, period, target) and
/// publishes its implementation plan; a verifier accredited as `CarbonVerifier` in the
/// TrustedIssuerRegistry at that moment records the verified emissions of exactly that period;
/// retirements made for the programme in the RetirementRegistry are attributed to it (each
/// retirement to one programme at most); once the standing retired tonnes cover the target share
/// of the verified emissions, a certifier issues the certificate record.
interface INeutralityProgramme {
    /// @notice What the programme makes neutral.
    enum Scope {
        Organisation,
        Product,
        Event
    }

    /// @notice Where a programme stands.
    enum Status {
        None,
        Raised,
        Planned,
        Verified,
        Certified
    }

    /// @notice The certificate record issued at certification.
    struct Certificate {
        bytes32 digest; // digest of the certificate document (anchored in DocumentRegistry)
        uint64 certifiedAt;
        address certifier;
        uint256 emissionsTonnes;
        uint256 retiredTonnes;
    }

    /// @notice A programme as read back, with its totals.
    struct ProgrammeView {
        address enterprise; // did:ethr address of the enterprise
        Scope scope;
        Status status;
        bytes32 subject; // what is made neutral: short text or digest (organisation, product, event)
        uint64 periodStart;
        uint64 periodEnd; // exclusive
        uint16 targetBps; // share of verified emissions to offset (10_000 = carbon neutral)
        bytes32 planDigest;
        uint256 emissionsTonnes;
        address verifier;
        uint64 verifiedAt;
        bytes32 reportDigest;
        uint256 retiredTonnes; // standing retirements attributed (released ones excluded)
        uint256 requiredTonnes; // ceil(emissions * targetBps / 10_000)
        uint64 attributedCount;
        Certificate certificate;
    }

    /// @notice The scope is not Organisation, Product or Event.
    error NeutralityProgrammeInvalidScope(uint8 scope);
    /// @notice The subject (what is made neutral) is empty.
    error NeutralityProgrammeZeroSubject();
    /// @notice The period is empty (start not before end).
    error NeutralityProgrammeInvalidPeriod(uint64 periodStart, uint64 periodEnd);
    /// @notice The target share is zero or above 100% (10_000 bps).
    error NeutralityProgrammeInvalidTarget(uint16 targetBps);
    /// @notice No programme with this id.
    error NeutralityProgrammeUnknownProgramme(uint64 id);
    /// @notice Only the programme's enterprise (or, to attribute, an operator) may do this.
    error NeutralityProgrammeUnauthorized(uint64 id, address caller);
    /// @notice The step does not apply to the programme's current status.
    error NeutralityProgrammeWrongStatus(uint64 id, Status status);
    /// @notice A plan, verification report or certificate digest is missing.
    error NeutralityProgrammeZeroDigest();
    /// @notice The caller is not accredited as CarbonVerifier in the TrustedIssuerRegistry right now.
    error NeutralityProgrammeVerifierNotAccredited(address verifier);
    /// @notice The verified period is not the programme's period.
    error NeutralityProgrammePeriodMismatch(uint64 periodStart, uint64 periodEnd, uint64 verifiedStart, uint64 verifiedEnd);
    /// @notice Verified emissions of zero tonnes leave nothing to make neutral.
    error NeutralityProgrammeZeroEmissions();
    /// @notice The retirement does not stand (unknown or reversed) in the RetirementRegistry.
    error NeutralityProgrammeRetirementNotLive(uint64 retirement);
    /// @notice The retirement was made for another programme (or none).
    error NeutralityProgrammeRetirementForOtherProgramme(uint64 retirement, uint64 programme);
    /// @notice The retirement's beneficiary is not the programme's enterprise.
    error NeutralityProgrammeBeneficiaryMismatch(uint64 retirement, address beneficiary);
    /// @notice The retirement already counts for a programme.
    error NeutralityProgrammeAlreadyAttributed(uint64 retirement, uint64 programme);
    /// @notice The retirement is not attributed to this programme (or was released).
    error NeutralityProgrammeNotAttributed(uint64 retirement, uint64 id);
    /// @notice The retirement still stands: only a reversed retirement is released.
    error NeutralityProgrammeRetirementStillLive(uint64 retirement);
    /// @notice An attributed retirement was reversed: release it before certifying.
    error NeutralityProgrammeRetirementReversed(uint64 retirement);
    /// @notice The standing retired tonnes do not cover the target share of verified emissions.
    error NeutralityProgrammeNotCovered(uint64 id, uint256 retiredTonnes, uint256 requiredTonnes);

    /// @notice An enterprise raised a neutrality demand.
    event DemandRaised(
        uint64 indexed id,
        address indexed enterprise,
        Scope scope,
        bytes32 subject,
        uint64 periodStart,
        uint64 periodEnd,
        uint16 targetBps
    );
    /// @notice The enterprise published its implementation plan.
    event PlanPublished(uint64 indexed id, bytes32 planDigest);
    /// @notice An accredited verifier recorded the verified emissions of the period.
    event EmissionsVerified(uint64 indexed id, address indexed verifier, uint256 emissionsTonnes, bytes32 reportDigest);
    /// @notice A retirement was attributed to the programme.
    event RetirementAttributed(uint64 indexed id, uint64 indexed retirement, uint256 quantity, address by);
    /// @notice A reversed retirement was released from the programme's totals.
    event RetirementReleased(uint64 indexed id, uint64 indexed retirement, uint256 quantity, address by);
    /// @notice The programme was certified neutral; the certificate record was issued.
    event ProgrammeCertified(
        uint64 indexed id, bytes32 indexed digest, address indexed certifier, uint256 emissionsTonnes, uint256 retiredTonnes
    );

    /// @notice Raises a neutrality demand for the sender (the enterprise); returns the programme id.
    function raiseDemand(uint8 scope, bytes32 subject, uint64 periodStart, uint64 periodEnd, uint16 targetBps)
        external
        returns (uint64 id);

    /// @notice Publishes the implementation plan's digest (the enterprise, once).
    function publishPlan(uint64 id, bytes32 planDigest) external;

    /// @notice Records the verified emissions of the period (an accredited CarbonVerifier, once).
    function recordEmissions(uint64 id, uint256 emissionsTonnes, uint64 periodStart, uint64 periodEnd, bytes32 reportDigest)
        external;

    /// @notice Attributes a standing retirement made for this programme and its enterprise
    /// (the enterprise or OPERATOR_ROLE), before certification.
    function attribute(uint64 id, uint64 retirement) external;

    /// @notice Takes a reversed retirement out of the programme's totals (anyone).
    function release(uint64 id, uint64 retirement) external;

    /// @notice Certifies the programme (CERTIFIER_ROLE) once the retired tonnes cover the target.
    function certify(uint64 id, bytes32 certificateDigest) external;

    /// @notice A programme with its totals and certificate; reverts for an unknown id.
    function programme(uint64 id) external view returns (ProgrammeView memory);

    /// @notice The retirements ever attributed to a programme (released ones included).
    function programmeRetirements(uint64 id) external view returns (uint64[] memory);

    /// @notice The programme a retirement is attributed to (0: none) and whether it was released.
    function attributionOf(uint64 retirement) external view returns (uint64 id, bool released);

    /// @notice Number of programmes (ids run from 1).
    function programmeCount() external view returns (uint64);
}
