// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IFundProductRegistry} from "@carbonchain/interfaces/IFundProductRegistry.sol";

/// @title FundProductRegistry
/// @notice Private-fund products: terms fixed at registration, open/closed flag the only change.
contract FundProductRegistry is IFundProductRegistry, AccessControlDefaultAdminRules {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice May register products (and then manages them).
    bytes32 public constant MANAGER_ROLE = keccak256("MANAGER_ROLE");

    /// @notice The regulatory minimum of one subscription: 1,000,000 CNY in fen.
    uint256 public constant MIN_SUBSCRIPTION_FEN = 100_000_000;

    /// @notice The shortest cooling-off the rules allow: 24 hours.
    uint32 public constant MIN_COOLING_OFF = 24 hours;

    /// @notice The longest cooling-off accepted (catches milliseconds passed for seconds).
    uint32 public constant MAX_COOLING_OFF = 30 days;

    uint8 private constant _MAX_ALGORITHM = 3; // SM3 in IDocumentRegistry.HashAlgorithm
    uint8 private constant _MAX_RISK = 5;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(bytes32 code => Product) private _products;
    bytes32[] private _codes;

    /// @param adminDelay Delay of a default-admin transfer (OpenZeppelin DefaultAdminRules); never 0 outside local chains.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants MANAGER_ROLE).
    constructor(uint48 adminDelay, address admin) AccessControlDefaultAdminRules(adminDelay, admin) {}

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IFundProductRegistry
    function registerProduct(
        bytes32 code,
        uint8 riskLevel,
        uint256 minimumFen,
        address custodian,
        bytes32 templateDigest,
        uint8 templateAlgorithm,
        uint32 coolingOff,
        bool open
    ) external onlyRole(MANAGER_ROLE) {
        if (code == bytes32(0)) revert FundProductRegistryZeroCode();
        if (_products[code].manager != address(0)) revert FundProductRegistryAlreadyRegistered(code);
        if (riskLevel == 0 || riskLevel > _MAX_RISK) revert FundProductRegistryInvalidRiskLevel(riskLevel);
        if (minimumFen < MIN_SUBSCRIPTION_FEN) revert FundProductRegistryMinimumTooLow(minimumFen, MIN_SUBSCRIPTION_FEN);
        if (custodian == address(0) || custodian == msg.sender) revert FundProductRegistryInvalidCustodian(custodian);
        if (templateDigest == bytes32(0)) revert FundProductRegistryZeroTemplate();
        if (templateAlgorithm == 0 || templateAlgorithm > _MAX_ALGORITHM) {
            revert FundProductRegistryUnsupportedAlgorithm(templateAlgorithm);
        }
        if (coolingOff < MIN_COOLING_OFF || coolingOff > MAX_COOLING_OFF) {
            revert FundProductRegistryInvalidCoolingOff(coolingOff);
        }
        _products[code] = Product({
            manager: msg.sender,
            riskLevel: riskLevel,
            open: open,
            templateAlgorithm: templateAlgorithm,
            registeredAt: uint40(block.timestamp),
            coolingOff: coolingOff,
            custodian: custodian,
            minimumFen: minimumFen,
            templateDigest: templateDigest
        });
        _codes.push(code);
        emit ProductRegistered(
            code, msg.sender, custodian, riskLevel, minimumFen, coolingOff, templateDigest, templateAlgorithm, open
        );
    }

    /// @inheritdoc IFundProductRegistry
    function setOpen(bytes32 code, bool open) external {
        Product storage p = _existing(code);
        if (!_isManager(p, msg.sender)) revert FundProductRegistryNotManager(code, msg.sender);
        if (p.open == open) revert FundProductRegistryUnchanged(code, open);
        p.open = open;
        emit ProductOpenChanged(code, open, msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IFundProductRegistry
    function product(bytes32 code) external view returns (Product memory) {
        return _existing(code);
    }

    /// @inheritdoc IFundProductRegistry
    function isManager(bytes32 code, address account) external view returns (bool) {
        return _isManager(_products[code], account);
    }

    /// @inheritdoc IFundProductRegistry
    function productCodes() external view returns (bytes32[] memory) {
        return _codes;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _existing(bytes32 code) private view returns (Product storage p) {
        p = _products[code];
        if (p.manager == address(0)) revert FundProductRegistryUnknownProduct(code);
    }

    function _isManager(Product storage p, address account) private view returns (bool) {
        return account != address(0) && p.manager == account && hasRole(MANAGER_ROLE, account);
    }
}
