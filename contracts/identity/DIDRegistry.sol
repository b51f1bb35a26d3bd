// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDIDRegistry} from "@carbonchain/interfaces/IDIDRegistry.sol";

/// @title DIDRegistry
/// @notice ERC-1056 identity registry for did:ethr, written from the standard. Differences from the
/// reference deployment are limited to the rejections: named custom errors instead of revert
/// strings, and an all-zero signature recovery is never accepted as the owner's.
/// @dev No roles by design: every identity controls itself; the owner check is per identity.
/// Signed calls hash keccak256(0x19, 0x00, this, nonce[identityOwner(identity)], identity, action, args).
contract DIDRegistry is IDIDRegistry {
    /// @inheritdoc IDIDRegistry
    mapping(address identity => address) public owners;
    /// @inheritdoc IDIDRegistry
    mapping(address identity => mapping(bytes32 delegateTypeHash => mapping(address delegate => uint256))) public
        delegates;
    /// @inheritdoc IDIDRegistry
    mapping(address identity => uint256) public changed;
    /// @inheritdoc IDIDRegistry
    mapping(address owner => uint256) public nonce;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDIDRegistry
    function identityOwner(address identity) public view returns (address) {
        address owner = owners[identity];
        return owner == address(0) ? identity : owner;
    }

    /// @inheritdoc IDIDRegistry
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool) {
        return delegates[identity][keccak256(abi.encode(delegateType))][delegate] > block.timestamp;
    }

    /*//////////////////////////////////////////////////////////////
                                 OWNER
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDIDRegistry
    function changeOwner(address identity, address newOwner) external onlyOwner(identity) {
        // Written out rather than calling _changeOwner: the saved internal jump keeps this call at or
        // below the reference registry's gas.
        owners[identity] = newOwner;
        emit DIDOwnerChanged(identity, newOwner, changed[identity]);
        changed[identity] = block.number;
    }

    /// @inheritdoc IDIDRegistry
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external {
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), nonce[identityOwner(identity)], identity, "changeOwner", newOwner)
        );
        _signer(identity, sigV, sigR, sigS, hash);
        _changeOwner(identity, newOwner);
    }

    /*//////////////////////////////////////////////////////////////
                               DELEGATES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDIDRegistry
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity)
        external
        onlyOwner(identity)
    {
        _addDelegate(identity, delegateType, delegate, validity);
    }

    /// @inheritdoc IDIDRegistry
    function addDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate,
        uint256 validity
    ) external {
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), nonce[identityOwner(identity)], identity, "addDelegate", delegateType, delegate, validity)
        );
        _signer(identity, sigV, sigR, sigS, hash);
        _addDelegate(identity, delegateType, delegate, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external onlyOwner(identity) {
        _revokeDelegate(identity, delegateType, delegate);
    }

    /// @inheritdoc IDIDRegistry
    function revokeDelegateSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 delegateType,
        address delegate
    ) external {
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), nonce[identityOwner(identity)], identity, "revokeDelegate", delegateType, delegate)
        );
        _signer(identity, sigV, sigR, sigS, hash);
        _revokeDelegate(identity, delegateType, delegate);
    }

    /*//////////////////////////////////////////////////////////////
                               ATTRIBUTES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDIDRegistry
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity)
        external
        onlyOwner(identity)
    {
        _setAttribute(identity, name, value, validity);
    }

    /// @inheritdoc IDIDRegistry
    function setAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value,
        uint256 validity
    ) external {
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), nonce[identityOwner(identity)], identity, "setAttribute", name, value, validity)
        );
        _signer(identity, sigV, sigR, sigS, hash);
        _setAttribute(identity, name, value, validity);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external onlyOwner(identity) {
        _revokeAttribute(identity, name, value);
    }

    /// @inheritdoc IDIDRegistry
    function revokeAttributeSigned(
        address identity,
        uint8 sigV,
        bytes32 sigR,
        bytes32 sigS,
        bytes32 name,
        bytes calldata value
    ) external {
        bytes32 hash = keccak256(
            abi.encodePacked(bytes1(0x19), bytes1(0x00), address(this), nonce[identityOwner(identity)], identity, "revokeAttribute", name, value)
        );
        _signer(identity, sigV, sigR, sigS, hash);
        _revokeAttribute(identity, name, value);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Only the identity's owner may send the unsigned calls.
    modifier onlyOwner(address identity) {
        if (msg.sender != identityOwner(identity)) revert DIDRegistryBadActor(identity, msg.sender);
        _;
    }

    /// @dev Checks that the owner signed `hash` and consumes the owner's nonce.
    function _signer(address identity, uint8 v, bytes32 r, bytes32 s, bytes32 hash) private {
        address signer = ecrecover(hash, v, r, s);
        if (signer != identityOwner(identity) || signer == address(0)) revert DIDRegistryBadSignature(identity, signer);
        ++nonce[signer];
    }

    function _changeOwner(address identity, address newOwner) private {
        owners[identity] = newOwner;
        emit DIDOwnerChanged(identity, newOwner, changed[identity]);
        changed[identity] = block.number;
    }

    function _addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) private {
        uint256 validTo = block.timestamp + validity;
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = validTo;
        emit DIDDelegateChanged(identity, delegateType, delegate, validTo, changed[identity]);
        changed[identity] = block.number;
    }

    function _revokeDelegate(address identity, bytes32 delegateType, address delegate) private {
        delegates[identity][keccak256(abi.encode(delegateType))][delegate] = block.timestamp;
        emit DIDDelegateChanged(identity, delegateType, delegate, block.timestamp, changed[identity]);
        changed[identity] = block.number;
    }

    function _setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) private {
        emit DIDAttributeChanged(identity, name, value, block.timestamp + validity, changed[identity]);
        changed[identity] = block.number;
    }

    function _revokeAttribute(address identity, bytes32 name, bytes calldata value) private {
        emit DIDAttributeChanged(identity, name, value, 0, changed[identity]);
        changed[identity] = block.number;
    }
}
