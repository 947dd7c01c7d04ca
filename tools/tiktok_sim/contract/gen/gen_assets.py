"""Writes ../assets.json: the read-only asset endpoints ttads calls.

campaign/get, adgroup/get (ads service: the ad group's objective),
pixel/list, app/list, catalog/get, page/get (preflight: usable assets per
objective) and file/image/ad/info (ads service: image_ids into the slideshow).

Field lists and types are read from the sources (sources.py); enums, limits
and conditions are written out here from the page text, each with its source.
pixel/list, app/list and catalog/get have no reference page in the mirror
(Get_pixels is an empty "official_only" stub), so they come from TikTok's SDK
endpoint specs, whose enums and bounds are machine-readable.
"""
from sources import REF, SDK, page_fields, sdk_fields, write

CAMPAIGN = "Campaign/Get_campaigns__5bd742bb.json"
ADGROUP = "Ad Groups/Get_ad_groups__90b37589.json"
PAGE = "Page/Get_the_Page_ID__65487d78.json"
IMAGES = "Images/Get_info_about_images__66768166.json"

ORIGINS = ["PROMOTE", "TT_ADS_PLATFORM"]
BUYING = ["AUCTION", "RESERVATION_RF", "RESERVATION_TOP_VIEW"]
PAGE_TYPES = ["LEAD_GEN", "STORE_FRONT", "APP_PROFILE_PAGE", "TIKTOK_INSTANT_PAGE",
              "SHOP_ADS_PLP", "SHOP_ADS_PDP", "POP_UP_FORM"]


def paging(fields, max_size):
    # "page: Value range: >= 1"; "page_size: Value range: 1-<max>" (integers).
    fields["page"] = {"type": "integer", "min": 1}
    fields["page_size"] = {"type": "integer", "min": 1, "max": max_size}


def ids(fields, key, n):
    fields[key]["max_items"] = n


def structure_get(rel, kids, id_lists):
    fields, _ = page_fields(rel, {"filtering": kids})
    fields["exclude_field_types_in_response"]["items"]["enum"] = ["NULL_FIELD"]
    f = fields["filtering"]["fields"]
    for k in id_lists:
        ids(f, k, 100)  # "Max size: 100."
    f["campaign_system_origins"]["items"]["enum"] = ORIGINS
    f["buying_types"]["items"]["enum"] = BUYING
    paging(fields, 1000)
    return fields


campaign_kids = ["campaign_ids", "campaign_name", "campaign_system_origins", "primary_status",
                 "secondary_status", "objective_type", "sales_destination", "buying_types",
                 "is_smart_performance_campaign", "creative_campaign_type", "split_test_enabled",
                 "campaign_product_source", "optimization_goal", "campaign_type",
                 "creation_filter_start_time", "creation_filter_end_time",
                 "gmv_max_promotion_types", "store_ids"]
campaign = structure_get(CAMPAIGN, campaign_kids, ["campaign_ids"])
cf = campaign["filtering"]["fields"]
# The page flags the sales_destination filter "required"; it is a filter
# (no condition is given, and the page's own example sends no filtering at
# all), so the flag is read as the page's extraction artifact: optional.
cf["sales_destination"].pop("required", None)
cf["sales_destination"]["enum"] = ["TIKTOK_SHOP", "WEBSITE", "APP", "WEB_AND_APP"]
cf["creative_campaign_type"]["items"]["enum"] = ["SPC", "SEARCH_CAMPAIGN", "OTHER"]
cf["campaign_product_source"]["enum"] = ["CATALOG", "STORE"]
cf["campaign_type"]["enum"] = ["REGULAR_CAMPAIGN", "IOS14_CAMPAIGN"]
cf["store_ids"]["max_items"] = 10

adgroup_kids = ["campaign_ids", "campaign_system_origins", "adgroup_ids", "adgroup_name",
                "primary_status", "secondary_status", "objective_type", "buying_types",
                "optimization_goal", "promotion_type", "bid_strategy", "creative_material_mode",
                "billing_events", "creation_filter_start_time", "creation_filter_end_time",
                "split_test_enabled"]
adgroup = structure_get(ADGROUP, adgroup_kids, ["campaign_ids", "adgroup_ids"])
af = adgroup["filtering"]["fields"]
af["bid_strategy"]["enum"] = ["BID_STRATEGY_COST_CAP", "BID_STRATEGY_BID_CAP",
                              "BID_STRATEGY_MAX_CONVERSION", "BID_STRATEGY_LOWEST_COST"]
af["creative_material_mode"]["enum"] = ["CUSTOM", "SMART_CREATIVE"]

pages, _ = page_fields(PAGE, {"update_time_range": ["start", "end"]})
pages["page"] = {"type": "integer", "min": 1}
pages["page_size"] = {"type": "integer", "min": 1, "max": 100}
pages["status"]["enum"] = ["EDITED", "PUBLISHED"]
pages["business_type"]["enum"] = PAGE_TYPES
pages["business_types"]["items"]["enum"] = PAGE_TYPES

images, _ = page_fields(IMAGES, {})
images["image_ids"].update({"min_items": 1, "max_items": 100})

pixel = sdk_fields("pixel_list.yml", "/pixel/list/")
app = sdk_fields("app_list.yml", "/app/list/")
catalog = sdk_fields("catalog_get.yml", "/catalog/get/")


def get(path, source, fields, response, rules=(), notes=None):
    e = {"path": path, "method": "GET", "headers": ["Access-Token"], "unknown_fields": "refuse",
         "source": source, "fields": fields}
    if rules:
        e["rules"] = list(rules)
    if notes:
        e["notes"] = notes
    e["response"] = {"data": response, "source": source + " response"}
    return e


endpoints = [
    get("/campaign/get/", REF + CAMPAIGN, campaign,
        ["list[].campaign_id", "list[].objective_type", "page_info"],
        notes="filtering.sales_destination is flagged required on the page but is a filter; read as optional."),
    get("/adgroup/get/", REF + ADGROUP, adgroup,
        ["list[].adgroup_id", "list[].campaign_id", "list[].identity_id", "list[].identity_type",
         "list[].pixel_id", "list[].app_id", "list[].catalog_id", "page_info"]),
    get("/pixel/list/", SDK + "pixel_list.yml", pixel,
        ["pixels[].pixel_id", "pixels[].pixel_name", "pixels[].pixel_code", "page_info"],
        notes="No reference page in the mirror (Events 1.0/Pixel Events/Get_pixels is an empty stub); the SDK spec is the source."),
    get("/app/list/", SDK + "app_list.yml", app,
        ["apps[].app_id", "apps[].app_name", "apps[].platform"],
        notes="No reference page in the mirror; the SDK spec is the source. Not paged."),
    get("/catalog/get/", SDK + "catalog_get.yml", catalog,
        ["list[].catalog_id", "list[].catalog_name", "list[].catalog_type", "page_info"],
        notes="Keyed by Business Center: no advertiser_id parameter. No reference page in the mirror; the SDK spec is the source."),
    get("/page/get/", REF + PAGE, pages,
        ["list[].page_id", "list[].status", "list[].title", "page_info"],
        rules=[{"if": {}, "require_one_of": [["advertiser_id", "library_id"]],
                "source": REF + PAGE + " advertiser_id: either advertiser_id or library_id has to be set"}],
        notes="The status filter is `status` (EDITED, PUBLISHED), not page_status."),
    get("/file/image/ad/info/", REF + IMAGES, images,
        ["list[].image_id", "list[].image_url", "list[].width", "list[].height"],
        notes="image_url is valid for an hour."),
]

write("assets.json",
      "TikTok Marketing API v1.3 read-only asset endpoints ttads calls (campaigns, ad groups, "
      "pixels, apps, catalogs, pages, image info). Generated by gen/gen_assets.py; every "
      "endpoint cites its source.",
      endpoints)
print(len(endpoints), "endpoints")
