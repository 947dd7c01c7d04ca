#include "services/content/video_post_proto.h"

namespace ttads::content {

v1::VideoPost ToProto(const tiktok_open::VideoPost& p) {
  v1::VideoPost out;
  out.set_post_id(p.id);
  out.mutable_create_time()->set_seconds(p.create_time);
  out.set_title(p.title);
  out.set_description(p.video_description);
  out.set_share_url(p.share_url);
  out.set_embed_link(p.embed_link);
  out.set_cover_image_url(p.cover_image_url);
  out.set_duration_seconds(p.duration);
  out.set_like_count(p.like_count);
  out.set_comment_count(p.comment_count);
  out.set_share_count(p.share_count);
  out.set_view_count(p.view_count);
  return out;
}

}  // namespace ttads::content
