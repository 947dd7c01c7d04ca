#ifndef TTADS_SERVICES_CONTENT_VIDEO_POST_PROTO_H_
#define TTADS_SERVICES_CONTENT_VIDEO_POST_PROTO_H_

#include "libs/tiktok_open/display_api.h"
#include "ttads/content/v1/content_service.pb.h"

namespace ttads::content {

v1::VideoPost ToProto(const tiktok_open::VideoPost& post);

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_VIDEO_POST_PROTO_H_
