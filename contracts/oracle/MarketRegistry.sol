// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ICarbonPriceFeed} from "@carbonchain/interfaces/ICarbonPriceFeed.sol";
import {IMarketRegistry} from "@carbonchain/interfaces/IMarketRegistry.sol";

/// @title MarketRegistry
/// @notice The list of carbon markets and their Chainlink-compatible feeds.
contract MarketRegistry is IMarketRegistry, AccessControlDefaultAdminRules {
    /// @notice May register, update and remove markets.
    bytes32 public constant MARKET_ADMIN_ROLE = keccak256("MARKET_ADMIN_ROLE");

    mapping(bytes32 code => Market) private _markets;
    mapping(bytes32 code => uint256) private _position; // index + 1 in _codes
    bytes32[] private _codes;

    /// @param adminDelay Delay of a default-admin transfer (seconds; never 0 outside local chains).
    /// @param admin Receives DEFAULT_ADMIN_ROLE (two-step, delayed transfer).
    /// @param marketAdmin Receives MARKET_ADMIN_ROLE.
    constructor(uint48 adminDelay, address admin, address marketAdmin) AccessControlDefaultAdminRules(adminDelay, admin) {
        _grantRole(MARKET_ADMIN_ROLE, marketAdmin);
    }

    /// @inheritdoc IMarketRegistry
    function registerMarket(bytes32 code, address feed, bytes3 currency, string calldata description)
        external
        onlyRole(MARKET_ADMIN_ROLE)
    {
        if (_position[code] != 0) revert MarketRegistryMarketExists(code);
        _check(code, feed, currency);
        _markets[code] = Market({code: code, feed: feed, currency: currency, description: description});
        _codes.push(code);
        _position[code] = _codes.length;
        emit MarketRegistered(code, feed, currency, description);
    }

    /// @inheritdoc IMarketRegistry
    function updateMarket(bytes32 code, address feed, bytes3 currency, string calldata description)
        external
        onlyRole(MARKET_ADMIN_ROLE)
    {
        if (_position[code] == 0) revert MarketRegistryUnknownMarket(code);
        _check(code, feed, currency);
        _markets[code] = Market({code: code, feed: feed, currency: currency, description: description});
        emit MarketUpdated(code, feed, currency, description);
    }

    /// @inheritdoc IMarketRegistry
    function removeMarket(bytes32 code) external onlyRole(MARKET_ADMIN_ROLE) {
        uint256 pos = _position[code];
        if (pos == 0) revert MarketRegistryUnknownMarket(code);
        bytes32 last = _codes[_codes.length - 1];
        _codes[pos - 1] = last;
        _position[last] = pos;
        _codes.pop();
        delete _position[code];
        delete _markets[code];
        emit MarketRemoved(code);
    }

    /// @inheritdoc IMarketRegistry
    function getMarket(bytes32 code) public view returns (Market memory) {
        if (_position[code] == 0) revert MarketRegistryUnknownMarket(code);
        return _markets[code];
    }

    /// @inheritdoc IMarketRegistry
    function feedOf(bytes32 code) external view returns (address) {
        return getMarket(code).feed;
    }

    /// @inheritdoc IMarketRegistry
    function marketCodes() external view returns (bytes32[] memory) {
        return _codes;
    }

    function _check(bytes32 code, address feed, bytes3 currency) private view {
        if (code == bytes32(0)) revert MarketRegistryZeroCode();
        if (feed == address(0)) revert MarketRegistryZeroFeed();
        if (currency == bytes3(0)) revert MarketRegistryZeroCurrency();
        bytes32 feedMarket = ICarbonPriceFeed(feed).market();
        if (feedMarket != code) revert MarketRegistryFeedMismatch(code, feedMarket);
    }
}
