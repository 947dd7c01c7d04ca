#!/usr/bin/env bash
# Replaces the vendored Swagger UI files with those of swagger-ui-dist
# <version> from npm (README.md says what to do next).
set -euo pipefail
VERSION="${1:?usage: update.sh <swagger-ui-dist version>}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "swagger-ui-dist@$VERSION" >/dev/null &&
  tar xzf "swagger-ui-dist-$VERSION.tgz")
files=(swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE
       swagger-ui-bundle.js.LICENSE.txt package.json)
for f in "${files[@]}"; do cp "$work/package/$f" "$here/$f"; done
(cd "$here" && sha256sum "${files[@]}" >SHA256SUMS)
npm view "swagger-ui-dist@$VERSION" dist.integrity
