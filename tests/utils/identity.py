"""Constants shared by the identity tests."""

from carbonchain.identity import bytes32_text

PRO = bytes32_text("ProfessionalInvestor")
ASSET = bytes32_text("AssetProof")
DAY = 86400
