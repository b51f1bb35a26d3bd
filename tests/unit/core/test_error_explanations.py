"""Every custom error of every contract reads as one line a person can act on (first-hour issue,
item 11): a name, its arguments (enums by name), and an explanation taken from the error's NatSpec."""

import ape
import pytest

from carbonchain.core.errors import _enums, describe, explain, format_value


def project_errors(project):
    """(contract, error ABI) for every custom error of every compiled contract."""
    for ct in project.contracts.values():
        for abi in ct.abi:
            if getattr(abi, "type", None) == "error":
                yield ct.name, abi


def test_every_custom_error_has_an_explanation(project):
    missing = sorted({f"{c}.{abi.name}" for c, abi in project_errors(project) if not explain(abi.name)})
    assert not missing, f"custom errors without NatSpec (@notice or @dev) or a hand-written explanation: {missing}"


def test_enum_arguments_are_shown_by_name(project):
    enum_inputs = {(i.internal_type) for _c, abi in project_errors(project) for i in abi.inputs
                   if (i.internal_type or "").startswith("enum ")}
    if not enum_inputs:
        pytest.skip("no custom error carries an enum")
    for t in enum_inputs:
        members = _enums().get(t[5:])
        assert members, f"enum {t} not found in the sources"
        assert format_value(1, t) == f"{members[1]}(1)"


def test_natspec_explains_a_real_revert(project, accounts):
    """A non-notary revert (no hand-written text) is explained from its NatSpec @dev."""
    registry = accounts[0].deploy(project.DIDRegistry)
    with ape.reverts(registry.DIDRegistryBadActor) as info:
        registry.changeOwner(accounts[1], accounts[2], sender=accounts[3])
    line = describe(info.value)
    assert line.startswith("reverted with DIDRegistryBadActor(identity=")
    assert line.endswith(": the caller (or the signer of a signed call) is not the identity's owner")


def test_undecoded_revert_data_is_still_named(project):
    """Ape leaves a revert undecoded when its contract-type cache holds another type for the address
    (addresses are reused across snapshot reverts): the raw data is decoded from the project's ABIs."""
    from ape.exceptions import ContractLogicError
    from eth_utils import keccak

    from carbonchain.core.errors import revert_name

    data = "0x" + keccak(text="DIDRegistryBadActor(address,address)")[:4].hex() + "00" * 64
    err = ContractLogicError(revert_message=data)
    assert revert_name(err) == "DIDRegistryBadActor"
    assert describe(err).startswith("reverted with DIDRegistryBadActor(identity=")


def test_revert_data_kept_only_by_the_provider_error_is_named():
    """py-evm: when Ape fails to enrich a revert it keeps web3's message; the data stays on web3's error."""
    from ape.exceptions import ContractLogicError
    from eth_utils import keccak
    from web3.exceptions import ContractLogicError as Web3ContractLogicError

    from carbonchain.core.errors import revert_name

    data = "0x" + keccak(text="DIDRegistryBadActor(address,address)")[:4].hex() + "00" * 64
    err = ContractLogicError(revert_message="execution reverted", base_err=Web3ContractLogicError("execution reverted", data=data))
    assert revert_name(err) == "DIDRegistryBadActor"
