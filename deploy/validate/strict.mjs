// Unknown-field check. The kubernetes-models schemas accept any extra
// property, so a misspelt optional field (say `terminationGracePeriodSecond`)
// would pass them and be silently dropped by the API server. This walks each
// object against the Kubernetes API type definitions shipped by the npm
// package `kubernetes-types` (TypeScript declarations generated from the
// OpenAPI spec) and reports every property the type does not declare.
//
// Only the regular shape of those declarations is understood:
//   import { A, B } from "../meta/v1";
//   export interface Name { (readonly )?prop(?)?: Type; ... }
// with Type one of: a scalar, a string literal, `Array<T>`, an interface
// name (local or imported), or a `{ [name: string]: T; }` map spanning lines.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const typesRoot = path.dirname(require.resolve("kubernetes-types/package.json"));
const modules = new Map(); // module path (e.g. "core/v1") -> {interfaces, imports}

function loadModule(mod) {
  if (modules.has(mod)) return modules.get(mod);
  const file = path.join(typesRoot, `${mod}.d.ts`);
  const result = { interfaces: new Map(), imports: new Map() };
  modules.set(mod, result);
  if (!fs.existsSync(file)) return result;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let current = null;
  let mapProp = null;
  for (const line of lines) {
    const imp = line.match(/^import \{([^}]*)\} from "([^"]+)";/);
    if (imp) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(mod), imp[2]));
      for (const name of imp[1].split(",").map((s) => s.trim()).filter(Boolean)) {
        result.imports.set(name, target);
      }
      continue;
    }
    const start = line.match(/^export interface (\w+) \{/);
    if (start) {
      current = new Map();
      result.interfaces.set(start[1], current);
      continue;
    }
    if (!current) continue;
    if (/^\}/.test(line)) {
      current = null;
      continue;
    }
    if (mapProp) {
      const value = line.match(/^\s+\[\w+: string\]: (.+);$/);
      if (value) current.set(mapProp, `Map<${value[1]}>`);
      if (/^\s+\};$/.test(line)) mapProp = null;
      continue;
    }
    const prop = line.match(/^\s+(?:readonly )?"?([\w$-]+)"?\??: (.+)$/);
    if (!prop) continue;
    if (prop[2] === "{") {
      mapProp = prop[1];
      current.set(mapProp, "Map<any>");
    } else {
      current.set(prop[1], prop[2].replace(/;$/, ""));
    }
  }
  return result;
}

function resolve(mod, typeName) {
  const m = loadModule(mod);
  if (m.interfaces.has(typeName)) return { mod, fields: m.interfaces.get(typeName) };
  const from = m.imports.get(typeName);
  if (from) {
    const other = loadModule(from);
    if (other.interfaces.has(typeName)) return { mod: from, fields: other.interfaces.get(typeName) };
  }
  return undefined; // a scalar alias (Quantity, Time, IntOrString, ...) or unknown
}

function walk(value, type, mod, where, out) {
  if (value === null || value === undefined) return;
  const arr = type.match(/^Array<(.+)>$/);
  if (arr) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, arr[1], mod, `${where}[${i}]`, out));
    return;
  }
  const map = type.match(/^Map<(.+)>$/);
  if (map) {
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, map[1], mod, `${where}.${k}`, out);
    }
    return;
  }
  if (!/^[A-Z]\w*$/.test(type)) return;
  const t = resolve(mod, type);
  if (!t || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const fieldType = t.fields.get(k);
    if (fieldType === undefined) {
      out.push(`${where}.${k}: unknown field (not in ${type})`);
      continue;
    }
    walk(v, fieldType, t.mod, `${where}.${k}`, out);
  }
}

// "apps/v1" -> "apps/v1", "v1" -> "core/v1", "networking.k8s.io/v1" -> "networking/v1".
function moduleFor(apiVersion) {
  const parts = apiVersion.split("/");
  if (parts.length === 1) return `core/${parts[0]}`;
  return `${parts[0].split(".")[0]}/${parts[1]}`;
}

// Returns the unknown-field paths of `obj`, or undefined when its kind has no
// type definition here.
export function unknownFields(obj) {
  const mod = moduleFor(obj.apiVersion ?? "");
  if (!resolve(mod, obj.kind ?? "")) return undefined;
  const out = [];
  walk(obj, obj.kind, mod, "", out);
  return out.map((p) => p.replace(/^\./, ""));
}
