// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title OperatorSet
/// @notice A feed's operators frozen in the code of a data contract (the SSTORE2 pattern of
/// solmate/solady): the addresses are the contract's runtime code after a leading STOP byte, so a
/// feed reads its whole operator set with one EXTCODECOPY (one cold account access, no call and
/// no ABI decoding) instead of one storage read per signer. CarbonPriceFeed writes a new set each
/// time an operator is granted or revoked (rare, admin-paid) and keeps OPERATOR_ROLE as the source
/// of truth. The set is kept in ascending address order (a bundle's signers, also ascending, are
/// then found in one forward walk); index i of `read` is the operator's bit in round bitmaps.
library OperatorSet {
    /// @notice Most operators a set may hold (odd quorums up to 9 of 9).
    uint256 internal constant MAX_OPERATORS = 9;

    /// @dev More than MAX_OPERATORS addresses.
    error OperatorSetTooLarge(uint256 count);
    /// @dev The data contract could not be created.
    error OperatorSetWriteFailed();

    /// @notice Stores `ops` in ascending address order in a new data contract and returns its address.
    function write(address[] memory ops) internal returns (address pointer) {
        uint256 n = ops.length;
        if (n > MAX_OPERATORS) revert OperatorSetTooLarge(n);
        address[] memory sorted = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            address op = ops[i];
            uint256 j = i;
            for (; j > 0 && sorted[j - 1] > op; --j) {
                sorted[j] = sorted[j - 1];
            }
            sorted[j] = op;
        }
        bytes memory data = new bytes(n * 20);
        for (uint256 i = 0; i < n; ++i) {
            address op = sorted[i];
            assembly ("memory-safe") {
                mstore(add(add(data, 0x20), mul(i, 20)), shl(96, op))
            }
        }
        // Init code: copy the code after these 11 bytes to memory and return it as runtime code
        // (PUSH1 0x0B MSIZE DUP2 CODESIZE SUB DUP1 SWAP3 MSIZE CODECOPY RETURN), then STOP + data.
        bytes memory init = abi.encodePacked(hex"600B5981380380925939F3", hex"00", data);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        if (pointer == address(0)) revert OperatorSetWriteFailed();
    }

    /// @notice The operators stored at `pointer`, in bit-index order (empty for address 0).
    function read(address pointer) internal view returns (address[] memory ops) {
        assembly ("memory-safe") {
            let size := extcodesize(pointer)
            let n := 0
            if size { n := div(sub(size, 1), 20) }
            ops := mload(0x40)
            mstore(ops, n)
            let out := add(ops, 0x20)
            // Copy the packed addresses past the array's words, then unpack them in place.
            let raw := add(out, shl(5, n))
            extcodecopy(pointer, raw, 1, mul(n, 20))
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(add(out, shl(5, i)), shr(96, mload(add(raw, mul(i, 20)))))
            }
            mstore(0x40, add(out, shl(5, n)))
        }
    }
}
