#ifndef TTADS_LIBS_STATUS_STATUS_MACROS_H_
#define TTADS_LIBS_STATUS_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Early-return helpers for absl::Status / absl::StatusOr, in the style of
// the macros Google code uses internally (abseil does not export them).
//
//   TTADS_RETURN_IF_ERROR(store.Put(key, value));
//     evaluates the expression once; when its status is not OK, returns it
//     from the enclosing function (which must return absl::Status or any
//     absl::StatusOr<T>).
//
//   TTADS_ASSIGN_OR_RETURN(auto account, accounts.Find(id));
//   TTADS_ASSIGN_OR_RETURN(existing, Load(key));
//     evaluates a StatusOr<T> once; when it holds an error, returns that
//     error; otherwise moves the value into the left-hand side, which may
//     declare a new variable or name an existing one.
//
// The returned status is the original one, details and payloads included.

#define TTADS_STATUS_CONCAT_INNER_(a, b) a##b
#define TTADS_STATUS_CONCAT_(a, b) TTADS_STATUS_CONCAT_INNER_(a, b)

#define TTADS_RETURN_IF_ERROR(expr)                    \
  do {                                                 \
    if (::absl::Status ttads_status_ =                 \
            ::ttads::status::internal::AsStatus(expr); \
        !ttads_status_.ok()) {                         \
      return ttads_status_;                            \
    }                                                  \
  } while (false)

#define TTADS_ASSIGN_OR_RETURN(lhs, expr) \
  TTADS_ASSIGN_OR_RETURN_IMPL_(           \
      TTADS_STATUS_CONCAT_(ttads_statusor_, __LINE__), lhs, expr)

#define TTADS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)  \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

namespace ttads::status::internal {

inline const absl::Status& AsStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& AsStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace ttads::status::internal

#endif  // TTADS_LIBS_STATUS_STATUS_MACROS_H_
