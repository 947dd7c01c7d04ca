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

v1::SoundFormat FormatOf(const std::string& name) {
  if (name == "mp3") return v1::SOUND_FORMAT_MP3;
  if (name == "wav") return v1::SOUND_FORMAT_WAV;
  if (name == "flac") return v1::SOUND_FORMAT_FLAC;
  return v1::SOUND_FORMAT_UNSPECIFIED;
}

// An UploadSound stream: the first message names the connection and the
// file (checked at once, so a refused connection costs no upload); every
// message's bytes go into a buffer that refuses to reach 50 MB (the stream
// ends with that error, the rest is not read); after the last message the
// file is checked and sent to TikTok.
class UploadSoundReactor
    : public server::ClientStreamReactor<v1::UploadSoundRequest,
                                         v1::UploadSoundResponse> {
 public:
  UploadSoundReactor(const server::ServiceEnv& env, const ContentDomain& domain,
                     grpc::CallbackServerContext* context,
                     grpc::ByteBuffer* response)
      : ClientStreamReactor(&env, context, response, "UploadSound"),
        sounds_(domain.sounds) {
    Begin();
  }

 protected:
  absl::Status OnMessage(const CallContext& call, v1::UploadSoundRequest& m,
                         int index) override {
    if (index == 0) {
      connection_id_ = m.connection_id();
      file_name_ = m.file_name();
      TTADS_RETURN_IF_ERROR(sounds_->Begin(call, connection_id_, file_name_));
    } else if ((!m.connection_id().empty() &&
                m.connection_id() != connection_id_) ||
               (!m.file_name().empty() && m.file_name() != file_name_)) {
      return status::InvalidArgument(
          "a later message names another connection or file",
          {{m.connection_id() != connection_id_ ? "connection_id" : "file_name",
            "must be empty or the first message's value"}});
    }
    return buffer_.Append(m.data());
  }

  absl::Status OnEnd(const CallContext& call, int messages,
                     v1::UploadSoundResponse* out) override {
    if (messages == 0) {
      return status::InvalidArgument(
          "the stream carried no message",
          {{"connection_id", "required on the first message"}});
    }
    TTADS_ASSIGN_OR_RETURN(
        UploadedSound sound,
        sounds_->Finish(call, connection_id_, file_name_, buffer_.bytes()));
    out->set_sound_id(sound.sound_id);
    out->set_format(FormatOf(sound.info.format));
    out->set_size_bytes(sound.size_bytes);
    const int64_t micros = absl::ToInt64Microseconds(sound.info.duration);
    out->mutable_duration()->set_seconds(micros / 1000000);
    out->mutable_duration()->set_nanos(static_cast<int32_t>(micros % 1000000) *
                                       1000);
    out->set_file_name(sound.file_name);
    return absl::OkStatus();
  }

 private:
  const SoundUploader* sounds_;
  std::string connection_id_, file_name_;
  SoundBuffer buffer_;
};

}  // namespace

grpc::ServerUnaryReactor* ContentServiceImpl::GetEmbeddedVideo(
    grpc::CallbackServerContext* ctx, const v1::GetEmbeddedVideoRequest* req,
    v1::GetEmbeddedVideoResponse* resp) {
  return HandleUnary<v1::GetEmbeddedVideoRequest, v1::GetEmbeddedVideoResponse>(
      env_, ctx, req, resp, "GetEmbeddedVideo",
      [this](const CallContext& call, const v1::GetEmbeddedVideoRequest& r,
             v1::GetEmbeddedVideoResponse* out) -> absl::Status {
        TTADS_ASSIGN_OR_RETURN(
            EmbeddedVideoResult got,
            domain_.embeds->Get(r.video_url(), call.deadline));
        const tiktok_open::EmbeddedVideo& v = got.video;
        out->set_video_url(got.url.canonical);
        out->set_video_id(got.url.video_id);
        out->set_html(v.html);
        out->set_title(v.title);
        out->set_author_name(v.author_name);
        out->set_author_url(v.author_url);
        out->set_thumbnail_url(v.thumbnail_url);
        out->set_thumbnail_width(v.thumbnail_width);
        out->set_thumbnail_height(v.thumbnail_height);
        out->set_provider_name(v.provider_name);
        out->set_provider_url(v.provider_url);
        out->set_width(v.width);
        out->set_height(v.height);
        out->set_version(v.version);
        out->set_type(v.type);
        out->set_cached(got.cached);
        return absl::OkStatus();
      });
}

grpc::ServerReadReactor<grpc::ByteBuffer>* ContentServiceImpl::UploadSound(
    grpc::CallbackServerContext* ctx, grpc::ByteBuffer* resp) {
  return new UploadSoundReactor(env_, domain_, ctx, resp);
}

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
