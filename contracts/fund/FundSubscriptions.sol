// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ICredentialRegistry} from "@carbonchain/interfaces/ICredentialRegistry.sol";
import {IDocumentRegistry} from "@carbonchain/interfaces/IDocumentRegistry.sol";
import {IFundProductRegistry} from "@carbonchain/interfaces/IFundProductRegistry.sol";
import {IFundSubscriptions} from "@carbonchain/interfaces/IFundSubscriptions.sol";

/// @title FundSubscriptions
/// @notice Private-fund subscriptions as a state machine whose every step leaves re-checkable evidence.
/// @dev The notary and credential registries are read through `_verifyCredential` and
/// `_requireContractSigned` only, so that a change of their interfaces touches two functions.
contract FundSubscriptions is IFundSubscriptions, AccessControlDefaultAdminRules {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice May read every subscription's trail.
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    /// @notice The credential type an investor must hold (ASCII, right-padded like every type name).
    bytes32 public constant QUALIFIED_INVESTOR = bytes32("QualifiedInvestor");

    uint8 private constant _MAX_ALGORITHM = 3; // SM3 in IDocumentRegistry.HashAlgorithm
    uint8 private constant _MAX_SUITABILITY = 5;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @notice Products and their terms.
    IFundProductRegistry public immutable products;
    /// @notice Where the investors' QualifiedInvestor credentials are anchored.
    ICredentialRegistry public immutable credentials;
    /// @notice Where the fund contracts are anchored and signed.
    IDocumentRegistry public immutable documents;

    mapping(uint256 id => Subscription) private _subscriptions;
    mapping(bytes32 recordId => uint256 id) private _contractUsedBy;
    uint256 private _count;

    /// @param adminDelay Delay of a default-admin transfer (OpenZeppelin DefaultAdminRules); never 0 outside local chains.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants REGULATOR_ROLE).
    constructor(
        uint48 adminDelay,
        address admin,
        IFundProductRegistry products_,
        ICredentialRegistry credentials_,
        IDocumentRegistry documents_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        products = products_;
        credentials = credentials_;
        documents = documents_;
    }

    /*//////////////////////////////////////////////////////////////
                                 STEPS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IFundSubscriptions
    function open(
        bytes32 product,
        address investor,
        bytes32 credential,
        address credentialIssuer,
        uint8 suitability,
        bytes32 questionnaire,
        uint8 algorithm
    ) external returns (uint256 id) {
        IFundProductRegistry.Product memory p = products.product(product); // reverts for an unknown code
        if (!products.isManager(product, msg.sender)) revert FundSubscriptionsNotManager(product, msg.sender);
        if (!p.open) revert FundSubscriptionsProductClosed(product);
        if (investor == address(0)) revert FundSubscriptionsZeroInvestor();
        if (suitability == 0 || suitability > _MAX_SUITABILITY) revert FundSubscriptionsInvalidSuitability(suitability);
        // "C1 only R1, otherwise C >= R" is exactly C >= R on the 1..5 scales.
        if (suitability < p.riskLevel) revert FundSubscriptionsUnsuitable(suitability, p.riskLevel);
        _checkAlgorithm(algorithm);
        _nonZero(questionnaire);
        _checkQualification(credential, credentialIssuer, investor);

        id = ++_count;
        Subscription storage s = _subscriptions[id];
        s.product = product;
        s.investor = investor;
        s.stage = Stage.Opened;
        s.suitability = suitability;
        s.algorithm = algorithm;
        s.openedAt = uint40(block.timestamp);
        s.credentialIssuer = credentialIssuer;
        s.credential = credential;
        s.questionnaire = questionnaire;
        emit SubscriptionOpened(id, product, investor, credential, credentialIssuer, suitability, questionnaire, algorithm);
    }

    /// @inheritdoc IFundSubscriptions
    function recordSale(uint256 id, bytes32 recording) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Opened) revert FundSubscriptionsNotAwaitingRecording(id, s.stage);
        _onlyManager(s);
        _nonZero(recording);
        _checkStillQualified(s);
        s.recording = recording;
        s.recordedAt = uint40(block.timestamp);
        s.stage = Stage.Recorded;
        emit SaleRecorded(id, recording);
    }

    /// @inheritdoc IFundSubscriptions
    function attachContract(uint256 id, bytes32 digest, uint8 algorithm) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Recorded) revert FundSubscriptionsNotAwaitingContract(id, s.stage);
        _onlyManager(s);
        _nonZero(digest);
        _checkAlgorithm(algorithm);
        _checkStillQualified(s);
        bytes32 key = keccak256(abi.encode(digest, algorithm));
        uint256 usedBy = _contractUsedBy[key];
        if (usedBy != 0) revert FundSubscriptionsContractAlreadyUsed(digest, usedBy);
        IFundProductRegistry.Product memory p = products.product(s.product);
        _requireContractSigned(digest, algorithm, p.manager, [p.manager, p.custodian, s.investor]);
        _contractUsedBy[key] = id;
        s.contractDigest = digest;
        s.contractAlgorithm = algorithm;
        s.contractedAt = uint40(block.timestamp);
        s.stage = Stage.Contracted;
        emit ContractAttached(id, digest, algorithm);
    }

    /// @inheritdoc IFundSubscriptions
    function confirmPayment(uint256 id, uint256 amountFen, bytes32 paymentRef) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Contracted) revert FundSubscriptionsNotAwaitingPayment(id, s.stage);
        IFundProductRegistry.Product memory p = _onlyCustodian(s, id);
        if (amountFen < p.minimumFen) revert FundSubscriptionsBelowMinimum(id, amountFen, p.minimumFen);
        _nonZero(paymentRef);
        _checkStillQualified(s);
        uint40 endsAt = uint40(block.timestamp) + p.coolingOff;
        s.amountFen = amountFen;
        s.paymentRef = paymentRef;
        s.paidAt = uint40(block.timestamp);
        s.coolingOffEndsAt = endsAt;
        s.stage = Stage.Paid;
        emit PaymentConfirmed(id, msg.sender, amountFen, paymentRef, endsAt);
    }

    /// @inheritdoc IFundSubscriptions
    function withdraw(uint256 id) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Paid) revert FundSubscriptionsNotWithdrawable(id, s.stage);
        if (msg.sender != s.investor) revert FundSubscriptionsNotInvestor(id, msg.sender);
        if (block.timestamp >= s.coolingOffEndsAt) revert FundSubscriptionsCoolingOffOver(id, s.coolingOffEndsAt);
        // No credential check: withdrawing is the investor's right whatever became of the credential.
        s.withdrawnAt = uint40(block.timestamp);
        s.stage = Stage.Withdrawn;
        emit SubscriptionWithdrawn(id, msg.sender);
    }

    /// @inheritdoc IFundSubscriptions
    function confirmRefund(uint256 id, bytes32 refundRef) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Withdrawn) revert FundSubscriptionsNotAwaitingRefund(id, s.stage);
        _onlyCustodian(s, id);
        _nonZero(refundRef);
        s.refundRef = refundRef;
        s.refundedAt = uint40(block.timestamp);
        s.stage = Stage.Refunded;
        emit RefundConfirmed(id, msg.sender, refundRef);
    }

    /// @inheritdoc IFundSubscriptions
    function confirmReturnVisit(uint256 id, bytes32 returnVisit) external {
        Subscription storage s = _existing(id);
        if (s.stage != Stage.Paid) revert FundSubscriptionsNotAwaitingReturnVisit(id, s.stage);
        _onlyManager(s);
        if (block.timestamp < s.coolingOffEndsAt) revert FundSubscriptionsCoolingOffNotOver(id, s.coolingOffEndsAt);
        _nonZero(returnVisit);
        _checkStillQualified(s);
        s.returnVisit = returnVisit;
        s.finalAt = uint40(block.timestamp);
        s.stage = Stage.Final;
        emit ReturnVisitConfirmed(id, msg.sender, returnVisit);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IFundSubscriptions
    /// @dev The gate serves consortium nodes whose clients go through views; on a public chain the
    /// storage (digests and DID addresses only, no personal data) is readable by anyone anyway.
    function trail(uint256 id) external view returns (Subscription memory) {
        Subscription storage s = _existing(id);
        if (!hasRole(REGULATOR_ROLE, msg.sender) && msg.sender != s.investor) {
            IFundProductRegistry.Product memory p = products.product(s.product);
            if (msg.sender != p.manager && msg.sender != p.custodian) {
                revert FundSubscriptionsNotAuthorizedReader(id, msg.sender);
            }
        }
        return s;
    }

    /// @inheritdoc IFundSubscriptions
    function stageOf(uint256 id) external view returns (Stage) {
        return _subscriptions[id].stage;
    }

    /// @inheritdoc IFundSubscriptions
    function subscriptionCount() external view returns (uint256) {
        return _count;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _existing(uint256 id) private view returns (Subscription storage s) {
        s = _subscriptions[id];
        if (s.stage == Stage.None) revert FundSubscriptionsUnknownSubscription(id);
    }

    function _onlyManager(Subscription storage s) private view {
        if (!products.isManager(s.product, msg.sender)) revert FundSubscriptionsNotManager(s.product, msg.sender);
    }

    function _onlyCustodian(Subscription storage s, uint256 id)
        private
        view
        returns (IFundProductRegistry.Product memory p)
    {
        p = products.product(s.product);
        if (msg.sender != p.custodian) revert FundSubscriptionsNotCustodian(id, msg.sender);
    }

    function _nonZero(bytes32 digest) private pure {
        if (digest == bytes32(0)) revert FundSubscriptionsZeroDigest();
    }

    function _checkAlgorithm(uint8 algorithm) private pure {
        if (algorithm == 0 || algorithm > _MAX_ALGORITHM) revert FundSubscriptionsUnsupportedAlgorithm(algorithm);
    }

    /// @dev At opening: a live QualifiedInvestor credential of this investor, from an issuer accredited
    /// for the type when it issued and now.
    function _checkQualification(bytes32 credential, address issuer, address investor) private view {
        ICredentialRegistry.Verification memory v = _liveCredential(credential, issuer);
        if (v.credentialType != QUALIFIED_INVESTOR) {
            revert FundSubscriptionsCredentialWrongType(credential, v.credentialType);
        }
        if (v.subject != investor) revert FundSubscriptionsCredentialWrongSubject(credential, v.subject);
        if (!v.issuerAccreditedAtIssuance || !v.issuerTrustedNow) {
            revert FundSubscriptionsCredentialIssuerNotTrusted(credential, issuer);
        }
    }

    /// @dev Before every later step up to `Final`: the credential is still active and unexpired.
    function _checkStillQualified(Subscription storage s) private view {
        _liveCredential(s.credential, s.credentialIssuer);
    }

    function _liveCredential(bytes32 credential, address issuer)
        private
        view
        returns (ICredentialRegistry.Verification memory v)
    {
        v = _verifyCredential(credential, issuer);
        if (v.status == ICredentialRegistry.Status.Revoked) revert FundSubscriptionsCredentialRevoked(credential, v.reason);
        if (v.status == ICredentialRegistry.Status.Suspended) {
            revert FundSubscriptionsCredentialSuspended(credential, v.reason);
        }
        if (block.timestamp >= v.expiresAt) revert FundSubscriptionsCredentialExpired(credential, v.expiresAt);
    }

    /*//////////////////////////////////////////////////////////////
                  ADAPTERS (the only calls into other registries)
    //////////////////////////////////////////////////////////////*/

    /// @dev The credential registry's one-call view, for a credential of `issuer`.
    function _verifyCredential(bytes32 credential, address issuer)
        private
        view
        returns (ICredentialRegistry.Verification memory v)
    {
        try credentials.verify(issuer, credential) returns (ICredentialRegistry.Verification memory r) {
            v = r;
        } catch {
            revert FundSubscriptionsCredentialUnknown(issuer, credential);
        }
        if (v.issuer != issuer) revert FundSubscriptionsCredentialUnknown(issuer, credential);
    }

    /// @dev The fund contract is a live record anchored by `anchorer` and signed by every party.
    function _requireContractSigned(bytes32 digest, uint8 algorithm, address anchorer, address[3] memory parties)
        private
        view
    {
        if (!documents.isAnchored(anchorer, digest, algorithm)) {
            revert FundSubscriptionsContractNotAnchored(digest, algorithm, anchorer);
        }
        IDocumentRegistry.RecordView memory r = documents.getRecord(anchorer, digest, algorithm);
        if (r.anchorer != anchorer) revert FundSubscriptionsContractNotAnchored(digest, algorithm, anchorer);
        if (r.status == IDocumentRegistry.Status.Revoked || r.status == IDocumentRegistry.Status.Superseded) {
            revert FundSubscriptionsContractNotLive(digest, uint8(r.status));
        }
        IDocumentRegistry.SignatureView[] memory sigs = documents.getSignatures(anchorer, digest, algorithm);
        for (uint256 i = 0; i < parties.length; ++i) {
            bool signed;
            for (uint256 j = 0; j < sigs.length; ++j) {
                if (sigs[j].signer == parties[i]) {
                    signed = sigs[j].signedAt != 0;
                    break;
                }
            }
            if (!signed) revert FundSubscriptionsContractNotSignedBy(digest, parties[i]);
        }
    }
}
