#include "services/content/content_service.h"

#include <mutex>

#include "libs/server/streams.h"
#include "libs/status/status.h"
#include "libs/status/status_macros.h"
#include "services/content/video_post_proto.h"

namespace ttads::content {
namespace {

using server::CallContext;
using server::HandleUnary;

// A WatchVideoPosts stream on libs/server's server-streaming pipeline: on
// start it checks the connection (scope video.list) and registers with the
// hub, which delivers posts as they are found; when the stream is over it
// unregisters.
class WatchReactor
    : public server::ServerStreamReactor<v1::WatchVideoPostsRequest,
                                         v1::VideoPostEvent>,
      public PostEventSink {
 public:
  WatchReactor(const server::ServiceEnv& env, const ContentDomain& domain,
               grpc::CallbackServerContext* context,
               const v1::WatchVideoPostsRequest* req)
      : ServerStreamReactor(&env, context, req, "WatchVideoPosts"),
        domain_(domain) {
    Begin();
  }

  void Deliver(const v1::VideoPostEvent& event) override { Send(event); }
  void Fail(const absl::Status& status) override { End(status); }

 protected:
  absl::Status OnStart(const CallContext& call,
                       const v1::WatchVideoPostsRequest& req) override {
    if (req.limit() < 0 || req.limit() > kMaxWatchLimit) {
      return status::InvalidArgument(
          "limit must be between 0 and 100",
          {{"limit", "0 (meaning 5) to 100 posts per cycle"}});
    }
    std::optional<PostMark> start;
    if (!req.cursor().empty()) {
      TTADS_ASSIGN_OR_RETURN(start, DecodeWatchCursor(req.cursor()));
    }
    TTADS_RETURN_IF_ERROR(
        domain_.access->Check(call, req.connection_id(), "video.list")
            .status());
    const int handle = domain_.watch->Add(
        call.caller.team_id, req.connection_id(), start, req.limit(), this);
    std::lock_guard<std::mutex> lock(registration_mu_);
    team_ = call.caller.team_id;
    connection_ = req.connection_id();
    handle_ = handle;
    return absl::OkStatus();
  }

  void OnFinished() override {
    int handle;
    std::string team, connection;
    {
      std::lock_guard<std::mutex> lock(registration_mu_);
      handle = handle_;
      team = team_;
      connection = connection_;
    }
    if (handle > 0) domain_.watch->Remove(team, connection, handle);
  }

 private:
  ContentDomain domain_;
  std::mutex registration_mu_;
  std::string team_, connection_;
  int handle_ = 0;
};

}  // namespace

grpc::ServerUnaryReactor* ContentServiceImpl::ListVideoPosts(
    grpc::CallbackServerContext* ctx, const v1::ListVideoPostsRequest* req,
    v1::ListVideoPostsResponse* resp) {
  return HandleUnary<v1::ListVideoPostsRequest, v1::ListVideoPostsResponse>(
      env_, ctx, req, resp, "ListVideoPosts",
      [this](const CallContext& call, const v1::ListVideoPostsRequest& r,
             v1::ListVideoPostsResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            VideoPostPage page,
            domain_.lister->List(call, r.connection_id(), r.page_size(),
                                 r.page_token()));
        for (const auto& p : page.posts) *out->add_posts() = ToProto(p);
        out->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<v1::VideoPostEvent>*
ContentServiceImpl::WatchVideoPosts(grpc::CallbackServerContext* ctx,
                                    const v1::WatchVideoPostsRequest* req) {
  return new WatchReactor(env_, domain_, ctx, req);
}

}  // namespace ttads::content
