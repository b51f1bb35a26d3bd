// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IRepoManager} from "@carbonchain/interfaces/IRepoManager.sol";
import {IDocumentRegistry} from "@carbonchain/interfaces/IDocumentRegistry.sol";

/// @title RepoSecondReviewer
/// @notice TEST ONLY: the checker half of BulkRepoOpener's maker-checker (a distinct account with RISK_ROLE).
contract RepoSecondReviewer {
    /// @notice Confirms an approval proposed by the opener.
    function confirm(IRepoManager repo, uint256 id) external {
        repo.confirmApproval(id);
    }
}

/// @title BulkRepoOpener
/// @notice TEST ONLY (benchmarks): opens many agreements in one transaction, each through
/// RepoManager's full path and checks: propose (this contract is the financier), maker-checker
/// approval (this contract, then RepoSecondReviewer), activation (this contract is the custodian).
/// Needs FINANCIER_ROLE, RISK_ROLE and CUSTODIAN_ROLE; the reviewer needs RISK_ROLE.
contract BulkRepoOpener {
    /// @notice The checker contract deployed with the opener.
    RepoSecondReviewer public immutable reviewer = new RepoSecondReviewer();

    /// @notice Anchors a repo contract in DocumentRegistry as the financier (this contract: the repo checks
    /// the financier's record) with `signers`, and signs it.
    function anchorAndSign(IDocumentRegistry documents, bytes32 digest, uint8 algorithm, address[] calldata signers)
        external
    {
        documents.anchor(digest, algorithm, bytes32(0), signers);
        documents.sign(address(this), digest, algorithm);
    }

    /// @notice Opens `count` agreements on `terms` (financier must be this contract); returns the first id.
    function open(IRepoManager repo, IRepoManager.Terms calldata terms, uint256 count) external returns (uint256 first) {
        for (uint256 i = 0; i < count; ++i) {
            uint256 id = repo.propose(terms);
            if (i == 0) first = id;
            repo.proposeApproval(id, 3, keccak256(abi.encode("scoring", id)));
            reviewer.confirm(repo, id);
            repo.activate(id, keccak256(abi.encode("transfer", id)));
        }
    }
}
