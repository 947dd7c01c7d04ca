// The TikTok endpoints ttads calls, found in its source the way a reader
// would: every API-relative path literal ("ad/create/") in the TikTok client
// (libs/tiktok) and in the services that talk to TikTok (ads, audience,
// identity, preflight), tests and fakes excluded. sdk_drive.mjs must drive
// each of them, so a new call in ttads cannot go unchecked.

import fs from 'node:fs';
import path from 'node:path';

const kDirs = ['libs/tiktok', 'services/ads', 'services/audience',
               'services/identity', 'services/preflight'];

function sourceFiles(root) {
  const out = [];
  for (const dir of kDirs) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full)) {
      if (!f.endsWith('.cc') || f.endsWith('_test.cc') || f.startsWith('fake_')) {
        continue;
      }
      out.push(path.join(full, f));
    }
  }
  return out;
}

// Sorted API-relative paths with a leading slash ("/ad/create/"), each with
// the files that name it.
export function ttadsEndpoints(root) {
  const found = new Map();
  for (const file of sourceFiles(root)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/"([a-z0-9_]+(?:\/[a-z0-9_]+)*\/)"/g)) {
      const p = `/${m[1]}`;
      if (!found.has(p)) found.set(p, new Set());
      found.get(p).add(path.relative(root, file));
    }
  }
  return new Map([...found.entries()].sort());
}
