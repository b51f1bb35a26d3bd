// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {AggregatorV3Interface} from "@carbonchain/interfaces/AggregatorV3Interface.sol";
import {ICarbonPriceFeed} from "@carbonchain/interfaces/ICarbonPriceFeed.sol";
import {MedianLib} from "../libraries/MedianLib.sol";

/// @title CarbonPriceFeed
/// @notice One carbon market's closing price as a Chainlink-compatible feed, published by a
/// quorum of operators as the median of their quotes.
/// @dev Round ids are sequential from 1. `openRoundId` accepts quotes; a round is published when
/// `quorum` distinct operators have quoted (or held when its median moved more than
/// `maxMoveBps` from the last answer, until one more operator or the risk role confirms it).
/// Every published round stays readable through getRoundData. Prices are stored as int96
/// (bounds are checked to fit), times as uint40.
contract CarbonPriceFeed is ICarbonPriceFeed, AccessControl, EIP712 {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Operators quote prices and relay bundles.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice The risk role confirms or discards held rounds.
    bytes32 public constant RISK_ROLE = keccak256("RISK_ROLE");
    /// @notice The feed admin sets bounds, quorum, maximum move, heartbeat and closures, and manages operators.
    bytes32 public constant FEED_ADMIN_ROLE = keccak256("FEED_ADMIN_ROLE");

    /// @notice EIP-712 type of an operator's quote.
    bytes32 public constant QUOTE_TYPEHASH =
        keccak256("Quote(bytes32 market,uint80 roundId,int256 price,uint64 observedAt)");

    /// @notice Longest closure window that may be scheduled (Spring Festival closes markets about eight days).
    uint64 public constant MAX_CLOSURE = 31 days;

    uint8 private constant _DECIMALS = 8;
    uint256 private constant _VERSION = 1;
    uint256 private constant _BPS = 10_000;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Packed {
        int96 minPrice;
        int96 maxPrice;
        uint16 maxMoveBps;
        uint8 quorum;
        uint8 operatorCount;
        uint32 heartbeat;
    }

    struct Cursor {
        uint80 latest; // latest published round (0: none)
        uint80 open; // round accepting quotes
        uint40 latestObservedAt; // observation time of the latest published round
        bool openStarted; // the open round already has submissions
        uint8 nextOperatorIndex; // operator bit indices are never reused
    }

    struct Round {
        int96 answer;
        uint40 startedAt;
        uint40 updatedAt;
        uint40 observedAt;
        RoundState state;
        uint8 submissions;
    }

    struct Submission {
        int96 price;
        uint40 observedAt;
    }

    struct Bundle {
        address[] signers;
        int256[] prices;
        uint64[] times;
        uint64 minObs;
    }

    /// @inheritdoc ICarbonPriceFeed
    bytes32 public immutable market;
    string private _description;
    Packed private _p;
    Cursor private _cursor;
    uint64 private _closedFrom;
    uint64 private _closedUntil;
    mapping(uint80 roundId => Round) private _rounds;
    mapping(uint80 roundId => uint256) private _submittedBits;
    mapping(uint80 roundId => mapping(uint8 index => Submission)) private _submissions;
    mapping(address operator => uint8) private _operatorIndex;
    address[] private _operatorList;

    /// @param market_ Market code, e.g. "CEA".
    /// @param description_ Chainlink-style description, e.g. "CEA / CNY".
    /// @param admin Receives DEFAULT_ADMIN_ROLE, FEED_ADMIN_ROLE and RISK_ROLE.
    constructor(
        bytes32 market_,
        string memory description_,
        address admin,
        address[] memory operators_,
        int256 minPrice,
        int256 maxPrice,
        uint8 quorum_,
        uint16 maxMoveBps_,
        uint32 heartbeat_
    ) EIP712("CarbonChain CarbonPriceFeed", "1") {
        market = market_;
        _description = description_;
        _cursor.open = 1;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(FEED_ADMIN_ROLE, admin);
        _grantRole(RISK_ROLE, admin);
        _setRoleAdmin(OPERATOR_ROLE, FEED_ADMIN_ROLE);
        for (uint256 i = 0; i < operators_.length; ++i) {
            _grantRole(OPERATOR_ROLE, operators_[i]);
        }
        _setBounds(minPrice, maxPrice);
        _setParams(quorum_, maxMoveBps_, heartbeat_);
    }

    /*//////////////////////////////////////////////////////////////
                          AGGREGATOR V3 INTERFACE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc AggregatorV3Interface
    function decimals() external pure returns (uint8) {
        return _DECIMALS;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return _VERSION;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId_)
        public
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory r = _rounds[roundId_];
        if (r.state != RoundState.Published) revert CarbonPriceFeedNoData(roundId_);
        return (roundId_, r.answer, r.startedAt, r.updatedAt, roundId_);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return getRoundData(_cursor.latest);
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICarbonPriceFeed
    function submit(uint80 roundId, int256 price, uint64 observedAt) external onlyRole(OPERATOR_ROLE) {
        Cursor memory c = _cursor;
        _checkOpen(roundId, c.open);
        Packed memory p = _p;
        _checkQuote(price, observedAt, p, c.latestObservedAt);
        uint8 index = _operatorIndex[msg.sender];
        uint256 bits = _submittedBits[roundId];
        if (bits & (uint256(1) << index) != 0) revert CarbonPriceFeedAlreadySubmitted(roundId, msg.sender);
        bits |= uint256(1) << index;
        _submittedBits[roundId] = bits;
        _submissions[roundId][index] = Submission({price: int96(price), observedAt: uint40(observedAt)});
        Round storage r = _rounds[roundId];
        RoundState state = r.state;
        uint8 n = r.submissions + 1;
        r.submissions = n;
        if (state == RoundState.None) {
            r.state = RoundState.Collecting;
            r.startedAt = uint40(block.timestamp);
            _cursor.openStarted = true;
        }
        emit QuoteSubmitted(roundId, msg.sender, price, observedAt);
        if (state == RoundState.Held) {
            if (n > p.quorum) {
                (int256 med, uint64 obs) = _medianOf(roundId, bits);
                _publish(roundId, med, obs, n);
            }
        } else if (n >= p.quorum) {
            (int256 med, uint64 obs) = _medianOf(roundId, bits);
            _publishOrHold(roundId, med, obs, n, p, c.latest);
        }
    }

    /// @inheritdoc ICarbonPriceFeed
    function submitBundle(uint80 roundId, SignedQuote[] calldata quotes) external onlyRole(OPERATOR_ROLE) {
        Cursor memory c = _cursor;
        _checkOpen(roundId, c.open);
        if (c.openStarted) revert CarbonPriceFeedRoundInProgress(roundId);
        Packed memory p = _p;
        uint256 n = quotes.length;
        if (n < p.quorum) revert CarbonPriceFeedQuorumNotMet(n, p.quorum);
        Bundle memory b = _verifyBundle(roundId, quotes, p, c.latestObservedAt);
        emit BundleSubmitted(roundId, msg.sender, b.signers, b.prices, b.times);
        int256 med = MedianLib.median(b.prices); // sorts b.prices in place
        _rounds[roundId].startedAt = uint40(block.timestamp);
        if (n > p.quorum) {
            _publish(roundId, med, b.minObs, uint8(n));
        } else if (!_publishOrHold(roundId, med, b.minObs, uint8(n), p, c.latest)) {
            _keepHeldQuotes(roundId, quotes, b.signers);
        }
    }

    /// @inheritdoc ICarbonPriceFeed
    function confirmHeldRound(uint80 roundId) external onlyRole(RISK_ROLE) {
        Round memory r = _rounds[roundId];
        if (r.state != RoundState.Held) revert CarbonPriceFeedRoundNotHeld(roundId);
        emit HeldRoundConfirmed(roundId, msg.sender);
        _publish(roundId, r.answer, r.observedAt, r.submissions);
    }

    /// @inheritdoc ICarbonPriceFeed
    function discardHeldRound(uint80 roundId) external onlyRole(RISK_ROLE) {
        if (_rounds[roundId].state != RoundState.Held) revert CarbonPriceFeedRoundNotHeld(roundId);
        _rounds[roundId].state = RoundState.Discarded;
        _cursor.open = roundId + 1;
        _cursor.openStarted = false;
        emit RoundDiscarded(roundId, msg.sender);
    }

    /// @inheritdoc ICarbonPriceFeed
    function setBounds(int256 minPrice, int256 maxPrice) external onlyRole(FEED_ADMIN_ROLE) {
        _setBounds(minPrice, maxPrice);
    }

    /// @inheritdoc ICarbonPriceFeed
    function setParams(uint8 quorum_, uint16 maxMoveBps_, uint32 heartbeat_) external onlyRole(FEED_ADMIN_ROLE) {
        _setParams(quorum_, maxMoveBps_, heartbeat_);
    }

    /// @inheritdoc ICarbonPriceFeed
    function scheduleClosure(uint64 start, uint64 end) external onlyRole(FEED_ADMIN_ROLE) {
        if (!(start == 0 && end == 0) && (end <= start || end - start > MAX_CLOSURE)) {
            revert CarbonPriceFeedInvalidClosure(start, end);
        }
        _closedFrom = start;
        _closedUntil = end;
        emit ClosureScheduled(start, end);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICarbonPriceFeed
    function openRoundId() external view returns (uint80) {
        return _cursor.open;
    }

    /// @inheritdoc ICarbonPriceFeed
    function latestRoundId() external view returns (uint80) {
        return _cursor.latest;
    }

    /// @inheritdoc ICarbonPriceFeed
    function getRound(uint80 roundId) external view returns (RoundView memory) {
        Round memory r = _rounds[roundId];
        return RoundView({
            state: r.state,
            answer: r.answer,
            startedAt: r.startedAt,
            updatedAt: r.updatedAt,
            observedAt: r.observedAt,
            submissions: r.submissions
        });
    }

    /// @inheritdoc ICarbonPriceFeed
    function params() external view returns (Params memory) {
        Packed memory p = _p;
        return Params({
            minPrice: p.minPrice,
            maxPrice: p.maxPrice,
            maxMoveBps: p.maxMoveBps,
            quorum: p.quorum,
            operatorCount: p.operatorCount,
            heartbeat: p.heartbeat
        });
    }

    /// @inheritdoc ICarbonPriceFeed
    function hasSubmitted(uint80 roundId, address operator) external view returns (bool) {
        uint8 index = _operatorIndex[operator];
        return index != 0 && _submittedBits[roundId] & (uint256(1) << index) != 0;
    }

    /// @inheritdoc ICarbonPriceFeed
    function operators() external view returns (address[] memory) {
        return _operatorList;
    }

    /// @inheritdoc ICarbonPriceFeed
    function isStale() public view returns (bool) {
        Cursor memory c = _cursor;
        if (c.latest == 0) return true;
        (uint64 from, uint64 until) = (_closedFrom, _closedUntil);
        if (block.timestamp >= from && block.timestamp < until) return false;
        uint256 reference_ = c.latestObservedAt;
        // After a closure, the heartbeat counts from the reopening, not from the last pre-holiday close.
        if (until != 0 && block.timestamp >= until && until > reference_) reference_ = until;
        return block.timestamp > reference_ + _p.heartbeat;
    }

    /// @inheritdoc ICarbonPriceFeed
    function usablePrice() external view returns (bool usable, int256 price, uint80 roundId, uint64 observedAt) {
        Cursor memory c = _cursor;
        if (c.latest == 0) return (false, 0, 0, 0);
        Round memory r = _rounds[c.latest];
        bool held = _rounds[c.open].state == RoundState.Held;
        usable = !held && !isStale() && !marketClosed();
        return (usable, r.answer, c.latest, r.observedAt);
    }

    /// @inheritdoc ICarbonPriceFeed
    function marketClosed() public view returns (bool) {
        return block.timestamp >= _closedFrom && block.timestamp < _closedUntil;
    }

    /// @inheritdoc ICarbonPriceFeed
    function closure() external view returns (uint64 start, uint64 end) {
        return (_closedFrom, _closedUntil);
    }

    /// @inheritdoc ICarbonPriceFeed
    function quoteHash(uint80 roundId, int256 price, uint64 observedAt) external view returns (bytes32) {
        return _quoteDigest(roundId, price, observedAt);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _quoteDigest(uint80 roundId, int256 price, uint64 observedAt) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, market, roundId, price, observedAt)));
    }

    /// @dev Checks every quote (bounds, time, signature by an operator, ascending signers).
    function _verifyBundle(uint80 roundId, SignedQuote[] calldata quotes, Packed memory p, uint40 lastObs)
        private
        view
        returns (Bundle memory b)
    {
        uint256 n = quotes.length;
        b.signers = new address[](n);
        b.prices = new int256[](n);
        b.times = new uint64[](n);
        b.minObs = type(uint64).max;
        address previous;
        for (uint256 i = 0; i < n; ++i) {
            SignedQuote calldata q = quotes[i];
            _checkQuote(q.price, q.observedAt, p, lastObs);
            (address signer, ECDSA.RecoverError err,) =
                ECDSA.tryRecover(_quoteDigest(roundId, q.price, q.observedAt), q.v, q.r, q.s);
            if (err != ECDSA.RecoverError.NoError || !hasRole(OPERATOR_ROLE, signer)) {
                revert CarbonPriceFeedInvalidSigner(i, signer);
            }
            if (signer <= previous) revert CarbonPriceFeedSignersNotAscending(i, signer);
            previous = signer;
            b.signers[i] = signer;
            b.prices[i] = q.price;
            b.times[i] = q.observedAt;
            if (q.observedAt < b.minObs) b.minObs = q.observedAt;
        }
    }

    /// @dev A held bundle round keeps its quotes so that one more operator's submit() can confirm it.
    function _keepHeldQuotes(uint80 roundId, SignedQuote[] calldata quotes, address[] memory signers) private {
        uint256 bits;
        for (uint256 i = 0; i < signers.length; ++i) {
            uint8 index = _operatorIndex[signers[i]];
            bits |= uint256(1) << index;
            _submissions[roundId][index] =
                Submission({price: int96(quotes[i].price), observedAt: uint40(quotes[i].observedAt)});
        }
        _submittedBits[roundId] = bits;
        _cursor.openStarted = true;
    }

    function _checkOpen(uint80 roundId, uint80 open) private pure {
        if (roundId < open) revert CarbonPriceFeedRoundClosed(roundId);
        if (roundId > open) revert CarbonPriceFeedRoundNotOpen(roundId, open);
    }

    function _checkQuote(int256 price, uint64 observedAt, Packed memory p, uint40 lastObservedAt) private view {
        if (price < p.minPrice || price > p.maxPrice) {
            revert CarbonPriceFeedPriceOutOfBounds(price, p.minPrice, p.maxPrice);
        }
        if (observedAt > block.timestamp || observedAt <= lastObservedAt) {
            revert CarbonPriceFeedInvalidObservation(observedAt, lastObservedAt);
        }
    }

    function _medianOf(uint80 roundId, uint256 bits) private view returns (int256 med, uint64 minObs) {
        uint256 n;
        for (uint256 b = bits; b != 0; b &= b - 1) ++n;
        int256[] memory prices = new int256[](n);
        minObs = type(uint64).max;
        uint256 k;
        for (uint256 i = 1; k < n; ++i) {
            if (bits & (uint256(1) << i) != 0) {
                Submission memory s = _submissions[roundId][uint8(i)];
                prices[k++] = s.price;
                if (s.observedAt < minObs) minObs = s.observedAt;
            }
        }
        med = MedianLib.median(prices);
    }

    /// @dev Publishes, or holds the round when the move from the last answer exceeds maxMoveBps.
    /// Returns true when published.
    function _publishOrHold(uint80 roundId, int256 med, uint64 obs, uint8 n, Packed memory p, uint80 latest)
        private
        returns (bool)
    {
        if (latest != 0) {
            int256 prev = _rounds[latest].answer;
            uint256 diff = uint256(med > prev ? med - prev : prev - med);
            uint256 moveBps = (diff * _BPS) / uint256(prev);
            if (moveBps > p.maxMoveBps) {
                Round storage r = _rounds[roundId];
                r.state = RoundState.Held;
                r.answer = int96(med);
                r.observedAt = uint40(obs);
                r.submissions = n;
                emit RoundHeld(roundId, med, prev, moveBps);
                return false;
            }
        }
        _publish(roundId, med, obs, n);
        return true;
    }

    function _publish(uint80 roundId, int256 med, uint64 obs, uint8 n) private {
        Round storage r = _rounds[roundId];
        r.answer = int96(med);
        r.updatedAt = uint40(block.timestamp);
        r.observedAt = uint40(obs);
        r.state = RoundState.Published;
        r.submissions = n;
        Cursor storage c = _cursor;
        c.latest = roundId;
        c.open = roundId + 1;
        c.latestObservedAt = uint40(obs);
        c.openStarted = false;
        emit RoundPublished(roundId, med, obs, n);
    }

    function _setBounds(int256 minPrice, int256 maxPrice) private {
        if (minPrice <= 0 || maxPrice <= minPrice || maxPrice > type(int96).max) {
            revert CarbonPriceFeedInvalidBounds(minPrice, maxPrice);
        }
        _p.minPrice = int96(minPrice);
        _p.maxPrice = int96(maxPrice);
        emit BoundsChanged(minPrice, maxPrice);
    }

    function _setParams(uint8 quorum_, uint16 maxMoveBps_, uint32 heartbeat_) private {
        uint8 count = _p.operatorCount;
        if (quorum_ < 2 || quorum_ > count) revert CarbonPriceFeedInvalidQuorum(quorum_, count);
        if (maxMoveBps_ == 0 || maxMoveBps_ > _BPS || heartbeat_ == 0) revert CarbonPriceFeedInvalidParams();
        _p.quorum = quorum_;
        _p.maxMoveBps = maxMoveBps_;
        _p.heartbeat = heartbeat_;
        emit ParamsChanged(quorum_, maxMoveBps_, heartbeat_);
    }

    /// @dev Keeps the operator index, list and count in step with OPERATOR_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == OPERATOR_ROLE) {
            uint8 index = _cursor.nextOperatorIndex + 1;
            if (index == type(uint8).max) revert CarbonPriceFeedTooManyOperators();
            _cursor.nextOperatorIndex = index;
            _operatorIndex[account] = index;
            _operatorList.push(account);
            _p.operatorCount += 1;
            emit OperatorAdded(account, index);
        }
    }

    /// @dev Refuses to drop below the quorum; keeps index, list and count in step.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == OPERATOR_ROLE) {
            uint8 count = _p.operatorCount - 1;
            if (count < _p.quorum) revert CarbonPriceFeedInvalidQuorum(_p.quorum, count);
            _p.operatorCount = count;
            delete _operatorIndex[account];
            uint256 n = _operatorList.length;
            for (uint256 i = 0; i < n; ++i) {
                if (_operatorList[i] == account) {
                    _operatorList[i] = _operatorList[n - 1];
                    _operatorList.pop();
                    break;
                }
            }
            emit OperatorRemoved(account);
        }
    }
}
