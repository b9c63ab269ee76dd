"""The policy file: the shipped UK policy, overrides, and what may never be weakened."""

from __future__ import annotations

import pytest

from armslength.engine.dataset import DatasetError, load_dataset
from armslength.engine.policy import (
    FINDING_IDS,
    PROTECTED_RULES,
    RULE_IDS,
    PolicyError,
    default_policy,
    default_policy_text,
    load_policy_text,
)
from tests.engine.builders import base, person, query


def test_the_uk_policy_configures_every_rule_with_a_citation():
    policy = default_policy()
    assert set(policy.rules) == set(RULE_IDS) and set(policy.findings) == set(FINDING_IDS)
    assert all(rule.cites and rule.summary for rule in policy.rules.values())
    assert policy.rules["secondment-origin"].cites == ("UK-14",)
    assert policy.parameters.supervision_days == 90


def test_switching_a_rule_off_and_changing_a_verdict(verdict):
    doc = base(
        people=[person("alex")],
        policy={
            "rules": {
                "ngo-role": {"enabled": False},
                "former-operator-employment": {"verdict": "restricted"},
            }
        },
    )
    doc["affiliations"] += [
        {"person": "alex", "kind": "ngo_role", "establishment": "east", "role": "NGO"},
        {"person": "alex", "kind": "employment", "organisation": "private-co", "end": "2020-01-01"},
    ]
    assert verdict(query(doc, "alex", "east")) == ("restricted", ["former-operator-employment"])


@pytest.mark.parametrize("rule", sorted(PROTECTED_RULES))
@pytest.mark.parametrize("change", [{"enabled": False}, {"verdict": "preparation_only"}])
def test_uk14_rules_cannot_be_weakened(rule, change):
    with pytest.raises(DatasetError, match=rf"policy\.rules\.{rule}: UK-14"):
        load_dataset(base(policy={"rules": {rule: change}}))


@pytest.mark.parametrize(
    ("policy", "path"),
    [
        ({"rules": {"no-such-rule": {"enabled": False}}}, "policy.rules.no-such-rule"),
        ({"cooling_of_years": 5}, "policy.cooling_of_years"),
        ({"supervision_days": 0}, "policy.parameters.supervision_days"),
        ({"gender_balance_min_share": 0.9}, "policy.parameters.gender_balance_min_share"),
        ({"rules": {"client": {"verdict": "maybe"}}}, "policy.rules.client.verdict"),
    ],
)
def test_bad_policy_overrides_name_the_entry(policy, path):
    with pytest.raises(DatasetError) as caught:
        load_dataset(base(policy=policy))
    assert str(caught.value).startswith(path)


def test_a_copied_and_adapted_policy_file_loads():
    text = default_policy_text().replace("cooling_off_years: null", "cooling_off_years: 3")
    policy = load_policy_text(text)
    assert policy.parameters.cooling_off_years == 3
    assert policy.version != default_policy().version


def test_a_policy_file_missing_a_rule_is_refused():
    text = default_policy_text().replace("  client:\n", "  clientele:\n")
    with pytest.raises(PolicyError, match="clientele: unknown rule id"):
        load_policy_text(text)
