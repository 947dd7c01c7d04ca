// Checks the requests ttads itself sent to the simulator (recorded with
// TTADS_SIM_RECORD, one JSON object per line, see
// tools/tiktok_sim/request_log.h) against TikTok's official JavaScript SDK:
// every field each request carries -- query parameters, JSON body fields at
// any depth, multipart fields and files -- must be a property of the SDK's
// request model (or parameter list) for that endpoint, with the SDK's type.
//
// Allowed without the SDK knowing them: only the fields listed under
// "documented_not_in_sdk" in known_findings.json, each with the TikTok
// reference page that documents it. Endpoints the SDK has no method for are
// reported, and must be listed under "endpoints_not_in_sdk" there.
//
// Usage: node check_ttads_requests.mjs <requests.jsonl> [--report <f.json>]
// Exit 0 when nothing is unknown, 1 otherwise (with the list per endpoint).

import fs from 'node:fs';
import path from 'node:path';

import {apiPrefix, operations, sdkVersion} from './sdk_schema.mjs';
import {checkJson, checkWire} from './type_check.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const [logFile] = process.argv.slice(2);
const reportAt = process.argv.indexOf('--report');
const reportFile = reportAt > 0 ? process.argv[reportAt + 1] : null;
if (!logFile) {
  console.error('usage: node check_ttads_requests.mjs <requests.jsonl>');
  process.exit(2);
}

const known = JSON.parse(
    fs.readFileSync(path.join(here, 'known_findings.json'), 'utf8'));
const allowed = known.documented_not_in_sdk || {};
const notInSdk = known.endpoints_not_in_sdk || {};
const ops = await operations();

// The paths of the fields inside `v` ("creatives[].ad_text"), for the report.
function nestedPaths(v, at) {
  if (Array.isArray(v)) return v.flatMap((item) => nestedPaths(item, `${at}[]`));
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(
      ([k, x]) => [`${at}.${k}`, ...nestedPaths(x, `${at}.${k}`)]);
}

// "creatives[3].ad_text" -> "creatives[].ad_text": one finding per field.
const generalize = (where) => where.replace(/\[\d+\]/g, '[]');

const records = fs.readFileSync(logFile, 'utf8').split('\n')
                    .filter((l) => l.trim()).map((l) => JSON.parse(l));
const perEndpoint = new Map();
const endpointOf = (rel) => {
  if (!perEndpoint.has(rel)) {
    perEndpoint.set(rel, {requests: 0, encodings: new Set(), fields: new Set(),
                          findings: new Map()});
  }
  return perEndpoint.get(rel);
};

for (const rec of records) {
  if (!rec.path.startsWith(`${apiPrefix}/`)) continue;
  const rel = rec.path.slice(apiPrefix.length);
  const op = ops[rel];
  const e = endpointOf(rel);
  ++e.requests;
  const encoding = rec.form ? 'multipart' : rec.body ? 'json' : 'query';
  e.encodings.add(`${rec.method} ${encoding}`);
  if (!op) continue;
  const found = [];
  const field = (name, value, check) => {
    e.fields.add(name);
    if (!(name in op.params)) {
      found.push({where: name, kind: 'unknown'});
    } else {
      found.push(...check(value, op.params[name], name));
    }
  };
  for (const [k, v] of Object.entries(rec.query || {})) field(k, v, checkWire);
  for (const [k, v] of Object.entries(rec.form || {})) field(k, v, checkWire);
  for (const k of Object.keys(rec.files || {})) field(k, '', checkWire);
  if (rec.body && typeof rec.body === 'object' && !Array.isArray(rec.body)) {
    for (const [k, v] of Object.entries(rec.body)) {
      field(k, v, checkJson);
      for (const p of nestedPaths(v, k)) e.fields.add(p);
    }
  }
  for (const f of found) {
    const key = `${rel} ${generalize(f.where)}`;
    if (!e.findings.has(key)) e.findings.set(key, {...f, where: generalize(f.where), count: 0});
    ++e.findings.get(key).count;
  }
}

const failures = [];
const report = {sdk_version: sdkVersion, requests: records.length, endpoints: {}};
console.log(`ttads's requests (${records.length}) against TikTok SDK ${sdkVersion}`);
const seenAllowed = new Set();
for (const [rel, e] of [...perEndpoint.entries()].sort()) {
  const op = ops[rel];
  const entry = {requests: e.requests, encodings: [...e.encodings].sort(),
                 sdk: op ? `${op.api}.${op.method} (${op.httpMethod} ${op.encoding})` : null,
                 fields: [...e.fields].sort(), findings: []};
  report.endpoints[rel] = entry;
  if (!op) {
    if (notInSdk[rel]) {
      console.log(`${rel}: no SDK method (${notInSdk[rel]})`);
    } else {
      console.log(`${rel}: no SDK method and not listed in known_findings.json`);
      failures.push(`${rel}: not in the SDK; list it under endpoints_not_in_sdk ` +
                    'with the reference page, or stop calling it');
    }
    continue;
  }
  console.log(`${rel}: ${e.requests} request(s) via ${entry.encodings.join(', ')};` +
              ` SDK ${entry.sdk}`);
  for (const [key, f] of e.findings) {
    const text = f.kind === 'unknown' ?
        `${f.where}: not a property of the SDK's request model` :
        `${f.where}: ${f.got} is not a ${f.expected}`;
    entry.findings.push({...f, text});
    if (f.kind === 'unknown' && allowed[key]) {
      seenAllowed.add(key);
      console.log(`  allowed  ${text} (${f.count}x) -- ${allowed[key]}`);
    } else {
      console.log(`  FINDING  ${text} (${f.count}x)`);
      failures.push(`${rel} ${text}`);
    }
  }
}
for (const key of Object.keys(allowed)) {
  if (!seenAllowed.has(key)) {
    console.log(`note: allow-list entry "${key}" was not needed in this run`);
  }
}
if (records.length === 0) failures.push(`${logFile}: no requests recorded`);
report.failures = failures;
if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report, null, 2));
if (failures.length) {
  console.log(`FAIL ${failures.length} field(s) ttads sends that the SDK does not know:`);
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log('PASS');
