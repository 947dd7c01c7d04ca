import json
import os

import sources
REF = "ckr2436/Tiktok-OPS docs/tiktok_api/pages/API Reference/"
CREATE = REF + "Ads/Create_ads__66f9a37f.json"
UPDATE = REF + "Ads/Update_ads__7b7abbd7.json"
GET = REF + "Ads/Get_ads__4952623e.json"
STATUS = REF + "Ads/Update_the_statuses_of_ads__020ea26b.json"

TYPES = {"string": ("string", None), "url": ("string", None), "number": ("number", None),
         "integer": ("integer", None), "boolean": ("boolean", None), "object": ("object", None),
         "string[]": ("array", "string"), "object[]": ("array", "object"), "file": ("file", None)}
# Members of nested objects on the pages (listed right after their parent).
CHILDREN = {"showcase_products": ["item_group_id", "store_id", "catalog_id"],
            "utm_params": ["key", "value"], "deeplink_utm_params": ["key", "value"],
            "disclaimer_text": ["text"], "disclaimer_clickable_texts": ["text", "url"]}

def spec_of(raw):
    t, item = TYPES[raw]
    s = {"type": t}
    if item: s["items"] = {"type": item}
    return s

def creative_fields(rel, skip):
    d = sources.page(rel)
    ps = d["request"]["parameters"]
    names = [p["name"].split()[0] for p in ps]
    start = names.index("creatives") + 1
    fields = {}
    i = start
    while i < len(ps):
        n = names[i]
        raw = ps[i]["raw_type"].replace("Conditional ", "").replace("conditional ", "").strip()
        s = spec_of(raw)
        kids = CHILDREN.get(n)
        if kids:
            target = s["items"] if s["type"] == "array" else s
            target["fields"] = {}
            for k in kids:
                i += 1
                assert names[i] == k, (n, names[i])
                kraw = ps[i]["raw_type"].replace("Conditional ", "").strip()
                target["fields"][k] = spec_of(kraw)
            target["unknown_fields"] = "refuse"
        if n not in skip and n not in fields:
            fields[n] = s
        i += 1
    return fields

# The showcase catalog_id (a child) repeats a creative-level name; the
# creative-level catalog_id comes first on the page.
c_fields = creative_fields("Ads/Create_ads__66f9a37f.json", set())
u_fields = creative_fields("Ads/Update_ads__7b7abbd7.json", set())

def tune(f, update):
    E = lambda n, vals: f[n].update({"enum": vals})
    E("identity_type", ["CUSTOMIZED_USER", "AUTH_CODE", "TT_USER", "BC_AUTH_TT"])
    E("ad_format", ["SINGLE_IMAGE", "SINGLE_VIDEO", "LIVE_CONTENT", "CAROUSEL_ADS", "CATALOG_CAROUSEL"])
    E("vertical_video_strategy", ["UNSET", "SINGLE_VIDEO", "CATALOG_VIDEOS", "CATALOG_UPLOADED_VIDEOS", "LIVE_STREAM"])
    E("dynamic_format", ["UNSET", "DYNAMIC_CREATIVE"])
    E("item_duet_status", ["ENABLE", "DISABLE"])
    E("item_stitch_status", ["ENABLE", "DISABLE"])
    E("dark_post_status", ["ON", "OFF"])
    E("deeplink_type", ["NORMAL", "DEFERRED_DEEPLINK"])
    E("fallback_type", ["APP_INSTALL", "WEBSITE", "UNSET"])
    E("aigc_disclosure_type", ["SELF_DISCLOSURE", "NOT_DECLARED"])
    E("disclaimer_type", ["TEXT_LINK", "TEXT_ONLY"])
    E("viewability_postbid_partner", ["MOAT", "DOUBLE_VERIFY", "IAS"])
    E("brand_safety_postbid_partner", ["DOUBLE_VERIFY", "IAS", "ZEFR"])
    if not update:
        E("operation_status", ["ENABLE", "DISABLE"])
    f["ad_name"].update({"max_len": 512, "length": "tiktok"})
    f["ad_text"].update({"min_len": 1, "max_len": 100, "length": "tiktok"})
    f["ad_texts"].update({"max_items": 5})
    f["ad_texts"]["items"].update({"min_len": 1, "max_len": 100, "length": "tiktok"})
    f["display_name"].update({"min_len": 1, "max_len": 40, "length": "tiktok"})
    f["app_name"].update({"min_len": 1, "max_len": 40})
    f["image_ids"].update({"min_items": 1, "max_items": 35})
    f["disclaimer_text"]["fields"]["text"].update({"max_len": 90})
    dct = f["disclaimer_clickable_texts"]
    dct.update({"min_items": 1, "max_items": 3, "max_total_len": {"field": "text", "max": 40}})
    dct["items"]["fields"]["text"].update({"max_len": 40})

for n in ("ad_name", "identity_type", "identity_id", "ad_format"):
    # Unconditionally required on the page ("ad_format ... Required" for every
    # listed scenario; the stricter reading makes it always required).
    c_fields[n]["required"] = True
tune(c_fields, False)
tune(u_fields, True)

def rules(update):
    full = {"$.patch_update": False} if update else {}
    def r(cond, **eff):
        c = dict(full); c.update(cond)
        src = eff.pop("src", None)
        out = {"if": c}; out.update(eff)
        out["source"] = (UPDATE if update else CREATE) + " " + src
        return out
    rs = [
        r({"identity_type": ["BC_AUTH_TT"]}, require=["identity_authorized_bc_id"], src="identity_authorized_bc_id"),
        r({"identity_type": ["CUSTOMIZED_USER"]}, forbid=["tiktok_item_id"], src="tiktok_item_id: not supported when identity_type is CUSTOMIZED_USER"),
        r({"identity_type": ["AUTH_CODE"], "ad_format": ["SINGLE_VIDEO"]}, require=["tiktok_item_id"], src="tiktok_item_id: required when identity_type is AUTH_CODE"),
        r({"ad_format": ["SINGLE_VIDEO"], "identity_type": ["CUSTOMIZED_USER"]}, require=["video_id"], src="video_id"),
        r({"ad_format": ["SINGLE_VIDEO"], "identity_type": ["TT_USER", "BC_AUTH_TT"]}, require_one_of=[["video_id", "tiktok_item_id"]], src="video_id"),
        r({"ad_format": ["SINGLE_IMAGE", "CAROUSEL_ADS"]}, forbid=["video_id"], src="video_id: not supported when ad_format is SINGLE_IMAGE or CAROUSEL_ADS"),
        r({"ad_format": ["SINGLE_VIDEO"], "tiktok_item_id": {"present": False}}, require=["image_ids"], max_items={"image_ids": 1}, why="when ad_format is SINGLE_VIDEO without tiktok_item_id (non-Spark or Spark Push): one cover image", src="image_ids"),
        r({"ad_format": ["SINGLE_VIDEO"], "tiktok_item_id": {"present": True}}, forbid=["image_ids"], src="image_ids: not supported for Spark Ads Pull"),
        r({"ad_format": ["CAROUSEL_ADS"], "tiktok_item_id": {"present": False}}, require=["image_ids", "music_id"], src="image_ids, music_id"),
        r({"ad_format": ["SINGLE_IMAGE"]}, require=["image_ids"], max_items={"image_ids": 1}, src="image_ids"),
        r({"ad_format": ["CATALOG_CAROUSEL"]}, require=["music_id"], src="music_id"),
        r({}, require_one_of=[["call_to_action", "call_to_action_id"]], src="call_to_action: either this field or call_to_action_id must be specified"),
        r({"tiktok_item_id": {"present": False}}, require_one_of=[["ad_text", "ad_texts"]], src="ad_text: for non-Spark Ads either ad_text or ad_texts"),
        r({"disclaimer_type": ["TEXT_ONLY"]}, require=["disclaimer_text"], src="disclaimer_text"),
        r({"disclaimer_type": ["TEXT_LINK"]}, require=["disclaimer_clickable_texts"], src="disclaimer_clickable_texts"),
        r({"fallback_type": ["WEBSITE"]}, require=["landing_page_url"], src="fallback_type"),
        r({"viewability_postbid_partner": ["IAS"]}, require=["viewability_vast_url"], src="viewability_vast_url"),
        r({"brand_safety_postbid_partner": ["IAS"]}, require=["brand_safety_vast_url"], src="brand_safety_vast_url"),
    ]
    if update:
        rs.insert(0, r({}, require=["ad_name", "identity_id", "identity_type", "ad_format"],
                       why="when patch_update is false (a full update replaces the creative)",
                       src="ad_name/identity_id/ad_format: required only when patch_update is not set to true; identity_type: stricter reading, see docs/tiktok-contract/ads.md"))
        rs.insert(0, {"if": {"$.patch_update": True},
                      "only": ["ad_id", "ad_name", "identity_id", "identity_type", "identity_authorized_bc_id",
                               "video_id", "image_ids", "music_id", "tiktok_item_id", "ad_text", "ad_texts"],
                      "why": "when patch_update is true (incremental mode changes only the listed fields)",
                      "source": UPDATE + " patch_update"})
    return rs

create_item = {"type": "object", "unknown_fields": "refuse", "fields": c_fields, "rules": rules(False)}
u_fields["ad_id"]["required"] = True
update_item = {"type": "object", "unknown_fields": "refuse", "fields": u_fields, "rules": rules(True)}

endpoints = [
  {"path": "/ad/create/", "method": "POST", "encoding": ["json"], "headers": ["Access-Token"],
   "unknown_fields": "refuse", "source": CREATE,
   "notes": "card_type and vast_moat_enabled are not on this page, so creatives carrying them are refused.",
   "fields": {"advertiser_id": {"type": "string", "required": True},
              "adgroup_id": {"type": "string", "required": True},
              "creatives": {"type": "array", "required": True, "min_items": 1, "max_items": 20, "items": create_item}},
   "response": {"data": ["ad_ids"]},
   "errors": {"40002": "a parameter breaks the contract (field named in message)", "40100": "QPS limit", "40001": "no permission for the advertiser"}},
  {"path": "/ad/update/", "method": "POST", "encoding": ["json"], "headers": ["Access-Token"],
   "unknown_fields": "refuse", "source": UPDATE,
   "fields": {"advertiser_id": {"type": "string", "required": True},
              "adgroup_id": {"type": "string", "required": True},
              "patch_update": {"type": "boolean", "required": True},
              "creatives": {"type": "array", "required": True, "min_items": 1, "max_items": 20, "items": update_item}},
   "response": {"data": ["ad_ids"]}},
  {"path": "/ad/get/", "method": "GET", "headers": ["Access-Token"], "unknown_fields": "refuse", "source": GET,
   "fields": {"advertiser_id": {"type": "string", "required": True},
              "fields": {"type": "array", "items": {"type": "string"}},
              "exclude_field_types_in_response": {"type": "array", "items": {"type": "string", "enum": ["NULL_FIELD"]}},
              "filtering": {"type": "object", "unknown_fields": "refuse", "fields": {
                  "campaign_ids": {"type": "array", "max_items": 100, "items": {"type": "string"}},
                  "campaign_system_origins": {"type": "array", "items": {"type": "string", "enum": ["PROMOTE", "TT_ADS_PLATFORM"]}},
                  "adgroup_ids": {"type": "array", "max_items": 100, "items": {"type": "string"}},
                  "ad_ids": {"type": "array", "max_items": 100, "items": {"type": "string"}},
                  "primary_status": {"type": "string"}, "secondary_status": {"type": "string"},
                  "objective_type": {"type": "string"},
                  "buying_types": {"type": "array", "items": {"type": "string", "enum": ["AUCTION", "RESERVATION_RF", "RESERVATION_TOP_VIEW"]}},
                  "optimization_goal": {"type": "string"},
                  "creative_material_mode": {"type": "string", "enum": ["CUSTOM", "DYNAMIC", "SMART_CREATIVE"]},
                  "destination": {"type": "string"},
                  "creation_filter_start_time": {"type": "string"}, "creation_filter_end_time": {"type": "string"},
                  "modified_after": {"type": "string"}}},
              "page": {"type": "integer", "min": 1},
              "page_size": {"type": "integer", "min": 1, "max": 1000}},
   "response": {"data": ["list[].ad_id", "list[].ad_name", "list[].adgroup_id", "list[].campaign_id", "list[].operation_status", "list[].secondary_status", "list[].create_time", "list[].modify_time", "page_info"]}},
  {"path": "/ad/status/update/", "method": "POST", "encoding": ["json"], "headers": ["Access-Token"],
   "unknown_fields": "refuse", "source": STATUS,
   "fields": {"advertiser_id": {"type": "string", "required": True},
              "ad_ids": {"type": "array", "min_items": 1, "max_items": 20, "items": {"type": "string"}},
              "aco_ad_ids": {"type": "array", "min_items": 1, "max_items": 20, "items": {"type": "string"}},
              "operation_status": {"type": "string", "required": True, "enum": ["DELETE", "DISABLE", "ENABLE"]}},
   "rules": [{"if": {}, "require_one_of": [["ad_ids", "aco_ad_ids"]], "source": STATUS + " ad_ids"}],
   "response": {"data": ["ad_ids", "status"]}},
]
json.dump({"about": "TikTok Marketing API v1.3 ads endpoints as ttads calls them. Every fact cites its reference page (source); docs/tiktok-contract/ads.md explains the choices.",
           "endpoints": endpoints}, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ads.json"), "w"), indent=1)
print(len(c_fields), len(u_fields))
