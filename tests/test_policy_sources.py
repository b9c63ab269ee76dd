"""Where each policy parameter's figure comes from (issue 17).

Every parameter says whether its figure is in the guidance (with the quotation)
or is this NPM's own choice (who adopted it, when). A citation never sits on a
number the cited paragraph does not contain: checked here against the seed text
of the guidance itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from armslength.engine.policy import (
    PACKS,
    PARAMETER_DEFAULTS,
    PolicyError,
    load_policy_text,
    shipped_policy,
    shipped_policy_text,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
UK = SEEDS / "000_10032df56fbd7fcd.txt"
APT = SEEDS / "001_30832937834d0860.txt"
APT_QUESTIONS = {
    "APT: skills": "Which skills",
    "APT: other key considerations (OPCAT art. 18.2)": "What are the other key considerations",
    "APT: privileges and guarantees": "Should NPM members and staff have the same privileges",
    "APT: professional expertise": "What professional expertise",
    "APT: seconded officials": "Can seconded state officials",
    "APT: who are members and staff": "Who are NPM members and staff",
    "APT: conflict of interest": "Which situations could represent a conflict of interest",
    "APT: independence and impartiality": "What do independence and impartiality mean",
}

pytestmark = pytest.mark.skipif(not SEEDS.exists(), reason="the guidance seeds are not here")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def paragraph(cite: str) -> str:
    """The text a citation points at: UK-n's paragraph, or an APT question's answer."""
    if cite.startswith("UK-"):
        n = int(cite[3:])
        text = UK.read_text()
        match = re.search(rf"(?ms)^{n}\. (.*?)(?=^{n + 1}\. |\Z)", text)
        assert match, cite
        return _squash(match.group(1))
    text = APT.read_text()
    start = text.index(APT_QUESTIONS[cite])
    following = [text.find(q, start + 1) for q in APT_QUESTIONS.values()]
    end = min([i for i in following if i > start] or [len(text)])
    return _squash(text[start:end])


def figure_words(name: str, value) -> list[str]:
    """The ways a figure may be written in the guidance."""
    if name == "gender_balance_min_share":
        return [f"{value:.0%}", f"{round(value * 100)} per cent", f"{round(value * 100)}%"]
    if hasattr(value, "isoformat"):
        return [value.isoformat(), f"{value.day} {value:%B %Y}"]
    return [str(value)]


def citation_problems(policy) -> list[str]:
    """Every parameter citation whose paragraph lacks the quote or the figure."""
    problems = []
    for name, source in policy.parameter_sources.items():
        if source.source != "guidance":
            continue
        value = getattr(policy.parameters, name)
        for cite in source.cites:
            text = paragraph(cite)
            if _squash(source.quote) not in text:
                problems.append(f"{name}: the quote is not in {cite}")
            if not any(w in source.quote for w in figure_words(name, value)):
                problems.append(f"{name}: the quote of {cite} does not contain {value}")
    return problems


@pytest.mark.parametrize("pack", PACKS)
def test_every_parameter_of_every_pack_says_where_its_figure_comes_from(pack):
    policy = shipped_policy(pack)
    assert set(policy.parameter_sources) == set(PARAMETER_DEFAULTS)
    for source in policy.parameter_sources.values():
        if source.source == "npm":
            assert source.adopted_by and source.adopted_on and not source.cites
    assert citation_problems(policy) == []


@pytest.mark.parametrize("pack", PACKS)
def test_parameter_comments_in_the_policy_file_cite_nothing(pack):
    text = shipped_policy_text(pack)
    block = text[text.index("\nparameters:") : text.index("\nparameter_sources:")]
    assert not re.search(r"UK-\d|APT:|OPCAT", block), block


def test_the_check_catches_a_citation_on_a_figure_the_paragraph_lacks():
    text = shipped_policy_text().replace(
        "  supervision_days:\n    source: npm\n",
        "  supervision_days:\n    source: guidance\n    cites: [UK-13]\n"
        '    quote: "Regular support and supervision from managers"\n',
    )
    text = re.sub(
        r"(  supervision_days:\n    source: guidance\n.*?\n.*?\n)    adopted_by: .*\n"
        r"    adopted_on: .*\n",
        r"\1",
        text,
    )
    policy = load_policy_text(text)
    assert citation_problems(policy) == ["supervision_days: the quote of UK-13 does not contain 90"]


def test_a_quote_that_is_in_the_paragraph_with_its_figure_passes():
    text = shipped_policy_text().replace(
        "  policy_start:\n    source: npm\n",
        "  policy_start:\n    source: guidance\n    cites: [UK-6]\n"
        '    quote: "recommended to the June Business Meeting for adoption"\n',
    )
    policy = load_policy_text(
        re.sub(
            r"(  policy_start:\n    source: guidance\n.*?\n.*?\n)    adopted_by: .*\n"
            r"    adopted_on: .*\n",
            r"\1",
            text,
        )
    )
    # the words are there, the figure 2014-06-01 is not: refused
    assert citation_problems(policy) == [
        "policy_start: the quote of UK-6 does not contain 2014-06-01"
    ]


def test_an_npm_choice_with_a_citation_is_refused_by_the_policy_itself():
    text = shipped_policy_text().replace(
        "  supervision_days:\n    source: npm\n",
        "  supervision_days:\n    source: npm\n    cites: [UK-13]\n",
    )
    with pytest.raises(PolicyError, match=r"supervision_days\.cites: this NPM's own choice"):
        load_policy_text(text)


def test_policy_page_shows_each_figures_source_and_no_citation_beside_a_figure(cast, client_for):
    page = client_for(cast.hmip_manager).get(reverse("screening:policy")).text
    start = page.index('id="policy-parameters"')
    params = page[start : page.index("</table>", start)]
    for name in PARAMETER_DEFAULTS:
        assert f'id="param-{name}"' in params
    assert params.count("This NPM&#x27;s own choice") == len(PARAMETER_DEFAULTS) or params.count(
        "This NPM's own choice"
    ) == len(PARAMETER_DEFAULTS)
    assert not re.search(r"UK-\d|APT:", params)
    assert "90 days" in params and "(UK-13)" not in params


# --- the parameter form ---------------------------------------------------------------


def _form_data(policy, **changes) -> dict:
    p = policy.parameters
    data = {
        "cooling_off_years": "" if p.cooling_off_years is None else p.cooling_off_years,
        "supervision_days": p.supervision_days,
        "assessment_review_months": p.assessment_review_months,
        "min_secondment_months": p.min_secondment_months,
        "term_notice_days": p.term_notice_days,
        "interference_remind_days": p.interference_remind_days,
        "gender_balance_min_share": p.gender_balance_min_share,
        "policy_start": p.policy_start.isoformat(),
        "note": "Supervise monthly",
    }
    for rule_id, rule in policy.rules.items():
        if rule.enabled:
            data[f"rule-{rule_id}-enabled"] = "on"
        data[f"rule-{rule_id}-verdict"] = rule.verdict.code
    data.update(changes)
    return data


def test_parameter_form_previews_a_diff_then_adopts_with_the_new_source(cast, client_for):
    from armslength.screening.models import PolicyVersion, current_policy

    client = client_for(cast.coordinator)
    url = reverse("screening:policy_parameters")
    data = _form_data(current_policy()[0], supervision_days=30)
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.status_code == 200 and not PolicyVersion.objects.exists()
    diff = "\n".join(preview.context["diff"])
    assert "-  supervision_days: 90" in diff and "+  supervision_days: 30" in diff
    in_force = preview.context["in_force"]
    assert f'name="in_force" value="{in_force}"' in preview.text
    assert client.post(url, {**data, "adopt": "1", "in_force": in_force}).status_code == 302
    policy = current_policy()[0]
    assert policy.parameters.supervision_days == 30
    source = policy.parameter_sources["supervision_days"]
    assert source.source == "npm" and source.adopted_by == "coordinator"
    assert policy.parameter_sources["term_notice_days"].adopted_by.startswith("armslength")


def test_parameter_form_refuses_a_weakened_uk14_rule(cast, client_for):
    from armslength.screening.models import PolicyVersion, current_policy

    client = client_for(cast.coordinator)
    data = _form_data(current_policy()[0], **{"rule-secondment-origin-verdict": "declared"})
    response = client.post(reverse("screening:policy_parameters"), {**data, "adopt": "1"})
    assert response.status_code == 400
    assert "UK-14 rules can never be switched off or weakened" in str(
        response.context["form"].errors["rule-secondment-origin-verdict"]
    )
    assert not PolicyVersion.objects.exists()


def test_parameter_form_is_the_coordinators(cast, client_for):
    response = client_for(cast.hmip_manager).get(reverse("screening:policy_parameters"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name, value",
    [
        ("supervision_days", "1000000000000000000000000000000"),
        ("supervision_days", "5000000"),
        ("term_notice_days", "99999999"),
        ("assessment_review_months", "100000"),
        ("cooling_off_years", "1000000000000"),
        ("policy_start", "9999-12-31"),
        ("policy_start", "0001-01-01"),
    ],
)
def test_a_figure_too_large_for_date_arithmetic_is_refused_not_adopted(
    cast, client_for, name, value
):
    """An outside probe adopted supervision every 10**30 days; every page then gave 500."""
    from armslength.screening.models import PolicyVersion, current_policy

    client = client_for(cast.coordinator)
    data = _form_data(current_policy()[0], **{name: value})
    response = client.post(reverse("screening:policy_parameters"), {**data, "adopt": "1"})
    assert response.status_code == 400
    assert not PolicyVersion.objects.exists()
    assert current_policy()[0].parameters.supervision_days == 90


def test_the_policy_itself_refuses_a_figure_beyond_its_maximum():
    """The same bound for a policy file and a dataset's policy, not only the form."""
    from armslength.engine.policy import PolicyError, _parameters

    with pytest.raises(PolicyError, match=r"supervision_days: must be a whole number from 1 to"):
        _parameters({"supervision_days": 10**30}, "parameters")
    assert _parameters({"supervision_days": 3660}, "parameters").supervision_days == 3660


# --- adoption: only the guidance's own words, and only after a preview -------------------


def _adopt_through_editor(client, text: str, note: str = "Adapted"):
    """Preview the YAML in the editor, then adopt it against the fingerprint shown."""
    url = reverse("screening:policy_edit")
    preview = client.post(url, {"text": text, "note": note, "preview": "1"})
    if preview.status_code != 200:
        return preview
    in_force = preview.context["in_force"]
    return client.post(url, {"text": text, "note": note, "adopt": "1", "in_force": in_force})


_FAKE_GUIDANCE = (
    "  gender_balance_min_share:\n    source: guidance\n"
    "    cites: ['APT: seconded officials']\n    quote: \"at least 30 per cent\"\n"
)


@pytest.mark.parametrize("adopt_at_once", [False, True])
def test_the_yaml_editor_refuses_a_made_up_guidance_source_naming_the_parameter(
    cast, client_for, adopt_at_once
):
    from armslength.screening.models import PolicyVersion

    text = re.sub(
        r"  gender_balance_min_share:\n    source: npm\n(    .*\n)+?(?=  policy_start:)",
        _FAKE_GUIDANCE,
        shipped_policy_text(),
    )
    assert "source: guidance" in text
    load_policy_text(text)  # a well-formed file: only its claim is false
    client = client_for(cast.coordinator)
    data = {"text": text, "note": "30 % from the guidance"}
    if adopt_at_once:
        data.update({"adopt": "1", "in_force": "whatever"})
    response = client.post(reverse("screening:policy_edit"), data)
    assert response.status_code == 400
    assert (
        "parameter_sources.gender_balance_min_share: only the guidance&#x27;s own words can be"
        " cited" in response.text
    )
    assert not PolicyVersion.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_a_guidance_source_with_a_changed_figure():
    """Every door adopts through the service: a guidance entry that is not the shipped one,
    or sits on a figure other than the shipped one, is refused there too."""
    from armslength.screening.models import PolicyVersion
    from armslength.screening.services import policy_version_adopt

    text = re.sub(
        r"  supervision_days:\n    source: npm\n(    .*\n)+?(?=  assessment_review_months:)",
        "  supervision_days:\n    source: guidance\n    cites: [UK-13]\n"
        '    quote: "Regular support and supervision from managers"\n',
        shipped_policy_text(),
    )
    with pytest.raises(PolicyError, match=r"parameter_sources\.supervision_days: only the"):
        policy_version_adopt(text=text, note="x", user=None)
    assert not PolicyVersion.objects.exists()


def test_a_figure_with_no_source_becomes_the_adopters_own_choice(cast, client_for):
    from armslength.screening.models import current_policy

    document = yaml.safe_load(shipped_policy_text())
    del document["parameter_sources"]
    document["parameters"]["cooling_off_years"] = 3
    text = yaml.safe_dump(document, sort_keys=False)
    response = _adopt_through_editor(client_for(cast.coordinator), text)
    assert response.status_code == 302
    policy, version = current_policy()
    assert version.created_by == cast.coordinator
    for name in PARAMETER_DEFAULTS:
        source = policy.parameter_sources[name]
        assert source.source == "npm" and source.adopted_by == "coordinator", name
        assert source.adopted_on == version.created_at.date() and not source.cites
    page = client_for(cast.hmip_manager).get(reverse("screening:policy")).text
    assert "Source not recorded" not in page


def test_a_changed_figure_under_the_shipped_source_is_recorded_as_the_adopters(cast, client_for):
    from armslength.screening.models import current_policy

    text = shipped_policy_text().replace("cooling_off_years: null", "cooling_off_years: 5")
    assert _adopt_through_editor(client_for(cast.coordinator), text).status_code == 302
    sources = current_policy()[0].parameter_sources
    assert sources["cooling_off_years"].adopted_by == "coordinator"
    assert sources["supervision_days"].adopted_by.startswith("armslength")


@pytest.mark.parametrize("in_force", [None, "0123456789ab"])
def test_adopting_without_the_preview_is_refused(cast, client_for, in_force):
    from armslength.screening.models import PolicyVersion, current_policy

    client = client_for(cast.coordinator)
    extra = {"adopt": "1"} if in_force is None else {"adopt": "1", "in_force": in_force}
    data = _form_data(current_policy()[0], supervision_days=30)
    response = client.post(reverse("screening:policy_parameters"), {**data, **extra})
    assert response.status_code == 409
    assert "The policy changed since your preview" in response.text
    assert "+  supervision_days: 30" in "\n".join(response.context["diff"])
    text = shipped_policy_text().replace("cooling_off_years: null", "cooling_off_years: 5")
    response = client.post(reverse("screening:policy_edit"), {"text": text, "note": "x", **extra})
    assert response.status_code == 409
    assert not PolicyVersion.objects.exists()


def test_a_preview_made_before_another_adoption_is_refused(cast, client_for):
    from armslength.screening.models import PolicyVersion, current_policy

    client = client_for(cast.coordinator)
    url = reverse("screening:policy_parameters")
    data = _form_data(current_policy()[0], supervision_days=30)
    stale = client.post(url, {**data, "preview": "1"}).context["in_force"]
    other = shipped_policy_text().replace("cooling_off_years: null", "cooling_off_years: 5")
    assert _adopt_through_editor(client, other).status_code == 302
    response = client.post(url, {**data, "adopt": "1", "in_force": stale})
    assert response.status_code == 409
    assert PolicyVersion.objects.count() == 1
