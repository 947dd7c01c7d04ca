#!/usr/bin/env bash
# scripts/free_ports.sh must give every port scripts/up.sh listens on a free,
# distinct value: a port it leaves out falls back to up.sh's fixed default, so
# two private suites started side by side (ctest -j) collide on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/free_ports.sh
source scripts/free_ports.sh
status=0
seen=" "
for name in $(grep -o 'TTADS_[A-Z_]*_PORT' scripts/up.sh | sort -u); do
  value="${!name:-}"
  if [ -z "$value" ]; then
    echo "FAIL $name is used by scripts/up.sh but scripts/free_ports.sh does not set it"
    status=1
    continue
  fi
  case "$seen" in *" $value "*) echo "FAIL $name=$value is given twice"; status=1 ;; esac
  seen+="$value "
done
[ "$status" = 0 ] && echo "PASS every port of scripts/up.sh is drawn free and distinct"
exit "$status"
