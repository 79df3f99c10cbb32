"""JSON bodies the API refuses with a 400 (not JSON, nested past any payload's need) or a 413 (too big),
never a 500; and the depth measure itself."""
import pytest

from core.parsers import MAX_JSON_DEPTH, json_depth

URL = "/api/v1/valuation/quote/"


@pytest.mark.parametrize(
    "raw, depth",
    [
        (b"1", 0),
        (b"[]", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'["[[[[[", "}}}"]', 1),
        (b'["a\\"[[[", {"k\\\\": [[]]}]', 4),
        (b"[" * 100_000, 100_000),
    ],
)
def test_json_depth_counts_brackets_outside_strings(raw, depth):
    assert json_depth(raw) == depth


@pytest.mark.django_db
@pytest.mark.parametrize("nesting", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_json_nested_past_the_limit_is_a_400(api, world, nesting):
    body = "[" * nesting + "]" * nesting
    response = api(world.applicant).post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content[:500]
    assert response.json()["error"]["code"] == "parse_error"
    assert str(MAX_JSON_DEPTH) in response.json()["error"]["message"]


@pytest.mark.django_db
def test_unbalanced_deep_nesting_is_a_400(api, world):
    response = api(world.applicant).post(URL, "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_nesting_within_the_limit_reaches_the_view(api, world):
    body = '{"patent": ' + "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1) + "}"
    response = api(world.applicant).post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"  # the serializer's refusal, not the parser's


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{not json", '{"a": 1,}', "\x00\x01", '{"a": NaN}'])
def test_body_that_is_not_json_is_a_400(api, world, body):
    response = api(world.applicant).post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "parse_error"


@pytest.mark.django_db
def test_json_body_over_the_upload_limit_is_a_413(api, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api(world.applicant).post(URL, {"purpose": "x" * 5_000}, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
