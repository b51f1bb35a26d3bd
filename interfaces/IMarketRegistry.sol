// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IMarketRegistry
/// @notice Market code -> price feed, trading currency and description, for every carbon market the
/// desk marks collateral against (national CEA, regional pilots, CCER...).
interface IMarketRegistry {
    /// @notice One registered market.
    struct Market {
        bytes32 code;
        address feed;
        bytes3 currency;
        string description;
    }

    /// @dev The market code is empty.
    error MarketRegistryZeroCode();
    /// @dev The feed address is zero.
    error MarketRegistryZeroFeed();
    /// @dev The currency code is empty.
    error MarketRegistryZeroCurrency();
    /// @dev The market is already registered.
    error MarketRegistryMarketExists(bytes32 code);
    /// @dev The market is not registered.
    error MarketRegistryUnknownMarket(bytes32 code);
    /// @dev The feed reports another market code.
    error MarketRegistryFeedMismatch(bytes32 code, bytes32 feedMarket);

    /// @dev A market was registered.
    event MarketRegistered(bytes32 indexed code, address indexed feed, bytes3 currency, string description);
    /// @dev A market's feed, currency or description changed.
    event MarketUpdated(bytes32 indexed code, address indexed feed, bytes3 currency, string description);
    /// @dev A market was removed.
    event MarketRemoved(bytes32 indexed code);

    /// @notice Registers a market (market admin).
    function registerMarket(bytes32 code, address feed, bytes3 currency, string calldata description) external;

    /// @notice Changes a registered market's feed, currency or description (market admin).
    function updateMarket(bytes32 code, address feed, bytes3 currency, string calldata description) external;

    /// @notice Removes a market (market admin).
    function removeMarket(bytes32 code) external;

    /// @notice A registered market; reverts for an unknown code.
    function getMarket(bytes32 code) external view returns (Market memory);

    /// @notice The feed of a market; reverts for an unknown code.
    function feedOf(bytes32 code) external view returns (address);

    /// @notice Every registered market code, in registration order (removals swap the last in).
    function marketCodes() external view returns (bytes32[] memory);
}
