#!/usr/bin/env python3
"""Checks JSON output against the tables of doc/json.md.

    json-schema.py DOC --list          the objects the document describes
    json-schema.py DOC OBJECT FILE     checks FILE (one JSON object, or JSON
                                       Lines for "sweep row" and "network sweep row") against OBJECT

Every field the table marks "always" must be there, every field there must
be in the table, and every value must have one of the table's types.  For
"verify several", each result is checked against "verify KIND" (or "verify
invalid").  Exit 0 when it conforms, else 1 with the reason on stderr.
Uses the standard library only (any python3)."""

import json
import re
import sys

TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def tables(path):
    """{object name: {field: (types, always)}} from the document."""
    out, name = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"<!-- object: (.*) -->", line.strip())
            if m:
                name = m.group(1)
                out[name] = {}
                continue
            if name is None:
                continue
            if not line.startswith("|"):
                if out[name]:
                    name = None
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 3 or cells[0] in ("field", "---") or set(cells[0]) <= set("-"):
                continue
            field = cells[0].strip("`")
            types = [t.strip() for t in cells[1].split(" or ")]
            for t in types:
                if t not in TYPES:
                    raise SystemExit("%s: object %s, field %s: unknown type %r" % (path, name, field, t))
            out[name][field] = (types, cells[2] == "always")
    return out


def check(schema, name, obj, where=""):
    """None when obj conforms to the table name, else the reason."""
    if name not in schema:
        return "%sno table for object %r" % (where, name)
    if not isinstance(obj, dict):
        return "%snot a JSON object" % where
    table = schema[name]
    for field, (types, always) in table.items():
        if always and field not in obj:
            return "%s%s: field %r missing" % (where, name, field)
    for field, value in obj.items():
        if field not in table:
            return "%s%s: field %r is not documented" % (where, name, field)
        types = table[field][0]
        if not any(TYPES[t](value) for t in types):
            return "%s%s: field %r is %r, not %s" % (where, name, field, value, " or ".join(types))
    if obj.get("schema") != 1:
        return "%s%s: schema is %r, not 1" % (where, name, obj.get("schema"))
    if name == "verify several":
        for k, r in enumerate(obj["results"]):
            kind = ("verify " + str(r.get("kind"))) if isinstance(r, dict) and r.get("valid") else "verify invalid"
            why = check(schema, kind, r, "results[%d]: " % k)
            if why:
                return why
    return None


def main(argv):
    if len(argv) == 3 and argv[2] == "--list":
        for name in tables(argv[1]):
            print(name)
        return 0
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    schema = tables(argv[1])
    name, path = argv[2], argv[3]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        objs = ([json.loads(x) for x in text.splitlines() if x.strip()] if name.endswith("sweep row")
                else [json.loads(text)])
    except ValueError as e:
        sys.stderr.write("%s: not JSON: %s\n" % (path, e))
        return 1
    if not objs:
        sys.stderr.write("%s: no object\n" % path)
        return 1
    for k, o in enumerate(objs):
        why = check(schema, name, o, "line %d: " % (k + 1) if name.endswith("sweep row") else "")
        if why:
            sys.stderr.write("%s: %s\n" % (path, why))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
