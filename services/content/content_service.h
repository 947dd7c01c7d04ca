#ifndef TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_
#define TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_

#include "libs/server/unary.h"
#include "services/content/account_access.h"
#include "services/content/post_watch.h"
#include "services/content/video_posts.h"
#include "ttads/content/v1/content_service.grpc.pb.h"

namespace ttads::content {

struct ContentDomain {
  const AccountAccess* access;
  VideoPostLister* lister;
  PostWatchHub* watch;
};

// gRPC adapter of ttads.content.v1.ContentService: unpacks requests, calls
// one domain method, packs answers; every call goes through libs/server's
// pipeline (unary: HandleUnary; the watch stream: ServerStreamReactor).
class ContentServiceImpl final : public v1::ContentService::CallbackService {
 public:
  ContentServiceImpl(const server::ServiceEnv& env, ContentDomain domain)
      : env_(env), domain_(domain) {}

  grpc::ServerUnaryReactor* ListVideoPosts(
      grpc::CallbackServerContext* ctx, const v1::ListVideoPostsRequest* req,
      v1::ListVideoPostsResponse* resp) override;
  grpc::ServerWriteReactor<v1::VideoPostEvent>* WatchVideoPosts(
      grpc::CallbackServerContext* ctx,
      const v1::WatchVideoPostsRequest* req) override;

 private:
  const server::ServiceEnv& env_;
  ContentDomain domain_;
};

}  // namespace ttads::content

#endif  // TTADS_SERVICES_CONTENT_CONTENT_SERVICE_H_
