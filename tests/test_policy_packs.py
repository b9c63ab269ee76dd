"""Policy packs: the generic (APT-only) pack decides exactly as the UK NPM's does,
cites only the APT guidance, keeps the protected rules protected, and is what
`armslength demo --npm generic` and ARMSLENGTH_POLICY_PACK put in force."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from armslength.accounts.models import User
from armslength.engine.context import Context
from armslength.engine.policy import (
    PACKS,
    PROTECTED_RULES,
    PolicyError,
    load_policy_text,
    shipped_policy,
    shipped_policy_text,
)
from armslength.engine.screening import policy_for, screen_all
from armslength.register.demo import load_demo
from armslength.register.models import Body, Establishment
from armslength.screening.dataset_io import register_dataset
from armslength.screening.models import current_policy

SEEDS = Path("/work/shared/seeds")
#: The APT guidance's questions, by the label the policies cite, and the words
#: that identify each question's text in the seed document.
APT_QUESTIONS = {
    "APT: conflict of interest": "Which situations could represent a conflict of interest?",
    "APT: independence and impartiality": "What do independence and impartiality mean",
    "APT: seconded officials": "Can seconded state officials or civil servants work for NPMs?",
    "APT: who are members and staff": "Who are NPM members and staff?",
    "APT: professional expertise": "What professional expertise is required",
    "APT: other key considerations (OPCAT art. 18.2)": "What are the other key considerations",
}


def generic_citations() -> list[str]:
    policy = shipped_policy("generic")
    return [c for r in policy.rules.values() for c in r.cites] + [
        c for f in policy.findings.values() for c in f.cites
    ]


def test_generic_pack_cites_the_apt_guidance_only():
    citations = generic_citations()
    assert citations
    assert all(c in APT_QUESTIONS for c in citations), sorted(set(citations) - set(APT_QUESTIONS))
    assert not re.search(r"\bUK-\d+", shipped_policy_text("generic").split("id: generic")[1])


def test_generic_pack_has_the_same_rules_verdicts_and_parameters_as_the_uk_pack():
    uk, generic = shipped_policy("uk-npm"), shipped_policy("generic")
    assert generic.rules.keys() == uk.rules.keys()
    for rule_id, rule in uk.rules.items():
        other = generic.rules[rule_id]
        assert (other.verdict, other.cleared_verdict, other.enabled) == (
            rule.verdict,
            rule.cleared_verdict,
            rule.enabled,
        )
    for finding_id, finding in uk.findings.items():
        assert generic.findings[finding_id].severity == finding.severity
    same = {
        k: v for k, v in vars(uk.parameters).items() if k != "policy_start"
    }  # the UK guidance's adoption date means nothing elsewhere
    assert {k: vars(generic.parameters)[k] for k in same} == same


def test_generic_pack_comments_cite_no_figure():
    """A number in the generic pack is the policy's choice: no comment puts a citation on it."""
    for line in shipped_policy_text("generic").splitlines():
        if re.match(r"\s+\w+: [\d.]+\s+#", line):
            assert "APT" not in line and "UK-" not in line and "art." not in line, line


@pytest.mark.skipif(not SEEDS.exists(), reason="the guidance texts are not on this machine")
def test_every_apt_label_names_a_question_of_the_guidance():
    text = " ".join(p.read_text() for p in SEEDS.glob("*.txt"))
    for label, question in APT_QUESTIONS.items():
        assert question in text, label


@pytest.mark.parametrize("rule_id", sorted(PROTECTED_RULES))
@pytest.mark.parametrize("change", [{"enabled": False}, {"verdict": "restricted"}])
def test_protected_rules_stay_protected_under_the_generic_pack(rule_id, change):
    document = yaml.safe_load(shipped_policy_text("generic"))
    document["rules"][rule_id].update(change)
    with pytest.raises(PolicyError, match="can never be switched off or weakened"):
        load_policy_text(yaml.safe_dump(document))
    with pytest.raises(PolicyError):
        shipped_policy("generic").with_overrides({"rules": {rule_id: change}})


def test_uk_demo_screened_under_both_packs_gives_identical_verdicts_and_rule_ids(db, today):
    load_demo(seed=1, today=today)
    data = register_dataset(today)

    def decisions(pack):
        ctx = Context(data, policy_for(data, shipped_policy(pack)))
        return [
            (
                r.person,
                r.establishment,
                r.verdict.code,
                [(x.rule, x.verdict.code) for x in r.reasons],
            )
            for r in screen_all(ctx)
        ], [c for r in screen_all(ctx) for x in r.reasons for c in x.cites]

    uk, uk_cites = decisions("uk-npm")
    generic, generic_cites = decisions("generic")
    assert len(uk) > 50  # the demo has plenty of conflicts to compare
    assert generic == uk
    assert any(c.startswith("UK-") for c in uk_cites)
    assert generic_cites and all(c in APT_QUESTIONS for c in generic_cites)


def test_unknown_pack_is_refused():
    assert PACKS == ("uk-npm", "generic")
    with pytest.raises(PolicyError, match="unknown pack"):
        shipped_policy_text("france")


def test_installation_setting_chooses_the_pack_in_force(db, settings):
    assert current_policy()[0].id == "uk-npm"
    settings.POLICY_PACK = "generic"
    policy, version = current_policy()
    assert (policy.id, version) == ("generic", None)


def test_demo_generic_loads_a_single_body_french_npm_under_the_generic_pack(db, capsys):
    call_command("demo", "--no-serve", "--npm", "generic", "--seed", "2")
    out = capsys.readouterr().out
    assert "generic NPM" in out and "manager.mnp" in out
    body = Body.objects.get()
    assert body.abbreviation == "MNP" and body.is_coordinator
    assert (
        Establishment.objects.filter(visiting_bodies=body).count() == Establishment.objects.count()
    )
    policy, version = current_policy()
    assert policy.id == "generic" and version is not None
    languages = set(User.objects.values_list("language", flat=True))
    assert languages == {"fr"}
