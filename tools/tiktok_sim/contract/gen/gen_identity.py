"""Writes ../identity.json: the OAuth and identity endpoints ttads calls.

oauth2/access_token, oauth2/advertiser/get, oauth2/revoke_token (identity
service: connect, list ad accounts, disconnect) and identity/get,
identity/create, identity/video/get (identity service; ads for Spark posts).
The SDK specs have no file for any of them, so TikTok's reference pages are
the only source (docs/tiktok-contract/identity.md). Field lists, types and
"required" flags are read from the pages; enums, limits and conditions are
written out from the page text below, each rule with its source.
"""
from sources import REF, page_fields, write

TOKEN = "Authentication/Obtain_a_long-term_access_token__02773816.json"
ADV = "Ad Accounts/Get_authorized_ad_accounts__4b999a12.json"
REVOKE = "Authentication/Revoke_a_long-term_access_token__61052cb8.json"
ID_GET = "Identity/Get_the_identity_list__bb360e39.json"
ID_CREATE = "Identity/Create_an_identity__8680cdc1.json"
ID_VIDEO = "Identity/Get_posts_under_an_identity__b563ba2d.json"

TYPES = ["CUSTOMIZED_USER", "AUTH_CODE", "TT_USER", "BC_AUTH_TT"]


def fields(rel):
    f, _ = page_fields(rel, {})
    for spec in f.values():
        # A required string (an id, the app's secret) is not there when empty.
        if spec.get("required") and spec["type"] == "string":
            spec["min_len"] = 1
    return f


def bc_rule(rel):
    # "identity_authorized_bc_id: Required when identity_type is BC_AUTH_TT."
    return {"if": {"identity_type": ["BC_AUTH_TT"]}, "require": ["identity_authorized_bc_id"],
            "source": REF + rel + " identity_authorized_bc_id"}


def endpoint(path, method, rel, f, headers, rules=(), response=(), notes=None):
    e = {"path": path, "method": method, "headers": headers, "unknown_fields": "refuse",
         "source": REF + rel, "fields": f}
    if method == "POST":
        e["encoding"] = ["json"]
    if rules:
        e["rules"] = list(rules)
    if notes:
        e["notes"] = notes
    e["response"] = {"data": list(response), "source": REF + rel + " response"}
    return e


id_get = fields(ID_GET)
id_get["identity_type"]["enum"] = TYPES
id_get["page"] = {"type": "integer", "min": 1}
id_get["page_size"] = {"type": "integer", "min": 1, "max": 100}  # "Value range: 1-100."

id_create = fields(ID_CREATE)
id_create["display_name"].update({"min_len": 1, "max_len": 100})  # "The maximum length is 100 characters."

id_video = fields(ID_VIDEO)
id_video["identity_type"]["enum"] = ["AUTH_CODE", "TT_USER", "BC_AUTH_TT"]
id_video["item_type"]["enum"] = ["VIDEO", "CAROUSEL"]
# "Value range: 1-20. If you specify a value greater than 20, this field
# will be ignored": values above 20 are accepted (and read as 20).
id_video["count"] = {"type": "integer", "min": 1}

endpoints = [
    endpoint("/oauth2/access_token/", "POST", TOKEN, fields(TOKEN), [],
             response=["access_token", "advertiser_ids", "scope"],
             notes="No Access-Token header: the page lists only Content-Type."),
    endpoint("/oauth2/advertiser/get/", "GET", ADV, fields(ADV), ["Access-Token"],
             response=["list[].advertiser_id", "list[].advertiser_name"]),
    endpoint("/oauth2/revoke_token/", "POST", REVOKE, fields(REVOKE), ["Access-Token"],
             response=["advertiser_ids", "app_id"],
             notes="The Access-Token header is required (the page's header table); without it TikTok refuses the call and the token stays live."),
    endpoint("/identity/get/", "GET", ID_GET, id_get, ["Access-Token"],
             rules=[bc_rule(ID_GET),
                    {"if": {"identity_type": ["AUTH_CODE", "TT_USER", "BC_AUTH_TT"]}, "forbid": ["filtering"],
                     "source": REF + ID_GET + " filtering: valid only when identity_type = CUSTOMIZED_USER or when identity_type is not specified"}],
             response=["identity_list[].identity_id", "identity_list[].identity_type",
                       "identity_list[].identity_authorized_bc_id", "identity_list[].display_name",
                       "identity_list[].profile_image", "identity_list[].available_status",
                       "identity_list[].can_pull_video", "identity_list[].can_push_video", "page_info"],
             notes="page_info is correct only when identity_type is specified (the page's note)."),
    endpoint("/identity/create/", "POST", ID_CREATE, id_create, ["Access-Token"],
             response=["identity_id"],
             notes="No identity_type parameter: only CUSTOMIZED_USER identities are created."),
    endpoint("/identity/video/get/", "GET", ID_VIDEO, id_video, ["Access-Token"],
             rules=[bc_rule(ID_VIDEO),
                    {"if": {"identity_type": ["TT_USER", "BC_AUTH_TT"]}, "forbid": ["keyword"],
                     "source": REF + ID_VIDEO + " keyword: valid only when identity_type is set to AUTH_CODE. Otherwise, an error will occur"}],
             response=["video_list[].item_id", "video_list[].text", "video_list[].video_info.poster_url",
                       "has_more", "cursor"],
             notes="video_info has no video id; a post is addressed by item_id."),
]

write("identity.json",
      "TikTok Marketing API v1.3 OAuth and identity endpoints ttads calls. Generated by "
      "gen/gen_identity.py; every endpoint and rule cites its reference page.",
      endpoints)
print(len(endpoints), "endpoints")
