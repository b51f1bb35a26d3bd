// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDIDRegistry
/// @notice The ERC-1056 ("Lightweight Identity") registry interface, function for function and event
/// for event, so that did:ethr tooling (ethr-did-resolver, wallets, universal resolvers) works
/// against a CarbonChain deployment unchanged. An identity is any address; it is its own owner
/// until it names another. Owners add delegates (typed, time-limited) and attributes (keys,
/// service endpoints) that live in events; `changed` links each identity's events into a chain
/// that resolvers walk backwards. Signed variants let anyone relay an owner's signature over
/// keccak256(0x19, 0x00, registry, nonce[owner], identity, "<action>", args...).
interface IDIDRegistry {
    /// @dev The caller (or the signer of a signed call) is not the identity's owner.
    error DIDRegistryBadActor(address identity, address actor);
    /// @dev The signature does not recover to the identity's owner.
    error DIDRegistryBadSignature(address identity, address signer);

    /// @dev The identity's owner changed.
    event DIDOwnerChanged(address indexed identity, address owner, uint256 previousChange);
    /// @dev A delegate was added (validTo in the future) or revoked (validTo = now).
    event DIDDelegateChanged(
        address indexed identity, bytes32 delegateType, address delegate, uint256 validTo, uint256 previousChange
    );
    /// @dev An attribute was set (validTo in the future) or revoked (validTo = 0).
    event DIDAttributeChanged(
        address indexed identity, bytes32 name, bytes value, uint256 validTo, uint256 previousChange
    );

    /// @notice The owner a changeOwner set, or zero.
    function owners(address identity) external view returns (address);
    /// @notice Until when `delegate` is valid for the identity and keccak256(delegateType).
    function delegates(address identity, bytes32 delegateTypeHash, address delegate) external view returns (uint256);
    /// @notice Block number of the identity's latest change (0: never changed).
    function changed(address identity) external view returns (uint256);
    /// @notice Signed-call nonce of an owner.
    function nonce(address owner) external view returns (uint256);

    /// @notice The identity's owner: the one set by changeOwner, or the identity itself.
    function identityOwner(address identity) external view returns (address);
    /// @notice Whether `delegate` is a valid delegate of `delegateType` for the identity now.
    function validDelegate(address identity, bytes32 delegateType, address delegate) external view returns (bool);

    /// @notice The owner hands the identity to `newOwner`.
    function changeOwner(address identity, address newOwner) external;
    /// @notice Relayed changeOwner, signed by the owner.
    function changeOwnerSigned(address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, address newOwner) external;
    /// @notice The owner adds a delegate of a type for `validity` seconds.
    function addDelegate(address identity, bytes32 delegateType, address delegate, uint256 validity) external;
    /// @notice Relayed addDelegate, signed by the owner.
    function addDelegateSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate, uint256 validity
    ) external;
    /// @notice The owner revokes a delegate now.
    function revokeDelegate(address identity, bytes32 delegateType, address delegate) external;
    /// @notice Relayed revokeDelegate, signed by the owner.
    function revokeDelegateSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 delegateType, address delegate
    ) external;
    /// @notice The owner publishes an attribute (in the event only) valid for `validity` seconds.
    function setAttribute(address identity, bytes32 name, bytes calldata value, uint256 validity) external;
    /// @notice Relayed setAttribute, signed by the owner.
    function setAttributeSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes calldata value, uint256 validity
    ) external;
    /// @notice The owner revokes an attribute.
    function revokeAttribute(address identity, bytes32 name, bytes calldata value) external;
    /// @notice Relayed revokeAttribute, signed by the owner.
    function revokeAttributeSigned(
        address identity, uint8 sigV, bytes32 sigR, bytes32 sigS, bytes32 name, bytes calldata value
    ) external;
}
