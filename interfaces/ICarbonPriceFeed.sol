// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "@carbonchain/interfaces/AggregatorV3Interface.sol";

/// @title ICarbonPriceFeed
/// @notice One carbon market's daily closing price (8 decimals, CNY per tCO2e), published by a
/// quorum of distinct operators as the median of their quotes, either one transaction per
/// operator (`submit`) or one relayed bundle of EIP-712 signed quotes (`submitBundle`).
/// Guards: price bounds, a maximum move per round beyond which the round is held for a second
/// confirmation, a heartbeat, and scheduled market closures (holidays) so that a carried-over
/// price is not mistaken for news or for a failed feed.
interface ICarbonPriceFeed is AggregatorV3Interface {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of a round id.
    enum RoundState {
        None, // no submission yet
        Collecting, // some operators submitted, quorum not reached
        Held, // quorum reached but the move exceeds maxMoveBps: waits for quorum + 1 or the risk role
        Published,
        Discarded // a held round the risk role refused; the next id opens
    }

    /// @notice An operator's quote signed off chain (EIP-712 `Quote(bytes32 market,uint80 roundId,int256 price,uint64 observedAt)`).
    struct SignedQuote {
        int256 price;
        uint64 observedAt;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice Everything about a round, published or not.
    struct RoundView {
        RoundState state;
        int256 answer; // the median (candidate answer while held)
        uint64 startedAt;
        uint64 updatedAt;
        uint64 observedAt; // earliest observation time among the quotes
        uint8 submissions;
    }

    /// @notice The risk parameters of the feed.
    struct Params {
        int256 minPrice;
        int256 maxPrice;
        uint16 maxMoveBps;
        uint8 quorum;
        uint8 operatorCount;
        uint32 heartbeat;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The round was already published or discarded: a late submission.
    error CarbonPriceFeedRoundClosed(uint80 roundId);
    /// @dev Only the open round (`openRoundId()`) accepts quotes.
    error CarbonPriceFeedRoundNotOpen(uint80 roundId, uint80 openRoundId);
    /// @dev A bundle must start a round: this one already has submissions.
    error CarbonPriceFeedRoundInProgress(uint80 roundId);
    /// @dev This operator already submitted for this round.
    error CarbonPriceFeedAlreadySubmitted(uint80 roundId, address operator);
    /// @dev The price is outside the feed's bounds.
    error CarbonPriceFeedPriceOutOfBounds(int256 price, int256 minPrice, int256 maxPrice);
    /// @dev The observation time is in the future or not after the last published one.
    error CarbonPriceFeedInvalidObservation(uint64 observedAt, uint64 lastObservedAt);
    /// @dev The bundle has fewer distinct quotes than the quorum.
    error CarbonPriceFeedQuorumNotMet(uint256 quotes, uint256 quorum);
    /// @dev A bundle signature does not recover to an authorised operator.
    error CarbonPriceFeedInvalidSigner(uint256 index, address recovered);
    /// @dev Bundle quotes must be ordered by signer address, strictly ascending (which also proves
    /// that the signers are distinct).
    error CarbonPriceFeedSignersNotAscending(uint256 index, address signer);
    /// @dev The round is not held (nothing to confirm or discard).
    error CarbonPriceFeedRoundNotHeld(uint80 roundId);
    /// @dev No data for this round id.
    error CarbonPriceFeedNoData(uint80 roundId);
    /// @dev Bounds must satisfy 0 < min < max and fit in 96 bits.
    error CarbonPriceFeedInvalidBounds(int256 minPrice, int256 maxPrice);
    /// @dev The quorum must be at least 2 and at most the number of operators.
    error CarbonPriceFeedInvalidQuorum(uint256 quorum, uint256 operatorCount);
    /// @dev maxMoveBps must be 1..10000 and heartbeat non-zero.
    error CarbonPriceFeedInvalidParams();
    /// @dev A closure window must end after it starts and last at most MAX_CLOSURE.
    error CarbonPriceFeedInvalidClosure(uint64 start, uint64 end);
    /// @dev Too many operators over the feed's life (indices are never reused).
    error CarbonPriceFeedTooManyOperators();

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev An operator's quote was recorded for a round.
    event QuoteSubmitted(uint80 indexed roundId, address indexed operator, int256 price, uint64 observedAt);
    /// @dev A bundle of signed quotes was relayed by `relayer`: each operator and its price.
    event BundleSubmitted(
        uint80 indexed roundId, address indexed relayer, address[] operators, int256[] prices, uint64[] observedAt
    );
    /// @dev A round was published: the median answer, its observation time and how many quotes made it.
    event RoundPublished(uint80 indexed roundId, int256 answer, uint64 observedAt, uint8 submissions);
    /// @dev The median moved by `moveBps` (more than maxMoveBps): the round waits for a second confirmation.
    event RoundHeld(uint80 indexed roundId, int256 candidate, int256 previous, uint256 moveBps);
    /// @dev The risk role refused a held round.
    event RoundDiscarded(uint80 indexed roundId, address indexed by);
    /// @dev The risk role confirmed a held round.
    event HeldRoundConfirmed(uint80 indexed roundId, address indexed by);
    /// @dev Price bounds changed.
    event BoundsChanged(int256 minPrice, int256 maxPrice);
    /// @dev Quorum, maximum move or heartbeat changed.
    event ParamsChanged(uint8 quorum, uint16 maxMoveBps, uint32 heartbeat);
    /// @dev An operator was authorised (its bit index in round bitmaps).
    event OperatorAdded(address indexed operator, uint8 index);
    /// @dev An operator was removed.
    event OperatorRemoved(address indexed operator);
    /// @dev A market closure (holiday) was scheduled; start == end == 0 clears it.
    event ClosureScheduled(uint64 start, uint64 end);

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @notice An operator submits its quote for the open round.
    function submit(uint80 roundId, int256 price, uint64 observedAt) external;

    /// @notice An operator relays a bundle of operators' signed quotes that starts round `roundId`.
    function submitBundle(uint80 roundId, SignedQuote[] calldata quotes) external;

    /// @notice The risk role publishes a held round's candidate answer.
    function confirmHeldRound(uint80 roundId) external;

    /// @notice The risk role refuses a held round; the next round id opens.
    function discardHeldRound(uint80 roundId) external;

    /// @notice Sets the price bounds (feed admin).
    function setBounds(int256 minPrice, int256 maxPrice) external;

    /// @notice Sets quorum, maximum move per round and heartbeat (feed admin).
    function setParams(uint8 quorum, uint16 maxMoveBps, uint32 heartbeat) external;

    /// @notice Schedules a market closure [start, end) (feed admin); (0, 0) clears it.
    function scheduleClosure(uint64 start, uint64 end) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The market code, e.g. "CEA".
    function market() external view returns (bytes32);

    /// @notice The round id that accepts quotes now.
    function openRoundId() external view returns (uint80);

    /// @notice The latest published round id (0 before the first).
    function latestRoundId() external view returns (uint80);

    /// @notice Full state of a round id.
    function getRound(uint80 roundId) external view returns (RoundView memory);

    /// @notice The feed's risk parameters.
    function params() external view returns (Params memory);

    /// @notice Whether `operator` already submitted for `roundId`.
    function hasSubmitted(uint80 roundId, address operator) external view returns (bool);

    /// @notice The authorised operators.
    function operators() external view returns (address[] memory);

    /// @notice Whether the latest price is older than the heartbeat allows, counted from the
    /// observation or from the end of a closure; false during a scheduled closure; true with no data.
    function isStale() external view returns (bool);

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

    /// @notice The scheduled closure window [start, end).
    function closure() external view returns (uint64 start, uint64 end);

    /// @notice The EIP-712 hash an operator signs for a quote.
    function quoteHash(uint80 roundId, int256 price, uint64 observedAt) external view returns (bytes32);
}
