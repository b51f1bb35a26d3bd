// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IFundSubscriptions
/// @notice The sale of a private fund to one investor as an evidence trail, one step per function:
/// open (qualified-investor credential + suitability) -> double recording -> fund contract fully
/// signed by manager, custodian and investor -> payment confirmed by the custodian -> cooling-off
/// (the investor may withdraw; the custodian confirms the refund) -> return visit -> final.
/// Every step rejects being called out of order with its own error; every step before `Final`
/// (except withdrawal and refund, which are the investor's right) re-checks the credential.
/// @dev Only digests, DID addresses, amounts and times go on chain. Evidence digests (questionnaire,
/// recording, payment and refund confirmations, return visit) use the subscription's `algorithm`,
/// numbered like the DocumentRegistry's HashAlgorithm (1 SHA-256, 2 Keccak-256, 3 SM3).
interface IFundSubscriptions {
    /// @notice Where a subscription stands. Withdrawn -> Refunded and Final are the ends.
    enum Stage {
        None,
        Opened,
        Recorded,
        Contracted,
        Paid,
        Withdrawn,
        Refunded,
        Final
    }

    /// @notice The whole trail of one subscription (zero where a step has not happened).
    struct Subscription {
        bytes32 product;
        address investor; // the did:ethr address of the investor
        Stage stage;
        uint8 suitability; // 1..5 = C1..C5
        uint8 algorithm; // of the evidence digests
        uint40 openedAt;
        address credentialIssuer;
        uint40 recordedAt;
        uint40 contractedAt;
        bytes32 credential; // QualifiedInvestor credential digest in the CredentialRegistry
        bytes32 questionnaire; // suitability questionnaire digest
        bytes32 recording; // double-recording (audio/video) digest
        bytes32 contractDigest; // fund contract in the DocumentRegistry
        uint8 contractAlgorithm;
        uint40 paidAt;
        uint40 coolingOffEndsAt;
        uint40 withdrawnAt;
        uint40 refundedAt;
        uint40 finalAt;
        uint256 amountFen;
        bytes32 paymentRef; // bank confirmation digest
        bytes32 refundRef; // refund confirmation digest
        bytes32 returnVisit; // return-visit record digest
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No subscription has this id.
    error FundSubscriptionsUnknownSubscription(uint256 id);
    /// @notice The product is closed for new subscriptions.
    error FundSubscriptionsProductClosed(bytes32 product);
    /// @notice Only the product's manager may do this.
    error FundSubscriptionsNotManager(bytes32 product, address caller);
    /// @notice Only the product's custodian may confirm payments and refunds.
    error FundSubscriptionsNotCustodian(uint256 id, address caller);
    /// @notice Only the investor may withdraw.
    error FundSubscriptionsNotInvestor(uint256 id, address caller);
    /// @notice The investor is the zero address.
    error FundSubscriptionsZeroInvestor();
    /// @notice The suitability rating must be 1 (C1) to 5 (C5).
    error FundSubscriptionsInvalidSuitability(uint8 suitability);
    /// @notice The investor's rating does not permit the product's risk level (C1 only R1; else C >= R).
    error FundSubscriptionsUnsuitable(uint8 suitability, uint8 riskLevel);
    /// @notice An evidence digest is zero.
    error FundSubscriptionsZeroDigest();
    /// @notice The hash algorithm is not 1 (SHA-256), 2 (Keccak-256) or 3 (SM3).
    error FundSubscriptionsUnsupportedAlgorithm(uint8 algorithm);
    /// @notice The credential registry has no credential with this digest from this issuer.
    error FundSubscriptionsCredentialUnknown(address issuer, bytes32 credential);
    /// @notice The credential is not a QualifiedInvestor credential.
    error FundSubscriptionsCredentialWrongType(bytes32 credential, bytes32 credentialType);
    /// @notice The credential was issued to another subject than the investor.
    error FundSubscriptionsCredentialWrongSubject(bytes32 credential, address subject);
    /// @notice The credential's issuer is not accredited for QualifiedInvestor now (or was not at issuance).
    error FundSubscriptionsCredentialIssuerNotTrusted(bytes32 credential, address issuer);
    /// @notice The investor's credential is suspended: no further step until it is reinstated.
    error FundSubscriptionsCredentialSuspended(bytes32 credential, uint16 reason);
    /// @notice The investor's credential was revoked: the subscription cannot go on.
    error FundSubscriptionsCredentialRevoked(bytes32 credential, uint16 reason);
    /// @notice The investor's credential has expired.
    error FundSubscriptionsCredentialExpired(bytes32 credential, uint64 expiresAt);
    /// @notice The double recording can be anchored only right after opening.
    error FundSubscriptionsNotAwaitingRecording(uint256 id, Stage stage);
    /// @notice The fund contract can be attached only after the double recording.
    error FundSubscriptionsNotAwaitingContract(uint256 id, Stage stage);
    /// @notice Payment can be confirmed only once the fund contract is fully signed.
    error FundSubscriptionsNotAwaitingPayment(uint256 id, Stage stage);
    /// @notice Only a paid subscription inside its cooling-off can be withdrawn.
    error FundSubscriptionsNotWithdrawable(uint256 id, Stage stage);
    /// @notice A refund can be confirmed only for a withdrawn subscription.
    error FundSubscriptionsNotAwaitingRefund(uint256 id, Stage stage);
    /// @notice The return visit can be confirmed only for a paid subscription.
    error FundSubscriptionsNotAwaitingReturnVisit(uint256 id, Stage stage);
    /// @notice The fund contract is not anchored in the DocumentRegistry by the product's manager.
    error FundSubscriptionsContractNotAnchored(bytes32 digest, uint8 algorithm, address anchorer);
    /// @notice The fund contract's record was revoked or superseded.
    error FundSubscriptionsContractNotLive(bytes32 digest, uint8 status);
    /// @notice The fund contract lacks this party's signature (manager, custodian and investor must all sign).
    error FundSubscriptionsContractNotSignedBy(bytes32 digest, address party);
    /// @notice This fund contract is already attached to another subscription.
    error FundSubscriptionsContractAlreadyUsed(bytes32 digest, uint256 usedBy);
    /// @notice The paid amount is below the product's minimum subscription.
    error FundSubscriptionsBelowMinimum(uint256 id, uint256 amountFen, uint256 minimumFen);
    /// @notice The cooling-off period is over: the investor can no longer withdraw.
    error FundSubscriptionsCoolingOffOver(uint256 id, uint64 endedAt);
    /// @notice The cooling-off period is not over yet: no return visit before it ends.
    error FundSubscriptionsCoolingOffNotOver(uint256 id, uint64 endsAt);
    /// @notice Only the regulator role and the subscription's parties may read its trail.
    error FundSubscriptionsNotAuthorizedReader(uint256 id, address caller);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Step 1: the manager opened a subscription for a qualified, suitable investor.
    event SubscriptionOpened(
        uint256 indexed id,
        bytes32 indexed product,
        address indexed investor,
        bytes32 credential,
        address credentialIssuer,
        uint8 suitability,
        bytes32 questionnaire,
        uint8 algorithm
    );
    /// @notice Step 2: the double recording's digest was anchored.
    event SaleRecorded(uint256 indexed id, bytes32 recording);
    /// @notice Step 3: the fully signed fund contract was attached.
    event ContractAttached(uint256 indexed id, bytes32 indexed digest, uint8 algorithm);
    /// @notice Step 4: the custodian confirmed the payment; the cooling-off runs until `coolingOffEndsAt`.
    event PaymentConfirmed(
        uint256 indexed id, address indexed custodian, uint256 amountFen, bytes32 paymentRef, uint64 coolingOffEndsAt
    );
    /// @notice Step 5a: the investor withdrew inside the cooling-off.
    event SubscriptionWithdrawn(uint256 indexed id, address indexed investor);
    /// @notice Step 5b: the custodian confirmed the refund of a withdrawn subscription.
    event RefundConfirmed(uint256 indexed id, address indexed custodian, bytes32 refundRef);
    /// @notice Step 6: the return visit after the cooling-off was confirmed; the subscription is final.
    event ReturnVisitConfirmed(uint256 indexed id, address indexed by, bytes32 returnVisit);

    /*//////////////////////////////////////////////////////////////
                                 STEPS
    //////////////////////////////////////////////////////////////*/

    /// @notice Step 1 (product manager): opens a subscription for `investor` holding a valid
    /// QualifiedInvestor credential and a suitability rating that permits the product's risk level.
    function open(
        bytes32 product,
        address investor,
        bytes32 credential,
        address credentialIssuer,
        uint8 suitability,
        bytes32 questionnaire,
        uint8 algorithm
    ) external returns (uint256 id);

    /// @notice Step 2 (product manager): anchors the digest of the sale's audio/video double recording.
    function recordSale(uint256 id, bytes32 recording) external;

    /// @notice Step 3 (product manager): attaches the fund contract, anchored by the manager in the
    /// DocumentRegistry and fully signed by manager, custodian and investor.
    function attachContract(uint256 id, bytes32 digest, uint8 algorithm) external;

    /// @notice Step 4 (custodian): confirms the payment (at least the minimum) with the bank reference's digest.
    function confirmPayment(uint256 id, uint256 amountFen, bytes32 paymentRef) external;

    /// @notice Step 5a (investor): withdraws inside the cooling-off.
    function withdraw(uint256 id) external;

    /// @notice Step 5b (custodian): confirms the refund of a withdrawn subscription.
    function confirmRefund(uint256 id, bytes32 refundRef) external;

    /// @notice Step 6 (product manager): confirms the return visit after the cooling-off; the subscription becomes final.
    function confirmReturnVisit(uint256 id, bytes32 returnVisit) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The subscription's full trail, for the regulator role and the subscription's parties.
    function trail(uint256 id) external view returns (Subscription memory);

    /// @notice The stage of a subscription (None for an unknown id).
    function stageOf(uint256 id) external view returns (Stage);

    /// @notice How many subscriptions were opened (ids run from 1 to this number).
    function subscriptionCount() external view returns (uint256);
}
