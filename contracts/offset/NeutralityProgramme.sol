// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {INeutralityProgramme} from "@carbonchain/interfaces/INeutralityProgramme.sol";
import {IRetirementRegistry} from "@carbonchain/interfaces/IRetirementRegistry.sol";
import {ITrustedIssuerRegistry} from "@carbonchain/interfaces/ITrustedIssuerRegistry.sol";

/// @title NeutralityProgramme
/// @notice Demand -> plan -> verified emissions -> attributed retirements -> certificate.
/// @dev The verifier's accreditation is read from the TrustedIssuerRegistry's public `isTrusted`
/// at the moment of recording (its time is kept, so `wasTrusted(verifier, CarbonVerifier,
/// verifiedAt)` re-checks it later). Retirements live in the RetirementRegistry; this contract
/// keeps which programme each counts for and the running total of standing tonnes.
contract NeutralityProgramme is INeutralityProgramme, AccessControlDefaultAdminRules {
    /*//////////////////////////////////////////////////////////////
                           ROLES AND CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Certifies programmes (the certification body).
    bytes32 public constant CERTIFIER_ROLE = keccak256("CERTIFIER_ROLE");
    /// @notice May attribute retirements on an enterprise's behalf (the carbon desk).
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice The credential type a verifier must be accredited for.
    bytes32 public constant CARBON_VERIFIER = "CarbonVerifier";
    uint16 private constant FULL_BPS = 10_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Programme {
        address enterprise; // 20
        Scope scope; // 1
        Status status; // 1
        uint16 targetBps; // 2
        uint64 verifiedAt; // 8 => 32
        bytes32 subject;
        uint64 periodStart;
        uint64 periodEnd;
        bytes32 planDigest;
        uint256 emissionsTonnes;
        address verifier;
        bytes32 reportDigest;
        uint256 retiredTonnes;
    }

    struct Attribution {
        uint64 programme;
        bool released;
    }

    /// @notice The registry whose retirements count.
    IRetirementRegistry public immutable retirements;
    /// @notice The accreditation registry consulted when emissions are recorded.
    ITrustedIssuerRegistry public immutable trustedIssuers;

    mapping(uint64 id => Programme) private _programmes;
    mapping(uint64 id => uint64[]) private _attributed;
    mapping(uint64 id => Certificate) private _certificates;
    mapping(uint64 retirement => Attribution) private _attributions;
    uint64 private _programmeCount;

    /// @param adminDelay Seconds a DEFAULT_ADMIN_ROLE transfer waits (0 only on local chains).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes the roles; two-step transfer).
    /// @param certifier Receives CERTIFIER_ROLE.
    /// @param operator Receives OPERATOR_ROLE.
    /// @param retirements_ The RetirementRegistry whose records count.
    /// @param trustedIssuers_ The TrustedIssuerRegistry that accredits verifiers.
    constructor(
        uint48 adminDelay,
        address admin,
        address certifier,
        address operator,
        IRetirementRegistry retirements_,
        ITrustedIssuerRegistry trustedIssuers_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        retirements = retirements_;
        trustedIssuers = trustedIssuers_;
        _grantRole(CERTIFIER_ROLE, certifier);
        _grantRole(OPERATOR_ROLE, operator);
    }

    /*//////////////////////////////////////////////////////////////
                                 LOGIC
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc INeutralityProgramme
    function raiseDemand(uint8 scope, bytes32 subject, uint64 periodStart, uint64 periodEnd, uint16 targetBps)
        external
        returns (uint64 id)
    {
        if (scope > uint8(type(Scope).max)) revert NeutralityProgrammeInvalidScope(scope);
        if (subject == bytes32(0)) revert NeutralityProgrammeZeroSubject();
        if (periodStart >= periodEnd) revert NeutralityProgrammeInvalidPeriod(periodStart, periodEnd);
        if (targetBps == 0 || targetBps > FULL_BPS) revert NeutralityProgrammeInvalidTarget(targetBps);
        id = ++_programmeCount;
        Programme storage p = _programmes[id];
        p.enterprise = msg.sender;
        p.scope = Scope(scope);
        p.status = Status.Raised;
        p.targetBps = targetBps;
        p.subject = subject;
        p.periodStart = periodStart;
        p.periodEnd = periodEnd;
        emit DemandRaised(id, msg.sender, Scope(scope), subject, periodStart, periodEnd, targetBps);
    }

    /// @inheritdoc INeutralityProgramme
    function publishPlan(uint64 id, bytes32 planDigest) external {
        Programme storage p = _programme(id);
        if (msg.sender != p.enterprise) revert NeutralityProgrammeUnauthorized(id, msg.sender);
        if (p.status != Status.Raised) revert NeutralityProgrammeWrongStatus(id, p.status);
        if (planDigest == bytes32(0)) revert NeutralityProgrammeZeroDigest();
        p.planDigest = planDigest;
        p.status = Status.Planned;
        emit PlanPublished(id, planDigest);
    }

    /// @inheritdoc INeutralityProgramme
    function recordEmissions(uint64 id, uint256 emissionsTonnes, uint64 periodStart, uint64 periodEnd, bytes32 reportDigest)
        external
    {
        Programme storage p = _programme(id);
        if (!trustedIssuers.isTrusted(msg.sender, CARBON_VERIFIER)) {
            revert NeutralityProgrammeVerifierNotAccredited(msg.sender);
        }
        if (p.status != Status.Planned) revert NeutralityProgrammeWrongStatus(id, p.status);
        if (periodStart != p.periodStart || periodEnd != p.periodEnd) {
            revert NeutralityProgrammePeriodMismatch(p.periodStart, p.periodEnd, periodStart, periodEnd);
        }
        if (emissionsTonnes == 0) revert NeutralityProgrammeZeroEmissions();
        if (reportDigest == bytes32(0)) revert NeutralityProgrammeZeroDigest();
        p.emissionsTonnes = emissionsTonnes;
        p.verifier = msg.sender;
        p.verifiedAt = uint64(block.timestamp);
        p.reportDigest = reportDigest;
        p.status = Status.Verified;
        emit EmissionsVerified(id, msg.sender, emissionsTonnes, reportDigest);
    }

    /// @inheritdoc INeutralityProgramme
    function attribute(uint64 id, uint64 retirement) external {
        Programme storage p = _programme(id);
        if (msg.sender != p.enterprise && !hasRole(OPERATOR_ROLE, msg.sender)) {
            revert NeutralityProgrammeUnauthorized(id, msg.sender);
        }
        if (p.status == Status.Certified) revert NeutralityProgrammeWrongStatus(id, p.status);
        Attribution storage a = _attributions[retirement];
        if (a.programme != 0) revert NeutralityProgrammeAlreadyAttributed(retirement, a.programme);
        if (!retirements.isLive(retirement)) revert NeutralityProgrammeRetirementNotLive(retirement);
        IRetirementRegistry.RetirementView memory r = retirements.retirement(retirement);
        if (r.programme != id) revert NeutralityProgrammeRetirementForOtherProgramme(retirement, r.programme);
        if (r.beneficiary != p.enterprise) revert NeutralityProgrammeBeneficiaryMismatch(retirement, r.beneficiary);
        a.programme = id;
        _attributed[id].push(retirement);
        p.retiredTonnes += r.quantity;
        emit RetirementAttributed(id, retirement, r.quantity, msg.sender);
    }

    /// @inheritdoc INeutralityProgramme
    function release(uint64 id, uint64 retirement) external {
        Programme storage p = _programme(id);
        Attribution storage a = _attributions[retirement];
        if (a.programme != id || a.released) revert NeutralityProgrammeNotAttributed(retirement, id);
        if (retirements.isLive(retirement)) revert NeutralityProgrammeRetirementStillLive(retirement);
        uint64 quantity = retirements.retirement(retirement).quantity;
        a.released = true;
        p.retiredTonnes -= quantity;
        emit RetirementReleased(id, retirement, quantity, msg.sender);
    }

    /// @inheritdoc INeutralityProgramme
    function certify(uint64 id, bytes32 certificateDigest) external onlyRole(CERTIFIER_ROLE) {
        Programme storage p = _programme(id);
        if (p.status != Status.Verified) revert NeutralityProgrammeWrongStatus(id, p.status);
        if (certificateDigest == bytes32(0)) revert NeutralityProgrammeZeroDigest();
        uint256 required = _required(p);
        if (p.retiredTonnes < required) revert NeutralityProgrammeNotCovered(id, p.retiredTonnes, required);
        // Bounded by this programme's own attributions (a handful), never by the registry's size.
        uint64[] storage list = _attributed[id];
        for (uint256 i; i < list.length; ++i) {
            uint64 r = list[i];
            if (!_attributions[r].released && !retirements.isLive(r)) revert NeutralityProgrammeRetirementReversed(r);
        }
        p.status = Status.Certified;
        _certificates[id] = Certificate({
            digest: certificateDigest,
            certifiedAt: uint64(block.timestamp),
            certifier: msg.sender,
            emissionsTonnes: p.emissionsTonnes,
            retiredTonnes: p.retiredTonnes
        });
        emit ProgrammeCertified(id, certificateDigest, msg.sender, p.emissionsTonnes, p.retiredTonnes);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc INeutralityProgramme
    function programme(uint64 id) external view returns (ProgrammeView memory v) {
        Programme storage p = _programme(id);
        v.enterprise = p.enterprise;
        v.scope = p.scope;
        v.status = p.status;
        v.subject = p.subject;
        v.periodStart = p.periodStart;
        v.periodEnd = p.periodEnd;
        v.targetBps = p.targetBps;
        v.planDigest = p.planDigest;
        v.emissionsTonnes = p.emissionsTonnes;
        v.verifier = p.verifier;
        v.verifiedAt = p.verifiedAt;
        v.reportDigest = p.reportDigest;
        v.retiredTonnes = p.retiredTonnes;
        v.requiredTonnes = _required(p);
        v.attributedCount = uint64(_attributed[id].length);
        v.certificate = _certificates[id];
    }

    /// @inheritdoc INeutralityProgramme
    function programmeRetirements(uint64 id) external view returns (uint64[] memory) {
        _programme(id);
        return _attributed[id];
    }

    /// @inheritdoc INeutralityProgramme
    function attributionOf(uint64 retirement) external view returns (uint64 id, bool released) {
        Attribution memory a = _attributions[retirement];
        return (a.programme, a.released);
    }

    /// @inheritdoc INeutralityProgramme
    function programmeCount() external view returns (uint64) {
        return _programmeCount;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _programme(uint64 id) private view returns (Programme storage p) {
        p = _programmes[id];
        if (p.status == Status.None) revert NeutralityProgrammeUnknownProgramme(id);
    }

    function _required(Programme storage p) private view returns (uint256) {
        return (p.emissionsTonnes * p.targetBps + FULL_BPS - 1) / FULL_BPS;
    }
}
