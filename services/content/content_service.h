#ifndef TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_
#define TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_

#include "libs/server/unary.h"
#include "services/content/account_access.h"
#include "services/content/embedded_videos.h"
#include "services/content/post_watch.h"
#include "services/content/sound_upload.h"
#include "services/content/video_posts.h"
#include "ttads/content/v1/content_service.grpc.pb.h"

namespace ttads::content {

struct ContentDomain {
  const AccountAccess* access;
  VideoPostLister* lister;
  PostWatchHub* watch;
  EmbeddedVideoGetter* embeds;
  const SoundUploader* sounds;
};

// gRPC adapter of ttads.content.v1.ContentService: unpacks requests, calls
// one domain method, packs answers; every call goes through libs/server's
// pipeline (unary: HandleUnary; the watch stream: ServerStreamReactor; the
// sound upload: ClientStreamReactor, registered raw).
class ContentServiceImpl final
    : public v1::ContentService::WithRawCallbackMethod_UploadSound<
          v1::ContentService::CallbackService> {
 public:
  ContentServiceImpl(const server::ServiceEnv& env, ContentDomain domain)
      : env_(env), domain_(domain) {}

  grpc::ServerUnaryReactor* ListVideoPosts(
      grpc::CallbackServerContext* ctx, const v1::ListVideoPostsRequest* req,
      v1::ListVideoPostsResponse* resp) override;
  grpc::ServerWriteReactor<v1::VideoPostEvent>* WatchVideoPosts(
      grpc::CallbackServerContext* ctx,
      const v1::WatchVideoPostsRequest* req) override;
  grpc::ServerUnaryReactor* GetEmbeddedVideo(
      grpc::CallbackServerContext* ctx, const v1::GetEmbeddedVideoRequest* req,
      v1::GetEmbeddedVideoResponse* resp) override;
  grpc::ServerReadReactor<grpc::ByteBuffer>* UploadSound(
      grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) override;

 private:
  const server::ServiceEnv& env_;
  ContentDomain domain_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_
