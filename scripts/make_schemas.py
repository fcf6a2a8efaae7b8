"""Writes the JSON Schemas: package data (src/backup_access/schemas) and docs/schemas.

    python scripts/make_schemas.py   (writes into the repository the script is in)

The schemas describe docs/request.md, docs/world.md and docs/output.md; tests/test_schemas.py
validates real inputs and outputs against them.
"""

import json
import pathlib

BASE = "https://backup-access.example/schemas/"


def obj(props, required=(), extra=False, **kw):
    d = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        d["required"] = list(required)
    d.update(kw)
    return d


S = {"type": "string"}
NS = {"type": ["string", "null"]}
STRS = {"type": "array", "items": S}
POLICY = {
    "type": "object",
    "description": "an IAM policy document (Version, Statement)",
    "properties": {"Version": S, "Id": S, "Statement": {"type": ["array", "object"]}},
    "required": ["Statement"],
}
ACCOUNT_ID = {
    "type": ["string", "integer"],
    "pattern": "^[0-9]{12}$",
    "description": "12 digits; quote it in YAML",
}
CONTEXT_VALUE = {
    "anyOf": [
        S,
        {"type": ["number", "boolean"]},
        {"type": "array", "items": {"type": ["string", "number", "boolean"]}},
    ]
}
NAMED = {"anyOf": [POLICY, obj({"name": S, "document": POLICY}, ["document"])]}
LEVEL = obj({"level": S, "policies": {"type": "array", "items": NAMED}}, ["level", "policies"])
GRANT = obj(
    {
        "name": NS,
        "grantee": S,
        "operations": STRS,
        "retiring_principal": NS,
        "constraints": obj(
            {
                "encryption_context_equals": {"type": "object"},
                "encryption_context_subset": {"type": "object"},
            }
        ),
    },
    ["grantee", "operations"],
)
REQUEST_ITEM = obj(
    {
        "name": S,
        "doc": S,
        "expect": {"enum": ["allowed", "denied", "implicit_deny", "explicit_deny"]},
        "request": obj(
            {
                "principal": S,
                "action": S,
                "resource": S,
                "resource_account": {"type": ["string", "integer"]},
                "context": {"type": "object", "additionalProperties": CONTEXT_VALUE},
                "principal_is_service_linked": {"type": "boolean"},
                "management_account": {
                    **ACCOUNT_ID,
                    "description": "the organization's management account id (12 digits; "
                    "quote it in YAML): SCPs do not apply to a principal there, RCPs not to "
                    "a resource there",
                },
            },
            ["principal", "action", "resource"],
        ),
        "policies": obj(
            {
                "identity": {"type": "array", "items": NAMED},
                "boundary": {"type": "array", "items": NAMED},
                "session": {"type": "array", "items": NAMED},
                "resource": {"anyOf": [NAMED, {"type": "null"}]},
                "endpoint": {"type": "array", "items": NAMED},
                "scp": {"type": "array", "items": LEVEL},
                "rcp": {"type": "array", "items": LEVEL},
                "grants": {"type": "array", "items": GRANT},
            }
        ),
    },
    ["request"],
)
request = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "request.schema.json",
    "title": "backup-access request file (simulate REQUEST_FILE)",
    "description": "See docs/request.md.",
    "anyOf": [REQUEST_ITEM, {"type": "array", "items": REQUEST_ITEM}],
}

UNIT = {"$ref": "#/$defs/unit"}
unit = obj(
    {
        "id": S,
        "name": S,
        "policies": STRS,
        "accounts": {"type": "array", "items": ACCOUNT_ID},
        "ous": {"type": ["array", "null"], "items": UNIT},
    },
    ["id"],
)
ROLE = obj(
    {
        "path": S,
        "trust": POLICY,
        "policies": STRS,
        "inline": {"type": "object", "additionalProperties": POLICY},
        "boundary": NS,
        "tags": {"type": "object"},
    }
)
USER = obj(
    {
        "path": S,
        "groups": STRS,
        "policies": STRS,
        "inline": {"type": "object", "additionalProperties": POLICY},
        "boundary": NS,
        "tags": {"type": "object"},
    }
)
GROUP = obj(
    {"path": S, "policies": STRS, "inline": {"type": "object", "additionalProperties": POLICY}}
)
POINT = {"anyOf": [S, obj({"id": S, "resource_type": NS, "key": NS}, ["id"])]}
VAULT = obj(
    {
        "key": NS,
        "access_policy": {"anyOf": [POLICY, {"type": "null"}]},
        "type": {"enum": ["standard", "logically_air_gapped"]},
        "shared_with": STRS,
        "recovery_points": {"type": "array", "items": POINT},
        "tags": {"type": "object"},
        "lock": obj(
            {
                "mode": {"enum": ["governance", "compliance"]},
                "min_retention_days": {"type": ["integer", "null"]},
                "max_retention_days": {"type": ["integer", "null"]},
                "immutable": {"type": "boolean"},
            }
        ),
    }
)
KEY = obj(
    {
        "aliases": STRS,
        "manager": {"enum": ["customer", "aws"]},
        "policy": {"anyOf": [POLICY, {"type": "null"}]},
        "grants": {"type": "array", "items": GRANT},
        "tags": {"type": "object"},
    }
)
FLAGS = {"type": "object", "additionalProperties": {"type": "boolean"}}
REGION = obj(
    {
        "backup": obj(
            {
                "vaults": {"type": "object", "additionalProperties": VAULT},
                "opt_in": FLAGS,
                "full_management": FLAGS,
            }
        ),
        "kms": obj({"keys": {"type": "object", "additionalProperties": KEY}}),
        "ec2": obj(
            {
                "allowed_images": obj(
                    {
                        "state": {"enum": ["enabled", "audit-mode", "disabled"]},
                        "providers": {"type": "array", "items": {"type": ["string", "integer"]}},
                        "managed_by": {"enum": ["account", "declarative-policy"]},
                    },
                    required=("state",),
                )
            }
        ),
    }
)
ACCOUNT = obj(
    {
        "name": NS,
        "iam": obj(
            {
                "policies": {"type": "object", "additionalProperties": POLICY},
                "roles": {"type": "object", "additionalProperties": ROLE},
                "users": {"type": "object", "additionalProperties": USER},
                "groups": {"type": "object", "additionalProperties": GROUP},
            }
        ),
        "regions": {"type": "object", "additionalProperties": REGION},
        "s3": obj(
            {
                "buckets": {
                    "type": "object",
                    "additionalProperties": obj(
                        {"versioning": {"enum": ["enabled", "suspended", "disabled"]}}
                    ),
                }
            }
        ),
    }
)
world = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "world.schema.json",
    "title": "backup-access world file (--world)",
    "description": "See docs/world.md. A directory of such files merges.",
    "$defs": {"unit": unit},
    **obj(
        {
            "organization": obj(
                {
                    "id": {"type": "string", "pattern": "^o-"},
                    "management_account": ACCOUNT_ID,
                    "cross_account_backup": {"type": "boolean"},
                    "policies": {
                        "type": "object",
                        "additionalProperties": obj(
                            {"type": {"enum": ["scp", "rcp"]}, "document": POLICY},
                            ["type", "document"],
                        ),
                    },
                    "root": UNIT,
                    "account_policies": {"type": "object", "additionalProperties": STRS},
                    # The organization's service integrations (world/backup_parts.py).
                    "trusted_access": {
                        "description": "Service principals with trusted access in AWS "
                        "Organizations.",
                        **STRS,
                    },
                    "delegated_administrators": {
                        "description": "Delegated administrator account ids by service principal.",
                        "type": "object",
                        "additionalProperties": STRS,
                    },
                    "backup_delegated_admin_enabled": {
                        "description": "AWS Backup's isDelegatedAdministratorEnabled global "
                        "setting.",
                        "type": "boolean",
                    },
                },
                ["id", "root"],
            ),
            "accounts": {
                "type": "object",
                "propertyNames": {"pattern": "^[0-9]{12}$"},
                "additionalProperties": ACCOUNT,
            },
            "aws_managed_policies": {
                "type": "object",
                "additionalProperties": obj({"document": POLICY}, ["document"]),
            },
        }
    ),
}

VERSION = {"const": "1"}
TRACE = {
    "anyOf": [
        obj(
            {
                "kind": {"const": "statement"},
                "layer": S,
                "level": S,
                "policy": S,
                "statement": {"type": "integer"},
                "sid": NS,
                "effect": {"enum": ["Allow", "Deny"]},
                "matched": {"type": "boolean"},
                "outcome": {"enum": ["matched", "not_matched", "unsupported"]},
                "element": S,
                "condition": obj(
                    {"operator": S, "key": S, "expected": {"type": "array"}, "actual": {}},
                    extra=True,
                ),
                "reason": S,
                "pointer": S,
            },
            ["kind", "layer", "policy", "statement", "effect", "outcome", "reason", "pointer"],
            extra=True,
        ),
        obj(
            {
                "kind": {"const": "layer"},
                "layer": S,
                "level": S,
                "outcome": {
                    "enum": [
                        "allowed",
                        "implicit_deny",
                        "explicit_deny",
                        "exempt",
                        "not_applicable",
                    ]
                },
                "reason": S,
            },
            ["kind", "layer", "outcome", "reason"],
            extra=True,
        ),
    ]
}
RESULT = obj(
    {
        "schema_version": VERSION,
        "decision": {"enum": ["allowed", "implicit_deny", "explicit_deny"]},
        "blocked_by": STRS,
        "request": obj(
            {
                "principal": S,
                "action": S,
                "resource": S,
                "resource_account": NS,
                "context": {"type": "object"},
            },
            ["principal", "action", "resource", "context"],
            extra=True,
        ),
        "unsupported": STRS,
        "trace": {"type": "array", "items": TRACE},
        "name": S,
        "expect": S,
        "expectation_met": {"type": ["boolean", "null"]},
        "notes": STRS,
        "missing": STRS,
        "assumptions": STRS,
    },
    ["schema_version", "decision", "blocked_by", "request", "unsupported", "trace"],
    extra=True,
)
simulate = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "simulate.schema.json",
    "title": "backup-access simulate --format json",
    "description": "See docs/output.md. One result, or a list for a batch file.",
    "anyOf": [RESULT, {"type": "array", "items": RESULT}],
}

STATEMENT = obj(
    {
        "layer": S,
        "level": NS,
        "policy": S,
        "statement": {"type": "integer"},
        "sid": NS,
        "effect": S,
        "pointer": S,
        "source": NS,
        "reason": S,
        "quoted": {"type": "object"},
    },
    ["layer", "policy", "statement", "effect", "pointer", "reason", "quoted"],
    extra=True,
)
CHECK = obj(
    {
        "id": S,
        "kind": {"enum": ["permission", "setting"]},
        "principal": NS,
        "action": NS,
        "resource": NS,
        "decision": {"enum": ["allowed", "implicit_deny", "explicit_deny", "denied", "unknown"]},
        "blocked_by": STRS,
        "reason": S,
        "title": S,
        "source": S,
        "resource_policy": NS,
        "statements": {"type": "array", "items": STATEMENT},
        "missing": STRS,
        "notes": STRS,
    },
    ["id", "kind", "principal", "action", "resource", "decision", "blocked_by", "reason"],
    extra=True,
)
EXPLANATION = obj(
    {
        "schema_version": VERSION,
        "operation": S,
        "verdict": {"enum": ["allowed", "denied", "unknown"]},
        "checks": {"type": "array", "items": CHECK},
        "fixes": {"type": "array"},
        "parameters": {"type": "object", "additionalProperties": S},
        "skipped": {"type": "array", "items": obj({"id": S, "why": S}, ["id", "why"], extra=True)},
        "notes": STRS,
        "missing": STRS,
        "disagreements": STRS,
        "expect": S,
        "expectation_met": {"type": ["boolean", "null"]},
    },
    ["schema_version", "operation", "verdict", "checks", "fixes"],
    extra=True,
)
explain = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "explain.schema.json",
    "title": "backup-access explain / fix --format json",
    "description": "See docs/output.md. One explanation, or a list for --cloudtrail.",
    "anyOf": [EXPLANATION, {"type": "array", "items": EXPLANATION}],
}

FINDING = obj(
    {
        "rule": {"type": "string", "pattern": "^BA[0-9]{3}$"},
        "severity": {"enum": ["error", "warning", "info"]},
        "file": S,
        "line": {"type": ["integer", "null"]},
        "column": {"type": ["integer", "null"]},
        "pointer": NS,
        "message": S,
        "title": S,
        "policy": NS,
        "origin": NS,
    },
    ["rule", "severity", "file", "message"],
    extra=True,
)
lint = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "lint.schema.json",
    "title": "backup-access lint --format json",
    "description": "See docs/lint.md.",
    **obj(
        {
            "schema_version": VERSION,
            "findings": {"type": "array", "items": FINDING},
            "errors": {"type": "array"},
        },
        ["findings", "errors"],
        extra=True,
    ),
}
SCHEMAS = {
    "request": request,
    "world": world,
    "simulate": simulate,
    "explain": explain,
    "lint": lint,
}
ROOT = pathlib.Path(__file__).resolve().parents[1]
FOLDERS = ("src/backup_access/schemas", "docs/schemas")


def render(schema):
    """A schema's file text, exactly as committed."""
    return json.dumps(schema, indent=2) + "\n"


def main():
    for name, schema in SCHEMAS.items():
        for folder in FOLDERS:
            ROOT.joinpath(folder, f"{name}.schema.json").write_text(render(schema))


if __name__ == "__main__":
    main()
