import json
import os
REF = "ckr2436/Tiktok-OPS docs/tiktok_api/pages/API Reference/"
IMG = REF + "Images/Upload_an_image__ec779a70.json"
VID = REF + "Video/Upload_a_video__a75df587.json"
INFO = REF + "Video/Get_info_about_videos__05b7d592.json"
REP = REF + "Reporting/Run_a_synchronous_report__9644f3cd.json"
S = lambda **k: dict(type="string", **k)
files = [
 {"path": "/file/image/ad/upload/", "method": "POST", "encoding": ["multipart", "json"],
  "headers": ["Access-Token"], "unknown_fields": "refuse", "source": IMG,
  "fields": {"advertiser_id": S(required=True),
             "file_name": S(min_len=1, max_len=100),
             "upload_type": S(enum=["UPLOAD_BY_FILE", "UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID"]),
             "image_file": {"type": "file"},
             "image_signature": S(),
             "image_url": S(),
             "file_id": S()},
  "rules": [
   {"if": {"upload_type": {"not_in": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID"]}}, "require": ["image_file", "image_signature"], "code": 40905,
    "why": "when upload_type is UPLOAD_BY_FILE (the default)", "source": IMG + " image_file, image_signature"},
   {"if": {"upload_type": ["UPLOAD_BY_URL"]}, "require": ["image_url"], "source": IMG + " image_url"},
   {"if": {"upload_type": ["UPLOAD_BY_FILE_ID"]}, "require": ["file_id"], "source": IMG + " file_id"},
   {"if": {"upload_type": {"not_in": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID"]}, "$encoding": ["json"]}, "refuse": "upload_type",
    "why": "in a JSON body: UPLOAD_BY_FILE (the default) needs multipart/form-data", "source": IMG + " header Content-Type"},
   {"if": {"upload_type": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID"], "$encoding": ["multipart"]}, "refuse": "upload_type",
    "why": "as multipart/form-data: UPLOAD_BY_URL and UPLOAD_BY_FILE_ID take application/json", "source": IMG + " header Content-Type"}],
  "response": {"data": ["image_id", "material_id", "width", "height", "format", "size", "signature", "image_url"],
               "source": IMG + " response example (the URL field is image_url)"}},
 {"path": "/file/video/ad/upload/", "method": "POST", "encoding": ["multipart", "json"],
  "headers": ["Access-Token"], "unknown_fields": "refuse", "source": VID,
  "fields": {"advertiser_id": S(required=True),
             "file_name": S(min_len=1, max_len=100),
             "upload_type": S(enum=["UPLOAD_BY_FILE", "UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID", "UPLOAD_BY_VIDEO_ID"]),
             "video_file": {"type": "file"},
             "video_signature": S(), "video_url": S(), "file_id": S(), "video_id": S(),
             "is_third_party": {"type": "boolean"}, "flaw_detect": {"type": "boolean"},
             "auto_fix_enabled": {"type": "boolean"}, "auto_bind_enabled": {"type": "boolean"}},
  "rules": [
   {"if": {"upload_type": {"not_in": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID", "UPLOAD_BY_VIDEO_ID"]}}, "require": ["video_file", "video_signature"], "code": 40905,
    "why": "when upload_type is UPLOAD_BY_FILE (the default)", "source": VID + " video_file, video_signature"},
   {"if": {"upload_type": ["UPLOAD_BY_URL"]}, "require": ["video_url"], "source": VID + " video_url"},
   {"if": {"upload_type": ["UPLOAD_BY_FILE_ID"]}, "require": ["file_id"], "source": VID + " file_id"},
   {"if": {"upload_type": ["UPLOAD_BY_VIDEO_ID"]}, "require": ["video_id"], "source": VID + " video_id"},
   {"if": {"upload_type": {"not_in": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID", "UPLOAD_BY_VIDEO_ID"]}, "$encoding": ["json"]}, "refuse": "upload_type",
    "why": "in a JSON body: UPLOAD_BY_FILE (the default) needs multipart/form-data", "source": VID + " header Content-Type"},
   {"if": {"upload_type": ["UPLOAD_BY_URL", "UPLOAD_BY_FILE_ID", "UPLOAD_BY_VIDEO_ID"], "$encoding": ["multipart"]}, "refuse": "upload_type",
    "why": "as multipart/form-data: only UPLOAD_BY_FILE is multipart (stricter reading: the page names JSON for URL/FILE_ID and says nothing of VIDEO_ID)",
    "source": VID + " header Content-Type"}],
  "response": {"data": ["[].video_id", "[].width", "[].height", "[].duration", "[].format", "[].size", "[].signature", "[].video_cover_url"],
               "source": VID + " response (data is a list)"}},
 {"path": "/file/video/ad/info/", "method": "GET", "headers": ["Access-Token"], "unknown_fields": "refuse", "source": INFO,
  "fields": {"advertiser_id": S(required=True),
             "video_ids": {"type": "array", "required": True, "min_items": 1, "max_items": 60, "items": S()}},
  "response": {"data": ["list[].video_id", "list[].video_cover_url", "list[].width", "list[].height", "list[].duration"], "source": INFO}},
]
rep_rules = [
 {"if": {"report_type": ["BASIC", "AUDIENCE", "CATALOG"]}, "require": ["data_level"], "source": REP + " data_level"},
 {"if": {"report_type": ["BC"]}, "forbid": ["data_level", "service_type"], "source": REP + " data_level, service_type: not supported when report_type is BC"},
 {"if": {"report_type": ["TT_SHOP"]}, "forbid": ["filtering"], "source": REP + " filtering: not supported when report_type is TT_SHOP"},
 {"if": {"report_type": ["BASIC", "AUDIENCE"]}, "require_one_of": [["advertiser_id", "advertiser_ids"]], "source": REP + " advertiser_id"},
 {"if": {"report_type": ["BC"]}, "require": ["bc_id"], "source": REP + " bc_id"},
 {"if": {"query_lifetime": {"not_in": [True]}}, "require": ["start_date", "end_date"], "why": "when query_lifetime is not true", "source": REP + " start_date, end_date"},
 {"if": {"query_lifetime": {"not_in": [True]}, "report_type": {"not_in": ["BC"]}, "dimensions": {"contains": "stat_time_hour"}},
  "date_range": {"from": "start_date", "to": "end_date", "max_days": 1}, "source": REP + " dimensions: with stat_time_hour the range cannot exceed 1 day"},
 {"if": {"query_lifetime": {"not_in": [True]}, "report_type": {"not_in": ["BC"]}, "dimensions": {"contains": "stat_time_day"}},
  "date_range": {"from": "start_date", "to": "end_date", "max_days": 30}, "source": REP + " start_date: 30 days when dimensions include stat_time_day"},
 {"if": {"query_lifetime": {"not_in": [True]}},
  "date_range": {"from": "start_date", "to": "end_date", "max_days": 365}, "source": REP + " start_date: 365 days otherwise (and for BC)"},
]
report = [
 {"path": "/report/integrated/get/", "method": "GET", "headers": ["Access-Token"], "unknown_fields": "refuse", "source": REP,
  "fields": {"advertiser_id": S(), "advertiser_ids": {"type": "array", "max_items": 5, "items": S()}, "bc_id": S(),
             "service_type": S(enum=["AUCTION", "RESERVATION"]),
             "report_type": S(required=True, enum=["BASIC", "AUDIENCE", "PLAYABLE_MATERIAL", "CATALOG", "BC", "TT_SHOP"]),
             "data_level": S(enum=["AUCTION_AD", "AUCTION_ADGROUP", "AUCTION_CAMPAIGN", "AUCTION_ADVERTISER",
                                   "RESERVATION_AD", "RESERVATION_ADGROUP", "RESERVATION_CAMPAIGN", "RESERVATION_ADVERTISER"]),
             "dimensions": {"type": "array", "required": True, "min_items": 1, "items": S()},
             "metrics": {"type": "array", "items": S()},
             "enable_total_metrics": {"type": "boolean"},
             "start_date": S(), "end_date": S(),
             "query_lifetime": {"type": "boolean"},
             "multi_adv_report_in_utc_time": {"type": "boolean"},
             "order_field": S(), "order_type": S(enum=["ASC", "DESC"]),
             "filtering": {"type": "array", "items": {"type": "object", "unknown_fields": "refuse", "fields": {
                 "field_name": S(required=True),
                 "filter_type": S(required=True, enum=["IN", "MATCH", "GREATER_EQUAL", "GREATER_THAN", "LOWER_EQUAL", "LOWER_THAN", "BETWEEN"]),
                 "filter_value": S(required=True)}}},
             "query_mode": S(enum=["REGULAR", "CHUNK"]),
             "page": {"type": "integer", "min": 1},
             "page_size": {"type": "integer", "min": 1, "max": 1000}},
  "rules": rep_rules,
  "notes": "filtering is a list of {field_name, filter_type, filter_value}, all three set (the page's note); an object is refused.",
  "response": {"data": ["list[].dimensions", "list[].metrics", "page_info.total_page", "page_info.total_number"], "source": REP}},
]
base = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..") + "/"
json.dump({"about": "TikTok Marketing API v1.3 file endpoints ttads calls (images, videos).", "endpoints": files}, open(base + "files.json", "w"), indent=1)
json.dump({"about": "TikTok Marketing API v1.3 reporting endpoint ttads calls.", "endpoints": report}, open(base + "report.json", "w"), indent=1)
