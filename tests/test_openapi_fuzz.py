"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis).

Every operation gets generated valid and invalid requests; no response may be a 5xx or
break the documented schema, status codes or headers, and invalid input must be refused.
Valid-looking input may still be refused where a rule cannot be written in JSON Schema
(a well-formed but unassigned phone number, an expiry already past), so that one check
is left out. The app runs for real on its own
SQLite file, seeded on start-up with a known admin key.
"""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from ringline.app import create_app
from tests.conftest import make_settings

ADMIN_KEY = "rl_fuzzing-admin-key-0123456789abcdef"

app = create_app(
    make_settings(
        Path(tempfile.mkdtemp(prefix="ringline-fuzz-")),
        rate_limit="1000000/minute",
        bootstrap_api_key=ADMIN_KEY,
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        excluded_checks=[positive_data_acceptance],
    )
