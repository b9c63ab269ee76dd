"""Schemathesis against the live test server: every endpoint, a few hundred generated requests.

Each operation of the OpenAPI document gets requests generated from its
schema by Hypothesis with a fixed seed (`derandomize`), so a failure
reproduces. Two checks, as the API promises: no server error (5xx), and
every response matches the document (including the documented error shape).
(Schemathesis' own pytest plugin does not yet run under pytest 9, so the
operations are driven here directly.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from armslength.api.models import ApiToken
from armslength.visits.models import Visit

EXAMPLES_PER_OPERATION = 12


@pytest.mark.django_db(transaction=True)
def test_api_never_fails_and_never_breaks_its_schema(cast, live_server, today):
    for person, key in ((cast.alice, "alice"), (cast.sam, "sam"), (cast.carol, "carol")):
        person.key = key
        person.save()
    Visit.objects.create(
        key="northbridge-visit",
        body=cast.hmip,
        establishment=cast.northbridge,
        start=today,
        end=today,
    )
    _token, secret = ApiToken.issue(cast.hmip_manager, "fuzz")
    headers = {"Authorization": f"Bearer {secret}"}
    # the document needs a signed-in caller in production (issue 12, finding 9)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json", headers=headers)
    sent: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            cache.clear()  # the request budget is tested elsewhere
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )
            sent.append(case.operation.label)

        exercise()
    print(f"\n{len(sent)} requests over {len(operations)} operations")
    assert len(sent) >= 200, len(sent)
