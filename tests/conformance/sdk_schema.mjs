// What TikTok's official JavaScript SDK (tiktok-business-api-sdk-official)
// knows about each endpoint, read from the SDK itself rather than written out
// by hand:
//
//   operations()   every API-class method: its path, HTTP method, encoding
//                  (query, json or multipart) and parameters with their types.
//   modelFields(M) the attribute map of a generated model class: the field
//                  names its constructFromObject reads, each with the type it
//                  converts to ('String', 'Number', 'Boolean', 'Blob', Object,
//                  [T] for a list, a model class, {'String': T} for a map).
//
// A type is expressed the way the SDK's ApiClient.convertToType takes it, so
// the checker in type_check.mjs can walk requests and answers against it.

import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import * as sdk from 'tiktok-business-api-sdk-official';

const require = createRequire(import.meta.url);

export const ApiClient = sdk.ApiClient;
export const sdkRoot = path.dirname(
    require.resolve('tiktok-business-api-sdk-official/package.json'));
export const sdkVersion =
    JSON.parse(fs.readFileSync(path.join(sdkRoot, 'package.json'))).version;
export const apiPrefix = '/open_api/v1.3';

const modelCache = new Map();

// The model class called `name` (index export, else src/model/<name>.js:
// a few models are not re-exported by the SDK's index).
export async function model(name) {
  if (sdk[name]) return sdk[name];
  if (modelCache.has(name)) return modelCache.get(name);
  const file = path.join(sdkRoot, 'src', 'model', `${name}.js`);
  if (!fs.existsSync(file)) throw new Error(`SDK has no model ${name}`);
  const m = (await import(file))[name];
  modelCache.set(name, m);
  return m;
}

// The attribute map of model class `M`: runs M.constructFromObject on an
// object that claims every property, and records which fields it reads and
// the type it converts each to.
export function modelFields(M) {
  const fields = {};
  const original = ApiClient.convertToType;
  ApiClient.convertToType = (value, type) => {
    if (value && typeof value === 'object' && '__sdkField' in value) {
      fields[value.__sdkField] = type;
    }
    return undefined;
  };
  const probe = new Proxy({}, {
    get: (_, key) =>
        key === 'hasOwnProperty' ? () => true : {__sdkField: key},
  });
  try {
    M.constructFromObject(probe);
  } finally {
    ApiClient.convertToType = original;
  }
  return fields;
}

// A JSDoc type ("String", "Array.<String>", "module:model/FilteringAdGet")
// as a convertToType type.
async function jsdocType(t) {
  t = t.trim();
  const arr = t.match(/^Array\.<(.+)>$/);
  if (arr) return [await jsdocType(arr[1])];
  const mod = t.match(/^module:model\/(\w+)$/);
  if (mod) return model(mod[1]);
  if (t === 'Object') return Object;
  return t;  // String, Number, Boolean, Blob
}

// Every operation of every API class, keyed by API-relative path
// ("/ad/create/"): {api, method, httpMethod, path, encoding, params}.
// `params` maps a parameter name to its type; for a JSON body it is the body
// model's attribute map.
export async function operations() {
  const ops = {};
  const apiDir = path.join(sdkRoot, 'src', 'api');
  for (const file of fs.readdirSync(apiDir).sort()) {
    const api = path.basename(file, '.js');
    const text = fs.readFileSync(path.join(apiDir, file), 'utf8');
    // Each method: "name(args) {" at class-body indentation, its JSDoc block
    // just before it and its callApi(path, method) inside it.
    const heads = [...text.matchAll(/\n {4}(\w+)\(([^)]*)\)\s*\{/g)]
                      .filter((h) => h[1] !== 'constructor');
    for (let i = 0; i < heads.length; ++i) {
      const start = heads[i].index;
      const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
      const method = heads[i][1];
      const body = text.slice(start, end);
      const docStart = text.lastIndexOf('/**', start);
      const doc = text.slice(docStart, start);
      const call = body.match(/callApi\(\s*'([^']+)',\s*'(\w+)'/);
      if (!call) continue;
      const [, fullPath, httpMethod] = call;
      const docTypes = {};
      for (const p of doc.matchAll(/@param \{([^{}]+)\} (?:opts\.)?(\w+)/g)) {
        docTypes[p[2]] = p[1];
      }
      const keysOf = (name) => {
        const block = body.match(new RegExp(`let ${name} = \\{([^}]*)\\}`));
        return block ? [...block[1].matchAll(/'([\w-]+)':/g)].map((k) => k[1])
                     : [];
      };
      const query = keysOf('queryParams');
      const form = keysOf('formParams');
      const contentTypes = (body.match(/let contentTypes = \[([^\]]*)\]/) ||
                            [, ''])[1];
      const usesBody = /let postBody = opts\['body'\]/.test(body);
      const params = {};
      let encoding = 'query';
      if (usesBody) {
        encoding = 'json';
        Object.assign(params, modelFields(await jsdocType(docTypes.body)));
      } else if (form.length > 0 || /multipart/.test(contentTypes)) {
        encoding = 'multipart';
      }
      for (const k of [...query, ...form]) {
        params[k] = docTypes[k] ? await jsdocType(docTypes[k]) : 'String';
      }
      const rel = fullPath.startsWith(apiPrefix) ?
          fullPath.slice(apiPrefix.length) : fullPath;
      ops[rel] = {api, method, httpMethod, path: rel, encoding, params,
                  queryParams: query};
    }
  }
  return ops;
}

// A type as text: String, [String], AdcreateCreatives, {String: Number}.
export function typeName(t) {
  if (typeof t === 'string') return t;
  if (t === Object) return 'Object';
  if (Array.isArray(t)) return `[${typeName(t[0])}]`;
  if (typeof t === 'function') return t.name;
  if (t && typeof t === 'object') {
    const [k, v] = Object.entries(t)[0];
    return `{${k}: ${typeName(v)}}`;
  }
  return String(t);
}
