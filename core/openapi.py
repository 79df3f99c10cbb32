"""The OpenAPI schema tells the truth about errors: every operation documents the one error shape it may answer with."""
from __future__ import annotations

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": 'The one error shape of the API: {"error": {"code", "message", "details"}}',
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Machine-readable, e.g. validation_failed, not_found"},
                "message": {"type": "string", "description": "For a person to read"},
                "details": {"description": "Per-field messages for a 400; otherwise what helps, or {}"},
            },
            "required": ["code", "message", "details"],
        },
    },
    "required": ["error"],
}

# What any operation may answer besides its own successes, whoever calls it: the request is
# malformed or out of bounds (400), no or a bad token (401), the role may not (403), nothing
# visible there (404), the state forbids it or a race lost (409), the body is over the limit
# (413) or not JSON (415), a throttle (429), the database or broker is away (503).
ERROR_RESPONSES = {
    "400": "Invalid input: details names each field and what is wrong with it",
    "401": "No credentials, or credentials that are not valid",
    "403": "The caller's role may not do this",
    "404": "Nothing the caller may see is there",
    "405": "The method is not allowed here",
    "409": "The current state does not allow it, or a concurrent request won",
    "413": "The request body is over the limit",
    "415": "The request body is not in a supported media type",
    "429": "Too many requests; Retry-After says when to try again",
    "503": "The database or the task broker is unavailable; Retry-After says when to try again",
}


# Answered by the web server in front of the app before Django sees the request, so not in the
# error shape: a request line (the URL with its query) over gunicorn's limit of 4094 bytes.
SERVER_RESPONSES = {
    "414": "The URL with its query string is longer than the web server accepts (4094 bytes); "
           "answered by the server itself, as text/html",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error responses to every operation that does not declare its own."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                declared = responses.get(status)
                if declared is None:
                    responses[status] = {"description": description, "content": {"application/json": {"schema": reference}}}
                elif "content" not in declared:
                    # A view's own description ("unknown hash") is kept; the body is still the error shape.
                    declared["content"] = {"application/json": {"schema": reference}}
            for status, description in SERVER_RESPONSES.items():
                responses.setdefault(status, {"description": description})
    return result
