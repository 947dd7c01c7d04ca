#!/usr/bin/env bash
# Checks the example monitoring configuration (ctest deploy_monitoring_check):
#   1. alerts.yml passes `promtool check rules`;
#   2. its alerts fire (and stay quiet) as alerts_test.yml says
#      (`promtool test rules`);
#   3. every query of dashboard.json is valid PromQL: each becomes a
#      recording rule (Grafana's $job and $__rate_interval replaced) in a
#      temporary rules file that promtool checks.
# The metric names both use are checked against the code by
# tests/deploy/monitoring_names_test.
set -euo pipefail
cd "$(dirname "$0")"
command -v promtool >/dev/null || { echo "promtool is missing: apt-get install prometheus" >&2; exit 2; }
promtool check rules alerts.yml
promtool test rules alerts_test.yml
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/dashboard_rules.yml" <<'PY'
import json, sys
d = json.load(open("dashboard.json"))
rules = []
for panel in d["panels"]:
    for t in panel["targets"]:
        expr = t["expr"].replace("$__rate_interval", "5m").replace('"$job"', '".*"')
        rules.append({"record": "dashboard:panel%d_%s" % (panel["id"], t["refId"]), "expr": expr})
if not rules:
    sys.exit("dashboard.json has no queries")
json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, open(sys.argv[1], "w"))
print("dashboard queries:", len(rules))
PY
promtool check rules "$tmp/dashboard_rules.yml"
