// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IRepoManager
/// @notice Carbon repo agreements: an enterprise (counterparty) sells carbon allowances to a
/// securities firm (financier) and buys them back at maturity at principal plus a repurchase rate.
/// The chain holds the terms, the custodian's confirmations, the maker-checker reviews, the
/// collateral health triggers and the trail; allowances and money move off chain.
/// @dev Units: quantities in whole tCO2e, money in CNY fen, prices 8 decimals (CNY/tCO2e), ratios
/// and rates in bps (10_000 = 100%), time in unix seconds. Interest is simple, ACT/365, accruing
/// per whole day from `start` up to `maturity` on the principal outstanding; it is rounded up (in
/// the financier's favour) and so is the amount due, while the collateral ratio is rounded down:
/// `ratioBps = quantity * price / (amountDue * 100)`.
interface IRepoManager {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of an agreement.
    enum Status {
        None,
        Proposed,
        Approved,
        Active,
        Repurchased,
        Defaulted,
        ClosedOut,
        Cancelled
    }

    /// @notice Collateral health of an active agreement.
    enum Health {
        Healthy,
        Warning,
        MarginCall,
        CloseOutEligible
    }

    /// @notice What the parties propose.
    struct Terms {
        address financier; // the securities firm's desk account (FINANCIER_ROLE)
        address counterparty; // the enterprise
        bytes32 market; // market code in MarketRegistry (its CarbonPriceFeed marks the collateral)
        uint256 quantity; // collateral, whole tCO2e
        uint256 principal; // fen
        uint16 rateBps; // repurchase rate a year, ACT/365, simple
        uint64 start;
        uint64 maturity;
        uint16 warningBps; // e.g. 16000
        uint16 marginCallBps; // e.g. 14000
        uint16 closeOutBps; // e.g. 12000
        uint32 curePeriod; // seconds a margin call leaves to top up or repay
        uint16 haircutBps; // principal <= quantity x price x haircut at approval
        bytes32 contractDigest; // the signed repo contract in DocumentRegistry
        uint8 contractAlgorithm; // its hash algorithm (DocumentRegistry's enum)
        bytes32 credential; // the counterparty's CarbonAccountHolder credential: its CredentialRegistry.credentialId(issuer, digest)
    }

    /// @notice Everything about one agreement.
    struct Agreement {
        uint256 id;
        Status status;
        Health health;
        uint64 since; // when the current health began (margin call: when it was raised)
        uint64 deadline; // margin call cure deadline (0 otherwise)
        address feed;
        uint256 quantity; // current collateral
        uint256 principal; // outstanding
        uint256 interest; // accrued to now, rounded up
        uint256 amountDue; // principal + interest
        Terms terms; // as proposed (quantity and principal as at proposal)
        uint8 riskGrade;
        bytes32 scoringReport;
        address approvalMaker; // pending or done
        address approvalChecker;
        address closeOutMaker; // pending or done
        uint256 closeOutProceeds;
        bytes32 closeOutReference;
    }

    /// @notice The collateral ratio now, with the price it used and the health it implies.
    struct RatioView {
        uint256 ratioBps; // 0 when no usable price
        int256 price;
        uint80 roundId;
        uint256 age; // seconds since the price's observation
        uint8 unavailable; // PRICE_* bits; 0 = usable
        uint256 amountDue;
        Health current;
        Health implied; // what `check` would set now (equal to current when the price is unusable)
        uint64 deadline; // the deadline that would hold after `check`
    }

    /// @notice One agreement's position as the keeper reads it in batches (enough to recompute off chain).
    struct Position {
        uint256 id;
        Status status;
        Health health;
        uint64 since;
        uint64 deadline;
        address feed;
        uint256 quantity;
        uint256 principal;
        uint256 interestNum; // accrued interest numerator (fen x bps x days) up to `accrualDay`
        uint16 accrualDay; // whole days after start already folded into interestNum
        uint16 rateBps;
        uint64 start;
        uint64 maturity;
        uint16 warningBps;
        uint16 marginCallBps;
        uint16 closeOutBps;
        uint32 curePeriod;
        uint256 amountDue; // computed on chain, now
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No agreement has this id.
    error RepoManagerUnknownAgreement(uint256 id);
    /// @notice The agreement is not in the Proposed state (approval or cancellation out of order).
    error RepoManagerNotProposed(uint256 id, Status status);
    /// @notice The agreement is not approved yet (or no longer): it cannot be activated.
    error RepoManagerNotApproved(uint256 id, Status status);
    /// @notice The agreement is not active: top-ups, repayments, repurchase and default need an active agreement.
    error RepoManagerNotActive(uint256 id, Status status);
    /// @notice Only a proposed or approved agreement can be cancelled (not once the allowances moved).
    error RepoManagerNotCancellable(uint256 id, Status status);
    /// @notice Close-out needs a defaulted agreement or an active one whose health is CloseOutEligible.
    error RepoManagerNotCloseOutEligible(uint256 id, Status status, Health health);
    /// @notice The agreement has not reached maturity: it cannot be declared in default yet.
    error RepoManagerNotMatured(uint256 id, uint64 maturity);
    /// @notice The agreement is past maturity: repurchase is over, declare the default instead.
    error RepoManagerMatured(uint256 id, uint64 maturity);
    /// @notice Nothing to confirm: no risk officer proposed this approval yet.
    error RepoManagerNoPendingApproval(uint256 id);
    /// @notice Nothing to confirm: no risk officer proposed this close-out yet.
    error RepoManagerNoPendingCloseOut(uint256 id);
    /// @notice Maker-checker: the account that proposed may not also confirm.
    error RepoManagerSameReviewer(uint256 id, address account);
    /// @notice Only the agreement's financier or counterparty may do this.
    error RepoManagerNotParty(uint256 id, address caller);
    /// @notice Only the agreement's financier may do this.
    error RepoManagerNotFinancier(uint256 id, address caller);
    /// @notice The financier named in the terms is not an authorised desk account (FINANCIER_ROLE).
    error RepoManagerFinancierNotAuthorised(address financier);
    /// @notice A party is the zero address, or financier and counterparty are the same account.
    error RepoManagerInvalidParties(address financier, address counterparty);
    /// @notice The quantity or amount must be more than zero.
    error RepoManagerZeroAmount();
    /// @notice The value does not fit the agreement's storage (or the allowed maximum).
    error RepoManagerValueTooLarge(uint256 value, uint256 max);
    /// @notice Maturity must come after start and after now, within the longest tenor.
    error RepoManagerInvalidDates(uint64 start, uint64 maturity);
    /// @notice The repurchase rate must be at most MAX_RATE_BPS.
    error RepoManagerInvalidRate(uint16 rateBps);
    /// @notice The lines must be strictly decreasing (warning > margin call > close-out > 0).
    error RepoManagerInvalidLines(uint16 warningBps, uint16 marginCallBps, uint16 closeOutBps);
    /// @notice The haircut must be 1..10000 bps of the collateral value.
    error RepoManagerInvalidHaircut(uint16 haircutBps);
    /// @notice The cure period must be more than zero and at most MAX_CURE_PERIOD.
    error RepoManagerInvalidCurePeriod(uint32 curePeriod);
    /// @notice The market is not registered in MarketRegistry.
    error RepoManagerUnknownMarket(bytes32 market);
    /// @notice A document or reference digest must not be zero.
    error RepoManagerZeroDigest();
    /// @notice The risk grade must be 1 (best) .. MAX_RISK_GRADE.
    error RepoManagerInvalidRiskGrade(uint8 grade);
    /// @notice The repo contract is not anchored, or not fully signed by both financier and counterparty.
    error RepoManagerContractNotSigned(bytes32 digest);
    /// @notice The counterparty has no valid CarbonAccountHolder credential from an accredited issuer.
    error RepoManagerCredentialInvalid(bytes32 credential, address counterparty);
    /// @notice The market price cannot be used now (bits: 1 no data, 2 stale, 4 held round, 8 market closed).
    error RepoManagerPriceUnavailable(address feed, uint8 reasons);
    /// @notice The principal exceeds quantity x price x haircut.
    error RepoManagerHaircutExceeded(uint256 principal, uint256 maxPrincipal);
    /// @notice A partial repayment must leave principal outstanding (repay in full by repurchase).
    error RepoManagerRepayTooLarge(uint256 amount, uint256 outstanding);
    /// @notice A zero admin delay is refused outside local chains.
    error RepoManagerZeroAdminDelay();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A party proposed an agreement.
    event RepoProposed(uint256 indexed id, address indexed financier, address indexed counterparty, address feed, Terms terms);
    /// @notice A risk officer (maker) proposed the approval with the applicant's risk grade and scoring report.
    event ApprovalProposed(uint256 indexed id, address indexed maker, uint8 riskGrade, bytes32 scoringReport);
    /// @notice A second risk officer (checker) confirmed: the agreement is approved at this price.
    event RepoApproved(
        uint256 indexed id, address indexed maker, address indexed checker, int256 price, uint80 roundId, uint256 maxPrincipal
    );
    /// @notice A party cancelled the agreement before activation.
    event RepoCancelled(uint256 indexed id, address indexed by, Status previous);
    /// @notice The custodian confirmed the allowance transfer: the agreement is active.
    event RepoActivated(uint256 indexed id, address indexed custodian, bytes32 ref);
    /// @notice The custodian confirmed a top-up of collateral.
    event CollateralToppedUp(uint256 indexed id, address indexed custodian, uint256 tonnes, uint256 quantity, bytes32 ref);
    /// @notice The financier confirmed a partial repayment of principal.
    event RepoRepaid(uint256 indexed id, address indexed financier, uint256 amount, uint256 principal, bytes32 ref);
    /// @notice The collateral health changed (or a margin call's deadline moved).
    event HealthChanged(
        uint256 indexed id, Health previous, Health health, uint256 ratioBps, int256 price, uint80 roundId, uint64 since, uint64 deadline
    );
    /// @notice A health check found no usable price (bits: 1 no data, 2 stale, 4 held, 8 closed) and left the state alone.
    event PriceUnavailable(uint256 indexed id, address indexed feed, uint8 reasons);
    /// @notice The custodian confirmed the return of the allowances: the counterparty repurchased.
    event RepoRepurchased(uint256 indexed id, address indexed custodian, uint256 principal, uint256 interest, bytes32 ref);
    /// @notice The financier declared the agreement in default (maturity passed unpaid).
    event RepoDefaulted(uint256 indexed id, address indexed by, uint256 amountDue);
    /// @notice A risk officer (maker) proposed the close-out with the disposal proceeds.
    event CloseOutProposed(uint256 indexed id, address indexed maker, uint256 proceeds, bytes32 ref);
    /// @notice A second risk officer (checker) confirmed the close-out: proceeds, shortfall or surplus recorded.
    event RepoClosedOut(
        uint256 indexed id,
        address indexed maker,
        address indexed checker,
        uint256 proceeds,
        uint256 amountDue,
        uint256 shortfall,
        uint256 surplus,
        bytes32 ref
    );

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @notice The financier or the counterparty proposes an agreement; returns its id.
    function propose(Terms calldata terms) external returns (uint256 id);

    /// @notice Maker: a risk officer proposes approval with the applicant's risk grade and scoring report digest.
    function proposeApproval(uint256 id, uint8 riskGrade, bytes32 scoringReport) external;

    /// @notice Checker: a second risk officer confirms the approval (contract signed, credential valid, haircut met).
    function confirmApproval(uint256 id) external;

    /// @notice The financier or the counterparty cancels before activation.
    function cancel(uint256 id) external;

    /// @notice The custodian confirms the allowance transfer (ref: digest of its confirmation).
    function activate(uint256 id, bytes32 ref) external;

    /// @notice The custodian confirms a top-up of `tonnes`; a ratio restored cures at once.
    function topUp(uint256 id, uint256 tonnes, bytes32 ref) external;

    /// @notice The financier confirms a partial repayment of principal; a ratio restored cures at once.
    function repay(uint256 id, uint256 amount, bytes32 ref) external;

    /// @notice The custodian confirms the return of the allowances at or before maturity.
    function repurchase(uint256 id, bytes32 ref) external;

    /// @notice The financier declares an active agreement past maturity in default.
    function declareDefault(uint256 id) external;

    /// @notice Maker: a risk officer proposes the close-out with the disposal proceeds (fen).
    function proposeCloseOut(uint256 id, uint256 proceeds, bytes32 ref) external;

    /// @notice Checker: a second risk officer confirms the close-out.
    function confirmCloseOut(uint256 id) external;

    /// @notice Re-checks the health of the given agreements (anyone); costs in proportion to `ids`.
    /// Ids that are not active are skipped. Returns how many changed health.
    function check(uint256[] calldata ids) external returns (uint256 changed);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice How many agreements were proposed (ids run 1..count).
    function agreementCount() external view returns (uint256);

    /// @notice Everything about an agreement.
    function getAgreement(uint256 id) external view returns (Agreement memory);

    /// @notice The collateral ratio now with price, round, age and the health it implies.
    function ratio(uint256 id) external view returns (RatioView memory);

    /// @notice Positions of many agreements in one call (unknown ids come back with status None).
    function positions(uint256[] calldata ids) external view returns (Position[] memory);

    /// @notice Principal outstanding plus interest accrued to now (rounded up).
    function amountDue(uint256 id) external view returns (uint256);
}
