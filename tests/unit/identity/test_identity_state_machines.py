"""Hypothesis state machines (issue 8) for the sub-issuer trust chains and the credential registry:
random accreditations, status changes, issuances and revocations by governance, roots, sub-issuers and
outsiders, each checked against a plain-Python model of the rules. A refused step must revert with the
custom error the model predicts; after every step, trust at every recorded moment and every
credential's state must equal the model's."""

from dataclasses import dataclass, replace

import ape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from carbonchain.identity import bytes32_text
from tests.utils.docs import make_digest

T = bytes32_text("ProfessionalInvestor")
DAY = 86400
ACTIVE, SUSPENDED, WITHDRAWN, REVOKED = "Active", "Suspended", "Withdrawn", "Revoked"
SETTINGS = settings(max_examples=4, stateful_step_count=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@dataclass(frozen=True)
class Entry:
    at: int
    status: str
    valid_from: int
    valid_until: int
    can_accredit: bool
    depth: int
    parent: str | None
    by_gov: bool


class TrustModel:
    """The TrustedIssuerRegistry's rules for one credential type, in Python."""

    def __init__(self):
        self.history: dict[str, list[Entry]] = {}

    def entry_at(self, who: str, t: int) -> Entry | None:
        current = None
        for e in self.history.get(who, []):
            if e.at <= t:
                current = e
        return current

    @staticmethod
    def _active(e: Entry | None, t: int) -> bool:
        return e is not None and e.status == ACTIVE and e.valid_from <= t < e.valid_until

    def trusted(self, who: str, t: int) -> bool:
        e = self.entry_at(who, t)
        if not self._active(e, t):
            return False
        if e.depth == 0:
            return True
        p = self.entry_at(e.parent, t)
        return p is not None and p.depth == 0 and self._active(p, t)

    def accredit_error(self, sender: str, is_gov: bool, issuer: str, can: bool, now: int) -> str | None:
        if is_gov:
            return None
        own = self.history.get(sender, [])
        if not own or not self.trusted(sender, now):
            return "TrustedIssuerRegistryUnauthorized"
        mine = own[-1]
        if mine.depth != 0 or can:
            return "TrustedIssuerRegistryChainTooDeep"
        if not mine.can_accredit:
            return "TrustedIssuerRegistryUnauthorized"
        if issuer == sender:
            return "TrustedIssuerRegistrySelfAccreditation"
        target = self.history.get(issuer, [])
        if target:
            last = target[-1]
            if last.depth != 1 or last.parent != sender:
                return "TrustedIssuerRegistryNotSubIssuer"
            if last.by_gov:
                return "TrustedIssuerRegistryGovernanceDecision"
        return None

    def change_error(self, sender: str, is_gov: bool, issuer: str, allowed_from: tuple[str, ...]) -> str | None:
        h = self.history.get(issuer, [])
        if not h:
            return "TrustedIssuerRegistryUnknownAccreditation"
        last = h[-1]
        if last.status not in allowed_from:
            return "TrustedIssuerRegistryWrongStatus"
        if not is_gov:
            if not (last.depth == 1 and last.parent == sender):
                return "TrustedIssuerRegistryUnauthorized"
            if last.by_gov:
                return "TrustedIssuerRegistryGovernanceDecision"
        return None


CHANGES = {  # action -> (statuses it applies to, resulting status, needs a reason)
    "suspend": ((ACTIVE,), SUSPENDED, True),
    "reinstate": ((SUSPENDED,), ACTIVE, False),
    "withdraw": ((ACTIVE, SUSPENDED), WITHDRAWN, True),
}


class TrustChainMachine(RuleBasedStateMachine):
    """people[0] is governance; people[1:] issue and accredit."""

    people: list = []
    chain = None

    @initialize()
    def fresh(self):
        self.tir = type(self).deploy()
        self.model = TrustModel()
        self.now = int(self.chain.pending_timestamp) + 10
        self.moments: list[int] = []

    def _tx(self, error, fn, *args, sender):
        self.now += 1
        self.chain.pending_timestamp = self.now
        if error:
            with ape.reverts(getattr(self.tir, error)):
                fn(*args, sender=sender)
            return False
        receipt = fn(*args, sender=sender)
        self.now = int(self.chain.blocks[receipt.block_number].timestamp)
        self.moments.append(self.now)
        return True

    @rule(who=st.integers(0, 3), issuer=st.integers(1, 4), can=st.booleans(), days=st.integers(1, 30))
    def accredit(self, who, issuer, can, days):
        sender, target = self.people[who], self.people[issuer].address
        is_gov = who == 0
        error = self.model.accredit_error(sender.address, is_gov, target, can, self.now + 1)
        start, end = self.now - 10, self.now + days * DAY
        if self._tx(error, self.tir.accredit, target, T, start, end, can, sender=sender):
            self.model.history.setdefault(target, []).append(Entry(
                self.now, ACTIVE, start, end, can, 0 if is_gov else 1, None if is_gov else sender.address, is_gov))

    @rule(action=st.sampled_from(sorted(CHANGES)), who=st.integers(0, 3), issuer=st.integers(1, 4))
    def change(self, action, who, issuer):
        sender, target = self.people[who], self.people[issuer].address
        allowed, to, reason = CHANGES[action]
        error = self.model.change_error(sender.address, who == 0, target, allowed)
        args = (target, T, 7) if reason else (target, T)
        if self._tx(error, getattr(self.tir, action), *args, sender=sender):
            last = self.model.history[target][-1]
            self.model.history[target].append(replace(last, at=self.now, status=to, by_gov=who == 0))

    @rule(days=st.integers(1, 40))
    def wait(self, days):
        self.now += days * DAY

    @invariant()
    def trust_matches_model(self):
        if not hasattr(self, "model"):
            return
        for p in self.people[1:]:
            for t in self.moments[-3:]:
                assert self.tir.wasTrusted(p.address, T, t) == self.model.trusted(p.address, t), (p.address, t)
            h = self.tir.accreditationHistory(p.address, T)
            assert [(int(e.depth), bool(e.byGovernance)) for e in h] == [
                (e.depth, e.by_gov) for e in self.model.history.get(p.address, [])]


def test_trust_chain_state_machine(project, accounts, chain, admin):
    TrustChainMachine.people = [admin, accounts[6], accounts[7], accounts[8], accounts[9]]
    TrustChainMachine.chain = chain
    TrustChainMachine.deploy = staticmethod(lambda: admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin))
    runner = TrustChainMachine.TestCase
    runner.settings = SETTINGS
    runner().runTest()


class CredentialMachine(RuleBasedStateMachine):
    """people: [governance and revoker, issuer A, issuer B, subject/outsider]."""

    people: list = []
    chain = None
    DIGESTS = [make_digest(f"vc-sm-{i}") for i in range(3)]

    @initialize()
    def fresh(self):
        self.tir, self.creds = type(self).deploy()
        gov = self.people[0]
        self.now = int(self.chain.pending_timestamp) + 10
        self.accreditation = {}
        for issuer in self.people[1:3]:
            self.now += 1
            self.chain.pending_timestamp = self.now
            self.tir.accredit(issuer, T, self.now - 10, self.now + 400 * DAY, False, sender=gov)
            self.accreditation[issuer.address] = ACTIVE
        self.model: dict[tuple[str, bytes], dict] = {}

    def _trusted(self, issuer: str) -> bool:
        return self.accreditation.get(issuer) == ACTIVE

    def _tx(self, error, fn, *args, sender):
        self.now += 1
        self.chain.pending_timestamp = self.now
        if error:
            with ape.reverts(getattr(self.creds, error)):
                fn(*args, sender=sender)
            return False
        fn(*args, sender=sender)
        return True

    @rule(who=st.integers(1, 3), doc=st.integers(0, 2), days=st.integers(-1, 60), huge=st.booleans())
    def issue(self, who, doc, days, huge):
        sender, d = self.people[who], self.DIGESTS[doc]
        subject = self.people[3].address
        expires = 2**40 + days if huge else self.now + 1 + days * DAY
        error = (
            "CredentialRegistryInvalidExpiry" if expires <= self.now + 1 or expires >= 2**40
            else "CredentialRegistryAlreadyIssued" if (sender.address, d) in self.model
            else None if self._trusted(sender.address) else "CredentialRegistryIssuerNotTrusted"
        )
        if self._tx(error, self.creds.issue, d, T, subject, expires, sender=sender):
            self.model[(sender.address, d)] = dict(status=ACTIVE, expires=expires, reason=0, subject=subject)

    @rule(action=st.sampled_from(["suspend", "reinstate"]), who=st.integers(1, 3), doc=st.integers(0, 2))
    def issuer_change(self, action, who, doc):
        sender, d = self.people[who], self.DIGESTS[doc]
        m = self.model.get((sender.address, d))
        need = ACTIVE if action == "suspend" else SUSPENDED
        error = (
            "CredentialRegistryUnknownCredential" if m is None
            else "CredentialRegistryWrongStatus" if m["status"] != need
            else "CredentialRegistryIssuerNotTrusted" if action == "reinstate" and not self._trusted(sender.address)
            else None
        )
        args = (d, 4) if action == "suspend" else (d,)
        if self._tx(error, getattr(self.creds, action), *args, sender=sender):
            m["status"] = SUSPENDED if action == "suspend" else ACTIVE
            if action == "suspend":
                m["reason"] = 4

    @rule(owner=st.integers(1, 2), who=st.integers(0, 3), doc=st.integers(0, 2))
    def revoke(self, owner, who, doc):
        issuer, sender, d = self.people[owner].address, self.people[who], self.DIGESTS[doc]
        m = self.model.get((issuer, d))
        error = (
            "CredentialRegistryUnknownCredential" if m is None
            else "CredentialRegistryUnauthorized" if sender.address != issuer and who != 0
            else "CredentialRegistryWrongStatus" if m["status"] == REVOKED
            else None
        )
        if self._tx(error, self.creds.revoke, issuer, d, 3, sender=sender):
            m["status"], m["reason"] = REVOKED, 3

    @rule(who=st.integers(1, 2), action=st.sampled_from(["suspend", "reinstate", "withdraw"]))
    def accreditation_change(self, who, action):
        issuer = self.people[who].address
        allowed, to, reason = CHANGES[action]
        if self.accreditation[issuer] not in allowed:
            return
        self.now += 1
        self.chain.pending_timestamp = self.now
        args = (issuer, T, 5) if reason else (issuer, T)
        getattr(self.tir, action)(*args, sender=self.people[0])
        self.accreditation[issuer] = to

    @rule(days=st.integers(1, 20))
    def wait(self, days):
        self.now += days * DAY

    @invariant()
    def credentials_match_model(self):
        if not hasattr(self, "model"):
            return
        self.chain.pending_timestamp = self.now + 1
        self.chain.mine()
        self.now += 1
        status = {1: ACTIVE, 2: SUSPENDED, 3: REVOKED}
        for issuer in self.people[1:3]:
            for d in self.DIGESTS:
                m = self.model.get((issuer.address, d))
                valid = m is not None and m["status"] == ACTIVE and self.now < m["expires"]
                assert self.creds.isValidFor(issuer, d, T, self.people[3]) == valid
                if m is None:
                    continue
                v = self.creds.verify(issuer, d)
                assert status[int(v.status)] == m["status"] and int(v.reason) == m["reason"]
                assert int(v.expiresAt) == m["expires"] and bool(v.valid) == valid
                assert bool(v.issuerTrustedNow) == self._trusted(issuer.address)


def test_credential_registry_state_machine(project, accounts, chain, admin):
    def deploy():
        tir = admin.deploy(project.TrustedIssuerRegistry, 0, admin, admin)
        return tir, admin.deploy(project.CredentialRegistry, 0, admin, admin, tir)

    CredentialMachine.people = [admin, accounts[6], accounts[7], accounts[8]]
    CredentialMachine.chain = chain
    CredentialMachine.deploy = staticmethod(deploy)
    runner = CredentialMachine.TestCase
    runner.settings = SETTINGS
    runner().runTest()
