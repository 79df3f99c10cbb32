"""The published OpenAPI schema declares the one error shape on every operation, as schemathesis checks the service against it."""
from __future__ import annotations

import pytest

from core.openapi import ERROR_RESPONSES, SERVER_RESPONSES

pytestmark = pytest.mark.django_db


def test_every_operation_documents_the_error_shape(api, world):
    response = api(world.applicant).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"error"}
    operations = [(path, method, operation) for path, item in schema["paths"].items()
                  for method, operation in item.items()]
    assert operations
    for path, method, operation in operations:
        for status in ERROR_RESPONSES:
            declared = operation["responses"].get(status)
            assert declared, (method, path, status)
            assert declared["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        # What the web server answers before the app (an over-long URL) is documented without a body shape.
        for status in SERVER_RESPONSES:
            assert "content" not in operation["responses"][status], (method, path, status)


def test_a_view_keeps_its_own_description_of_an_error(api, world):
    schema = api(world.applicant).get("/api/v1/schema/?format=json").json()
    not_found = schema["paths"]["/api/v1/documents/verify/{key}/"]["get"]["responses"]["404"]
    assert not_found["description"] == "unknown hash"
