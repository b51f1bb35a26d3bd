"""Property test of the DocumentRegistry lifecycle: random sequences of anchor, sign, revoke and
supersede, checked after every step against a plain-Python model of the rules."""

import pytest
from ape.exceptions import ContractLogicError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.utils.docs import SHA, ZERO32, make_digest

STATUS = {1: "Registered", 2: "FullySigned", 3: "Revoked", 4: "Superseded"}
DOCS = [make_digest(f"sm-{i}") for i in range(6)]


class RegistryModel(RuleBasedStateMachine):
    """Model: digest -> {anchorer, signers, signed, status, next, prev}."""

    registry = None
    people: list = []

    @initialize()
    def fresh(self):
        self.contract = type(self).deploy()
        self.model: dict[bytes, dict] = {}

    def _expect_revert(self, fn, *args, sender):
        with pytest.raises(ContractLogicError):
            fn(*args, sender=sender)

    @rule(doc=st.integers(0, 5), who=st.integers(0, 3), signers=st.lists(st.integers(0, 3), max_size=3, unique=True))
    def anchor(self, doc, who, signers):
        d, acct = DOCS[doc], self.people[who]
        addrs = [self.people[i].address for i in signers]
        if d in self.model:
            self._expect_revert(self.contract.anchor, d, SHA, ZERO32, addrs, sender=acct)
            return
        self.contract.anchor(d, SHA, ZERO32, addrs, sender=acct)
        self.model[d] = dict(anchorer=acct.address, signers=addrs, signed=set(), status="Registered", next=None,
                             prev=None)

    @rule(doc=st.integers(0, 5), who=st.integers(0, 3))
    def sign(self, doc, who):
        d, acct = DOCS[doc], self.people[who]
        m = self.model.get(d)
        ok = (
            m is not None
            and m["status"] in ("Registered", "FullySigned")
            and acct.address in m["signers"]
            and acct.address not in m["signed"]
        )
        if not ok:
            self._expect_revert(self.contract.sign, d, SHA, sender=acct)
            return
        self.contract.sign(d, SHA, sender=acct)
        m["signed"].add(acct.address)
        if len(m["signed"]) == len(m["signers"]):
            m["status"] = "FullySigned"

    @rule(doc=st.integers(0, 5), who=st.integers(0, 4))
    def revoke(self, doc, who):
        d, acct = DOCS[doc], self.people[who]  # people[4] is the registry admin
        m = self.model.get(d)
        ok = m is not None and m["status"] in ("Registered", "FullySigned") and (
            acct.address == m["anchorer"] or who == 4
        )
        if not ok:
            self._expect_revert(self.contract.revoke, d, SHA, 2, sender=acct)
            return
        self.contract.revoke(d, SHA, 2, sender=acct)
        m["status"] = "Revoked"

    @rule(doc=st.integers(0, 5), new=st.integers(0, 5), who=st.integers(0, 4))
    def supersede(self, doc, new, who):
        d, n, acct = DOCS[doc], DOCS[new], self.people[who]
        m = self.model.get(d)
        ok = (
            m is not None
            and m["status"] in ("Registered", "FullySigned")
            and (acct.address == m["anchorer"] or who == 4)
            and n not in self.model
        )
        if not ok:
            self._expect_revert(self.contract.supersede, d, SHA, n, SHA, ZERO32, [], 1, sender=acct)
            return
        self.contract.supersede(d, SHA, n, SHA, ZERO32, [], 1, sender=acct)
        m["status"], m["next"] = "Superseded", n
        self.model[n] = dict(anchorer=acct.address, signers=[], signed=set(), status="Registered", next=None, prev=d)

    @invariant()
    def chain_matches_model(self):
        if not hasattr(self, "model"):
            return
        for d in DOCS:
            m = self.model.get(d)
            assert bool(self.contract.isAnchored(d, SHA)) == (m is not None)
            if m is None:
                continue
            rec = self.contract.getRecord(d, SHA)
            assert STATUS[rec.status] == m["status"]
            assert rec.anchorer == m["anchorer"]
            assert rec.signedCount == len(m["signed"]) and rec.requiredSigners == len(m["signers"])
            assert bytes(rec.nextDigest) == (m["next"] or ZERO32)
            assert bytes(rec.previousDigest) == (m["prev"] or ZERO32)
            # history is never lost: each recorded signature keeps its time
            signed = {s.signer for s in self.contract.getSignatures(d, SHA) if s.signedAt}
            assert signed == m["signed"]


def test_registry_state_machine(deploy_registry, accounts, admin):
    RegistryModel.people = [accounts[1], accounts[2], accounts[3], accounts[5], admin]
    RegistryModel.deploy = staticmethod(deploy_registry)
    runner = RegistryModel.TestCase
    runner.settings = settings(
        max_examples=12, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    runner().runTest()
