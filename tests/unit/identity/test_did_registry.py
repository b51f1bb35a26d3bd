"""DIDRegistry against the reference ERC-1056 registry (the npm ethr-did-registry artifact),
side by side on the same chain: the same calls give the same state, the same events, the same
signed-message scheme and no more gas; every rejection is a named custom error."""

import ape
import pytest
from eth_utils import keccak

from carbonchain.identity import (
    bytes32_text,
    owner_nonce,
    sign_action,
    sign_hash,
    signed_message_hash,
)
from tests.utils.reference import reference_did_registry_container

VERI_KEY = bytes32_text("veriKey")
SIG_AUTH = bytes32_text("sigAuth")
PUB_KEY = bytes32_text("did/pub/Secp256k1/veriKey/hex")
SERVICE = bytes32_text("did/svc/CarbonAccount")
DAY = 86400


@pytest.fixture(scope="module")
def ours(project, admin):
    return admin.deploy(project.DIDRegistry)


@pytest.fixture(scope="module")
def reference(admin):
    return admin.deploy(reference_did_registry_container())


def events(receipt):
    """Decoded events with block-dependent fields made relative: previousChange is checked
    separately, validTo is compared as seconds after the transaction's block time."""
    out = []
    for log in receipt.events:
        args = dict(log.event_arguments)
        args.pop("previousChange", None)
        if args.get("validTo"):
            args["validTo"] -= receipt.timestamp
        out.append((log.event_name, {k: (bytes(v) if isinstance(v, (bytes, bytearray)) else v) for k, v in args.items()}))
    return out


def run_both(ours, reference, fn):
    """Applies fn(registry) to both and returns the two receipts."""
    return fn(ours), fn(reference)


SCRIPT = [
    ("setAttribute", lambda r, a: r.setAttribute(a["id"], PUB_KEY, b"\x02" + b"\x11" * 32, 365 * DAY, sender=a["id"])),
    ("setAttribute service", lambda r, a: r.setAttribute(a["id"], SERVICE, b"https://carbon.example/acct", DAY,
                                                         sender=a["id"])),
    ("addDelegate", lambda r, a: r.addDelegate(a["id"], VERI_KEY, a["d1"], 30 * DAY, sender=a["id"])),
    ("addDelegate sigAuth", lambda r, a: r.addDelegate(a["id"], SIG_AUTH, a["d2"], 30 * DAY, sender=a["id"])),
    ("revokeDelegate", lambda r, a: r.revokeDelegate(a["id"], SIG_AUTH, a["d2"], sender=a["id"])),
    ("revokeAttribute", lambda r, a: r.revokeAttribute(a["id"], SERVICE, b"https://carbon.example/acct",
                                                       sender=a["id"])),
    ("changeOwner", lambda r, a: r.changeOwner(a["id"], a["o2"], sender=a["id"])),
    ("addDelegateSigned", lambda r, a: _signed(r, a, "addDelegate", VERI_KEY, a["d2"].address, 7 * DAY)),
    ("setAttributeSigned", lambda r, a: _signed(r, a, "setAttribute", PUB_KEY, b"\x03" * 33, 10 * DAY)),
    ("revokeDelegateSigned", lambda r, a: _signed(r, a, "revokeDelegate", VERI_KEY, a["d1"].address)),
    ("revokeAttributeSigned", lambda r, a: _signed(r, a, "revokeAttribute", PUB_KEY, b"\x03" * 33)),
    ("changeOwnerSigned", lambda r, a: _signed(r, a, "changeOwner", a["o3"].address)),
]


def _signed(registry, a, action, *args):
    owner = a["o2"] if registry.identityOwner(a["id"]) == a["o2"].address else a["o3"]
    sig = sign_action(registry, owner, a["id"].address, action, *args)
    fn = getattr(registry, f"{action}Signed")
    return fn(a["id"], sig.v, sig.r, sig.s, *args, sender=a["relayer"])


@pytest.fixture
def actors(accounts):
    return {"id": accounts[1], "d1": accounts[2], "d2": accounts[3], "o2": accounts[4], "o3": accounts[5],
            "relayer": accounts[12]}


def test_same_calls_same_events_state_and_no_more_gas(ours, reference, actors, chain):
    gas = []
    last = {ours.address: 0, reference.address: 0}
    for name, step in SCRIPT:
        r_ours, r_ref = step(ours, actors), step(reference, actors)
        assert events(r_ours) == events(r_ref), name
        for reg, rc in ((ours, r_ours), (reference, r_ref)):
            (log,) = list(rc.events)
            assert log.previousChange == last[reg.address], name  # the resolver's backwards chain
            last[reg.address] = rc.block_number
            assert reg.changed(actors["id"]) == rc.block_number
        gas.append((name, r_ours.gas_used, r_ref.gas_used))
    for name, g_ours, g_ref in gas:
        assert g_ours <= g_ref, (name, g_ours, g_ref)
    ident = actors["id"].address
    for reg in (ours, reference):
        assert reg.identityOwner(ident) == actors["o3"].address and reg.owners(ident) == actors["o3"].address
        assert owner_nonce(reg, actors["o2"]) == 5 and owner_nonce(reg, actors["o3"]) == 0
    for who in ("d1", "d2"):
        for t in (VERI_KEY, SIG_AUTH):
            assert ours.validDelegate(ident, t, actors[who]) == reference.validDelegate(ident, t, actors[who])
            key = keccak(t)
            # validity timestamps differ only by the blocks' times
            assert (ours.delegates(ident, key, actors[who]) > 0) == (reference.delegates(ident, key, actors[who]) > 0)
    assert ours.validDelegate(ident, VERI_KEY, actors["d2"]) and not ours.validDelegate(ident, VERI_KEY, actors["d1"])


def test_first_set_attribute_gas_versus_reference(ours, reference, accounts):
    fresh = accounts[13]
    a = ours.setAttribute(fresh, PUB_KEY, b"\x02" * 33, DAY, sender=fresh)
    b = reference.setAttribute(fresh, PUB_KEY, b"\x02" * 33, DAY, sender=fresh)
    assert a.gas_used <= b.gas_used


def test_identity_owns_itself_until_changed(ours, accounts):
    assert ours.identityOwner(accounts[7]) == accounts[7].address
    assert ours.owners(accounts[7]) == "0x" + "00" * 20
    assert ours.changed(accounts[7]) == 0 and owner_nonce(ours, accounts[7]) == 0


@pytest.mark.parametrize("call", [
    lambda r, i, x: r.changeOwner(i, x, sender=x),
    lambda r, i, x: r.addDelegate(i, VERI_KEY, x, DAY, sender=x),
    lambda r, i, x: r.revokeDelegate(i, VERI_KEY, x, sender=x),
    lambda r, i, x: r.setAttribute(i, PUB_KEY, b"\x01", DAY, sender=x),
    lambda r, i, x: r.revokeAttribute(i, PUB_KEY, b"\x01", sender=x),
], ids=["changeOwner", "addDelegate", "revokeDelegate", "setAttribute", "revokeAttribute"])
def test_only_the_owner_acts(ours, reference, accounts, call):
    identity, stranger = accounts[8], accounts[9]
    with ape.reverts(ours.DIDRegistryBadActor, identity=identity.address, actor=stranger.address):
        call(ours, identity, stranger)
    with ape.reverts("bad_actor"):
        call(reference, identity, stranger)
    assert ours.changed(identity) == 0


SIGNED = [
    ("changeOwner", lambda x: (x.address,)),
    ("addDelegate", lambda x: (VERI_KEY, x.address, DAY)),
    ("revokeDelegate", lambda x: (VERI_KEY, x.address)),
    ("setAttribute", lambda x: (PUB_KEY, b"\x01", DAY)),
    ("revokeAttribute", lambda x: (PUB_KEY, b"\x01")),
]


@pytest.mark.parametrize("action,args", SIGNED, ids=[a for a, _ in SIGNED])
def test_signed_calls_reject_wrong_signer_and_replay(ours, reference, accounts, action, args):
    """The replay is refused because the nonce moved, not because the owner changed (issue 8): a signed
    changeOwner here keeps the identity as its own owner, so only the nonce can stop the replay."""
    identity, stranger, relayer = accounts[10], accounts[11], accounts[12]
    a = (identity.address,) if action == "changeOwner" else args(stranger)
    for reg in (ours, reference):
        fn = getattr(reg, f"{action}Signed")
        bad = sign_action(reg, stranger, identity.address, action, *a)  # signed by someone else
        if reg is ours:
            with ape.reverts(ours.DIDRegistryBadSignature, identity=identity.address, signer=stranger.address):
                fn(identity, bad.v, bad.r, bad.s, *a, sender=relayer)
        else:
            with ape.reverts("bad_signature"):
                fn(identity, bad.v, bad.r, bad.s, *a, sender=relayer)
        good = sign_action(reg, identity, identity.address, action, *a)
        before = owner_nonce(reg, identity)
        fn(identity, good.v, good.r, good.s, *a, sender=relayer)
        # the owner is unchanged and the nonce moved on: replaying the same signature fails
        assert reg.identityOwner(identity) == identity.address
        assert owner_nonce(reg, identity) == before + 1
        if reg is ours:
            with ape.reverts(ours.DIDRegistryBadSignature):
                fn(identity, good.v, good.r, good.s, *a, sender=relayer)
        else:
            with ape.reverts("bad_signature"):
                fn(identity, good.v, good.r, good.s, *a, sender=relayer)


def test_signature_with_wrong_nonce_is_rejected(ours, accounts):
    identity, relayer = accounts[14], accounts[12]
    stale = signed_message_hash(str(ours.address), 5, identity.address, "setAttribute", PUB_KEY, b"\x01", DAY)
    sig = sign_hash(identity, stale)
    with ape.reverts(ours.DIDRegistryBadSignature):
        ours.setAttributeSigned(identity, sig.v, sig.r, sig.s, PUB_KEY, b"\x01", DAY, sender=relayer)
    assert owner_nonce(ours, identity) == 0


def test_garbage_signature_is_rejected(ours, reference, accounts):
    """The zero-signer guard (issue 8: the old test passed without it). An all-zero signature recovers
    to address(0), which is identityOwner(address(0)): only the guard stops a relayer from taking over
    the zero identity. The reference registry, which has no guard, accepts it."""
    zero, relayer = "0x" + "00" * 20, accounts[12]
    with ape.reverts(ours.DIDRegistryBadSignature, identity=zero, signer=zero):
        ours.changeOwnerSigned(zero, 27, b"\x00" * 32, b"\x00" * 32, relayer, sender=relayer)
    assert ours.identityOwner(zero) == zero
    reference.changeOwnerSigned(zero, 27, b"\x00" * 32, b"\x00" * 32, relayer, sender=relayer)
    assert reference.identityOwner(zero) == relayer.address


def test_deactivated_did_falls_back_to_its_own_key(ours, reference, accounts, chain):
    """Issue 8, finding 7 (documented, not changed: ERC-1056): changeOwner(id, 0x0), which resolvers
    show as deactivation, makes identityOwner() fall back to the identity, whose key may then change
    the owner again. The Python resolver agrees with the chain: empty document while the latest owner
    is 0x0, re-activated (controller = identityOwner) once the identity's key changes the owner."""
    from carbonchain.identity import did_for, resolve

    identity, first, second = accounts[13], accounts[14], accounts[15]
    zero = "0x" + "00" * 20
    did = did_for(identity.address, chain.chain_id)
    for reg in (ours, reference):
        reg.changeOwner(identity, first, sender=identity)
        reg.changeOwner(identity, zero, sender=first)
        assert reg.identityOwner(identity) == identity.address  # the standard's fallback
    doc = resolve(ours, did, now=chain.pending_timestamp)
    assert doc["verificationMethod"] == [] and doc["assertionMethod"] == []
    with ape.reverts(ours.DIDRegistryBadActor, identity=identity.address, actor=first.address):
        ours.changeOwner(identity, first, sender=first)  # the former owner lost control
    for reg in (ours, reference):
        reg.changeOwner(identity, second, sender=identity)  # the identity's own key re-activates it
        assert reg.identityOwner(identity) == second.address
    doc = resolve(ours, did, now=chain.pending_timestamp)
    controller = doc["verificationMethod"][0]["blockchainAccountId"].split(":")[-1]
    assert controller == ours.identityOwner(identity) == second.address
