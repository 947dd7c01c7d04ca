"""Readers for the two public sources the contract files are generated from.

TikTok's API reference pages (ckr2436/Tiktok-OPS, one JSON file per page, a
flat parameter list in which an object's members follow the object) and
TikTok's SDK endpoint specs (tiktok/tiktok-business-api-sdk, OpenAPI YAML).
Both are read straight from local git snapshots; set TIKTOK_OPS_GIT and
TIKTOK_SDK_GIT to their git directories (defaults: the /work/.mirror copies).
"""
import json
import os
import subprocess

OPS_GIT = os.environ.get("TIKTOK_OPS_GIT", "/work/.mirror/ckr2436+Tiktok-OPS/repo")
SDK_GIT = os.environ.get("TIKTOK_SDK_GIT", "/work/.mirror/tiktok+tiktok-business-api-sdk/repo")
PAGES = "docs/tiktok_api/pages/API Reference/"
REF = "ckr2436/Tiktok-OPS " + PAGES
SDK = "tiktok/tiktok-business-api-sdk yml_files/"

TYPES = {"string": "string", "url": "string", "number": "number", "integer": "integer",
         "boolean": "boolean", "object": "object", "string[]": "array",
         "number[]": "array", "integer[]": "array", "object[]": "array", "file": "file"}
ITEM = {"string[]": "string", "number[]": "integer", "integer[]": "integer", "object[]": "object"}


def show(git_dir, path):
    return subprocess.run(["git", "--git-dir=" + git_dir, "show", "HEAD:" + path],
                          check=True, capture_output=True).stdout.decode()


def page(rel):
    """A reference page (path under API Reference/) as parsed JSON."""
    return json.loads(show(OPS_GIT, PAGES + rel))


def clean(name):
    """'advertiser_id Conditional' -> 'advertiser_id'."""
    return name.split()[0]


def spec_of(raw_type, required=False):
    raw = raw_type.replace("Conditional ", "").replace("conditional ", "").strip()
    s = {"type": TYPES[raw]}
    if raw in ITEM:
        s["items"] = {"type": ITEM[raw]}
    if required:
        s["required"] = True
    return s


def page_fields(rel, objects):
    """The request fields of a reference page.

    `objects` maps each object-typed parameter to its members, in the order
    the page lists them right after it (the page is flat). Returns
    ({name: spec}, {name: description}).
    """
    ps = page(rel)["request"]["parameters"]
    fields, docs = {}, {}
    i = 0
    while i < len(ps):
        n = clean(ps[i]["name"])
        s = spec_of(ps[i]["raw_type"], ps[i]["required"] and "Conditional" not in ps[i]["name"])
        docs[n] = ps[i]["description"]
        kids = objects.get(n)
        if kids:
            target = s["items"] if s["type"] == "array" else s
            target["fields"] = {}
            target["unknown_fields"] = "refuse"
            for k in kids:
                i += 1
                assert clean(ps[i]["name"]) == k, (rel, n, ps[i]["name"], k)
                target["fields"][k] = spec_of(ps[i]["raw_type"], ps[i]["required"])
                docs[n + "." + k] = ps[i]["description"]
        fields[n] = s
        i += 1
    return fields, docs


def sdk_fields(yml, path, method="get"):
    """The request fields of an SDK endpoint spec (query parameters).

    Access-Token is listed there as a parameter; TikTok takes it as a header,
    so it is left out (the contract's "headers" carries it).
    """
    import yaml
    d = yaml.safe_load(show(SDK_GIT, "yml_files/" + yml))
    op = d["paths"][path][method]
    fields = {}
    for p in op.get("parameters", []):
        if p["name"] == "Access-Token":
            continue
        schema = p.get("schema") or p["content"]["application/json"]["schema"]
        fields[p["name"]] = yaml_spec(schema, p.get("required", False))
    return fields


def sdk_body(yml, path):
    """The request body of an SDK endpoint spec: (encoding, {name: spec})."""
    import yaml
    d = yaml.safe_load(show(SDK_GIT, "yml_files/" + yml))
    content = d["paths"][path]["post"]["requestBody"]["content"]
    ct, body = next(iter(content.items()))
    schema = body["schema"]
    required = set(schema.get("required", []))
    fields = {}
    for k, v in schema.get("properties", {}).items():
        fields[k] = yaml_spec(v, k in required)
    encoding = "multipart" if ct.startswith("multipart/") else "json"
    return encoding, fields


def yaml_spec(schema, required=False):
    t = schema.get("type", "string")
    s = {"type": t if t in ("string", "integer", "number", "boolean", "array", "object") else "any"}
    if required:
        s["required"] = True
    enum = schema.get("x-open-enum")
    if enum and enum.get("strict"):
        s["enum"] = [e["key"] for e in enum["enums"] if e.get("is_valid", True)]
    if "minimum" in schema:
        s["min"] = schema["minimum"]
    if "maximum" in schema:
        s["max"] = schema["maximum"]
    if schema.get("format") == "binary":
        s["type"] = "file"
    if "maxLength" in schema:
        s["max_len"] = schema["maxLength"]
    if "minItems" in schema:
        s["min_items"] = schema["minItems"]
    if "maxItems" in schema:
        s["max_items"] = schema["maxItems"]
    if t == "array" and "items" in schema:
        s["items"] = yaml_spec(schema["items"])
    if t == "object" and schema.get("properties"):
        s["fields"] = {k: yaml_spec(v) for k, v in schema["properties"].items()}
        s["unknown_fields"] = "refuse"
    return s


def write(name, about, endpoints):
    base = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    with open(os.path.join(base, name), "w") as f:
        json.dump({"about": about, "endpoints": endpoints}, f, indent=1)
        f.write("\n")
