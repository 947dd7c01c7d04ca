#ifndef TTADS_SERVICES_GATEWAY_JSON_DUMP_H_
#define TTADS_SERVICES_GATEWAY_JSON_DUMP_H_

// Every JSON text the gateway writes from an nlohmann value goes through
// DumpJson. Strings in an answer may carry bytes the gateway did not choose
// (a backend's error message, a parser's excerpt of the request); plain
// dump() throws on invalid UTF-8 (type_error.316), which on a gRPC or worker
// thread ends the process. DumpJson writes U+FFFD for such bytes instead.

#include <string>

#include "nlohmann/json.hpp"

namespace ttads::gateway {

inline std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false,
                    nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_JSON_DUMP_H_
