// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {IDocumentRegistry} from "@carbonchain/interfaces/IDocumentRegistry.sol";

/// @title DocumentRegistry
/// @notice The contract-hash registry: evidence of business documents for disputes and courts.
/// @dev Storage is laid out so that the common anchor writes one slot: the header packs the
/// anchoring account, time, algorithm, status, signature counters and version-link algorithms.
/// Signers, closure and version links each live in their own mapping and are written only when
/// used. The metadata digest is evidence, not state any rule reads: it is carried by the
/// DocumentAnchored / BatchAnchored event (part of the receipt, as immutable as storage) and
/// not stored, which saves a 22k-gas slot per document.
/// A record belongs to the account that anchored it: it is keyed by (anchorer, digest, algorithm),
/// and batches by (anchorer, root), so whoever anchors a digest first (a mempool watcher, a
/// counterparty holding the file) gets a record of its own and can neither block nor control the
/// real parties' record (security review, issue 8). Verifiers find every record of a digest through
/// the DocumentAnchored event (indexed by digest) and judge the one whose anchorer they expect.
/// Multicall (OpenZeppelin) lets a client anchor or sign several documents in one atomic
/// transaction: all of them, or none.
contract DocumentRegistry is IDocumentRegistry, AccessControlDefaultAdminRules, EIP712, Multicall {
    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice May revoke any record (besides its anchoring account).
    bytes32 public constant REGISTRY_ADMIN_ROLE = keccak256("REGISTRY_ADMIN_ROLE");

    /// @notice EIP-712 type of a signer's approval of one record: it names the record (anchorer, digest,
    /// algorithm) and the signer, so one signature never counts for another signer (an EIP-1271 wallet
    /// and its owner key) or another record; registry and chain are in the domain.
    bytes32 public constant SIGN_DOCUMENT_TYPEHASH =
        keccak256("SignDocument(address anchorer,bytes32 digest,uint8 algorithm,address signer)");

    /// @notice Most required signers one record may name.
    uint256 public constant MAX_SIGNERS = 32;

    uint8 private constant _MAX_ALGORITHM = uint8(type(HashAlgorithm).max);

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct Header {
        address anchorer; // 20 bytes
        uint40 anchoredAt; // 5
        HashAlgorithm algorithm; // 1
        Status status; // 1
        uint8 requiredSigners; // 1
        uint8 signedCount; // 1
        HashAlgorithm previousAlgorithm; // 1
        HashAlgorithm nextAlgorithm; // 1  => 31 bytes, one slot
    }

    struct Closure {
        address by;
        uint40 at;
        uint16 reason;
    }

    struct SignerSlot {
        address signer;
        uint40 signedAt;
    }

    struct Batch {
        address anchorer;
        uint40 anchoredAt;
        HashAlgorithm algorithm;
        uint32 leafCount;
    }

    mapping(bytes32 id => Header) private _headers;
    mapping(bytes32 id => mapping(uint256 index => SignerSlot)) private _signers;
    mapping(bytes32 id => Closure) private _closures;
    mapping(bytes32 id => bytes32) private _previousDigest;
    mapping(bytes32 id => bytes32) private _nextDigest;
    mapping(bytes32 batchId => Batch) private _batches;

    /// @param adminDelay Seconds a DEFAULT_ADMIN_ROLE transfer waits before it can be accepted.
    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants and revokes the other roles; two-step transfer).
    /// @param registryAdmin Receives REGISTRY_ADMIN_ROLE.
    constructor(uint48 adminDelay, address admin, address registryAdmin)
        AccessControlDefaultAdminRules(adminDelay, admin)
        EIP712("CarbonChain DocumentRegistry", "1")
    {
        _grantRole(REGISTRY_ADMIN_ROLE, registryAdmin);
    }

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDocumentRegistry
    function anchor(bytes32 digest, uint8 algorithm, bytes32 metadata, address[] calldata signers) external {
        _anchor(digest, algorithm, metadata, signers, bytes32(0), HashAlgorithm.None);
    }

    /// @inheritdoc IDocumentRegistry
    function sign(address anchorer, bytes32 digest, uint8 algorithm) external {
        _sign(anchorer, digest, algorithm, msg.sender);
    }

    /// @inheritdoc IDocumentRegistry
    function signFor(address anchorer, bytes32 digest, uint8 algorithm, address signer, bytes calldata signature)
        external
    {
        bytes32 hash = _signingHash(anchorer, digest, _checkAlgorithm(algorithm), signer);
        if (!SignatureChecker.isValidSignatureNow(signer, hash, signature)) {
            revert DocumentRegistryInvalidSignature(digest, signer);
        }
        _sign(anchorer, digest, algorithm, signer);
    }

    /// @inheritdoc IDocumentRegistry
    function revoke(address anchorer, bytes32 digest, uint8 algorithm, uint16 reason) external {
        bytes32 id = _closeLive(anchorer, digest, algorithm, reason, true);
        _headers[id].status = Status.Revoked;
        emit DocumentRevoked(digest, HashAlgorithm(algorithm), anchorer, msg.sender, reason);
    }

    /// @inheritdoc IDocumentRegistry
    function supersede(
        bytes32 digest,
        uint8 algorithm,
        bytes32 newDigest,
        uint8 newAlgorithm,
        bytes32 metadata,
        address[] calldata signers,
        uint16 reason
    ) external {
        _markSuperseded(digest, algorithm, newDigest, newAlgorithm, reason);
        _anchor(newDigest, newAlgorithm, metadata, signers, digest, HashAlgorithm(algorithm));
    }

    /// @inheritdoc IDocumentRegistry
    function anchorBatch(bytes32 root, uint8 algorithm, uint32 leafCount, bytes32 metadata) external {
        if (root == bytes32(0)) revert DocumentRegistryZeroDigest();
        HashAlgorithm alg = _checkAlgorithm(algorithm);
        if (leafCount == 0) revert DocumentRegistryEmptyBatch();
        bytes32 id = batchId(msg.sender, root);
        if (_batches[id].anchoredAt != 0) revert DocumentRegistryBatchAlreadyAnchored(root);
        _batches[id] =
            Batch({anchorer: msg.sender, anchoredAt: uint40(block.timestamp), algorithm: alg, leafCount: leafCount});
        emit BatchAnchored(root, alg, msg.sender, leafCount, metadata);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IDocumentRegistry
    function recordId(address anchorer, bytes32 digest, uint8 algorithm) public pure returns (bytes32) {
        return keccak256(abi.encode(anchorer, digest, algorithm));
    }

    /// @inheritdoc IDocumentRegistry
    function batchId(address anchorer, bytes32 root) public pure returns (bytes32) {
        return keccak256(abi.encode(anchorer, root));
    }

    /// @inheritdoc IDocumentRegistry
    function isAnchored(address anchorer, bytes32 digest, uint8 algorithm) external view returns (bool) {
        return _headers[recordId(anchorer, digest, algorithm)].status != Status.None;
    }

    /// @inheritdoc IDocumentRegistry
    function isFullySignedBy(address anchorer, bytes32 digest, uint8 algorithm, address[] calldata parties)
        external
        view
        returns (bool)
    {
        bytes32 id = recordId(anchorer, digest, algorithm);
        Header memory h = _headers[id];
        if (h.status != Status.FullySigned) return false;
        uint256 n = h.requiredSigners;
        for (uint256 p = 0; p < parties.length; ++p) {
            bool found;
            for (uint256 i = 0; i < n; ++i) {
                if (_signers[id][i].signer == parties[p]) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    /// @inheritdoc IDocumentRegistry
    function getRecord(address anchorer, bytes32 digest, uint8 algorithm) external view returns (RecordView memory r) {
        bytes32 id = _existing(anchorer, digest, algorithm);
        Header memory h = _headers[id];
        Closure memory c = _closures[id];
        r.digest = digest;
        r.algorithm = h.algorithm;
        r.status = h.status;
        r.anchorer = h.anchorer;
        r.anchoredAt = h.anchoredAt;
        r.requiredSigners = h.requiredSigners;
        r.signedCount = h.signedCount;
        r.closedBy = c.by;
        r.closedAt = c.at;
        r.reason = c.reason;
        r.previousDigest = _previousDigest[id];
        r.previousAlgorithm = h.previousAlgorithm;
        r.nextDigest = _nextDigest[id];
        r.nextAlgorithm = h.nextAlgorithm;
    }

    /// @inheritdoc IDocumentRegistry
    function getSignatures(address anchorer, bytes32 digest, uint8 algorithm)
        external
        view
        returns (SignatureView[] memory sigs)
    {
        bytes32 id = _existing(anchorer, digest, algorithm);
        uint256 n = _headers[id].requiredSigners;
        sigs = new SignatureView[](n);
        for (uint256 i = 0; i < n; ++i) {
            SignerSlot memory s = _signers[id][i];
            sigs[i] = SignatureView({signer: s.signer, signedAt: s.signedAt});
        }
    }

    /// @inheritdoc IDocumentRegistry
    function signingHash(address anchorer, bytes32 digest, uint8 algorithm, address signer)
        external
        view
        returns (bytes32)
    {
        return _signingHash(anchorer, digest, _checkAlgorithm(algorithm), signer);
    }

    /// @inheritdoc IDocumentRegistry
    function getBatch(address anchorer, bytes32 root) public view returns (BatchView memory) {
        Batch memory b = _batches[batchId(anchorer, root)];
        if (b.anchoredAt == 0) revert DocumentRegistryUnknownBatch(anchorer, root);
        return BatchView({
            anchorer: b.anchorer,
            anchoredAt: b.anchoredAt,
            algorithm: b.algorithm,
            leafCount: b.leafCount
        });
    }

    /// @inheritdoc IDocumentRegistry
    function verifyBatchMember(address anchorer, bytes32 root, bytes32 digest, bytes32[] calldata proof)
        external
        view
        returns (BatchView memory batch)
    {
        batch = getBatch(anchorer, root);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(digest))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert DocumentRegistryInvalidProof(root, digest);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _checkAlgorithm(uint8 algorithm) private pure returns (HashAlgorithm) {
        if (algorithm == 0 || algorithm > _MAX_ALGORITHM) revert DocumentRegistryUnsupportedAlgorithm(algorithm);
        return HashAlgorithm(algorithm);
    }

    function _existing(address anchorer, bytes32 digest, uint8 algorithm) private view returns (bytes32 id) {
        id = recordId(anchorer, digest, algorithm);
        if (_headers[id].status == Status.None) revert DocumentRegistryUnknownRecord(anchorer, digest, algorithm);
    }

    function _signingHash(address anchorer, bytes32 digest, HashAlgorithm algorithm, address signer)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(SIGN_DOCUMENT_TYPEHASH, anchorer, digest, uint8(algorithm), signer))
        );
    }

    /// @dev Rejects a record that was revoked or superseded.
    function _requireLive(bytes32 id, bytes32 digest, Status status) private view {
        if (status == Status.Revoked) revert DocumentRegistryRecordRevoked(digest);
        if (status == Status.Superseded) revert DocumentRegistryRecordSuperseded(digest, _nextDigest[id]);
    }

    function _anchor(
        bytes32 digest,
        uint8 algorithm,
        bytes32 metadata,
        address[] calldata signers,
        bytes32 previousDigest,
        HashAlgorithm previousAlgorithm
    ) private {
        if (digest == bytes32(0)) revert DocumentRegistryZeroDigest();
        HashAlgorithm alg = _checkAlgorithm(algorithm);
        bytes32 id = recordId(msg.sender, digest, algorithm);
        if (_headers[id].status != Status.None) revert DocumentRegistryAlreadyAnchored(digest, algorithm);
        uint256 n = signers.length;
        if (n > MAX_SIGNERS) revert DocumentRegistryTooManySigners(n, MAX_SIGNERS);
        for (uint256 i = 0; i < n; ++i) {
            address s = signers[i];
            if (s == address(0)) revert DocumentRegistryZeroSigner();
            for (uint256 j = 0; j < i; ++j) {
                if (signers[j] == s) revert DocumentRegistryDuplicateSigner(s);
            }
            _signers[id][i] = SignerSlot({signer: s, signedAt: 0});
        }
        _headers[id] = Header({
            anchorer: msg.sender,
            anchoredAt: uint40(block.timestamp),
            algorithm: alg,
            status: Status.Registered,
            requiredSigners: uint8(n),
            signedCount: 0,
            previousAlgorithm: previousAlgorithm,
            nextAlgorithm: HashAlgorithm.None
        });
        if (previousDigest != bytes32(0)) _previousDigest[id] = previousDigest;
        emit DocumentAnchored(digest, alg, msg.sender, metadata, signers);
    }

    function _sign(address anchorer, bytes32 digest, uint8 algorithm, address signer) private {
        HashAlgorithm alg = _checkAlgorithm(algorithm);
        bytes32 id = _existing(anchorer, digest, algorithm);
        Header storage header = _headers[id];
        _requireLive(id, digest, header.status);
        uint256 n = header.requiredSigners;
        for (uint256 i = 0; i < n; ++i) {
            SignerSlot storage slot = _signers[id][i];
            if (slot.signer == signer) {
                if (slot.signedAt != 0) revert DocumentRegistryAlreadySigned(digest, signer);
                slot.signedAt = uint40(block.timestamp);
                uint8 signedCount = header.signedCount + 1;
                header.signedCount = signedCount;
                emit DocumentSigned(digest, anchorer, signer, alg, msg.sender);
                if (signedCount == n) {
                    header.status = Status.FullySigned;
                    emit DocumentFullySigned(digest, alg, anchorer);
                }
                return;
            }
        }
        revert DocumentRegistryNotRequiredSigner(digest, signer);
    }

    function _markSuperseded(bytes32 digest, uint8 algorithm, bytes32 newDigest, uint8 newAlgorithm, uint16 reason)
        private
    {
        bytes32 id = _closeLive(msg.sender, digest, algorithm, reason, false);
        HashAlgorithm newAlg = _checkAlgorithm(newAlgorithm);
        Header storage header = _headers[id];
        header.status = Status.Superseded;
        header.nextAlgorithm = newAlg;
        _nextDigest[id] = newDigest;
        emit DocumentSuperseded(digest, HashAlgorithm(algorithm), newDigest, newAlg, msg.sender, reason);
    }

    /// @dev Checks that the caller may close a live record (its anchorer; a registry admin too when
    /// `adminMay`), records the closure, returns the record key.
    function _closeLive(address anchorer, bytes32 digest, uint8 algorithm, uint16 reason, bool adminMay)
        private
        returns (bytes32 id)
    {
        _checkAlgorithm(algorithm);
        id = _existing(anchorer, digest, algorithm);
        Header storage header = _headers[id];
        _requireLive(id, digest, header.status);
        if (msg.sender != anchorer && !(adminMay && hasRole(REGISTRY_ADMIN_ROLE, msg.sender))) {
            revert DocumentRegistryUnauthorized(digest, msg.sender);
        }
        if (reason == 0) revert DocumentRegistryZeroReason();
        _closures[id] = Closure({by: msg.sender, at: uint40(block.timestamp), reason: reason});
    }
}
