// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title TestSmartWallet
/// @notice Test fixture only (never deployed by scripts/deploy.py): a one-owner smart-contract
/// account, as an institution's multisig or smart wallet would be, that approves EIP-1271
/// signatures made by its owner key and can call other contracts.
contract TestSmartWallet is IERC1271 {
    /// @dev Only the owner may make the wallet call out.
    error TestSmartWalletNotOwner(address caller);

    /// @dev The wallet made a call.
    event Executed(address indexed target, bytes data);

    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice EIP-1271: the wallet approves `hash` when its owner signed it.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && recovered == owner ? this.isValidSignature.selector : bytes4(0);
    }

    /// @notice Calls `target` with `data` as the wallet (bubbles up reverts).
    function execute(address target, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != owner) revert TestSmartWalletNotOwner(msg.sender);
        bool ok;
        (ok, result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        emit Executed(target, data);
    }
}
