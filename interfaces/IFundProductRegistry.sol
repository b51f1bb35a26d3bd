// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IFundProductRegistry
/// @notice Private-fund products a manager offers: code, risk level R1-R5, minimum subscription
/// (CNY fen, never below the regulatory 1,000,000 CNY), custodian bank, digest of the fund-contract
/// template, cooling-off period (never shorter than 24 hours) and whether it is open for subscription.
/// @dev A product's terms never change once registered; only its open/closed flag does. Closing a
/// product stops new subscriptions; subscriptions already opened continue.
interface IFundProductRegistry {
    /// @notice A registered product. Risk level 1..5 means R1..R5; `templateAlgorithm` uses the
    /// DocumentRegistry's HashAlgorithm numbering (1 SHA-256, 2 Keccak-256, 3 SM3).
    struct Product {
        address manager; // the registering manager; runs the sale
        uint8 riskLevel;
        bool open;
        uint8 templateAlgorithm;
        uint40 registeredAt;
        uint32 coolingOff; // seconds from payment during which the investor may withdraw
        address custodian; // confirms payments and refunds, signs every fund contract
        uint256 minimumFen;
        bytes32 templateDigest;
    }

    /// @notice The product code is zero.
    error FundProductRegistryZeroCode();
    /// @notice A product with this code is already registered.
    error FundProductRegistryAlreadyRegistered(bytes32 code);
    /// @notice No product is registered under this code.
    error FundProductRegistryUnknownProduct(bytes32 code);
    /// @notice The risk level must be 1 (R1) to 5 (R5).
    error FundProductRegistryInvalidRiskLevel(uint8 riskLevel);
    /// @notice The minimum subscription is below the regulatory floor (1,000,000 CNY, in fen).
    error FundProductRegistryMinimumTooLow(uint256 minimumFen, uint256 floorFen);
    /// @notice The custodian must be a non-zero account other than the manager.
    error FundProductRegistryInvalidCustodian(address custodian);
    /// @notice The contract template digest is zero.
    error FundProductRegistryZeroTemplate();
    /// @notice The hash algorithm is not 1 (SHA-256), 2 (Keccak-256) or 3 (SM3).
    error FundProductRegistryUnsupportedAlgorithm(uint8 algorithm);
    /// @notice The cooling-off period must be between 24 hours and 30 days (seconds).
    error FundProductRegistryInvalidCoolingOff(uint32 coolingOff);
    /// @notice Only the product's manager (still holding the manager role) may do this.
    error FundProductRegistryNotManager(bytes32 code, address caller);
    /// @notice The product is already in the requested open/closed state.
    error FundProductRegistryUnchanged(bytes32 code, bool open);

    /// @notice A manager registered a product (closed until opened unless `open` is set).
    event ProductRegistered(
        bytes32 indexed code,
        address indexed manager,
        address indexed custodian,
        uint8 riskLevel,
        uint256 minimumFen,
        uint32 coolingOff,
        bytes32 templateDigest,
        uint8 templateAlgorithm,
        bool open
    );
    /// @notice The product was opened or closed for new subscriptions.
    event ProductOpenChanged(bytes32 indexed code, bool open, address indexed by);

    /// @notice Registers a product; the caller (manager role) becomes its manager.
    function registerProduct(
        bytes32 code,
        uint8 riskLevel,
        uint256 minimumFen,
        address custodian,
        bytes32 templateDigest,
        uint8 templateAlgorithm,
        uint32 coolingOff,
        bool open
    ) external;

    /// @notice Opens or closes the product for new subscriptions (its manager).
    function setOpen(bytes32 code, bool open) external;

    /// @notice The product; reverts for an unknown code.
    function product(bytes32 code) external view returns (Product memory);

    /// @notice Whether `account` is the product's manager and still holds the manager role.
    function isManager(bytes32 code, address account) external view returns (bool);

    /// @notice Every registered product code, in registration order.
    function productCodes() external view returns (bytes32[] memory);
}
