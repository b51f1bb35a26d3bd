// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title OperatorSet
/// @notice A feed's operators and price bounds frozen in the code of a data contract (the SSTORE2
/// pattern of solmate/solady): the runtime code is a STOP byte, the bounds (two 48-bit prices) and
/// the operators' addresses, so the publishing path reads all of them with one EXTCODECOPY (one
/// cold account access, no call, no ABI decoding) instead of a storage read per signer.
/// CarbonPriceFeed writes a new set when an operator is granted or revoked or the bounds change
/// (rare, admin-paid) and keeps OPERATOR_ROLE as the source of truth. Operators are stored in
/// ascending address order (a bundle's signers, also ascending, are found in one forward walk);
/// index i of `read` is the operator's bit in round bitmaps.
library OperatorSet {
    /// @notice Most operators a set may hold (odd quorums up to 9 of 9).
    uint256 internal constant MAX_OPERATORS = 9;
    /// @dev STOP byte + two 6-byte bounds before the addresses.
    uint256 private constant _HEADER = 13;

    /// @dev More than MAX_OPERATORS addresses.
    error OperatorSetTooLarge(uint256 count);
    /// @dev A bound does not fit 48 bits (the feed checks bounds first: unreachable through it).
    error OperatorSetBoundsTooLarge(int256 minPrice, int256 maxPrice);
    /// @dev The data contract could not be created.
    error OperatorSetWriteFailed();

    /// @notice Stores the bounds and `ops` (in ascending address order) in a new data contract and
    /// returns its address.
    function write(address[] memory ops, int256 minPrice, int256 maxPrice) internal returns (address pointer) {
        uint256 n = ops.length;
        if (n > MAX_OPERATORS) revert OperatorSetTooLarge(n);
        if (minPrice < 0 || maxPrice < 0 || minPrice > type(int48).max || maxPrice > type(int48).max) {
            revert OperatorSetBoundsTooLarge(minPrice, maxPrice);
        }
        address[] memory sorted = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            address op = ops[i];
            uint256 j = i;
            for (; j > 0 && sorted[j - 1] > op; --j) {
                sorted[j] = sorted[j - 1];
            }
            sorted[j] = op;
        }
        bytes memory data = abi.encodePacked(uint48(uint256(minPrice)), uint48(uint256(maxPrice)), sorted);
        // abi.encodePacked pads array elements to 32 bytes: repack the addresses to 20 bytes each.
        for (uint256 i = 0; i < n; ++i) {
            address op = sorted[i];
            assembly ("memory-safe") {
                mstore(add(add(data, 0x2c), mul(i, 20)), shl(96, op))
            }
        }
        assembly ("memory-safe") {
            mstore(data, add(12, mul(n, 20)))
        }
        // Init code: copy the code after these 11 bytes to memory and return it as runtime code
        // (PUSH1 0x0B MSIZE DUP2 CODESIZE SUB DUP1 SWAP3 MSIZE CODECOPY RETURN), then STOP + data.
        bytes memory init = abi.encodePacked(hex"600B5981380380925939F3", hex"00", data);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        if (pointer == address(0)) revert OperatorSetWriteFailed();
    }

    /// @notice The operators and bounds stored at `pointer`, the operators left packed: `packed`
    /// points to a word holding their count, followed by their 20-byte addresses (ascending).
    function readPacked(address pointer) internal view returns (uint256 packed, int256 minPrice, int256 maxPrice) {
        assembly ("memory-safe") {
            let size := extcodesize(pointer)
            let n := 0
            if gt(size, _HEADER) { n := div(sub(size, _HEADER), 20) }
            packed := mload(0x40)
            // the bounds land in the count word's last 12 bytes, the addresses after that word
            let raw := add(packed, 0x14)
            mstore(packed, 0)
            mstore(add(packed, 0x20), 0)
            if size { extcodecopy(pointer, raw, 1, sub(size, 1)) }
            let bounds := mload(raw)
            minPrice := shr(208, bounds)
            maxPrice := and(shr(160, bounds), 0xffffffffffff)
            mstore(packed, n) // then the count over them
            mstore(0x40, add(add(packed, 0x20), and(add(mul(n, 20), 31), not(31))))
        }
    }

    /// @notice The operators (in bit-index order) and the bounds stored at `pointer`.
    function read(address pointer) internal view returns (address[] memory ops, int256 minPrice, int256 maxPrice) {
        uint256 packed;
        (packed, minPrice, maxPrice) = readPacked(pointer);
        assembly ("memory-safe") {
            let n := mload(packed)
            let raw := add(packed, 0x20)
            ops := mload(0x40)
            mstore(ops, n)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(add(ops, shl(5, add(i, 1))), shr(96, mload(add(raw, mul(i, 20)))))
            }
            mstore(0x40, add(ops, shl(5, add(n, 1))))
        }
    }
}
