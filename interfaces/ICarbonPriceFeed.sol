// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "@carbonchain/interfaces/AggregatorV3Interface.sol";

/// @title ICarbonPriceFeed
/// @notice One carbon market's daily closing price (8 decimals, CNY per tCO2e), published by a
/// quorum of distinct operators as the median of their quotes, either one transaction per
/// operator (`submit`) or one relayed bundle of EIP-712 signed quotes (`submitBundle`).
/// Published round ids are contiguous (1, 2, 3...): a held or refused candidate never uses an id.
/// A round's `updatedAt` (and `startedAt`) in the Chainlink interface is the median observation
/// time of its quotes, never the publication time, so a consumer's age check is honest.
/// Guards: per-market price bounds; a band around the last answer that allows the exchange's daily
/// price limit once per trading day elapsed (and once more per closure crossed), plus a tolerance
/// for rounding and quote spread; a candidate outside it is held until the next trading day's
/// quorum agrees with it (published), returns within the band (held candidate dropped), or the
/// risk role decides. A new round must be observed after the latest one (intraday rounds are
/// allowed; the feed script pushes one close per trading day). Staleness is judged in trading days of the market's calendar (weekends and
/// scheduled closures).
interface ICarbonPriceFeed is AggregatorV3Interface {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of a round id: ids up to latestRoundId are Published; the open id is
    /// Held (a candidate waits), Collecting (quotes without quorum) or None.
    enum RoundState {
        None,
        Collecting,
        Held,
        Published
    }

    /// @notice An operator's quote signed off chain (EIP-712
    /// `Quote(bytes32 market,uint80 roundId,int256 price,uint64 observedAt)`), signature in the
    /// compact EIP-2098 form (r, yParityAndS).
    struct SignedQuote {
        int256 price;
        uint64 observedAt;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A round as stored: answer, median observation time, number of quotes.
    struct RoundView {
        RoundState state;
        int256 answer; // the median (the held candidate for a held open round)
        uint64 observedAt; // median observation time of the quotes
        uint8 submissions;
    }

    /// @notice The risk parameters of the feed.
    struct Params {
        int256 minPrice;
        int256 maxPrice;
        uint16 limitBps; // the exchange's daily price limit, per trading day
        uint16 toleranceBps; // rounding to the fen plus operators' quote spread, on top of the limit
        uint8 quorum; // odd, at least 3
        uint8 operatorCount;
        uint32 grace; // seconds after the next trading day's close before the price is stale
    }

    /// @notice Constructor settings of a feed.
    struct FeedConfig {
        int256 minPrice;
        int256 maxPrice;
        uint16 limitBps;
        uint16 toleranceBps;
        uint8 quorum;
        uint32 grace;
    }

    /// @notice A scheduled market closure [start, end), unix seconds.
    struct ClosureWindow {
        uint64 start;
        uint64 end;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice This round id was already published: another quorum was faster (a normal race).
    error CarbonPriceFeedRoundClosed(uint80 roundId);
    /// @notice Only the open round (`openRoundId()`) accepts quotes.
    error CarbonPriceFeedRoundNotOpen(uint80 roundId, uint80 openRoundId);
    /// @notice This operator already quoted this market day.
    error CarbonPriceFeedAlreadySubmitted(uint80 roundId, address operator);
    /// @notice A round observed at or after this time is already published (another quorum was faster).
    error CarbonPriceFeedAlreadyPublished(uint64 observedAt, uint64 latestObservedAt);
    /// @notice The quote is for an older market day than the round it would join.
    error CarbonPriceFeedStaleQuote(uint64 observedAt, uint32 roundDay);
    /// @notice The quotes of a bundle must all be observed on the same market day.
    error CarbonPriceFeedMixedDays(uint256 index, uint64 observedAt);
    /// @notice The price is outside the feed's bounds.
    error CarbonPriceFeedPriceOutOfBounds(int256 price, int256 minPrice, int256 maxPrice);
    /// @notice The observation time is in the future.
    error CarbonPriceFeedInvalidObservation(uint64 observedAt, uint256 now_);
    /// @notice The bundle has fewer quotes than the quorum.
    error CarbonPriceFeedQuorumNotMet(uint256 quotes, uint256 quorum);
    /// @notice A bundle signature does not recover to an authorised operator.
    error CarbonPriceFeedInvalidSigner(uint256 index, address recovered);
    /// @notice Bundle quotes must be ordered by signer address, strictly ascending (distinct signers).
    error CarbonPriceFeedSignersNotAscending(uint256 index, address signer);
    /// @notice There is no held round to confirm or discard.
    error CarbonPriceFeedRoundNotHeld(uint80 roundId);
    /// @notice No published data for this round id.
    error CarbonPriceFeedNoData(uint80 roundId);
    /// @notice Bounds must satisfy 0 < min < max <= 2^47 - 1 (1,407,374 CNY with 8 decimals).
    error CarbonPriceFeedInvalidBounds(int256 minPrice, int256 maxPrice);
    /// @notice The quorum must be odd, at least 3 and at most the number of operators.
    error CarbonPriceFeedInvalidQuorum(uint256 quorum, uint256 operatorCount);
    /// @notice limitBps must be 1..5000, toleranceBps at most 1000 and grace 1 hour..7 days.
    error CarbonPriceFeedInvalidParams(uint16 limitBps, uint16 toleranceBps, uint32 grace);
    /// @notice A closure window must end after it starts and last at most MAX_CLOSURE.
    error CarbonPriceFeedInvalidClosure(uint64 start, uint64 end);
    /// @notice The window overlaps a scheduled closure (cancel that one first: nothing is overwritten).
    error CarbonPriceFeedClosureOverlap(uint64 start, uint64 end, uint64 existingStart, uint64 existingEnd);
    /// @notice The calendar is full (MAX_CLOSURES windows): prune past windows first.
    error CarbonPriceFeedCalendarFull(uint256 max);
    /// @notice No scheduled closure starts at this time.
    error CarbonPriceFeedUnknownClosure(uint64 start);
    /// @notice The operator set would exceed OperatorSet.MAX_OPERATORS.
    error CarbonPriceFeedTooManyOperators(uint256 max);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An operator's quote was recorded for the open round.
    event QuoteSubmitted(uint80 indexed roundId, address indexed operator, int256 price, uint64 observedAt);
    /// @notice A bundle of signed quotes was relayed by `relayer` (accountable for which quotes went in);
    /// each word is `operator << 96 | observedAt << 56 | price` (price 56 bits): every signed quote, once.
    event BundleSubmitted(uint80 indexed roundId, address indexed relayer, uint256[] quotes);
    /// @notice A round was published: the median answer, its median observation time and how many quotes made it.
    event RoundPublished(uint80 indexed roundId, int256 answer, uint64 observedAt, uint8 submissions);
    /// @notice The candidate moved beyond the band from the last answer: it waits (the id stays open).
    event RoundHeld(uint80 indexed roundId, int256 candidate, int256 previous, uint64 observedAt);
    /// @notice A held candidate was dropped: refused by the risk role (`by`) or superseded by a newer quorum (`by` = 0).
    event RoundDiscarded(uint80 indexed roundId, int256 candidate, uint64 observedAt, address indexed by);
    /// @notice The risk role confirmed the held candidate.
    event HeldRoundConfirmed(uint80 indexed roundId, address indexed by);
    /// @notice Quotes of an older market day were dropped from the open round by a newer day's quote.
    event PendingQuotesSuperseded(uint80 indexed roundId, uint32 oldDay, uint32 newDay);
    /// @notice Price bounds changed.
    event BoundsChanged(int256 minPrice, int256 maxPrice);
    /// @notice Quorum, daily limit, tolerance or grace changed.
    event ParamsChanged(uint8 quorum, uint16 limitBps, uint16 toleranceBps, uint32 grace);
    /// @notice An operator was authorised; `set` is the new OperatorSet.
    event OperatorAdded(address indexed operator, address set);
    /// @notice An operator was removed (its quotes in the open round no longer count); `set` is the new OperatorSet.
    event OperatorRemoved(address indexed operator, address set);
    /// @notice A market closure (holiday) was added to the calendar.
    event ClosureScheduled(uint64 start, uint64 end);
    /// @notice A scheduled closure was removed from the calendar.
    event ClosureCancelled(uint64 start, uint64 end);
    /// @notice Closures that ended before `before` were pruned from the calendar.
    event ClosuresPruned(uint64 before, uint256 count);

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @notice An operator submits its quote for the open round.
    function submit(uint80 roundId, int256 price, uint64 observedAt) external;

    /// @notice An operator relays a bundle of operators' signed quotes for the open round.
    function submitBundle(uint80 roundId, SignedQuote[] calldata quotes) external;

    /// @notice The risk role publishes the held candidate.
    function confirmHeldRound(uint80 roundId) external;

    /// @notice The risk role refuses the held candidate (and its pending quotes); the round id stays open.
    function discardHeldRound(uint80 roundId) external;

    /// @notice Sets the price bounds (feed admin).
    function setBounds(int256 minPrice, int256 maxPrice) external;

    /// @notice Sets quorum, daily limit, tolerance and grace (feed admin).
    function setParams(uint8 quorum, uint16 limitBps, uint16 toleranceBps, uint32 grace) external;

    /// @notice Adds a market closure [start, end) to the calendar (feed admin); overlaps are refused.
    function scheduleClosure(uint64 start, uint64 end) external;

    /// @notice Removes the scheduled closure starting at `start` (feed admin).
    function cancelClosure(uint64 start) external;

    /// @notice Removes every closure that ended before `before` (feed admin).
    function pruneClosures(uint64 before) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The market code, e.g. "CEA".
    function market() external view returns (bytes32);

    /// @notice The round id that accepts quotes now (always latestRoundId() + 1).
    function openRoundId() external view returns (uint80);

    /// @notice The latest published round id (0 before the first).
    function latestRoundId() external view returns (uint80);

    /// @notice A published round, or the open round's held candidate / collecting state.
    function getRound(uint80 roundId) external view returns (RoundView memory);

    /// @notice The feed's risk parameters.
    function params() external view returns (Params memory);

    /// @notice Whether `operator` already quoted the open round's market day.
    function hasSubmitted(uint80 roundId, address operator) external view returns (bool);

    /// @notice The market day (days since 1970-01-01 CST) the open round's separate quotes are for, and
    /// how many there are (0, 0 when none are pending).
    function pendingRound() external view returns (uint32 day, uint8 submissions);

    /// @notice The authorised operators, in bit-index order.
    function operators() external view returns (address[] memory);

    /// @notice Whether a candidate is held.
    function isHeld() external view returns (bool);

    /// @notice Whether the latest price is stale: no data, or the first trading day after its
    /// observation has closed more than `grace` seconds ago (weekends and closures are not trading days).
    function isStale() external view returns (bool);

    /// @notice When the latest price becomes stale (0 with no data).
    function staleAt() external view returns (uint64);

    /// @notice The latest published price and whether a consumer may act on it now: usable is false
    /// when there is no price yet, when it is stale per the market's calendar, while a round is held
    /// (the market may have moved beyond the guard) and while the market is closed.
    /// @return usable Whether the price may be used now.
    /// @return price The latest published answer (8 decimals), 0 before the first round.
    /// @return roundId The latest published round id, 0 before the first round.
    /// @return observedAt When the market data behind the answer was observed (unix seconds).
    function usablePrice() external view returns (bool usable, int256 price, uint80 roundId, uint64 observedAt);

    /// @notice Whether the market is inside a scheduled closure now.
    function marketClosed() external view returns (bool);

    /// @notice Whether `time`'s market day is a trading day (a weekday whose close is outside every closure).
    function isTradingDay(uint64 time) external view returns (bool);

    /// @notice The closure in force now, else the next scheduled one, else (0, 0).
    function closure() external view returns (uint64 start, uint64 end);

    /// @notice The calendar: every scheduled closure, sorted by start.
    function closures() external view returns (ClosureWindow[] memory);

    /// @notice The EIP-712 hash an operator signs for a quote.
    function quoteHash(uint80 roundId, int256 price, uint64 observedAt) external view returns (bytes32);
}
