// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDocumentRegistry
/// @notice Contract-hash registry: anchors digests of business documents (fund contracts,
/// repo agreements, verification reports...) as evidence, collects the EIP-712 / EIP-1271
/// signatures of the parties, keeps a revocation and version history that is never
/// overwritten, and anchors Merkle roots of large batches (OpenZeppelin StandardMerkleTree
/// leaves: keccak256(bytes.concat(keccak256(abi.encode(digest))))).
/// @dev Functions take the algorithm as a plain `uint8` (the enum's ABI type) so that an
/// out-of-range value is rejected with DocumentRegistryUnsupportedAlgorithm rather than an
/// anonymous ABI-decoding revert.
/// Records belong to their anchorer: they are keyed by
/// `recordId = keccak256(abi.encode(anchorer, digest, algorithm))`, so each account may anchor a digest
/// once per hash algorithm and nobody else's record can block or control its own. Batches are keyed by
/// `batchId = keccak256(abi.encode(anchorer, root))`. Every record of a digest is found through the
/// DocumentAnchored event (indexed by digest, algorithm and anchorer). No document content goes on chain.
interface IDocumentRegistry {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Hash algorithm that produced a digest (SM3 is the Chinese national standard GB/T 32905).
    enum HashAlgorithm {
        None,
        SHA256,
        KECCAK256,
        SM3
    }

    /// @notice Lifecycle of a record: Registered -> FullySigned; either may end Revoked or Superseded.
    enum Status {
        None,
        Registered,
        FullySigned,
        Revoked,
        Superseded
    }

    /// @notice Everything the registry knows about one anchored document.
    struct RecordView {
        bytes32 digest;
        HashAlgorithm algorithm;
        Status status;
        address anchorer;
        uint64 anchoredAt;
        uint8 requiredSigners;
        uint8 signedCount;
        // revocation / supersession (zero while the record is live)
        address closedBy;
        uint64 closedAt;
        uint16 reason;
        // version chain (zero digest where there is no neighbour)
        bytes32 previousDigest;
        HashAlgorithm previousAlgorithm;
        bytes32 nextDigest;
        HashAlgorithm nextAlgorithm;
    }

    /// @notice One required signer and when it signed (0 = not yet).
    struct SignatureView {
        address signer;
        uint64 signedAt;
    }

    /// @notice An anchored Merkle root of a batch of digests.
    struct BatchView {
        address anchorer;
        uint64 anchoredAt;
        HashAlgorithm algorithm;
        uint32 leafCount;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @dev The digest (or Merkle root) is zero.
    error DocumentRegistryZeroDigest();
    /// @dev The hash algorithm is `None` or outside the enum.
    error DocumentRegistryUnsupportedAlgorithm(uint8 algorithm);
    /// @dev The sender already anchored this digest with this algorithm.
    error DocumentRegistryAlreadyAnchored(bytes32 digest, uint8 algorithm);
    /// @dev This anchorer has no record of this digest and algorithm.
    error DocumentRegistryUnknownRecord(address anchorer, bytes32 digest, uint8 algorithm);
    /// @dev More required signers than the registry allows.
    error DocumentRegistryTooManySigners(uint256 count, uint256 max);
    /// @dev A required signer is the zero address.
    error DocumentRegistryZeroSigner();
    /// @dev The same signer appears twice in the list.
    error DocumentRegistryDuplicateSigner(address signer);
    /// @dev The account is not one of the record's required signers.
    error DocumentRegistryNotRequiredSigner(bytes32 digest, address signer);
    /// @dev The signer has already signed this record.
    error DocumentRegistryAlreadySigned(bytes32 digest, address signer);
    /// @dev The relayed signature is not a valid EIP-712 (or EIP-1271) signature of the signer.
    error DocumentRegistryInvalidSignature(bytes32 digest, address signer);
    /// @dev The record was revoked.
    error DocumentRegistryRecordRevoked(bytes32 digest);
    /// @dev The record was superseded by a newer version.
    error DocumentRegistryRecordSuperseded(bytes32 digest, bytes32 nextDigest);
    /// @dev Only the anchoring account (or, for revocations, a registry admin) may do this.
    error DocumentRegistryUnauthorized(bytes32 digest, address caller);
    /// @dev A revocation or supersession needs a non-zero reason code.
    error DocumentRegistryZeroReason();
    /// @dev A batch must contain at least one digest.
    error DocumentRegistryEmptyBatch();
    /// @dev The sender already anchored this Merkle root.
    error DocumentRegistryBatchAlreadyAnchored(bytes32 root);
    /// @dev This anchorer anchored no batch with this Merkle root.
    error DocumentRegistryUnknownBatch(address anchorer, bytes32 root);
    /// @dev The proof does not place the digest under the root.
    error DocumentRegistryInvalidProof(bytes32 root, bytes32 digest);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A document digest was anchored, with the signers it requires; `metadata` (a digest of
    /// the off-chain metadata document, or zero) is recorded here only.
    event DocumentAnchored(
        bytes32 indexed digest,
        HashAlgorithm indexed algorithm,
        address indexed anchorer,
        bytes32 metadata,
        address[] signers
    );
    /// @dev A required signer signed `anchorer`'s record (`relayer` sent the transaction; equal to the
    /// signer when it signed itself).
    event DocumentSigned(
        bytes32 indexed digest, address indexed anchorer, address indexed signer, HashAlgorithm algorithm, address relayer
    );
    /// @dev The last required signer signed `anchorer`'s record.
    event DocumentFullySigned(bytes32 indexed digest, HashAlgorithm indexed algorithm, address indexed anchorer);
    /// @dev `anchorer`'s record was revoked (`by` is the anchorer or a registry admin).
    event DocumentRevoked(
        bytes32 indexed digest, HashAlgorithm indexed algorithm, address indexed anchorer, address by, uint16 reason
    );
    /// @dev `anchorer` replaced its record by a new version (also its own).
    event DocumentSuperseded(
        bytes32 indexed digest,
        HashAlgorithm indexed algorithm,
        bytes32 indexed nextDigest,
        HashAlgorithm nextAlgorithm,
        address by, // the anchorer: only it supersedes its record
        uint16 reason
    );
    /// @dev A Merkle root of `leafCount` digests was anchored; `metadata` is recorded here only.
    event BatchAnchored(
        bytes32 indexed root, HashAlgorithm indexed algorithm, address indexed anchorer, uint32 leafCount, bytes32 metadata
    );

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @notice Anchors `digest` (made with `algorithm`) as the sender's record and names the accounts that must sign it.
    function anchor(bytes32 digest, uint8 algorithm, bytes32 metadata, address[] calldata signers) external;

    /// @notice The caller, a required signer, signs `anchorer`'s record itself.
    function sign(address anchorer, bytes32 digest, uint8 algorithm) external;

    /// @notice Relays `signer`'s EIP-712 signature (or EIP-1271 approval) of `anchorer`'s record.
    function signFor(address anchorer, bytes32 digest, uint8 algorithm, address signer, bytes calldata signature)
        external;

    /// @notice Revokes `anchorer`'s live record (the anchorer itself, or a registry admin).
    function revoke(address anchorer, bytes32 digest, uint8 algorithm, uint16 reason) external;

    /// @notice The sender anchors a new version of its own live record and marks the old one
    /// superseded, linking both ways (the new record is the sender's too).
    function supersede(
        bytes32 digest,
        uint8 algorithm,
        bytes32 newDigest,
        uint8 newAlgorithm,
        bytes32 metadata,
        address[] calldata signers,
        uint16 reason
    ) external;

    /// @notice Anchors the Merkle root of a batch of `leafCount` digests made with `algorithm`.
    function anchorBatch(bytes32 root, uint8 algorithm, uint32 leafCount, bytes32 metadata) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The record key of `anchorer`'s record of a digest and algorithm.
    function recordId(address anchorer, bytes32 digest, uint8 algorithm) external pure returns (bytes32);

    /// @notice The batch key of `anchorer`'s Merkle root.
    function batchId(address anchorer, bytes32 root) external pure returns (bytes32);

    /// @notice Whether `anchorer` anchored this digest with this algorithm.
    function isAnchored(address anchorer, bytes32 digest, uint8 algorithm) external view returns (bool);

    /// @notice Whether `anchorer`'s record is live and fully signed, and every one of `parties` is among
    /// its required signers; false for an unknown record. The one-call check for other contracts.
    function isFullySignedBy(address anchorer, bytes32 digest, uint8 algorithm, address[] calldata parties)
        external
        view
        returns (bool);

    /// @notice `anchorer`'s full record; reverts for an unknown record.
    function getRecord(address anchorer, bytes32 digest, uint8 algorithm) external view returns (RecordView memory);

    /// @notice The required signers in the order given at anchoring, with when each signed.
    function getSignatures(address anchorer, bytes32 digest, uint8 algorithm)
        external
        view
        returns (SignatureView[] memory);

    /// @notice The EIP-712 hash `signer` signs to approve `anchorer`'s record of this digest and algorithm.
    function signingHash(address anchorer, bytes32 digest, uint8 algorithm, address signer)
        external
        view
        returns (bytes32);

    /// @notice `anchorer`'s batch for a root; reverts for an unknown one.
    function getBatch(address anchorer, bytes32 root) external view returns (BatchView memory);

    /// @notice Checks a StandardMerkleTree proof of `digest` under `anchorer`'s root; reverts with
    /// UnknownBatch or InvalidProof, and returns the batch when the proof holds.
    function verifyBatchMember(address anchorer, bytes32 root, bytes32 digest, bytes32[] calldata proof)
        external
        view
        returns (BatchView memory);
}
