#ifndef TTADS_SERVICES_GATEWAY_OPENAPI_H_
#define TTADS_SERVICES_GATEWAY_OPENAPI_H_

// The OpenAPI 3.0 document of the gateway, generated from the same route
// table (hence the same google.api.http annotations) the gateway serves:
// one operation per route (operationId "<Service>_<Method>", plus a suffix
// for additional bindings), path parameters from the template variables,
// query parameters for every scalar request field not bound by the path or
// body (nested fields dotted, up to three levels), the request body schema
// for `body` rules, and the response schema (`application/x-ndjson` and
// `text/event-stream` for server streams; NDJSON or CSV request bodies for
// client streams). Component schemas follow the proto3 JSON mapping
// (lowerCamelCase names, 64-bit integers as strings, enums as their names,
// Timestamp as date-time, Struct as a free object). Descriptions are omitted:
// proto comments are not linked into the binary.

#include "nlohmann/json.hpp"
#include "services/gateway/route_table.h"

namespace ttads::gateway {

nlohmann::json BuildOpenApi(const RouteTable& routes);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_OPENAPI_H_
