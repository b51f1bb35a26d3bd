// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {AggregatorV3Interface} from "@carbonchain/interfaces/AggregatorV3Interface.sol";
import {ICarbonPriceFeed} from "@carbonchain/interfaces/ICarbonPriceFeed.sol";
import {MarketCalendar} from "../libraries/MarketCalendar.sol";
import {MedianLib} from "../libraries/MedianLib.sol";
import {OperatorSet} from "./OperatorSet.sol";

/// @title CarbonPriceFeed
/// @notice One carbon market's closing price as a Chainlink-compatible feed, published by a
/// quorum of operators as the median of their quotes.
/// @dev Storage is laid out for the publishing path: the configuration (operator set, quorum,
/// limits, held flag) in one slot, the bounds and the latest round in a second, two published
/// rounds per slot, and the operators frozen in an OperatorSet data contract read with one
/// EXTCODECOPY. A
/// published bundle therefore writes one round half-slot and one latest slot, and carries every
/// signed quote once, in its BundleSubmitted event. See ICarbonPriceFeed for the rules.
contract CarbonPriceFeed is ICarbonPriceFeed, AccessControlDefaultAdminRules, EIP712 {
    using MarketCalendar for MarketCalendar.Closure[];

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Operators quote prices and relay bundles.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice The risk role confirms or discards held rounds.
    bytes32 public constant RISK_ROLE = keccak256("RISK_ROLE");
    /// @notice The feed admin sets bounds, quorum, limits, grace and the calendar, and manages operators.
    bytes32 public constant FEED_ADMIN_ROLE = keccak256("FEED_ADMIN_ROLE");

    /// @notice EIP-712 type of an operator's quote.
    bytes32 public constant QUOTE_TYPEHASH =
        keccak256("Quote(bytes32 market,uint80 roundId,int256 price,uint64 observedAt)");

    /// @notice Longest closure window that may be scheduled (Spring Festival closes markets about eight days).
    uint64 public constant MAX_CLOSURE = 31 days;
    /// @notice Most closure windows the calendar holds (prune past ones to make room).
    uint256 public constant MAX_CLOSURES = 32;

    uint8 private constant _DECIMALS = 8;
    uint256 private constant _VERSION = 2;
    uint256 private constant _BPS = 10_000;
    int256 private constant _MAX_PRICE = type(int48).max;
    uint256 private constant _ROUND_BITS = 85;
    uint256 private constant _ROUND_MASK = 0x1fffffffffffffffffffff; // 85 ones
    /// @dev secp256k1 order / 2: a larger s is the malleable twin (refused, as OpenZeppelin's ECDSA does).
    uint256 private constant _HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// @dev _collect statuses.
    uint256 private constant _QUOTE_OUTSIDE = 1;
    uint256 private constant _SIGNER_UNKNOWN = 2;
    uint256 private constant _SIGNER_NOT_ASCENDING = 3;
    /// @dev _indexOfPacked: not an operator.
    uint256 private constant _ABSENT = type(uint256).max;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev The one slot the publishing path reads: the operator set (with the bounds), the
    /// history slot holding the latest round (the round id follows from which of its three fields
    /// are filled, so this slot is written only once every three rounds), the held flag and the
    /// band parameters.
    struct Config {
        address set;
        uint32 slot;
        bool held;
        uint8 quorum;
        uint16 limitBps;
        uint16 toleranceBps;
    }

    /// @dev Read only by views and administration.
    struct Cold {
        uint32 grace;
        uint8 operatorCount;
    }

    /// @dev In memory only: the bounds (from the operator set) and the latest published round
    /// (id from the config slot, answer and observation time from the history).
    struct Latest {
        int256 minPrice;
        int256 maxPrice;
        uint32 id;
        int256 answer;
        uint64 observedAt;
    }

    /// @dev The open round's quotes sent one by one (`submit`).
    struct Pending {
        uint32 day;
        uint32 seq; // the latest round id when the quotes were collected: a publication ends them
        uint16 bits;
        uint8 count;
    }

    /// @dev The held candidate.
    struct Held {
        int64 answer;
        uint40 observedAt;
        uint32 day;
        uint8 submissions;
    }

    /// @inheritdoc ICarbonPriceFeed
    bytes32 public immutable market;
    string private _description;
    Config private _config;
    Cold private _cold;
    Pending private _pending;
    Held private _held;
    /// @dev Three rounds per slot: round r is the `_ROUND_BITS`-bit field (r % 3) of _rounds[r / 3],
    /// answer (48 bits), observedAt (33 bits: unix seconds until the year 2242), submissions (4).
    mapping(uint256 slot => uint256) private _rounds;
    /// @dev The open round's quote by operator index: price (64 bits), observedAt (40).
    mapping(uint256 index => uint256) private _pendingQuotes;
    address[] private _operatorList;
    MarketCalendar.Closure[] private _closures;

    /// @param market_ Market code, e.g. "CEA".
    /// @param description_ Chainlink-style description, e.g. "CEA / CNY".
    /// @param adminDelay Delay of a default-admin transfer (seconds; never 0 outside local chains).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes FEED_ADMIN_ROLE and RISK_ROLE).
    /// @param feedAdmin Receives FEED_ADMIN_ROLE (parameters, calendar, operators).
    /// @param risk Receives RISK_ROLE (held rounds).
    /// @param operators_ The operators (at most OperatorSet.MAX_OPERATORS).
    /// @param cfg Bounds, daily limit, tolerance, quorum and grace.
    constructor(
        bytes32 market_,
        string memory description_,
        uint48 adminDelay,
        address admin,
        address feedAdmin,
        address risk,
        address[] memory operators_,
        FeedConfig memory cfg
    ) AccessControlDefaultAdminRules(adminDelay, admin) EIP712("CarbonChain CarbonPriceFeed", "1") {
        market = market_;
        _description = description_;
        _grantRole(FEED_ADMIN_ROLE, feedAdmin);
        _grantRole(RISK_ROLE, risk);
        _setRoleAdmin(OPERATOR_ROLE, FEED_ADMIN_ROLE);
        for (uint256 i = 0; i < operators_.length; ++i) {
            if (AccessControlDefaultAdminRules._grantRole(OPERATOR_ROLE, operators_[i])) {
                _operatorList.push(operators_[i]);
            }
        }
        _checkBounds(cfg.minPrice, cfg.maxPrice);
        _rebuildOperatorSet(cfg.minPrice, cfg.maxPrice);
        emit BoundsChanged(cfg.minPrice, cfg.maxPrice);
        _setParams(cfg.quorum, cfg.limitBps, cfg.toleranceBps, cfg.grace);
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
    /// @dev startedAt and updatedAt are both the round's median observation time.
    function getRoundData(uint80 roundId_)
        public
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        if (roundId_ == 0 || roundId_ > _latestId()) revert CarbonPriceFeedNoData(roundId_);
        (int256 a, uint64 obs,) = _round(roundId_);
        return (roundId_, a, obs, obs, roundId_);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return getRoundData(_latestId());
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICarbonPriceFeed
    function submit(uint80 roundId, int256 price, uint64 observedAt) external onlyRole(OPERATOR_ROLE) {
        Config memory a = _config;
        (Latest memory b, uint256 ops) = _load(a);
        _checkOpen(roundId, b.id);
        _checkPrice(price, b);
        uint32 day = _checkNewDay(observedAt, b);
        Pending memory p = _pending;
        bool live = p.count != 0 && p.seq == b.id;
        if (live && day < p.day) revert CarbonPriceFeedStaleQuote(observedAt, p.day);
        if (!live || day != p.day) {
            if (live) emit PendingQuotesSuperseded(roundId, p.day, day);
            p = Pending({day: day, seq: b.id, bits: 0, count: 0});
        }
        uint256 index = _indexOfPacked(ops, msg.sender);
        if (index == _ABSENT) revert AccessControlUnauthorizedAccount(msg.sender, OPERATOR_ROLE); // roles and set agree
        if (p.bits & (uint256(1) << index) != 0) revert CarbonPriceFeedAlreadySubmitted(roundId, msg.sender);
        p.bits |= uint16(1 << index);
        p.count += 1;
        _pending = p;
        _pendingQuotes[index] = uint256(uint64(int64(price))) | (uint256(observedAt) << 64);
        emit QuoteSubmitted(roundId, msg.sender, price, observedAt);
        if (p.count >= a.quorum) {
            (int256 med, uint64 obs) = _pendingMedian(p);
            _settle(a, b, med, obs, day, p.count);
        }
    }

    /// @inheritdoc ICarbonPriceFeed
    function submitBundle(uint80 roundId, SignedQuote[] calldata quotes) external {
        Config memory a = _config;
        (Latest memory b, uint256 ops) = _load(a);
        if (_indexOfPacked(ops, msg.sender) == _ABSENT) revert AccessControlUnauthorizedAccount(msg.sender, OPERATOR_ROLE);
        _checkOpen(roundId, b.id);
        uint256 n = quotes.length;
        if (n < a.quorum) revert CarbonPriceFeedQuorumNotMet(n, a.quorum);
        uint32 day = _checkNewDay(quotes[0].observedAt, b);
        (int256 med, uint64 obs) = _verifyBundle(roundId, quotes, b, day, ops);
        _settle(a, b, med, obs, day, uint8(n));
    }

    /// @dev Checks every quote of a bundle (reverting with the named error of the first that
    /// fails), logs the audit trail once and returns the median price and observation time.
    function _verifyBundle(
        uint80 roundId,
        SignedQuote[] calldata quotes,
        Latest memory b,
        uint32 day,
        uint256 ops
    ) private returns (int256 med, uint64 obs) {
        uint256[8] memory w = _window(b, day, roundId);
        uint256 n = quotes.length;
        uint256[][3] memory out = _outputs(n);
        uint256 result = _collect(quotes, w, ops, out);
        (uint256 status, uint256 i, address signer) = (result >> 168, uint8(result >> 160), address(uint160(result)));
        if (status == _QUOTE_OUTSIDE) _explainQuote(i, quotes[i], b, day);
        if (status == _SIGNER_UNKNOWN || (status == _SIGNER_NOT_ASCENDING && _indexOfPacked(ops, signer) == _ABSENT)) {
            revert CarbonPriceFeedInvalidSigner(i, signer);
        }
        if (status == _SIGNER_NOT_ASCENDING) revert CarbonPriceFeedSignersNotAscending(i, signer);
        emit BundleSubmitted(roundId, msg.sender, out[0]);
        med = MedianLib.median(_signed(out[1]));
        obs = uint64(uint256(MedianLib.median(_signed(out[2]))));
    }

    /// @dev Three arrays of `n` words (audit trail, prices, times) in one allocation, not zeroed:
    /// _collect writes every element before anything reads it (a failing quote reverts first).
    function _outputs(uint256 n) private pure returns (uint256[][3] memory out) {
        assembly ("memory-safe") {
            out := mload(0x40)
            let size := shl(5, add(n, 1))
            let first := add(out, 0x60)
            for { let k := 0 } lt(k, 3) { k := add(k, 1) } {
                let arr := add(first, mul(k, size))
                mstore(arr, n)
                mstore(add(out, shl(5, k)), arr)
            }
            mstore(0x40, add(first, mul(3, size)))
        }
    }

    /// @dev The same array read as int256[] (its words are prices or times, all below 2^63).
    function _signed(uint256[] memory words) private pure returns (int256[] memory values) {
        assembly ("memory-safe") {
            values := words
        }
    }

    /// @dev What every quote of a bundle must satisfy and hash with: [min price, max price,
    /// earliest and latest observation time (inside `day`, after the latest observation, not
    /// after this block), EIP-712 domain separator, quote type hash, market, round id].
    function _window(Latest memory b, uint32 day, uint80 roundId) private view returns (uint256[8] memory w) {
        uint256 lo;
        uint256 hi;
        unchecked {
            // day is the market day of a quote at or before this block: no under- or overflow
            lo = uint256(day) * 1 days - MarketCalendar.UTC_OFFSET;
            hi = lo + 1 days - 1;
            if (lo <= b.observedAt) lo = uint256(b.observedAt) + 1;
        }
        if (hi > block.timestamp) hi = block.timestamp;
        w = [
            uint256(b.minPrice),
            uint256(b.maxPrice),
            lo,
            hi,
            uint256(_domainSeparatorV4()),
            uint256(QUOTE_TYPEHASH),
            uint256(market),
            uint256(roundId)
        ];
    }

    /// @dev Verifies a bundle's quotes in one pass (the publishing path, in assembly: calldata read
    /// directly, quotes being 4 words each; hashes built in scratch memory). Per quote: price and
    /// time within the window `w`; the EIP-712 digest of `Quote(market, roundId, price,
    /// observedAt)`; the signer recovered by the ecrecover precompile under OpenZeppelin
    /// ECDSA.tryRecover's rules (s in the lower half order, v = 27 + the top bit of vs, a failed
    /// recovery is no signer); signers strictly ascending and found in the ascending operator set
    /// by one forward walk. Fills out[0] (audit-trail words `signer << 96 | observedAt << 56 |
    /// price`), out[1] (prices) and out[2] (times). Returns `status << 168 | index << 160 |
    /// signer` (0 when every quote passed; else the failure, the quote's index and the recovered
    /// signer): the caller reverts with the named error.
    function _collect(SignedQuote[] calldata quotes, uint256[8] memory w, uint256 ops, uint256[][3] memory out)
        private
        view
        returns (uint256 result)
    {
        assembly ("memory-safe") {
            let cursor := add(ops, 0x20) // 20-byte addresses, ascending
            let previous := 0
            for { let i := 0 } lt(i, quotes.length) { i := add(i, 1) } {
                let q := add(quotes.offset, shl(7, i))
                let signer := 0
                {
                    let m := mload(0x40) // scratch: nothing is allocated while the loop runs
                    {
                        let price := calldataload(q)
                        let t := calldataload(add(q, 0x20))
                        if or(
                            or(slt(price, mload(w)), sgt(price, mload(add(w, 0x20)))),
                            or(lt(t, mload(add(w, 0x40))), gt(t, mload(add(w, 0x60))))
                        ) {
                            result := or(shl(168, _QUOTE_OUTSIDE), shl(160, i))
                            break
                        }
                        mstore(add(mload(add(out, 0x20)), shl(5, add(i, 1))), price)
                        mstore(add(mload(add(out, 0x40)), shl(5, add(i, 1))), t)
                        // struct hash of Quote(market, roundId, price, observedAt), then the digest
                        mstore(m, mload(add(w, 0xa0)))
                        mstore(add(m, 0x20), mload(add(w, 0xc0)))
                        mstore(add(m, 0x40), mload(add(w, 0xe0)))
                        mstore(add(m, 0x60), price)
                        mstore(add(m, 0x80), t)
                    }
                    let structHash := keccak256(m, 0xa0)
                    mstore(m, shl(240, 0x1901))
                    mstore(add(m, 0x02), mload(add(w, 0x80)))
                    mstore(add(m, 0x22), structHash)
                    structHash := keccak256(m, 0x42) // now the digest
                    let vs := calldataload(add(q, 0x60))
                    let s := shr(1, shl(1, vs))
                    if iszero(gt(s, _HALF_ORDER)) {
                        mstore(m, structHash)
                        mstore(add(m, 0x20), add(shr(255, vs), 27))
                        mstore(add(m, 0x40), calldataload(add(q, 0x40)))
                        mstore(add(m, 0x60), s)
                        // a failed recovery returns no data (Yul evaluates arguments right to left,
                        // so the size is read in a statement of its own, after the call)
                        pop(staticcall(gas(), 1, m, 0x80, 0x00, 0x20))
                        if eq(returndatasize(), 0x20) { signer := mload(0x00) }
                    }
                }
                if iszero(gt(signer, previous)) {
                    // not ascending, or no valid signature / not an operator: the caller tells which
                    result := or(or(shl(168, _SIGNER_NOT_ASCENDING), shl(160, i)), signer)
                    break
                }
                {
                    let end := add(add(ops, 0x20), mul(mload(ops), 20))
                    for {} and(lt(cursor, end), lt(shr(96, mload(cursor)), signer)) {} { cursor := add(cursor, 20) }
                    if iszero(and(lt(cursor, end), eq(shr(96, mload(cursor)), signer))) {
                        result := or(or(shl(168, _SIGNER_UNKNOWN), shl(160, i)), signer)
                        break
                    }
                }
                previous := signer
                mstore(
                    add(mload(out), shl(5, add(i, 1))),
                    or(or(shl(96, signer), shl(56, calldataload(add(q, 0x20)))), calldataload(q))
                )
            }
        }
    }

    /// @dev A bundle quote outside the price range or the round's time window: reverts with the
    /// first failed check in the order the rules are documented (bounds, future, already
    /// published, another market day).
    function _explainQuote(uint256 i, SignedQuote calldata q, Latest memory b, uint32 day) private view {
        (int256 price, uint64 t) = (q.price, q.observedAt);
        _checkPrice(price, b);
        if (t > block.timestamp) revert CarbonPriceFeedInvalidObservation(t, block.timestamp);
        if (t <= b.observedAt) revert CarbonPriceFeedAlreadyPublished(t, b.observedAt);
        revert CarbonPriceFeedMixedDays(i, t);
    }

    /// @inheritdoc ICarbonPriceFeed
    function confirmHeldRound(uint80 roundId) external onlyRole(RISK_ROLE) {
        Config memory a = _config;
        (Latest memory b,) = _load(a);
        if (!a.held || roundId != b.id + 1) revert CarbonPriceFeedRoundNotHeld(roundId);
        Held memory h = _held;
        emit HeldRoundConfirmed(roundId, msg.sender);
        _publish(b, h.answer, h.observedAt, h.day, h.submissions);
        _config.held = false;
        _keepSlot(a, b);
    }

    /// @inheritdoc ICarbonPriceFeed
    function discardHeldRound(uint80 roundId) external onlyRole(RISK_ROLE) {
        if (!_config.held || roundId != _latestId() + 1) revert CarbonPriceFeedRoundNotHeld(roundId);
        Held memory h = _held;
        _config.held = false;
        delete _pending; // the refused candidate's quotes go with it: operators may quote again
        emit RoundDiscarded(roundId, h.answer, h.observedAt, msg.sender);
    }

    /// @inheritdoc ICarbonPriceFeed
    function setBounds(int256 minPrice, int256 maxPrice) external onlyRole(FEED_ADMIN_ROLE) {
        _checkBounds(minPrice, maxPrice);
        // Same operators, same order (bit indices unchanged): the open round's quotes stay.
        _config.set = OperatorSet.write(_operatorList, minPrice, maxPrice);
        emit BoundsChanged(minPrice, maxPrice);
    }

    /// @inheritdoc ICarbonPriceFeed
    function setParams(uint8 quorum_, uint16 limitBps, uint16 toleranceBps, uint32 grace)
        external
        onlyRole(FEED_ADMIN_ROLE)
    {
        _setParams(quorum_, limitBps, toleranceBps, grace);
    }

    /// @inheritdoc ICarbonPriceFeed
    function scheduleClosure(uint64 start, uint64 end) external onlyRole(FEED_ADMIN_ROLE) {
        if (end <= start || end - start > MAX_CLOSURE || end > type(uint40).max) {
            revert CarbonPriceFeedInvalidClosure(start, end);
        }
        uint256 n = _closures.length;
        if (n >= MAX_CLOSURES) revert CarbonPriceFeedCalendarFull(MAX_CLOSURES);
        uint256 pos = n;
        for (uint256 i = 0; i < n; ++i) {
            MarketCalendar.Closure memory w = _closures[i];
            if (w.start < end && start < w.end) revert CarbonPriceFeedClosureOverlap(start, end, w.start, w.end);
            if (pos == n && start < w.start) pos = i;
        }
        _closures.push();
        for (uint256 i = n; i > pos; --i) {
            _closures[i] = _closures[i - 1];
        }
        _closures[pos] = MarketCalendar.Closure({start: uint40(start), end: uint40(end)});
        emit ClosureScheduled(start, end);
    }

    /// @inheritdoc ICarbonPriceFeed
    function cancelClosure(uint64 start) external onlyRole(FEED_ADMIN_ROLE) {
        uint256 n = _closures.length;
        uint256 i;
        while (i < n && _closures[i].start != start) ++i;
        if (i == n) revert CarbonPriceFeedUnknownClosure(start);
        uint64 end = _closures[i].end;
        for (uint256 j = i; j + 1 < n; ++j) {
            _closures[j] = _closures[j + 1];
        }
        _closures.pop();
        emit ClosureCancelled(start, end);
    }

    /// @inheritdoc ICarbonPriceFeed
    /// @dev Only windows that ended before the latest observation may go: later ones still decide
    /// staleness and the band.
    function pruneClosures(uint64 before) external onlyRole(FEED_ADMIN_ROLE) {
        (, uint64 latestObs,) = _round(_latestId());
        if (before > latestObs) revert CarbonPriceFeedInvalidClosure(before, latestObs);
        uint256 n = _closures.length;
        uint256 k;
        while (k < n && _closures[k].end <= before) ++k; // sorted and disjoint: ends ascend too
        for (uint256 i = k; i < n; ++i) {
            _closures[i - k] = _closures[i];
        }
        for (uint256 i = 0; i < k; ++i) {
            _closures.pop();
        }
        emit ClosuresPruned(before, k);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ICarbonPriceFeed
    function openRoundId() external view returns (uint80) {
        return uint80(_latestId()) + 1;
    }

    /// @inheritdoc ICarbonPriceFeed
    function latestRoundId() external view returns (uint80) {
        return _latestId();
    }

    /// @inheritdoc ICarbonPriceFeed
    function getRound(uint80 roundId) external view returns (RoundView memory v) {
        Config memory a = _config;
        (Latest memory b,) = _load(a);
        if (roundId != 0 && roundId <= b.id) {
            (int256 answer, uint64 obs, uint8 n) = _round(roundId);
            return RoundView({state: RoundState.Published, answer: answer, observedAt: obs, submissions: n});
        }
        if (roundId != uint80(b.id) + 1) return v;
        if (a.held) {
            Held memory h = _held;
            return RoundView({state: RoundState.Held, answer: h.answer, observedAt: h.observedAt, submissions: h.submissions});
        }
        Pending memory p = _pending;
        if (p.count != 0 && p.seq == b.id) v = RoundView({state: RoundState.Collecting, answer: 0, observedAt: 0, submissions: p.count});
    }

    /// @inheritdoc ICarbonPriceFeed
    function params() external view returns (Params memory) {
        Config memory a = _config;
        Cold memory c = _cold;
        (, int256 minPrice, int256 maxPrice) = OperatorSet.read(a.set);
        return Params({
            minPrice: minPrice,
            maxPrice: maxPrice,
            limitBps: a.limitBps,
            toleranceBps: a.toleranceBps,
            quorum: a.quorum,
            operatorCount: c.operatorCount,
            grace: c.grace
        });
    }

    /// @inheritdoc ICarbonPriceFeed
    function hasSubmitted(uint80 roundId, address operator) external view returns (bool) {
        uint32 id = _latestId();
        Pending memory p = _pending;
        if (roundId != uint80(id) + 1 || p.count == 0 || p.seq != id) return false;
        (uint256 ops,,) = OperatorSet.readPacked(_config.set);
        uint256 i = _indexOfPacked(ops, operator);
        return i != _ABSENT && p.bits & (uint256(1) << i) != 0;
    }

    /// @inheritdoc ICarbonPriceFeed
    function pendingRound() external view returns (uint32 day, uint8 submissions) {
        Pending memory p = _pending;
        if (p.count != 0 && p.seq == _latestId()) return (p.day, p.count);
    }

    /// @inheritdoc ICarbonPriceFeed
    function operators() external view returns (address[] memory ops) {
        (ops,,) = OperatorSet.read(_config.set);
    }

    /// @inheritdoc ICarbonPriceFeed
    function isHeld() external view returns (bool) {
        return _config.held;
    }

    /// @inheritdoc ICarbonPriceFeed
    function isStale() public view returns (bool) {
        if (_latestId() == 0) return true;
        return block.timestamp > staleAt();
    }

    /// @inheritdoc ICarbonPriceFeed
    function staleAt() public view returns (uint64) {
        uint32 id = _latestId();
        if (id == 0) return 0;
        (, uint64 obs,) = _round(id);
        MarketCalendar.Closure[] memory w = _closures;
        return uint64(MarketCalendar.closeOf(w.nextTradingDay(MarketCalendar.dayOf(obs))) + _cold.grace);
    }

    /// @inheritdoc ICarbonPriceFeed
    function usablePrice() external view returns (bool usable, int256 price, uint80 roundId, uint64 observedAt) {
        uint32 id = _latestId();
        if (id == 0) return (false, 0, 0, 0);
        (price, observedAt,) = _round(id);
        MarketCalendar.Closure[] memory w = _closures;
        uint256 staleTime = MarketCalendar.closeOf(w.nextTradingDay(MarketCalendar.dayOf(observedAt))) + _cold.grace;
        usable = !_config.held && block.timestamp <= staleTime && !w.inClosure(block.timestamp);
        roundId = id;
    }

    /// @inheritdoc ICarbonPriceFeed
    function marketClosed() external view returns (bool) {
        MarketCalendar.Closure[] memory w = _closures;
        return w.inClosure(block.timestamp);
    }

    /// @inheritdoc ICarbonPriceFeed
    function isTradingDay(uint64 time) external view returns (bool) {
        MarketCalendar.Closure[] memory w = _closures;
        return w.isTradingDay(MarketCalendar.dayOf(time));
    }

    /// @inheritdoc ICarbonPriceFeed
    function closure() external view returns (uint64 start, uint64 end) {
        uint256 n = _closures.length;
        for (uint256 i = 0; i < n; ++i) {
            MarketCalendar.Closure memory w = _closures[i];
            if (block.timestamp < w.end) return (w.start, w.end);
        }
    }

    /// @inheritdoc ICarbonPriceFeed
    function closures() external view returns (ClosureWindow[] memory list) {
        uint256 n = _closures.length;
        list = new ClosureWindow[](n);
        for (uint256 i = 0; i < n; ++i) {
            list[i] = ClosureWindow({start: _closures[i].start, end: _closures[i].end});
        }
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

    function _round(uint256 roundId) private view returns (int256 answer, uint64 obs, uint8 n) {
        uint256 word = _rounds[roundId / 3] >> ((roundId % 3) * _ROUND_BITS);
        answer = int256(uint256(uint48(word)));
        obs = uint64((word >> 48) & (2 ** 33 - 1));
        n = uint8((word >> 81) & 15);
    }

    /// @dev The bounds and operators (one read of the operator set) and the latest round (its
    /// answer and time from the history: usually the slot the next round is written to).
    function _load(Config memory a) private view returns (Latest memory b, uint256 ops) {
        (ops, b.minPrice, b.maxPrice) = OperatorSet.readPacked(a.set);
        (b.id, b.answer, b.observedAt) = _latestIn(a.slot);
    }

    /// @dev The latest published round id (0 before the first).
    function _latestId() private view returns (uint32 id) {
        (id,,) = _latestIn(_config.slot);
    }

    /// @dev The latest round of history slot `slot` (the one the config names): its highest filled
    /// field (an answer is never 0, so a filled field is never 0; round 0 does not exist, so slot 0
    /// holds rounds 1 and 2 only).
    function _latestIn(uint32 slot) private view returns (uint32 id, int256 answer, uint64 obs) {
        uint256 word = _rounds[slot];
        assembly ("memory-safe") {
            slot := and(slot, 0xffffffff) // assembly sees no cleanup
            let mask := _ROUND_MASK
            let pos := 0
            switch iszero(shr(mul(2, _ROUND_BITS), word))
            case 0 { pos := 2 }
            default { if and(shr(_ROUND_BITS, word), mask) { pos := 1 } }
            let field := and(shr(mul(pos, _ROUND_BITS), word), mask)
            if field {
                id := add(mul(slot, 3), pos)
                answer := and(field, 0xffffffffffff)
                obs := and(shr(48, field), 0x1ffffffff)
            }
        }
    }

    /// @dev Names the history slot of the latest round in the config when publishing moved it.
    function _keepSlot(Config memory a, Latest memory b) private {
        uint32 slot = b.id / 3;
        if (slot != a.slot) _config.slot = slot;
    }

    function _checkOpen(uint80 roundId, uint32 latest) private pure {
        uint80 open = uint80(latest) + 1;
        if (roundId < open) revert CarbonPriceFeedRoundClosed(roundId);
        if (roundId > open) revert CarbonPriceFeedRoundNotOpen(roundId, open);
    }

    function _checkPrice(int256 price, Latest memory b) private pure {
        if (price < b.minPrice || price > b.maxPrice) {
            revert CarbonPriceFeedPriceOutOfBounds(price, b.minPrice, b.maxPrice);
        }
    }

    /// @dev Not in the future, and observed after the latest published round. Returns the market day.
    function _checkNewDay(uint64 observedAt, Latest memory b) private view returns (uint32 day) {
        if (observedAt > block.timestamp) revert CarbonPriceFeedInvalidObservation(observedAt, block.timestamp);
        if (observedAt <= b.observedAt) revert CarbonPriceFeedAlreadyPublished(observedAt, b.observedAt);
        day = uint32(MarketCalendar.dayOf(observedAt));
    }

    /// @dev `who`'s index (its bit) among the packed operators (OperatorSet.readPacked), or _ABSENT.
    function _indexOfPacked(uint256 ops, address who) private pure returns (uint256 index) {
        index = _ABSENT;
        assembly ("memory-safe") {
            who := and(who, 0xffffffffffffffffffffffffffffffffffffffff) // assembly sees no cleanup
            let raw := add(ops, 0x20)
            for { let p := raw let end := add(raw, mul(mload(ops), 20)) } lt(p, end) { p := add(p, 20) } {
                if eq(shr(96, mload(p)), who) {
                    index := div(sub(p, raw), 20)
                    break
                }
            }
        }
    }

    function _pendingMedian(Pending memory p) private view returns (int256 med, uint64 obs) {
        int256[] memory prices = new int256[](p.count);
        int256[] memory times = new int256[](p.count);
        uint256 k;
        for (uint256 i = 0; k < p.count; ++i) {
            if (p.bits & (uint256(1) << i) != 0) {
                uint256 q = _pendingQuotes[i];
                prices[k] = int64(uint64(q));
                times[k++] = int256(uint256(uint40(q >> 64)));
            }
        }
        med = MedianLib.median(prices);
        obs = uint64(uint256(MedianLib.median(times)));
    }

    /// @dev Whether `candidate` is within `n` daily limits (compounded) plus the tolerance of `previous`.
    function _inBand(int256 previous, int256 candidate, uint256 n, Config memory a) private pure returns (bool) {
        // Cannot overflow: prices are below 2^47, bps at most 15,000 and n at most
        // MarketCalendar.MAX_COUNT (20): up stays below 2^47 * 2^14 * 1.5^20 < 2^73.
        unchecked {
            uint256 up = uint256(previous) * (_BPS + a.toleranceBps);
            uint256 down = uint256(previous) * (_BPS - a.toleranceBps);
            for (uint256 i = 0; i < n; ++i) {
                up = (up * (_BPS + a.limitBps)) / _BPS;
                down = (down * (_BPS - a.limitBps)) / _BPS;
            }
            uint256 c = uint256(candidate) * _BPS;
            return c <= up && c >= down;
        }
    }

    /// @dev The band between two observations: at least one daily limit (no calendar read), else as
    /// many limits as MarketCalendar.limitDays counts between their market days.
    function _inBandAcross(int256 previous, int256 candidate, uint32 fromDay, uint32 toDay, Config memory a)
        private
        view
        returns (bool)
    {
        if (_inBand(previous, candidate, 1, a)) return true;
        if (toDay <= fromDay + 1) return false;
        MarketCalendar.Closure[] memory w = _closures;
        return _inBand(previous, candidate, w.limitDays(fromDay, toDay), a);
    }

    /// @dev A quorum's candidate: publish, hold, or settle the held candidate with it.
    function _settle(Config memory a, Latest memory b, int256 med, uint64 obs, uint32 day, uint8 n) private {
        if (b.id == 0) {
            _publish(b, med, obs, day, n);
        } else if (a.held) {
            _resolveHeld(a, b, med, obs, day, n);
        } else if (_inBandAcross(b.answer, med, uint32(MarketCalendar.dayOf(b.observedAt)), day, a)) {
            _publish(b, med, obs, day, n);
        } else {
            _hold(b, med, obs, day, n);
        }
        _keepSlot(a, b);
    }

    /// @dev A new quorum while a candidate is held: agreeing with the held candidate (both are
    /// published, the held one first, or only the newer one for the same day), else back within the
    /// band of the last answer (the held candidate is dropped), else the newer one is held instead.
    function _resolveHeld(Config memory a, Latest memory b, int256 med, uint64 obs, uint32 day, uint8 n) private {
        Held memory h = _held;
        if (_inBandAcross(h.answer, med, h.day, day, a)) {
            _config.held = false;
            if (h.day < day) _publish(b, h.answer, h.observedAt, h.day, h.submissions);
            _publish(b, med, obs, day, n);
            return;
        }
        emit RoundDiscarded(uint80(b.id) + 1, h.answer, h.observedAt, address(0));
        if (_inBandAcross(b.answer, med, uint32(MarketCalendar.dayOf(b.observedAt)), day, a)) {
            _config.held = false;
            _publish(b, med, obs, day, n);
        } else {
            _hold(b, med, obs, day, n);
        }
    }

    function _hold(Latest memory b, int256 med, uint64 obs, uint32 day, uint8 n) private {
        _held = Held({answer: int64(med), observedAt: uint40(obs), day: day, submissions: n});
        _config.held = true;
        emit RoundHeld(uint80(b.id) + 1, med, b.answer, obs);
    }

    function _publish(Latest memory b, int256 answer, uint64 obs, uint32 day, uint8 n) private {
        uint32 id;
        unchecked {
            id = b.id + 1; // ids stay below 2^32: one round per trading day
            uint256 word = uint256(answer) | (uint256(obs) << 48) | (uint256(n) << 81);
            _rounds[id / 3] |= word << ((id % 3) * _ROUND_BITS);
        }
        b.id = id;
        b.answer = answer;
        b.observedAt = obs;
        emit RoundPublished(id, answer, obs, n);
    }

    function _checkBounds(int256 minPrice, int256 maxPrice) private pure {
        if (minPrice <= 0 || maxPrice <= minPrice || maxPrice > _MAX_PRICE) {
            revert CarbonPriceFeedInvalidBounds(minPrice, maxPrice);
        }
    }

    function _setParams(uint8 quorum_, uint16 limitBps, uint16 toleranceBps, uint32 grace) private {
        uint8 count = _cold.operatorCount;
        if (quorum_ < 3 || quorum_ % 2 == 0 || quorum_ > count) revert CarbonPriceFeedInvalidQuorum(quorum_, count);
        if (limitBps == 0 || limitBps > 5000 || toleranceBps > 1000 || grace < 1 hours || grace > 7 days) {
            revert CarbonPriceFeedInvalidParams(limitBps, toleranceBps, grace);
        }
        Config storage a = _config;
        (a.quorum, a.limitBps, a.toleranceBps) = (quorum_, limitBps, toleranceBps);
        _cold.grace = grace;
        emit ParamsChanged(quorum_, limitBps, toleranceBps, grace);
    }

    /// @dev A fresh OperatorSet for the current OPERATOR_ROLE holders and the given bounds; the open
    /// round's separate quotes are dropped (bit indices move, and a removed operator's quote must
    /// not count).
    function _rebuildOperatorSet(int256 minPrice, int256 maxPrice) private returns (address set) {
        uint256 n = _operatorList.length;
        if (n > OperatorSet.MAX_OPERATORS) revert CarbonPriceFeedTooManyOperators(OperatorSet.MAX_OPERATORS);
        set = OperatorSet.write(_operatorList, minPrice, maxPrice);
        _config.set = set;
        _cold.operatorCount = uint8(n);
        delete _pending;
    }

    /// @dev The same bounds, the current operators.
    function _rebuildOperatorSet() private returns (address) {
        (, int256 minPrice, int256 maxPrice) = OperatorSet.read(_config.set);
        return _rebuildOperatorSet(minPrice, maxPrice);
    }

    /// @dev Keeps the operator list and set in step with OPERATOR_ROLE.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == OPERATOR_ROLE) {
            _operatorList.push(account);
            emit OperatorAdded(account, _rebuildOperatorSet());
        }
    }

    /// @dev Refuses to drop below the quorum; keeps the list and set in step.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == OPERATOR_ROLE) {
            uint256 n = _operatorList.length;
            if (n - 1 < _config.quorum) revert CarbonPriceFeedInvalidQuorum(_config.quorum, n - 1);
            for (uint256 i = 0; i < n; ++i) {
                if (_operatorList[i] == account) {
                    _operatorList[i] = _operatorList[n - 1];
                    _operatorList.pop();
                    break;
                }
            }
            emit OperatorRemoved(account, _rebuildOperatorSet());
        }
    }
}
