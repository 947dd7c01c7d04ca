#include "libs/tiktok/envelope.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ttads::tiktok {

absl::StatusOr<Envelope> ParseEnvelope(std::string_view body) {
  nlohmann::json json = nlohmann::json::parse(body, /*cb=*/nullptr,
                                              /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return absl::InvalidArgumentError("response body is not JSON");
  }
  if (!json.is_object()) {
    return absl::InvalidArgumentError("response body is not a JSON object");
  }
  auto code = json.find("code");
  if (code == json.end() || !code->is_number_integer()) {
    return absl::InvalidArgumentError(
        "response envelope has no integer \"code\"");
  }
  Envelope envelope;
  envelope.code = code->get<int>();
  if (auto it = json.find("message"); it != json.end() && it->is_string()) {
    envelope.message = it->get<std::string>();
  }
  if (auto it = json.find("request_id"); it != json.end()) {
    // Always a string in practice; accept a number rather than lose it.
    envelope.request_id = it->is_string() ? it->get<std::string>() : it->dump();
  }
  if (auto it = json.find("data"); it != json.end()) {
    envelope.data = std::move(*it);
  }
  return envelope;
}

}  // namespace ttads::tiktok
