// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRepoManager} from "@carbonchain/interfaces/IRepoManager.sol";
import {ICarbonPriceFeed} from "@carbonchain/interfaces/ICarbonPriceFeed.sol";
import {IMarketRegistry} from "@carbonchain/interfaces/IMarketRegistry.sol";
import {IDocumentRegistry} from "@carbonchain/interfaces/IDocumentRegistry.sol";
import {ICredentialRegistry} from "@carbonchain/interfaces/ICredentialRegistry.sol";

/// @title RepoManager
/// @notice Carbon repo agreements with three collateral lines per agreement, maker-checker approval
/// and close-out, custodian confirmations by digest, and health triggers anyone can run.
/// @dev `check(ids)` re-checks only the ids given (keepers find candidates off chain, as MakerDAO's
/// Dog and Liquity v2's batch liquidation do); the hot path reads three packed slots per id and one
/// price per feed per call. The price, document and credential reads sit behind `_price`,
/// `_documentSigned` and `_credentialValid` so that registry changes stay local.
contract RepoManager is IRepoManager, AccessControlDefaultAdminRules {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Risk officers: approvals and close-outs, two distinct ones each (maker-checker).
    bytes32 public constant RISK_ROLE = keccak256("RISK_ROLE");
    /// @notice The custodian (the exchange): confirms allowance transfers, top-ups and returns.
    bytes32 public constant CUSTODIAN_ROLE = keccak256("CUSTODIAN_ROLE");
    /// @notice Desk accounts of the securities firm that may act as financier.
    bytes32 public constant FINANCIER_ROLE = keccak256("FINANCIER_ROLE");
    /// @notice The credential type the counterparty must hold (ASCII, right-padded).
    bytes32 public constant CARBON_ACCOUNT_HOLDER = bytes32("CarbonAccountHolder");

    /// @notice Longest tenor from start to maturity.
    uint64 public constant MAX_TENOR = 3650 days;
    /// @notice Highest repurchase rate (bps a year).
    uint16 public constant MAX_RATE_BPS = 10_000;
    /// @notice Longest cure period of a margin call.
    uint32 public constant MAX_CURE_PERIOD = 30 days;
    /// @notice Worst risk grade (1 is best).
    uint8 public constant MAX_RISK_GRADE = 10;

    /// @notice Unavailable-price bits: no data, stale, held round, market closed.
    uint8 public constant PRICE_NO_DATA = 1;
    uint8 public constant PRICE_STALE = 2;
    uint8 public constant PRICE_HELD = 4;
    uint8 public constant PRICE_CLOSED = 8;

    uint256 private constant _BPS = 10_000;
    /// @dev 365 days x 10_000 bps: interest = principal x rate x days / _YEAR_BPS.
    uint256 private constant _YEAR_BPS = 3_650_000;
    /// @dev value in fen = quantity x price / 1e6, so ratio bps = quantity x price / (due x 100).
    uint256 private constant _RATIO_SCALE = 100;
    uint256 private constant _PRICE_TO_FEN = 1e6;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev Slot 1 of the hot path: state, health and accrual (8+8+8+40+40+40+16+96 = 256 bits).
    struct Core {
        uint8 feedIndex; // into _feeds
        Status status;
        Health health;
        uint40 since;
        uint40 deadline;
        uint40 maturity;
        uint16 accrualDay; // whole days after start already folded into interestNum
        uint96 interestNum; // fen x bps x days (principal < 2^64, rate <= 10^4 < 2^14, days <= 3650 < 2^12)
    }

    /// @dev Slot 2 of the hot path: the loan and its lines (56+64+4x16+40+32 = 256 bits).
    struct Loan {
        uint56 quantity;
        uint64 principal;
        uint16 rateBps;
        uint16 warningBps;
        uint16 marginCallBps;
        uint16 closeOutBps;
        uint40 start;
        uint32 curePeriod;
    }

    struct Review {
        address approvalMaker;
        uint8 riskGrade;
        address approvalChecker;
        address closeOutMaker;
        bytes32 scoringReport;
        uint256 closeOutProceeds;
        bytes32 closeOutReference;
    }

    /// @dev A price read once per feed per call.
    struct Quote {
        address feed;
        int256 price;
        uint80 roundId;
        uint64 observedAt;
        uint8 unavailable;
        uint64 closedFrom;
        uint64 closedUntil;
    }

    /// @notice Where markets resolve to feeds.
    IMarketRegistry public immutable markets;
    /// @notice Where the repo contract must be anchored and signed.
    IDocumentRegistry public immutable documents;
    /// @notice Where the counterparty's credential is checked.
    ICredentialRegistry public immutable credentials;

    uint256 private _count;
    mapping(uint256 id => Core) private _core;
    mapping(uint256 id => Loan) private _loan;
    /// @dev Every feed an agreement marks against, by index (two hot slots per agreement instead of three).
    address[] private _feeds;
    mapping(address feed => uint256) private _feedIndexPlusOne;
    mapping(uint256 id => Terms) private _terms;
    mapping(uint256 id => Review) private _review;

    /// @param adminDelay Delay of a default-admin transfer (zero refused outside local chains 31337/1337).
    constructor(
        uint48 adminDelay,
        address admin,
        IMarketRegistry markets_,
        IDocumentRegistry documents_,
        ICredentialRegistry credentials_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (adminDelay == 0 && block.chainid != 31337 && block.chainid != 1337) revert RepoManagerZeroAdminDelay();
        markets = markets_;
        documents = documents_;
        credentials = credentials_;
    }

    /*//////////////////////////////////////////////////////////////
                               LIFECYCLE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRepoManager
    function propose(Terms calldata t) external returns (uint256 id) {
        if (t.financier == address(0) || t.counterparty == address(0) || t.financier == t.counterparty) {
            revert RepoManagerInvalidParties(t.financier, t.counterparty);
        }
        if (msg.sender != t.financier && msg.sender != t.counterparty) revert RepoManagerNotParty(0, msg.sender);
        if (!hasRole(FINANCIER_ROLE, t.financier)) revert RepoManagerFinancierNotAuthorised(t.financier);
        if (t.quantity == 0 || t.principal == 0) revert RepoManagerZeroAmount();
        if (t.quantity > type(uint56).max) revert RepoManagerValueTooLarge(t.quantity, type(uint56).max);
        if (t.principal > type(uint64).max) revert RepoManagerValueTooLarge(t.principal, type(uint64).max);
        if (t.maturity <= t.start || t.maturity <= block.timestamp || t.maturity - t.start > MAX_TENOR) {
            revert RepoManagerInvalidDates(t.start, t.maturity);
        }
        if (t.rateBps > MAX_RATE_BPS) revert RepoManagerInvalidRate(t.rateBps);
        if (!(t.warningBps > t.marginCallBps && t.marginCallBps > t.closeOutBps && t.closeOutBps > 0)) {
            revert RepoManagerInvalidLines(t.warningBps, t.marginCallBps, t.closeOutBps);
        }
        if (t.haircutBps == 0 || t.haircutBps > _BPS) revert RepoManagerInvalidHaircut(t.haircutBps);
        if (t.curePeriod == 0 || t.curePeriod > MAX_CURE_PERIOD) revert RepoManagerInvalidCurePeriod(t.curePeriod);
        if (t.contractDigest == bytes32(0) || t.credential == bytes32(0)) revert RepoManagerZeroDigest();
        address feed = _feedOf(t.market);
        uint8 feedIndex = _indexOf(feed);

        id = ++_count;
        _core[id] = Core({
            feedIndex: feedIndex,
            status: Status.Proposed,
            health: Health.Healthy,
            since: 0,
            deadline: 0,
            maturity: uint40(t.maturity),
            accrualDay: 0,
            interestNum: 0
        });
        _loan[id] = Loan({
            quantity: uint56(t.quantity),
            principal: uint64(t.principal),
            rateBps: t.rateBps,
            warningBps: t.warningBps,
            marginCallBps: t.marginCallBps,
            closeOutBps: t.closeOutBps,
            start: uint40(t.start),
            curePeriod: t.curePeriod
        });
        _terms[id] = t;
        emit RepoProposed(id, t.financier, t.counterparty, feed, t);
    }

    /// @inheritdoc IRepoManager
    function proposeApproval(uint256 id, uint8 riskGrade, bytes32 scoringReport) external onlyRole(RISK_ROLE) {
        Status s = _status(id);
        if (s != Status.Proposed) revert RepoManagerNotProposed(id, s);
        if (riskGrade == 0 || riskGrade > MAX_RISK_GRADE) revert RepoManagerInvalidRiskGrade(riskGrade);
        if (scoringReport == bytes32(0)) revert RepoManagerZeroDigest();
        Review storage r = _review[id];
        r.approvalMaker = msg.sender;
        r.riskGrade = riskGrade;
        r.scoringReport = scoringReport;
        emit ApprovalProposed(id, msg.sender, riskGrade, scoringReport);
    }

    /// @inheritdoc IRepoManager
    function confirmApproval(uint256 id) external onlyRole(RISK_ROLE) {
        Status s = _status(id);
        if (s != Status.Proposed) revert RepoManagerNotProposed(id, s);
        Review storage r = _review[id];
        address maker = r.approvalMaker;
        if (maker == address(0)) revert RepoManagerNoPendingApproval(id);
        if (maker == msg.sender) revert RepoManagerSameReviewer(id, msg.sender);
        Terms storage t = _terms[id];
        if (!_documentSigned(t.contractDigest, t.contractAlgorithm, t.financier, t.counterparty)) {
            revert RepoManagerContractNotSigned(t.contractDigest);
        }
        if (!_credentialValid(t.credential, t.counterparty)) revert RepoManagerCredentialInvalid(t.credential, t.counterparty);
        Quote memory q = _price(_feedOf(id));
        if (q.unavailable != 0) revert RepoManagerPriceUnavailable(q.feed, q.unavailable);
        uint256 maxPrincipal = Math.mulDiv(t.quantity * uint256(q.price), t.haircutBps, _BPS * _PRICE_TO_FEN);
        if (t.principal > maxPrincipal) revert RepoManagerHaircutExceeded(t.principal, maxPrincipal);
        r.approvalChecker = msg.sender;
        _core[id].status = Status.Approved;
        emit RepoApproved(id, maker, msg.sender, q.price, q.roundId, maxPrincipal);
    }

    /// @inheritdoc IRepoManager
    function cancel(uint256 id) external {
        Status s = _status(id);
        _onlyParty(id);
        if (s != Status.Proposed && s != Status.Approved) revert RepoManagerNotCancellable(id, s);
        _core[id].status = Status.Cancelled;
        emit RepoCancelled(id, msg.sender, s);
    }

    /// @inheritdoc IRepoManager
    function activate(uint256 id, bytes32 ref) external onlyRole(CUSTODIAN_ROLE) {
        Status s = _status(id);
        if (s != Status.Approved) revert RepoManagerNotApproved(id, s);
        if (ref == bytes32(0)) revert RepoManagerZeroDigest();
        Core storage c = _core[id];
        uint40 maturity = c.maturity;
        if (block.timestamp > maturity) revert RepoManagerMatured(id, maturity);
        c.status = Status.Active;
        c.health = Health.Healthy;
        c.since = uint40(block.timestamp);
        emit RepoActivated(id, msg.sender, ref);
    }

    /// @inheritdoc IRepoManager
    function topUp(uint256 id, uint256 tonnes, bytes32 ref) external onlyRole(CUSTODIAN_ROLE) {
        _requireActive(id);
        if (tonnes == 0) revert RepoManagerZeroAmount();
        if (ref == bytes32(0)) revert RepoManagerZeroDigest();
        Loan storage l = _loan[id];
        uint256 quantity = l.quantity + tonnes;
        if (quantity > type(uint56).max) revert RepoManagerValueTooLarge(quantity, type(uint56).max);
        l.quantity = uint56(quantity);
        emit CollateralToppedUp(id, msg.sender, tonnes, quantity, ref);
        _recheck(id, _price(_feedOf(id)));
    }

    /// @inheritdoc IRepoManager
    function repay(uint256 id, uint256 amount, bytes32 ref) external {
        _requireActive(id);
        if (msg.sender != _terms[id].financier) revert RepoManagerNotFinancier(id, msg.sender);
        if (amount == 0) revert RepoManagerZeroAmount();
        if (ref == bytes32(0)) revert RepoManagerZeroDigest();
        Loan storage l = _loan[id];
        uint256 outstanding = l.principal;
        if (amount >= outstanding) revert RepoManagerRepayTooLarge(amount, outstanding);
        Core storage c = _core[id];
        uint16 day = _day(l.start, c.maturity);
        // Fold the interest of the days so far on the old principal before it changes.
        c.interestNum = uint96(_interestNum(l.principal, l.rateBps, c.interestNum, c.accrualDay, day));
        c.accrualDay = day;
        l.principal = uint64(outstanding - amount);
        emit RepoRepaid(id, msg.sender, amount, outstanding - amount, ref);
        _recheck(id, _price(_feedOf(id)));
    }

    /// @inheritdoc IRepoManager
    function repurchase(uint256 id, bytes32 ref) external onlyRole(CUSTODIAN_ROLE) {
        _requireActive(id);
        if (ref == bytes32(0)) revert RepoManagerZeroDigest();
        uint40 maturity = _core[id].maturity;
        if (block.timestamp > maturity) revert RepoManagerMatured(id, maturity);
        (uint256 principal, uint256 interest) = _due(id);
        _core[id].status = Status.Repurchased;
        emit RepoRepurchased(id, msg.sender, principal, interest, ref);
    }

    /// @inheritdoc IRepoManager
    function declareDefault(uint256 id) external {
        _requireActive(id);
        if (msg.sender != _terms[id].financier) revert RepoManagerNotFinancier(id, msg.sender);
        uint40 maturity = _core[id].maturity;
        if (block.timestamp <= maturity) revert RepoManagerNotMatured(id, maturity);
        (uint256 principal, uint256 interest) = _due(id);
        _core[id].status = Status.Defaulted;
        emit RepoDefaulted(id, msg.sender, principal + interest);
    }

    /// @inheritdoc IRepoManager
    function proposeCloseOut(uint256 id, uint256 proceeds, bytes32 ref) external onlyRole(RISK_ROLE) {
        _requireCloseOutEligible(id);
        if (ref == bytes32(0)) revert RepoManagerZeroDigest();
        Review storage r = _review[id];
        r.closeOutMaker = msg.sender;
        r.closeOutProceeds = proceeds;
        r.closeOutReference = ref;
        emit CloseOutProposed(id, msg.sender, proceeds, ref);
    }

    /// @inheritdoc IRepoManager
    function confirmCloseOut(uint256 id) external onlyRole(RISK_ROLE) {
        _requireCloseOutEligible(id);
        Review storage r = _review[id];
        address maker = r.closeOutMaker;
        if (maker == address(0)) revert RepoManagerNoPendingCloseOut(id);
        if (maker == msg.sender) revert RepoManagerSameReviewer(id, msg.sender);
        (uint256 principal, uint256 interest) = _due(id);
        uint256 due = principal + interest;
        uint256 proceeds = r.closeOutProceeds;
        _core[id].status = Status.ClosedOut;
        emit RepoClosedOut(
            id,
            maker,
            msg.sender,
            proceeds,
            due,
            proceeds < due ? due - proceeds : 0,
            proceeds > due ? proceeds - due : 0,
            r.closeOutReference
        );
    }

    /*//////////////////////////////////////////////////////////////
                                 HEALTH
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRepoManager
    function check(uint256[] calldata ids) external returns (uint256 changed) {
        Quote[] memory cache = new Quote[](_feeds.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            Core memory c = _core[id];
            // Not active, or already eligible for close-out (a right the financier keeps): nothing to do.
            if (c.status != Status.Active || c.health == Health.CloseOutEligible) continue;
            if (_apply(id, c, _cachedPrice(cache, c.feedIndex))) ++changed;
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRepoManager
    function agreementCount() external view returns (uint256) {
        return _count;
    }

    /// @inheritdoc IRepoManager
    function getAgreement(uint256 id) external view returns (Agreement memory g) {
        _status(id);
        Core memory c = _core[id];
        Loan memory l = _loan[id];
        Review memory r = _review[id];
        (uint256 principal, uint256 interest) = _due(id);
        g.id = id;
        g.status = c.status;
        g.health = c.health;
        g.since = c.since;
        g.deadline = c.deadline;
        g.feed = _feeds[c.feedIndex];
        g.quantity = l.quantity;
        g.principal = principal;
        g.interest = interest;
        g.amountDue = principal + interest;
        g.terms = _terms[id];
        g.riskGrade = r.riskGrade;
        g.scoringReport = r.scoringReport;
        g.approvalMaker = r.approvalMaker;
        g.approvalChecker = r.approvalChecker;
        g.closeOutMaker = r.closeOutMaker;
        g.closeOutProceeds = r.closeOutProceeds;
        g.closeOutReference = r.closeOutReference;
    }

    /// @inheritdoc IRepoManager
    function ratio(uint256 id) external view returns (RatioView memory) {
        _status(id);
        return _ratioView(id, _price(_feedOf(id)));
    }

    /// @inheritdoc IRepoManager
    function positions(uint256[] calldata ids) external view returns (Position[] memory out) {
        out = new Position[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            Core memory c = _core[id];
            Loan memory l = _loan[id];
            Position memory p = out[i];
            p.id = id;
            if (c.status == Status.None) continue;
            p.status = c.status;
            p.health = c.health;
            p.since = c.since;
            p.deadline = c.deadline;
            p.feed = _feeds[c.feedIndex];
            p.quantity = l.quantity;
            p.principal = l.principal;
            p.interestNum = c.interestNum;
            p.accrualDay = c.accrualDay;
            p.rateBps = l.rateBps;
            p.start = l.start;
            p.maturity = c.maturity;
            p.warningBps = l.warningBps;
            p.marginCallBps = l.marginCallBps;
            p.closeOutBps = l.closeOutBps;
            p.curePeriod = l.curePeriod;
            p.amountDue = l.principal + _interest(c, l);
        }
    }

    /// @inheritdoc IRepoManager
    function amountDue(uint256 id) external view returns (uint256) {
        _status(id);
        (uint256 principal, uint256 interest) = _due(id);
        return principal + interest;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Re-evaluates after a top-up or repayment: cures at once when the price is usable.
    function _recheck(uint256 id, Quote memory q) private {
        Core memory c = _core[id];
        if (c.health == Health.CloseOutEligible) return;
        _apply(id, c, q);
    }

    /// @dev Applies the health the price implies; returns whether anything changed.
    function _apply(uint256 id, Core memory c, Quote memory q) private returns (bool) {
        if (q.unavailable != 0) {
            emit PriceUnavailable(id, q.feed, q.unavailable);
            return false;
        }
        (uint256 ratioBps, Health h, uint40 since, uint40 deadline) = _evaluate(id, c, q);
        if (h == c.health && since == c.since && deadline == c.deadline) return false;
        Core storage s = _core[id];
        s.health = h;
        s.since = since;
        s.deadline = deadline;
        emit HealthChanged(id, c.health, h, ratioBps, q.price, q.roundId, since, deadline);
        return true;
    }

    /// @dev The ratio now and the health it implies from the current one (the state machine of the lines).
    function _evaluate(uint256 id, Core memory c, Quote memory q)
        private
        view
        returns (uint256 ratioBps, Health h, uint40 since, uint40 deadline)
    {
        Loan memory l = _loan[id];
        uint256 due = l.principal + _interest(c, l);
        ratioBps = uint256(l.quantity) * uint256(q.price) / (due * _RATIO_SCALE);
        (h, since, deadline) = (c.health, c.since, c.deadline);
        uint40 nowTs = uint40(block.timestamp);
        if (h == Health.CloseOutEligible) return (ratioBps, h, since, deadline);
        if (ratioBps < l.closeOutBps) {
            (h, since) = (Health.CloseOutEligible, nowTs);
        } else if (ratioBps < l.marginCallBps) {
            if (h == Health.MarginCall) {
                deadline = _outOfClosure(deadline, q);
                if (nowTs > deadline) (h, since) = (Health.CloseOutEligible, nowTs);
            } else {
                (h, since, deadline) = (Health.MarginCall, nowTs, _outOfClosure(nowTs + l.curePeriod, q));
            }
        } else if (ratioBps < l.warningBps) {
            if (h != Health.Warning) (h, since, deadline) = (Health.Warning, nowTs, 0);
        } else if (h != Health.Healthy) {
            (h, since, deadline) = (Health.Healthy, nowTs, 0);
        }
    }

    /// @dev A deadline inside the market's scheduled closure moves, keeping its time of day, to the
    /// first day at or after the reopening.
    function _outOfClosure(uint40 deadline, Quote memory q) private pure returns (uint40) {
        if (q.closedUntil == 0 || deadline < q.closedFrom || deadline >= q.closedUntil) return deadline;
        uint256 lateDays = Math.ceilDiv(q.closedUntil - deadline, 1 days);
        return uint40(deadline + lateDays * 1 days);
    }

    function _ratioView(uint256 id, Quote memory q) private view returns (RatioView memory v) {
        Core memory c = _core[id];
        (uint256 principal, uint256 interest) = _due(id);
        v.price = q.price;
        v.roundId = q.roundId;
        v.age = q.observedAt == 0 || q.observedAt > block.timestamp ? 0 : block.timestamp - q.observedAt;
        v.unavailable = q.unavailable;
        v.amountDue = principal + interest;
        v.current = c.health;
        v.implied = c.health;
        v.deadline = c.deadline;
        if (q.price > 0) v.ratioBps = _loan[id].quantity * uint256(q.price) / (v.amountDue * _RATIO_SCALE);
        if (q.unavailable == 0 && c.status == Status.Active) {
            (, Health h,, uint40 deadline) = _evaluate(id, c, q);
            (v.implied, v.deadline) = (h, deadline);
        }
    }

    function _due(uint256 id) private view returns (uint256 principal, uint256 interest) {
        Loan memory l = _loan[id];
        principal = l.principal;
        interest = _interest(_core[id], l);
    }

    /// @dev Interest accrued to now, rounded up.
    function _interest(Core memory c, Loan memory l) private view returns (uint256) {
        uint16 day = _day(l.start, c.maturity);
        return Math.ceilDiv(_interestNum(l.principal, l.rateBps, c.interestNum, c.accrualDay, day), _YEAR_BPS);
    }

    /// @dev Interest numerator (fen x bps x days) accrued up to `day`.
    function _interestNum(uint64 principal, uint16 rateBps, uint96 folded, uint16 foldedDay, uint16 day)
        private
        pure
        returns (uint256)
    {
        return uint256(folded) + uint256(principal) * rateBps * (day - foldedDay);
    }

    /// @dev Whole days elapsed from start, up to maturity.
    function _day(uint40 start, uint40 maturity) private view returns (uint16) {
        uint256 t = block.timestamp < maturity ? block.timestamp : maturity;
        return t <= start ? 0 : uint16((t - start) / 1 days);
    }

    /// @dev The price of feed `index`, read once per call.
    function _cachedPrice(Quote[] memory cache, uint8 index) private view returns (Quote memory q) {
        q = cache[index];
        if (q.feed == address(0)) {
            q = _price(_feeds[index]);
            cache[index] = q;
        }
    }

    /// @dev The index of `feed` in _feeds, added on first use (at most 256 feeds).
    function _indexOf(address feed) private returns (uint8) {
        uint256 plusOne = _feedIndexPlusOne[feed];
        if (plusOne != 0) return uint8(plusOne - 1);
        uint256 n = _feeds.length;
        if (n > type(uint8).max) revert RepoManagerValueTooLarge(n + 1, uint256(type(uint8).max) + 1);
        _feeds.push(feed);
        _feedIndexPlusOne[feed] = n + 1;
        return uint8(n);
    }

    /// @dev The feed's latest price and whether it may be used now (`usablePrice`); when it may not,
    /// the reasons (no data, stale, held round, market closed) for the trail. Also the closure window
    /// that margin-call deadlines move out of.
    function _price(address feed) internal view returns (Quote memory q) {
        ICarbonPriceFeed f = ICarbonPriceFeed(feed);
        q.feed = feed;
        bool usable;
        (usable, q.price, q.roundId, q.observedAt) = f.usablePrice();
        if (!usable || q.price <= 0) {
            if (q.roundId == 0 || q.price <= 0) q.unavailable = PRICE_NO_DATA;
            if (f.isStale()) q.unavailable |= PRICE_STALE;
            if (f.getRound(f.openRoundId()).state == ICarbonPriceFeed.RoundState.Held) q.unavailable |= PRICE_HELD;
            if (f.marketClosed()) q.unavailable |= PRICE_CLOSED;
            if (q.unavailable == 0) q.unavailable = PRICE_NO_DATA; // unusable for a reason this contract does not know
        }
        (q.closedFrom, q.closedUntil) = f.closure();
    }

    /// @dev Whether the financier's record of the repo contract is live and fully signed, financier and
    /// counterparty among the signers (records belong to their anchorer: the financier anchors it).
    function _documentSigned(bytes32 digest, uint8 algorithm, address financier, address counterparty)
        internal
        view
        returns (bool)
    {
        address[] memory parties = new address[](2);
        parties[0] = financier;
        parties[1] = counterparty;
        return documents.isFullySignedBy(financier, digest, algorithm, parties);
    }

    /// @dev Whether the counterparty holds a valid CarbonAccountHolder credential from an issuer accredited now;
    /// `credential` is the credential's record key in CredentialRegistry (credentialId(issuer, digest)).
    function _credentialValid(bytes32 credential, address counterparty) internal view returns (bool) {
        try credentials.verifyById(credential) returns (ICredentialRegistry.Verification memory v) {
            return v.valid && v.issuerTrustedNow && v.credentialType == CARBON_ACCOUNT_HOLDER
                && v.subject == counterparty;
        } catch {
            return false;
        }
    }

    function _feedOf(uint256 id) private view returns (address) {
        return _feeds[_core[id].feedIndex];
    }

    function _feedOf(bytes32 market) private view returns (address) {
        try markets.feedOf(market) returns (address feed) {
            return feed;
        } catch {
            revert RepoManagerUnknownMarket(market);
        }
    }

    function _status(uint256 id) private view returns (Status s) {
        s = _core[id].status;
        if (s == Status.None) revert RepoManagerUnknownAgreement(id);
    }

    function _requireActive(uint256 id) private view {
        Status s = _status(id);
        if (s != Status.Active) revert RepoManagerNotActive(id, s);
    }

    function _requireCloseOutEligible(uint256 id) private view {
        Status s = _status(id);
        Health h = _core[id].health;
        if (s != Status.Defaulted && !(s == Status.Active && h == Health.CloseOutEligible)) {
            revert RepoManagerNotCloseOutEligible(id, s, h);
        }
    }

    function _onlyParty(uint256 id) private view {
        Terms storage t = _terms[id];
        if (msg.sender != t.financier && msg.sender != t.counterparty) revert RepoManagerNotParty(id, msg.sender);
    }
}
