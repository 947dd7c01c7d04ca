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
// Timestamp as date-time, Struct as a free object; enums list the proto3 JSON
// names, then the short names the seeds' routes answer with).
//
// Every operation has a summary (its method name in words: "Create ad"),
// the request headers (X-Request-Id, X-Request-Timeout, and Idempotency-Key
// where the request has a request_id), the 200 answer with X-Request-Id and
// the X-Quota-* headers, and every error status the gateway answers
// (docs/gateway.md "Errors") with its body: the REST error shape, Adspirer's
// tool envelope on tool paths, {"error": "Unauthorized"} for 401.
//
// The protos' comments (openapi_comments.h) document the API: a method's
// comment is its operation's description (before "gRPC /pkg.Service/Method")
// and its first sentence the summary when short enough (else the method
// name in words); a service's comment describes its tag, a message's its
// schema, and a field's its schema property and its path or query
// parameter. Elements without a comment keep the generic text.
// `ttads-gateway --print_openapi` prints the document; redocly lints it in
// the tests (tests/contracts).

#include "nlohmann/json.hpp"
#include "services/gateway/openapi_comments.h"
#include "services/gateway/route_table.h"

namespace ttads::gateway {

// With the comments of the descriptor set linked into the binary.
nlohmann::json BuildOpenApi(const RouteTable& routes);
nlohmann::json BuildOpenApi(const RouteTable& routes,
                            const ProtoComments& comments);

}  // namespace ttads::gateway

#endif  // TTADS_SERVICES_GATEWAY_OPENAPI_H_
