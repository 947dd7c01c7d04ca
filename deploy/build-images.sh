#!/usr/bin/env bash
# Builds the ttads container image with podman and smoke-runs it.
#
#   deploy/build-images.sh                 # base image (if needed), build, smoke
#   deploy/build-images.sh --no-smoke      # build only
#   deploy/build-images.sh --smoke-only    # smoke-run an image built before
#
# Options / environment:
#   --tag TAG        image tag (env TAG, default: dev)
#   --image NAME     image name (env TTADS_IMAGE, default: localhost/ttads)
#   --allow-missing  build even if some binaries are not built yet (they are
#                    left out of the image)
#   --rebuild-base   re-create the debootstrapped base image
#   --require-podman fail instead of skipping when podman is unavailable
#   BASE_IMAGE=...   Debian 12 base to use (default: debian:bookworm-slim if it
#                    is present or can be pulled, else a debootstrapped one)
#   JOBS=N           parallel compile jobs inside the build (default 2)
#
# Base image: when no registry is reachable (as on the ttads build machines),
# `podman pull debian:bookworm-slim` fails; the script then builds an
# equivalent base with `debootstrap --variant=minbase bookworm` from the Debian
# mirror apt already uses and imports it as localhost/ttads-debian:bookworm-slim
# (once; reused afterwards).
#
# Smoke run (same restrictions as the Kubernetes manifests: uid 10001,
# read-only root filesystem, all capabilities dropped, no new privileges):
# a private loopback-only network namespace holds a throwaway Redis (from a
# tiny helper image) and one gRPC service; the script waits until the service
# answers grpc.health.v1 SERVING (ttads-health), then stops it with SIGTERM and
# checks that it drains (TTADS_DRAIN_SECONDS) and exits 0.
#
# Podman flags: these machines need `--runtime runc`, `--isolation chroot` and
# explicit nofile/nproc ulimits. If podman cannot be installed or run, the
# script says SKIPPED and exits 0 (or 1 with --require-podman).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG="${TAG:-dev}"
IMAGE="${TTADS_IMAGE:-localhost/ttads}"
JOBS="${JOBS:-2}"
BASE_IMAGE="${BASE_IMAGE:-}"
LOCAL_BASE="localhost/ttads-debian:bookworm-slim"
SMOKE_REDIS_IMAGE="localhost/ttads-smoke-redis:bookworm"
do_build=1
do_smoke=1
allow_missing=0
rebuild_base=0
require_podman=0

while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG="$2"; shift 2 ;;
    --image) IMAGE="$2"; shift 2 ;;
    --no-smoke) do_smoke=0; shift ;;
    --smoke-only) do_build=0; shift ;;
    --allow-missing) allow_missing=1; shift ;;
    --rebuild-base) rebuild_base=1; shift ;;
    --require-podman) require_podman=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[build-images] %s\n' "$*"; }
die() { printf '[build-images] FAIL %s\n' "$*" >&2; exit 1; }
skip() {
  printf '[build-images] SKIPPED: %s\n' "$*"
  printf '[build-images] The image was NOT built or smoke-tested.\n'
  [ "$require_podman" = 1 ] && exit 1
  exit 0
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_install() {
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- podman ----------------------------------------------------------------
if ! command -v podman >/dev/null 2>&1; then
  apt_install podman runc || skip "podman is not installed and could not be installed (apt-get install podman runc)"
fi
PODMAN=(podman)
if command -v runc >/dev/null 2>&1; then PODMAN+=(--runtime runc); fi
ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
BUILD=("${PODMAN[@]}" build --isolation chroot "${ULIMITS[@]}")
if ! "${PODMAN[@]}" info >/dev/null 2>&1; then
  skip "podman is installed but cannot run here: $("${PODMAN[@]}" info 2>&1 | tail -n1)"
fi

# --- base image ------------------------------------------------------------
apt_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

debootstrap_base() {
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap || die "debootstrap is needed to build the base image"
  local mirror root
  mirror="$(apt_mirror)"
  root="$(mktemp -d /var/tmp/ttads-rootfs.XXXXXX)"
  say "building the base image with debootstrap (bookworm, minbase) from $mirror"
  as_root debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; die "debootstrap failed (log: $root.log)"; }
  rm -f "$root.log"
  local security="${mirror%/debian}/debian-security"
  as_root tee "$root/etc/apt/sources.list" >/dev/null <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  # Like debian:bookworm-slim: no apt caches, no docs.
  as_root sh -c "rm -rf '$root'/var/cache/apt/archives/*.deb '$root'/var/lib/apt/lists/* \
    '$root'/usr/share/doc/* '$root'/usr/share/man/* '$root'/usr/share/info/*"
  as_root tar -C "$root" -c . | "${PODMAN[@]}" import \
    --change 'CMD ["bash"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$LOCAL_BASE" >/dev/null
  as_root rm -rf "$root"
  say "imported $LOCAL_BASE"
}

pick_base() {
  if [ -n "$BASE_IMAGE" ]; then return; fi
  local official="docker.io/library/debian:bookworm-slim"
  if "${PODMAN[@]}" image exists "$official"; then BASE_IMAGE="$official"; return; fi
  if [ "$rebuild_base" = 0 ] && "${PODMAN[@]}" image exists "$LOCAL_BASE"; then
    BASE_IMAGE="$LOCAL_BASE"; say "using the debootstrapped base $LOCAL_BASE"; return
  fi
  if [ "$rebuild_base" = 0 ] && timeout 60 "${PODMAN[@]}" pull -q "$official" >/dev/null 2>&1; then
    BASE_IMAGE="$official"; return
  fi
  say "cannot pull $official (no registry access); falling back to debootstrap"
  debootstrap_base
  BASE_IMAGE="$LOCAL_BASE"
}

# --- build -----------------------------------------------------------------
if [ "$do_build" = 1 ]; then
  pick_base
  say "building $IMAGE:$TAG from $BASE_IMAGE (JOBS=$JOBS; the C++ build takes a while)"
  "${BUILD[@]}" \
    -f "$repo/deploy/Containerfile" \
    --ignorefile "$repo/deploy/containerignore" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "JOBS=$JOBS" \
    --build-arg "ALLOW_MISSING=$allow_missing" \
    -t "$IMAGE:$TAG" "$repo" || die "podman build failed"
  say "PASS built $IMAGE:$TAG ($("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE:$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
fi

[ "$do_smoke" = 1 ] || exit 0

# --- smoke run ---------------------------------------------------------------
"${PODMAN[@]}" image exists "$IMAGE:$TAG" || die "no image $IMAGE:$TAG to smoke-run (build it first)"
RUN=("${PODMAN[@]}" run "${ULIMITS[@]}")

uid="$("${RUN[@]}" --rm --entrypoint id "$IMAGE:$TAG" -u)"
[ "$uid" = 10001 ] || die "image runs as uid $uid, want 10001"
say "PASS image runs as uid 10001"

binaries="$("${RUN[@]}" --rm --entrypoint ls "$IMAGE:$TAG" /usr/local/bin)"
say "binaries: $(echo $binaries)"
echo "$binaries" | grep -qx ttads-health || die "ttads-health is not in the image"

service="" port=""
for candidate in identity:50051 preflight:50052 ads:50053 audience:50054; do
  if echo "$binaries" | grep -qx "ttads-${candidate%%:*}"; then
    service="${candidate%%:*}"; port="${candidate##*:}"; break
  fi
done
[ -n "$service" ] || die "no gRPC service binary in the image to smoke-run"

if ! "${PODMAN[@]}" image exists "$SMOKE_REDIS_IMAGE"; then
  pick_base
  base="$BASE_IMAGE"
  ctx="$(mktemp -d)"
  printf 'FROM %s\nRUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null && rm -rf /var/lib/apt/lists/*\nUSER redis\n' \
    "$base" >"$ctx/Containerfile"
  say "building the smoke-test Redis helper image $SMOKE_REDIS_IMAGE"
  "${BUILD[@]}" -q -t "$SMOKE_REDIS_IMAGE" "$ctx" >/dev/null || die "could not build $SMOKE_REDIS_IMAGE"
  rm -rf "$ctx"
fi

suffix="$$"
redis_ctr="ttads-smoke-redis-$suffix"
svc_ctr="ttads-smoke-$service-$suffix"
# One container per call: podman 4.3 stops at a name that no longer exists
# (the service container may be gone) and leaves the rest running.
cleanup() {
  local c
  for c in "$svc_ctr" "$redis_ctr"; do
    "${PODMAN[@]}" rm -f -t 0 "$c" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

# Loopback-only network namespace shared by Redis and the service.
"${RUN[@]}" -d --name "$redis_ctr" --network none "$SMOKE_REDIS_IMAGE" \
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no >/dev/null

drain=2
smoke_key="$(printf 'smoke-test-only-fake-key-32byte!' | base64)"
"${RUN[@]}" -d --name "$svc_ctr" --network "container:$redis_ctr" \
  --user 10001:10001 --read-only --tmpfs /tmp:rw,size=16m \
  --cap-drop ALL --security-opt no-new-privileges \
  -e TTADS_LISTEN_ADDRESS="127.0.0.1:$port" \
  -e TTADS_REDIS_ADDRESS=127.0.0.1:6379 \
  -e TTADS_TIKTOK_BASE_URL=http://127.0.0.1:9090/open_api/v1.3/ \
  -e TTADS_TIKTOK_APP_SECRET=smoke-test-fake-secret \
  -e TTADS_TOKEN_ENCRYPTION_KEY="$smoke_key" \
  -e TTADS_DRAIN_SECONDS="$drain" \
  --entrypoint "/usr/local/bin/ttads-$service" "$IMAGE:$TAG" >/dev/null

if ! "${PODMAN[@]}" exec "$svc_ctr" /usr/local/bin/ttads-health \
     --address="127.0.0.1:$port" --wait=60s; then
  "${PODMAN[@]}" logs "$svc_ctr" 2>&1 | tail -n 30 >&2
  die "ttads-$service did not answer grpc.health.v1 SERVING within 60s"
fi
say "PASS ttads-$service answers grpc.health.v1 SERVING in the container"

start=$(date +%s)
"${PODMAN[@]}" stop -t 30 "$svc_ctr" >/dev/null
elapsed=$(( $(date +%s) - start ))
code="$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$svc_ctr")"
if [ "$code" != 0 ]; then
  "${PODMAN[@]}" logs "$svc_ctr" 2>&1 | tail -n 30 >&2
  die "ttads-$service exited $code after SIGTERM, want 0"
fi
if [ "$elapsed" -lt "$drain" ]; then
  die "ttads-$service stopped after ${elapsed}s, before its ${drain}s drain"
fi
if [ "$elapsed" -ge 30 ]; then
  die "ttads-$service ignored SIGTERM (killed after the 30s timeout)"
fi
say "PASS ttads-$service drained ${elapsed}s after SIGTERM and exited 0"
say "smoke run passed: $IMAGE:$TAG"
