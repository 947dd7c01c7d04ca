#!/usr/bin/env bash
# buf checks of the contracts (proto/ttads), as a platform team would run
# them (buf.yaml at the repository root):
#   buf_check.sh lint             <src>  buf lint, STANDARD rules
#   buf_check.sh breaking         <src>  buf breaking (FILE rules) against the
#                                        released contracts,
#                                        proto/contracts.binpb
#   buf_check.sh update-baseline  <src>  rewrites proto/contracts.binpb from
#                                        the current protos (at a release)
# buf comes from npm (@bufbuild/buf, pinned in package-lock.json here) and is
# installed on first use (install_buf.sh). The protos import Debian's
# googleapis and protobuf files, which buf cannot fetch offline, so protoc
# compiles them into an image (a FileDescriptorSet with imports) that buf
# reads; only the files under ttads/ are checked. Exits 77 (ctest: skipped)
# without node or protoc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:?usage: buf_check.sh lint|breaking|update-baseline <src>}"
src="$(cd "${2:?source root}" && pwd)"
googleapis="${TTADS_GOOGLEAPIS_DIR:-/usr/share/gocode/src/github.com/gogo/googleapis}"
baseline="$src/proto/contracts.binpb"

if ! command -v protoc >/dev/null 2>&1; then
  echo "SKIP protoc is not installed (scripts/install-deps.sh)"
  exit 77
fi
buf="$(bash "$here/install_buf.sh")" || exit $?   # 77 without node or npm

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The image: every ttads proto and what it imports. Source info carries the
# comments (and the buf:lint:ignore exceptions in them); the baseline
# leaves it out, breaking needs none.
image() {
  local out="$1"
  shift
  (cd "$src/proto" &&
    protoc -I . -I "$googleapis" -I /usr/share/grpc-proto -I /usr/include \
      --include_imports "$@" -o "$out" $(find ttads -name '*.proto' | LC_ALL=C sort))
}

case "$mode" in
  lint)
    image "$work/image.binpb" --include_source_info
    "$buf" lint "$work/image.binpb" --config "$src/buf.yaml" --path ttads
    echo "PASS buf lint: no findings in proto/ttads"
    ;;
  breaking)
    if [[ ! -f "$baseline" ]]; then
      echo "FAIL no baseline at $baseline (buf_check.sh update-baseline)"
      exit 1
    fi
    image "$work/image.binpb"
    "$buf" breaking "$work/image.binpb" --against "$baseline" \
      --config "$src/buf.yaml" --path ttads
    echo "PASS buf breaking: proto/ttads is compatible with proto/contracts.binpb"
    ;;
  update-baseline)
    image "$baseline"
    echo "wrote $baseline"
    ;;
  *)
    echo "usage: buf_check.sh lint|breaking|update-baseline <src>" >&2
    exit 2
    ;;
esac
