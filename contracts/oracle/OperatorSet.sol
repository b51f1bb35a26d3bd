// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title OperatorSet
/// @notice A feed's operators frozen in code: the addresses are immutables, so a feed reads its
/// whole operator set with one call (one cold account access) instead of one storage read per
/// signer. CarbonPriceFeed deploys a new OperatorSet each time an operator is granted or revoked
/// (rare, admin-paid) and keeps OPERATOR_ROLE as the source of truth.
/// @dev At most MAX_OPERATORS addresses; index i of `list()` is the operator's bit in round bitmaps.
contract OperatorSet {
    /// @notice Most operators a feed may have (odd quorums up to 9 of 9).
    uint256 public constant MAX_OPERATORS = 9;

    /// @dev More than MAX_OPERATORS addresses.
    error OperatorSetTooLarge(uint256 count);

    uint256 private immutable _count;
    address private immutable _o0;
    address private immutable _o1;
    address private immutable _o2;
    address private immutable _o3;
    address private immutable _o4;
    address private immutable _o5;
    address private immutable _o6;
    address private immutable _o7;
    address private immutable _o8;

    /// @param ops The operators, in bit-index order.
    constructor(address[] memory ops) {
        uint256 n = ops.length;
        if (n > MAX_OPERATORS) revert OperatorSetTooLarge(n);
        address[] memory a = new address[](MAX_OPERATORS);
        for (uint256 i = 0; i < n; ++i) {
            a[i] = ops[i];
        }
        _count = n;
        (_o0, _o1, _o2, _o3, _o4, _o5, _o6, _o7, _o8) = (a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    }

    /// @notice The operators, in bit-index order.
    function list() external view returns (address[] memory ops) {
        address[MAX_OPERATORS] memory all = [_o0, _o1, _o2, _o3, _o4, _o5, _o6, _o7, _o8];
        uint256 n = _count;
        ops = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            ops[i] = all[i];
        }
    }
}
