#!/usr/bin/env bash
# Checks the vendored Swagger UI files (README.md): they match SHA256SUMS,
# and — where npm is available — SHA256SUMS matches the files of the
# swagger-ui-dist tarball npm serves for the pinned version (its integrity
# checked by npm). Exits 77 (ctest: skipped) for the npm part without npm.
set -euo pipefail
VERSION=5.35.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(cd "$here" && sha256sum --quiet -c SHA256SUMS)
echo "PASS the vendored files match SHA256SUMS"
if ! command -v npm >/dev/null 2>&1; then
  echo "SKIP npm is not installed: not compared with the npm tarball"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null &&
  tar xzf "swagger-ui-dist-$VERSION.tgz" &&
  cd package && sha256sum --quiet -c "$here/SHA256SUMS")
echo "PASS SHA256SUMS matches swagger-ui-dist@$VERSION from npm"
