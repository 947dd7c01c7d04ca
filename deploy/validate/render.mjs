// Renders a kustomization directory into a list of Kubernetes objects.
//
// `kubectl kustomize` is the reference renderer and is used whenever kubectl is
// on PATH. Debian bookworm packages neither kubectl nor kustomize, so for
// machines without kubectl this file also carries a small renderer for exactly
// the kustomize subset the ttads manifests use:
//   resources (files and directories), namespace, configMapGenerator and
//   secretGenerator (literals; behavior create/merge/replace) with
//   generatorOptions.disableNameSuffixHash: true, images (newName/newTag),
//   patches (JSON 6902 or strategic merge; target by kind/name/namespace).
// Any other kustomization field is an error here, so the fallback never
// silently renders something different. When kubectl is present the validator
// renders with both and requires identical objects, which keeps this subset
// honest.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

export function parseYamlDocuments(text, source) {
  const docs = YAML.parseAllDocuments(text);
  const out = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`${source}: ${doc.errors[0].message}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function kubectlAvailable() {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function renderWithKubectl(dir) {
  const text = execFileSync("kubectl", ["kustomize", dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseYamlDocuments(text, `kubectl kustomize ${dir}`);
}

// ---------------------------------------------------------------------------
// Fallback renderer.

const KNOWN_FIELDS = new Set([
  "apiVersion", "kind", "resources", "namespace", "configMapGenerator",
  "secretGenerator", "generatorOptions", "images", "patches",
]);

// Kinds that have no namespace (the subset that could appear here).
const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
  "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
]);

const clone = (v) => structuredClone(v);
const idOf = (o) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;

function parseLiteral(lit, where) {
  const eq = lit.indexOf("=");
  if (eq <= 0) throw new Error(`${where}: literal "${lit}" is not KEY=VALUE`);
  let value = lit.slice(eq + 1);
  if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
  return [lit.slice(0, eq), value];
}

function generate(gen, kind, where) {
  for (const key of Object.keys(gen)) {
    if (!["name", "behavior", "literals", "type", "namespace"].includes(key)) {
      throw new Error(`${where}: generator field "${key}" is not supported by the fallback renderer`);
    }
  }
  const data = {};
  for (const lit of gen.literals ?? []) {
    const [k, v] = parseLiteral(lit, where);
    data[k] = kind === "Secret" ? Buffer.from(v, "utf8").toString("base64") : v;
  }
  const obj = { apiVersion: "v1", kind, metadata: { name: gen.name } };
  if (gen.namespace) obj.metadata.namespace = gen.namespace;
  if (Object.keys(data).length > 0) obj.data = data;
  if (kind === "Secret") obj.type = gen.type ?? "Opaque";
  return { obj, behavior: gen.behavior ?? "create" };
}

function decodePointer(p) {
  if (p === "") return [];
  if (!p.startsWith("/")) throw new Error(`bad JSON pointer "${p}"`);
  return p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

// RFC 6902 subset: add, replace, remove.
export function applyJsonPatch(doc, ops, where) {
  for (const op of ops) {
    const parts = decodePointer(op.path);
    if (parts.length === 0) throw new Error(`${where}: patching the document root is not supported`);
    let parent = doc;
    for (const part of parts.slice(0, -1)) {
      const next = Array.isArray(parent) ? parent[Number(part)] : parent?.[part];
      if (next === undefined || next === null) {
        throw new Error(`${where}: path ${op.path} does not exist`);
      }
      parent = next;
    }
    const last = parts[parts.length - 1];
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last);
      if (op.op === "add") parent.splice(index, 0, clone(op.value));
      else if (op.op === "replace") {
        if (index >= parent.length) throw new Error(`${where}: path ${op.path} does not exist`);
        parent[index] = clone(op.value);
      } else if (op.op === "remove") parent.splice(index, 1);
      else throw new Error(`${where}: op "${op.op}" is not supported`);
    } else {
      if (op.op === "add") parent[last] = clone(op.value);
      else if (op.op === "replace") {
        if (!(last in parent)) throw new Error(`${where}: path ${op.path} does not exist`);
        parent[last] = clone(op.value);
      } else if (op.op === "remove") delete parent[last];
      else throw new Error(`${where}: op "${op.op}" is not supported`);
    }
  }
  return doc;
}

// Strategic merge subset: maps merge recursively, null deletes, lists of
// objects that all carry "name" merge by name, other lists are replaced.
function strategicMerge(target, patch) {
  if (Array.isArray(patch)) {
    const byName = Array.isArray(target) &&
      patch.every((e) => e && typeof e === "object" && "name" in e) &&
      target.every((e) => e && typeof e === "object" && "name" in e);
    if (!byName) return clone(patch);
    const out = target.map(clone);
    for (const item of patch) {
      const i = out.findIndex((e) => e.name === item.name);
      if (i >= 0) out[i] = strategicMerge(out[i], item);
      else out.push(clone(item));
    }
    return out;
  }
  if (patch && typeof patch === "object") {
    const out = target && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = strategicMerge(out[k], v);
    }
    return out;
  }
  return patch;
}

function matchesTarget(obj, target) {
  if (!target) return true;
  const nameOk = (want, have) => want === undefined || new RegExp(`^(?:${want})$`).test(have ?? "");
  for (const key of Object.keys(target)) {
    if (!["kind", "name", "namespace", "group", "version"].includes(key)) {
      throw new Error(`patch target field "${key}" is not supported by the fallback renderer`);
    }
  }
  if (target.kind !== undefined && !nameOk(target.kind, obj.kind)) return false;
  if (!nameOk(target.name, obj.metadata?.name)) return false;
  if (!nameOk(target.namespace, obj.metadata?.namespace)) return false;
  return true;
}

function splitImage(image) {
  const at = image.indexOf("@");
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(":");
  if (colon > noDigest.lastIndexOf("/")) return [noDigest.slice(0, colon), noDigest.slice(colon + 1)];
  return [noDigest, undefined];
}

function applyImages(objects, images) {
  for (const obj of objects) {
    const spec = obj.spec?.template?.spec ?? (obj.kind === "Pod" ? obj.spec : undefined);
    if (!spec) continue;
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      const [name, tag] = splitImage(c.image ?? "");
      const rule = images.find((r) => r.name === name);
      if (!rule) continue;
      const newName = rule.newName ?? name;
      const newTag = rule.newTag ?? tag;
      c.image = rule.digest ? `${newName}@${rule.digest}` : newTag ? `${newName}:${newTag}` : newName;
    }
  }
}

function readPatch(dir, entry, where) {
  if (entry.path && entry.patch) throw new Error(`${where}: patch has both path and patch`);
  const text = entry.path ? fs.readFileSync(path.join(dir, entry.path), "utf8") : entry.patch;
  const docs = parseYamlDocuments(text, entry.path ?? where);
  if (docs.length !== 1) throw new Error(`${where}: a patch must be one YAML document`);
  return docs[0];
}

export function renderFallback(dir) {
  const kfile = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
    .map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!kfile) throw new Error(`${dir}: no kustomization.yaml`);
  const k = parseYamlDocuments(fs.readFileSync(kfile, "utf8"), kfile)[0] ?? {};
  for (const key of Object.keys(k)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new Error(`${kfile}: field "${key}" is not supported by the fallback renderer; install kubectl`);
    }
  }
  if ((k.configMapGenerator || k.secretGenerator) && k.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error(`${kfile}: the fallback renderer needs generatorOptions.disableNameSuffixHash: true`);
  }

  let objects = [];
  for (const res of k.resources ?? []) {
    const p = path.join(dir, res);
    if (fs.statSync(p).isDirectory()) objects.push(...renderFallback(p));
    else objects.push(...parseYamlDocuments(fs.readFileSync(p, "utf8"), p));
  }

  const generators = [
    ...(k.configMapGenerator ?? []).map((g) => generate(g, "ConfigMap", kfile)),
    ...(k.secretGenerator ?? []).map((g) => generate(g, "Secret", kfile)),
  ];
  for (const { obj, behavior } of generators) {
    const i = objects.findIndex((o) => o.kind === obj.kind && o.metadata?.name === obj.metadata.name);
    if (behavior === "create") {
      if (i >= 0) throw new Error(`${kfile}: ${obj.kind}/${obj.metadata.name} already exists`);
      objects.push(obj);
    } else if (behavior === "merge" || behavior === "replace") {
      if (i < 0) throw new Error(`${kfile}: ${obj.kind}/${obj.metadata.name} to ${behavior} not found`);
      if (behavior === "merge") {
        objects[i].data = { ...(objects[i].data ?? {}), ...(obj.data ?? {}) };
      } else {
        objects[i] = { ...objects[i], data: obj.data };
      }
    } else {
      throw new Error(`${kfile}: generator behavior "${behavior}" unknown`);
    }
  }

  for (const [n, entry] of (k.patches ?? []).entries()) {
    const where = `${kfile}: patches[${n}]`;
    const patch = readPatch(dir, entry, where);
    let matched = 0;
    objects = objects.map((o) => {
      if (Array.isArray(patch)) {
        if (!entry.target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
        if (!matchesTarget(o, entry.target)) return o;
        matched++;
        return applyJsonPatch(clone(o), patch, `${where} on ${idOf(o)}`);
      }
      const t = entry.target ?? { kind: patch.kind, name: patch.metadata?.name };
      if (!matchesTarget(o, t)) return o;
      matched++;
      return strategicMerge(o, patch);
    });
    if (matched === 0) throw new Error(`${where}: matched no object`);
  }

  if (k.namespace) {
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata = { ...o.metadata, namespace: k.namespace };
    }
  }
  if (k.images) applyImages(objects, k.images);
  return objects;
}

// Canonical form for comparing two renderings: objects keyed by identity,
// with keys sorted at every level.
export function canonical(objects) {
  const sortKeys = (v) => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.keys(v).sort().map((key) => [key, sortKeys(v[key])]));
    }
    return v;
  };
  const map = new Map();
  for (const o of objects) map.set(idOf(o), JSON.stringify(sortKeys(o)));
  return map;
}

export { idOf };
