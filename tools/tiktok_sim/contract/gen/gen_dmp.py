"""Writes ../audience.json: the customer-file custom audience endpoints
ttads-audience calls (/dmp/custom_audience/*).

Field lists, types, "required", strict enums and bounds are read from TikTok's
SDK endpoint specs (machine-readable); the reference pages add what the specs
do not say (the name/file_paths pair on update, the default action), each
with its source (docs/tiktok-contract/audience.md). What needs the state or
the file's content — signatures, digests, the file's calculate_type, the
1,000-member floor — stays in handlers_dmp.cc.
"""
from sources import REF, SDK, sdk_body, sdk_fields, write

UPLOAD = "Audience/Customer File/Upload_an_audience_file__260c1e4f.json"
CREATE = "Audience/Customer File/Create_an_audience_by_file__1d23bd56.json"
UPDATE = "Audience/Update_an_audience__cc43c99c.json"
GET = "Audience/Get_audience_details__5c2b84ce.json"
LIST = "Audience/Get_all_audiences__dea6dc7c.json"
DELETE = "Audience/Delete_audiences__56535ddc.json"

# The codes TikTok answers for a calculate_type outside the endpoint's enum
# and for more than 100 audience ids: the simulator's reading (TikTok's
# return-code appendix is not among the mirrored pages; audience.md "Error
# codes"). Other refusals are 40002.
BAD_CALCULATE_TYPE = 40909
TOO_MANY_IDS = 40011
FILE_MISSING = 40905


def y(name):
    return "dmp_custom_audience_%s.yml" % name


def src(page, yml):
    return "%s%s; %s%s" % (REF, page, SDK, yml)


def too_many_ids(page, yml):
    return {"if": {}, "max_items": {"custom_audience_ids": 100}, "code": TOO_MANY_IDS,
            "source": src(page, yml) + " custom_audience_ids: length range [1, 100]"}


def post(path, page, yml, response, rules=(), extra=None, notes=None):
    enc, fields = sdk_body(y(yml), path)
    fields.update(extra or {})
    if "calculate_type" in fields:
        fields["calculate_type"]["code"] = BAD_CALCULATE_TYPE
    e = {"path": path, "method": "POST", "encoding": [enc], "headers": ["Access-Token"],
         "unknown_fields": "refuse", "source": src(page, y(yml)), "fields": fields}
    if rules:
        e["rules"] = list(rules)
    if notes:
        e["notes"] = notes
    e["response"] = {"data": response, "source": REF + page + " response"}
    return e


def get(path, page, yml, response, rules=()):
    fields = sdk_fields(y(yml), path)
    e = {"path": path, "method": "GET", "headers": ["Access-Token"], "unknown_fields": "refuse",
         "source": src(page, y(yml)), "fields": fields}
    if rules:
        e["rules"] = list(rules)
    e["response"] = {"data": response, "source": REF + page + " response"}
    return e


upload = post(
    "/dmp/custom_audience/file/upload/", UPLOAD, "file_upload", ["file_path"],
    # The page and the spec both require file; without a file part TikTok
    # answers its "no file" code.
    rules=[{"if": {}, "require": ["file"], "code": FILE_MISSING,
            "source": src(UPLOAD, y("file_upload")) + " file"}],
    extra={"file_name": {"type": "string"}},
    notes="file_name is on neither the page nor the spec, but TikTok's own JavaScript SDK "
          "(AudienceApi.dmpCustomAudienceFileUpload) sends it: accepted. MAID_SHA256/MAID_MD5 "
          "are upload-only aliases of FIRST_SHA256/FIRST_MD5.")
upload["fields"]["file"] = {"type": "file"}  # Its absence is the rule's 40905.

create = post(
    "/dmp/custom_audience/create/", CREATE, "create", ["custom_audience_id"],
    notes="calculate_type has no MAID_* values here (the spec's strict enum).")
create["fields"]["custom_audience_name"]["min_len"] = 1
create["fields"]["file_paths"]["items"] = {"type": "string"}

update = post(
    "/dmp/custom_audience/update/", UPDATE, "update", [],
    rules=[{"if": {}, "require_one_of": [["custom_audience_name", "file_paths"]],
            "source": REF + UPDATE + " custom_audience_name: you must pass in either this field or file_paths"}],
    notes="action defaults to REPLACE and is read only with file_paths. The 1,000-member floor "
          "after APPEND, REMOVE or REPLACE needs the audience, so the handler enforces it.")
update["fields"]["custom_audience_name"].update({"min_len": 1, "max_len": 128})
update["fields"]["audience_sub_type"]["enum"] = ["NORMAL", "REACH_FREQUENCY"]
update["fields"]["file_paths"].update({"min_items": 1, "items": {"type": "string"}})

delete = post("/dmp/custom_audience/delete/", DELETE, "delete", [],
              rules=[too_many_ids(DELETE, y("delete"))])
delete["fields"]["custom_audience_ids"].pop("max_items", None)
delete["fields"]["custom_audience_ids"]["items"] = {"type": "string"}

lst = get("/dmp/custom_audience/list/", LIST, "list",
          ["list[].audience_id", "list[].name", "list[].calculate_type", "list[].cover_num",
           "list[].is_valid", "page_info.total_page"],
          rules=[too_many_ids(LIST, y("list"))])
lst["fields"]["custom_audience_ids"].pop("max_items", None)
lst["fields"]["custom_audience_ids"]["min_items"] = 1

got = get("/dmp/custom_audience/get/", GET, "get",
          ["list[].audience_details.audience_id", "list[].audience_details.name",
           "list[].audience_details.calculate_type", "list[].audience_details.cover_num",
           "list[].audience_details.is_valid"],
          rules=[too_many_ids(GET, y("get"))])
got["fields"]["custom_audience_ids"].pop("max_items", None)
got["fields"]["custom_audience_ids"]["min_items"] = 1

write("audience.json",
      "TikTok Marketing API v1.3 customer-file custom audience endpoints ttads calls. Generated "
      "by gen/gen_dmp.py from TikTok's SDK specs and reference pages; every endpoint and rule "
      "cites its source.",
      [upload, create, update, lst, got, delete])
print("6 endpoints")
