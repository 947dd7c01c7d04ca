#!/usr/bin/env bash
# Offline validation of the Kubernetes manifests in deploy/k8s: renders every
# overlay, checks the objects against the Kubernetes schemas and the project
# rules, and checks that deliberately broken fixtures are rejected.
# Registered in ctest as deploy_manifests_validate; runs in a few seconds.
#
# Needs: node (>= 18) and npm; the npm dependencies are installed here on first
# use (npm ci from the committed package-lock.json). kubectl is optional: with
# it the overlays are rendered by `kubectl kustomize` (and the fallback renderer
# is checked against it); without it by the fallback renderer in render.mjs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v node >/dev/null 2>&1; then
  echo "FAIL node is not installed (apt-get install nodejs npm)"
  exit 1
fi
if [[ ! -d "$here/node_modules/kubernetes-models" || ! -d "$here/node_modules/kubernetes-types" ||
      ! -d "$here/node_modules/yaml" ]]; then
  echo "deploy/validate: installing the npm dependencies (npm ci)"
  npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "NOTE kubectl is not installed: overlays are rendered by the fallback renderer"
fi
exec node "$here/validate.mjs"
