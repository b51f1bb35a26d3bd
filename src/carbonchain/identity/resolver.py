"""Resolves did:ethr DIDs to W3C DID documents by walking the ERC-1056 event chain, in Python.

The walk follows the did:ethr method: start at ``changed(identity)``, read that block's registry
events for the identity, follow each block's earliest ``previousChange`` back to the first change,
then replay the history oldest first. Owner changes move the controller (to the zero address:
deactivated until the identity's own key changes the owner again, as ERC-1056 allows); live delegates (``veriKey``, ``sigAuth``) and ``did/pub/...`` attributes become
verification methods; ``did/svc/...`` attributes become services; expired or revoked entries
drop out while still consuming their numbers, so ids (``#delegate-N``, ``#service-N``) are stable.
The output is the same document the npm ``ethr-did-resolver`` produces (checked in the tests).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

from eth_utils import to_checksum_address

from ..core.network import chain_time
from ..core.errors import CarbonChainError

CONTEXT = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/suites/secp256k1recovery-2020/v2",
    "https://w3id.org/security/v3-unstable",
]
NULL_ADDRESS = "0x" + "00" * 20
RECOVERY_2020 = "EcdsaSecp256k1RecoveryMethod2020"
LEGACY_ATTR_TYPES = {"sigAuth": "SignatureAuthentication2018", "veriKey": "VerificationKey2018", "enc": "KeyAgreementKey2019"}
LEGACY_ALGO_MAP = {
    "Secp256k1VerificationKey2018": "EcdsaSecp256k1VerificationKey2019",
    "Ed25519SignatureAuthentication2018": "Ed25519VerificationKey2018",
    "Secp256k1SignatureAuthentication2018": "EcdsaSecp256k1VerificationKey2019",
    "RSAVerificationKey2018": "RSAVerificationKey2018",
    "Ed25519VerificationKey2018": "Ed25519VerificationKey2018",
    "X25519KeyAgreementKey2019": "X25519KeyAgreementKey2019",
}
_ATTR = re.compile(r"^did/(pub|svc)/(\w+)(/(\w+))?(/(\w+))?$")
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def did_for(address: str, chain_id: int) -> str:
    """The did:ethr DID of an address on a chain (network given as the hex chain id)."""
    return f"did:ethr:{hex(chain_id)}:{to_checksum_address(address)}"


#: did:ethr network names (as ethr-did-resolver knows them) -> chain id; a DID without one is mainnet.
NETWORK_NAMES = {"mainnet": 1, "sepolia": 11155111, "goerli": 5, "holesky": 17000, "polygon": 137,
                 "linea": 59144, "rsk": 30, "dev": 1337}


def chain_id_of(network: str | None) -> int:
    """The chain a did:ethr DID's network part names: none -> mainnet (1), ``0x7a69`` -> 31337,
    ``sepolia`` -> 11155111."""
    if not network:
        return 1
    if re.fullmatch(r"0x[0-9a-fA-F]+", network):
        return int(network, 16)
    if network.isdigit():
        return int(network)
    if network in NETWORK_NAMES:
        return NETWORK_NAMES[network]
    raise CarbonChainError(f"unknown did:ethr network {network!r} (use a hex chain id such as 0x7a69)")


def check_chain(did: str, chain_id: int) -> None:
    """Refuses a DID of another chain than ``chain_id``: its document lives in that chain's registry."""
    network, _address = parse_did(did)
    wanted = chain_id_of(network)
    if wanted != chain_id:
        raise CarbonChainError(
            f"{did} is a DID on chain {wanted}, but the connected chain is {chain_id}: "
            f"resolve it on a node of chain {wanted} (--network) or use did:ethr:{hex(chain_id)}:<address>"
        )


def parse_did(did: str) -> tuple[str | None, str]:
    """(network or None, checksummed address) of a did:ethr DID (public-key DIDs are not supported here)."""
    if not did.startswith("did:ethr:"):
        raise CarbonChainError(f"not a did:ethr DID: {did!r}")
    parts = did.split("?")[0].split(":")
    ident = parts[-1]
    network = ":".join(parts[2:-1]) or None
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", ident):
        raise CarbonChainError(f"unsupported did:ethr identifier {ident!r} (an address is expected)")
    return network, to_checksum_address(ident)


def _b32_text(raw: bytes) -> str | None:
    try:
        return bytes(raw).decode("utf-8").rstrip("\x00")
    except UnicodeDecodeError:
        return None


def _b58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + out


@dataclass
class _Event:
    name: str
    block: int
    args: dict[str, Any] = field(default_factory=dict)


def _event_table(registry: Any) -> dict[bytes, tuple[str, list[Any]]]:
    from eth_utils import keccak

    return {keccak(text=e.selector): (e.name, list(e.inputs)) for e in registry.contract_type.events}


def _decode(table: dict[bytes, tuple[str, list[Any]]], log: Any) -> tuple[str, dict[str, Any]] | None:
    from eth_abi import decode

    topics = [bytes(t) for t in log["topics"]]
    if not topics or topics[0] not in table:
        return None
    name, inputs = table[topics[0]]
    data_inputs = [i for i in inputs if not i.indexed]
    values = decode([i.canonical_type for i in data_inputs], bytes(log["data"]))
    args = dict(zip((i.name for i in data_inputs), values))
    for i, topic in zip((i for i in inputs if i.indexed), topics[1:]):
        args[i.name] = decode([i.canonical_type], topic)[0]
    return name, args


def change_log(registry: Any, address: str) -> list[_Event]:
    """Every registry event of ``address``, oldest first, by walking ``previousChange``."""
    from ape import chain

    table = _event_table(registry)
    history: list[_Event] = []
    block = int(registry.changed(address))
    topic = "0x" + "00" * 12 + address[2:].lower()
    while block:
        raw = chain.provider.web3.eth.get_logs(
            {"address": str(registry.address), "fromBlock": block, "toBlock": block, "topics": [None, topic]}
        )
        if not raw:
            raise CarbonChainError(f"no registry logs in block {block} although previousChange points there")
        events: list[_Event] = []
        previous = 0
        for log in raw:
            decoded = _decode(table, log)
            if decoded is None:
                continue
            name, args = decoded
            pc = int(args.get("previousChange", 0))
            if 0 < pc < block and (previous == 0 or pc < previous):
                previous = pc
            if _text_fields_ok(args):
                events.append(_Event(name, block, args))
        for ev in reversed(events):
            history.insert(0, ev)
        block = previous
    return history


def _text_fields_ok(args: dict[str, Any]) -> bool:
    for key in ("name", "delegateType"):
        if key in args and _b32_text(bytes(args[key])) is None:
            return False
    return True


def resolve(registry: Any, did: str, *, now: int | None = None) -> dict[str, Any]:
    """The DID document (JSON-LD, with @context) of ``did`` on ``registry``."""
    from ape import chain

    _network, address = parse_did(did)
    check_chain(did, chain.chain_id)
    now = chain_time() if now is None else now  # delegates' validity, by the chain's clock
    history = change_log(registry, address)
    controller = address
    deactivated = False
    delegate_count = service_count = 0
    auth: dict[str, str] = {}
    signing: dict[str, str] = {}
    key_agreement: dict[str, str] = {}
    pks: dict[str, dict[str, Any]] = {}
    services: dict[str, dict[str, Any]] = {}
    chain_id = chain.chain_id
    for ev in history:
        a = ev.args
        kind = _b32_text(bytes(a["delegateType"])) if "delegateType" in a else (
            _b32_text(bytes(a["name"])) if "name" in a else None)
        ref = a.get("delegate") if "delegate" in a else ("0x" + bytes(a["value"]).hex() if "value" in a else None)
        index = f"{ev.name}-{kind}-{_norm(ref)}"
        valid_to = int(a.get("validTo", 0))
        if valid_to and valid_to >= now:
            if ev.name == "DIDDelegateChanged":
                delegate_count += 1
                ident = f"{did}#delegate-{delegate_count}"
                if kind == "sigAuth":
                    auth[index] = ident
                    signing[index] = ident
                if kind in ("sigAuth", "veriKey"):
                    pks[index] = {"id": ident, "type": RECOVERY_2020, "controller": did,
                                  "blockchainAccountId": f"eip155:{chain_id}:{to_checksum_address(a['delegate'])}"}
                    signing[index] = ident
            elif ev.name == "DIDAttributeChanged":
                m = _ATTR.match(kind or "")
                if m:
                    section, algorithm, purpose, encoding = m.group(1), m.group(2), m.group(4), m.group(6)
                    value = bytes(a["value"])
                    if section == "pub":
                        delegate_count += 1
                        typ = LEGACY_ATTR_TYPES.get(purpose, purpose)
                        pk: dict[str, Any] = {"id": f"{did}#delegate-{delegate_count}",
                                              "type": f"{algorithm}{typ}", "controller": did}
                        pk["type"] = LEGACY_ALGO_MAP.get(pk["type"], algorithm)
                        ok = True
                        if encoding in (None, "hex"):
                            pk["publicKeyHex"] = value.hex()
                        elif encoding == "base64":
                            pk["publicKeyBase64"] = base64.b64encode(value).decode()
                        elif encoding == "base58":
                            pk["publicKeyBase58"] = _b58(value)
                        elif encoding == "pem":
                            try:
                                pk["publicKeyPem"] = value.decode("utf-8")
                            except UnicodeDecodeError:
                                ok = False
                        else:
                            pk["value"] = value.hex()
                        if ok:
                            pks[index] = pk
                            if purpose == "sigAuth":
                                auth[index] = pk["id"]
                                signing[index] = pk["id"]
                            elif purpose == "enc":
                                key_agreement[index] = pk["id"]
                            else:
                                signing[index] = pk["id"]
                    else:
                        service_count += 1
                        try:
                            text = value.decode("utf-8")
                        except UnicodeDecodeError:
                            text = None
                        if text is not None:
                            try:
                                endpoint: Any = json.loads(text)
                            except ValueError:
                                endpoint = text
                            services[index] = {"id": f"{did}#service-{service_count}", "type": algorithm,
                                               "serviceEndpoint": endpoint}
        elif ev.name == "DIDOwnerChanged":
            controller = to_checksum_address(a["owner"])
            # ERC-1056 keeps no "deactivated" flag: owner 0x0 makes identityOwner() fall back to the
            # identity itself, whose key may change the owner again. The document is empty while the
            # latest owner change is to 0x0, and a later change (only the identity key can send it)
            # re-activates the DID, as the chain sees it (README, security: DID deactivation).
            deactivated = controller == NULL_ADDRESS
        else:
            if ev.name == "DIDDelegateChanged" or (ev.name == "DIDAttributeChanged" and (kind or "").startswith("did/pub/")):
                delegate_count += 1
            elif ev.name == "DIDAttributeChanged" and (kind or "").startswith("did/svc/"):
                service_count += 1
            for table in (auth, signing, pks, services):
                table.pop(index, None)
    doc: dict[str, Any] = {"@context": CONTEXT, "id": did}
    if deactivated:
        doc.update(verificationMethod=[], authentication=[], assertionMethod=[])
        return doc
    doc["verificationMethod"] = [
        {"id": f"{did}#controller", "type": RECOVERY_2020, "controller": did,
         "blockchainAccountId": f"eip155:{chain_id}:{controller}"}
    ] + list(pks.values())
    doc["authentication"] = [f"{did}#controller"] + list(auth.values())
    doc["assertionMethod"] = [f"{did}#controller"] + list(signing.values())
    if services:
        doc["service"] = list(services.values())
    if key_agreement:
        doc["keyAgreement"] = list(key_agreement.values())
    return doc


def _norm(ref: Any) -> str:
    if ref is None:
        return "undefined"
    text = str(ref)
    if re.fullmatch(r"0x[0-9a-fA-F]{40}", text):
        return to_checksum_address(text)
    return text.lower()
