"""The OpenAPI document (api/openapi.json) against the routes of controllers/api.py.

A route without documentation, a documented path without a route, a dangling ``$ref`` or an
example that does not match its own schema fails here. The small JSON Schema checker below is
used by tests/test_api_http.py too, to hold the live answers to the documented schemas (no
``jsonschema`` in the venv, and the subset OpenAPI 3.1 uses here is small).
"""

import json
import re
import unittest
from pathlib import Path

from odoo.tests import HttpCase, tagged

from odoo.addons.order_tracking_chatbot.controllers.api import API_PREFIX, OrderTrackingApi

DOCUMENT_PATH = Path(__file__).resolve().parent.parent / "api" / "openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PERSIAN = re.compile(r"[\u0600-\u06ff]")


def load_document():
    with DOCUMENT_PATH.open(encoding="utf-8") as document:
        return json.load(document)


def resolve(document, ref):
    """The object a local ``#/...`` reference points to (KeyError when it dangles)."""
    if not ref.startswith("#/"):
        raise KeyError(f"not a local reference: {ref}")
    node = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(document, instance, schema, where="$"):
    """What is wrong with ``instance`` against ``schema``: a list of messages, empty when valid.

    The JSON Schema keywords this document uses: $ref, type (one or a list), enum, const,
    required, properties, additionalProperties, items, oneOf, minLength, maxLength, pattern,
    minimum, maximum. Annotations (format, description, ...) are ignored.
    """
    if "$ref" in schema:
        return schema_errors(document, instance, resolve(document, schema["$ref"]), where)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_TYPES[t](instance) for t in types):
            return [f"{where}: {instance!r:.60} is not of type {'/'.join(types)}"]
    errors = _value_errors(instance, schema, where)
    if isinstance(instance, dict):
        errors += _object_errors(document, instance, schema, where)
    if isinstance(instance, list) and "items" in schema:
        for index, value in enumerate(instance):
            errors += schema_errors(document, value, schema["items"], f"{where}[{index}]")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not schema_errors(document, instance, s, where)]
        if len(matching) != 1:
            errors.append(f"{where}: matches {len(matching)} of the oneOf schemas, not 1")
    return errors


def _value_errors(instance, schema, where):
    errors = []
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{where}: {instance!r:.60} is not one of {schema['enum']}")
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{where}: {instance!r:.60} is not {schema['const']!r}")
    if isinstance(instance, str):
        if len(instance) < schema.get("minLength", 0):
            errors.append(f"{where}: shorter than {schema['minLength']}")
        if len(instance) > schema.get("maxLength", len(instance)):
            errors.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], instance):
            errors.append(f"{where}: does not match {schema['pattern']}")
    if _TYPES["number"](instance):
        if instance < schema.get("minimum", instance):
            errors.append(f"{where}: below {schema['minimum']}")
        if instance > schema.get("maximum", instance):
            errors.append(f"{where}: above {schema['maximum']}")
    return errors


def _object_errors(document, instance, schema, where):
    errors = [
        f"{where}: '{name}' is required"
        for name in schema.get("required", ())
        if name not in instance
    ]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for name, value in instance.items():
        if name in properties:
            errors += schema_errors(document, value, properties[name], f"{where}.{name}")
        elif extra is False:
            errors.append(f"{where}: '{name}' is not allowed")
        elif isinstance(extra, dict):
            errors += schema_errors(document, value, extra, f"{where}.{name}")
    return errors


def api_routes(fallbacks=False):
    """``{openapi path: set of methods}`` of the routes OrderTrackingApi declares: the routes
    that serve (default) or the fallbacks that only answer 405 (``*_wrong_method``)."""
    routes = {}
    for name in dir(OrderTrackingApi):
        routing = getattr(getattr(OrderTrackingApi, name), "original_routing", None)
        if not routing or name.endswith("_wrong_method") != fallbacks:
            continue
        for route in routing["routes"]:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            routes.setdefault(path, set()).update(m.lower() for m in routing["methods"])
    return routes


def walk_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from walk_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_refs(value)


class TestSchemaChecker(unittest.TestCase):
    """The checker must catch what it is used to catch, or the schema tests prove nothing."""

    def test_checker_reports_type_required_enum_and_extra_fields(self):
        document = load_document()
        schema = {"$ref": "#/components/schemas/Security"}
        self.assertEqual(
            schema_errors(document, {"verified": True, "level": 2, "method": "otp"}, schema), []
        )
        self.assertTrue(schema_errors(document, {"verified": "yes", "level": 1}, schema))
        self.assertTrue(
            schema_errors(document, {"verified": False, "level": 3, "method": None}, schema)
        )
        error = {"error": {"code": "invalid_json", "message": "x"}, "trace": "..."}
        self.assertTrue(schema_errors(document, error, {"$ref": "#/components/schemas/Error"}))
        one_of = {"$ref": "#/components/schemas/MessageCreate"}
        self.assertEqual(schema_errors(document, {"text": "سلام"}, one_of), [])
        self.assertTrue(schema_errors(document, {"text": "hi", "action": "menu"}, one_of))


class TestOpenApiDocument(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = load_document()

    def test_is_openapi_3_with_info_and_paths(self):
        self.assertRegex(self.document["openapi"], r"^3\.[01]\.\d+$")
        self.assertTrue(self.document["info"]["title"])
        self.assertTrue(self.document["info"]["version"])
        self.assertTrue(self.document["paths"])

    def test_every_reference_resolves(self):
        refs = set(walk_refs(self.document))
        self.assertGreater(len(refs), 10)
        for ref in refs:
            with self.subTest(ref=ref):
                resolve(self.document, ref)

    def test_every_route_is_documented_and_every_path_is_a_route(self):
        routes = api_routes()
        documented = {
            path: {m for m in item if m in HTTP_METHODS}
            for path, item in self.document["paths"].items()
        }
        self.assertEqual(routes, documented, "documented operations vs routes")
        # Other verbs on each path reach a route that answers a JSON 405, which is documented.
        fallbacks = api_routes(fallbacks=True)
        self.assertEqual(set(fallbacks), set(documented))
        for path, methods in documented.items():
            with self.subTest(path=path):
                self.assertTrue(path.startswith(API_PREFIX))
                self.assertFalse(methods & fallbacks[path])
                self.assertLessEqual(
                    {"get", "post", "put", "patch", "delete"}, methods | fallbacks[path]
                )
                for method in methods:
                    self.assertIn("405", self.document["paths"][path][method]["responses"])
        self.assertEqual(documented[f"{API_PREFIX}/sessions"], {"post"})
        self.assertEqual(documented[f"{API_PREFIX}/sessions/{{token}}/messages"], {"post"})
        self.assertEqual(documented[f"{API_PREFIX}/openapi.json"], {"get"})

    def test_path_parameters_are_declared(self):
        for path, item in self.document["paths"].items():
            names = set(re.findall(r"{(\w+)}", path))
            params = [
                resolve(self.document, p["$ref"]) if "$ref" in p else p
                for p in item.get("parameters", [])
            ]
            declared = {p["name"] for p in params if p["in"] == "path"}
            with self.subTest(path=path):
                self.assertEqual(names, declared)

    def test_chat_operations_document_every_error_status(self):
        expected = {"400", "405", "413", "415", "429", "500"}
        for path, extra in (("/sessions", {"201"}), ("/sessions/{token}/messages", {"200", "404"})):
            responses = self.document["paths"][API_PREFIX + path]["post"]["responses"]
            with self.subTest(path=path):
                self.assertLessEqual(expected | extra, set(responses))
                too_many = resolve(self.document, responses["429"]["$ref"])
                self.assertIn("Retry-After", too_many["headers"])
                not_allowed = resolve(self.document, responses["405"]["$ref"])
                self.assertIn("Allow", not_allowed["headers"])

    def test_order_schema_has_every_field_of_the_payload(self):
        schemas = self.document["components"]["schemas"]
        order = schemas["Order"]["properties"]
        for name in ("orderId", "status", "statusLabel", "createdAt", "eta", "tracking"):
            self.assertIn(name, order)
        self.assertIn("exception", order)
        self.assertIn("details", order)
        self.assertEqual(
            set(schemas["Tracking"]["properties"]), {"carrier", "code", "url", "lastEvent"}
        )
        details = schemas["OrderDetails"]["properties"]
        self.assertLessEqual({"items", "events", "address", "payment", "invoiceUrl"}, set(details))
        reply = schemas["ChatReply"]
        self.assertLessEqual(
            {"messages", "order", "security", "nextActions"}, set(reply["required"])
        )
        self.assertIn("retryAfter", schemas["Error"]["properties"]["error"]["properties"])

    def test_examples_match_their_schemas_in_persian_and_english(self):
        checked = 0
        persian = english = 0
        for path, item in self.document["paths"].items():
            for method in (m for m in item if m in HTTP_METHODS):
                operation = item[method]
                bodies = [operation.get("requestBody", {})]
                for response in operation["responses"].values():
                    if "$ref" in response:
                        response = resolve(self.document, response["$ref"])
                    bodies.append(response)
                for body in bodies:
                    media = body.get("content", {}).get("application/json", {})
                    for name, example in media.get("examples", {}).items():
                        value = example["value"]
                        with self.subTest(path=path, method=method, example=name):
                            self.assertEqual(
                                schema_errors(self.document, value, media["schema"]), []
                            )
                        checked += 1
                        text = json.dumps(value, ensure_ascii=False)
                        if PERSIAN.search(text):
                            persian += 1
                        else:
                            english += 1
        self.assertGreaterEqual(checked, 15)
        self.assertGreaterEqual(persian, 5, "examples in Persian")
        self.assertGreaterEqual(english, 5, "examples in English")


@tagged("post_install", "-at_install")
class TestOpenApiServed(HttpCase):
    def test_document_is_served_as_json(self):
        response = self.url_open(f"{API_PREFIX}/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertEqual(response.json(), load_document())

    def test_document_is_read_only(self):
        response = self.url_open(f"{API_PREFIX}/openapi.json", data="{}", method="POST")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(response.json()["error"]["code"], "method_not_allowed")
        self.assertIn("GET", response.headers["Allow"])
