// Offline validation of the ttads Kubernetes manifests.
//
//   node deploy/validate/validate.mjs            # every overlay + the fixtures
//
// 1. Renders each overlay under deploy/k8s/overlays/ (kubectl kustomize when
//    kubectl is installed, else the fallback renderer in render.mjs; with
//    kubectl both are run and must agree).
// 2. Checks the rendered objects with rules.mjs: Kubernetes schemas plus the
//    project rules, and the profile rules named after the overlay (dev, prod).
// 3. Proves the checks bite: fixtures/valid-minimal.yaml must pass, and every
//    fixtures/broken-*.yaml (a deliberate breakage of valid-minimal.yaml) must
//    be rejected by exactly the rules it names in expectFail.
// Prints one PASS/FAIL line per rule and target, then "N passed, N failed";
// exits 1 on any failure.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  applyJsonPatch, canonical, kubectlAvailable, parseYamlDocuments, renderFallback,
  renderWithKubectl,
} from "./render.mjs";
import { check, documentedKeys } from "./rules.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..", "..");
const overlaysDir = path.join(repo, "deploy", "k8s", "overlays");
const fixturesDir = path.join(here, "fixtures");
const keys = documentedKeys(path.join(repo, "docs", "configuration.md"));

let passed = 0;
let failed = 0;
function pass(what) {
  passed++;
  console.log(`PASS ${what}`);
}
function fail(what) {
  failed++;
  console.log(`FAIL ${what}`);
}

// Groups findings by rule: one PASS line per clean rule, one FAIL line per
// failing finding. Returns the set of failing rules.
function report(label, findings) {
  const byRule = new Map();
  for (const f of findings) {
    if (!byRule.has(f.rule)) byRule.set(f.rule, []);
    byRule.get(f.rule).push(f);
  }
  const failing = new Set();
  for (const [rule, list] of byRule) {
    const bad = list.filter((f) => !f.ok);
    if (bad.length === 0) {
      pass(`[${label}] ${rule} (${list.length} checks)`);
    } else {
      failing.add(rule);
      for (const f of bad) fail(`[${label}] ${rule}: ${f.message}`);
    }
  }
  return failing;
}

function render(dir, label) {
  const useKubectl = kubectlAvailable();
  let objects;
  try {
    objects = useKubectl ? renderWithKubectl(dir) : renderFallback(dir);
    pass(`[${label}] render with ${useKubectl ? "kubectl kustomize" : "fallback renderer (kubectl not installed)"}: ${objects.length} objects`);
  } catch (e) {
    fail(`[${label}] render: ${String(e.stderr ?? e.message).trim()}`);
    return undefined;
  }
  if (useKubectl) {
    // Keep the fallback renderer exact for machines without kubectl.
    try {
      const a = canonical(objects);
      const b = canonical(renderFallback(dir));
      const diffs = [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id));
      if (diffs.length === 0) pass(`[${label}] fallback renderer matches kubectl kustomize`);
      else fail(`[${label}] fallback renderer differs from kubectl kustomize on ${diffs.join(", ")}`);
    } catch (e) {
      fail(`[${label}] fallback renderer: ${e.message}`);
    }
  }
  return objects;
}

async function validateOverlays() {
  const overlays = fs.readdirSync(overlaysDir).filter((d) =>
    fs.existsSync(path.join(overlaysDir, d, "kustomization.yaml"))).sort();
  for (const required of ["dev", "prod"]) {
    if (!overlays.includes(required)) fail(`overlay ${required} is missing`);
  }
  for (const overlay of overlays) {
    const objects = render(path.join(overlaysDir, overlay), overlay);
    if (!objects) continue;
    report(overlay, await check(objects, { profile: overlay, keys }));
  }
}

function buildFixture(base, fixture, file) {
  let objects = base.map((o) => structuredClone(o));
  const matches = (o, t) => o.kind === t.kind && o.metadata?.name === t.name;
  for (const t of fixture.delete ?? []) {
    const before = objects.length;
    objects = objects.filter((o) => !matches(o, t));
    if (objects.length === before) throw new Error(`${file}: delete target ${t.kind}/${t.name} not found`);
  }
  for (const p of fixture.patches ?? []) {
    const target = objects.find((o) => matches(o, p.target));
    if (!target) throw new Error(`${file}: patch target ${p.target.kind}/${p.target.name} not found`);
    applyJsonPatch(target, p.ops, file);
  }
  objects.push(...(fixture.add ?? []));
  return objects;
}

async function validateFixtures() {
  const baseFile = path.join(fixturesDir, "valid-minimal.yaml");
  const base = parseYamlDocuments(fs.readFileSync(baseFile, "utf8"), baseFile);
  for (const profile of ["base", "prod"]) {
    const findings = await check(base, { profile, keys });
    const bad = findings.filter((f) => !f.ok);
    if (bad.length === 0) pass(`[fixture valid-minimal as ${profile}] accepted (${findings.length} checks)`);
    else for (const f of bad) fail(`[fixture valid-minimal as ${profile}] ${f.rule}: ${f.message}`);
  }

  const files = fs.readdirSync(fixturesDir).filter((f) => /^broken-.*\.ya?ml$/.test(f)).sort();
  if (files.length === 0) fail("no broken-*.yaml fixtures: the rules are not shown to reject anything");
  for (const file of files) {
    const full = path.join(fixturesDir, file);
    const fixture = parseYamlDocuments(fs.readFileSync(full, "utf8"), full)[0];
    const expected = new Set(fixture.expectFail ?? []);
    let objects;
    try {
      objects = buildFixture(base, fixture, file);
    } catch (e) {
      fail(`[fixture ${file}] ${e.message}`);
      continue;
    }
    const findings = await check(objects, { profile: fixture.profile ?? "base", keys });
    const failing = new Set(findings.filter((f) => !f.ok).map((f) => f.rule));
    const same = expected.size > 0 && expected.size === failing.size && [...expected].every((r) => failing.has(r));
    if (same) {
      const why = findings.find((f) => !f.ok).message;
      pass(`[fixture ${file}] rejected by ${[...failing].join(", ")} as expected (${why})`);
    } else {
      fail(`[fixture ${file}] expected rejection by {${[...expected].join(", ")}}, got {${[...failing].join(", ")}}`);
    }
  }
}

await validateOverlays();
await validateFixtures();
console.log(`deploy-validate: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
