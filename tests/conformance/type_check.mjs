// Checks a value against an SDK type (as sdk_schema.mjs expresses it) and
// lists what does not fit, without the SDK's own leniency (its
// ApiClient.convertToType turns anything into a String or Number).
//
//   checkJson(value, type, where)  value as JSON carries it (a request body,
//                                  a response): "String" must be a string,
//                                  "Number" a number, "Boolean" a boolean.
//   checkWire(value, type, where)  value as a query or multipart field, i.e.
//                                  text: a Number must parse as one, a
//                                  Boolean must be true/false, and a list or
//                                  model is JSON text, parsed and then
//                                  checked as JSON.
//
// Each returns a list of findings:
//   {where: "creatives[0].card_type", kind: "unknown"}            the SDK
//       model has no such field;
//   {where: "page", kind: "type", expected: "Number", got: "\"x\""}.

import {modelFields, typeName} from './sdk_schema.mjs';

const fieldCache = new Map();
function fieldsOf(M) {
  if (!fieldCache.has(M)) fieldCache.set(M, modelFields(M));
  return fieldCache.get(M);
}

function describe(v) {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function checkJson(value, type, where = '') {
  const out = [];
  const bad = () => out.push(
      {where, kind: 'type', expected: typeName(type), got: describe(value)});
  if (value === null || value === undefined) return out;
  if (type === 'String') {
    if (typeof value !== 'string') bad();
  } else if (type === 'Number' || type === 'Integer') {
    if (typeof value !== 'number' ||
        (type === 'Integer' && !Number.isInteger(value))) {
      bad();
    }
  } else if (type === 'Boolean') {
    if (typeof value !== 'boolean') bad();
  } else if (type === 'Blob' || type === Object) {
    // A file, or an object the SDK leaves untyped: anything goes.
  } else if (Array.isArray(type)) {
    if (!Array.isArray(value)) {
      bad();
    } else {
      value.forEach(
          (item, i) => out.push(...checkJson(item, type[0], `${where}[${i}]`)));
    }
  } else if (typeof type === 'function') {
    if (!isPlainObject(value)) {
      bad();
    } else {
      const fields = fieldsOf(type);
      for (const [k, v] of Object.entries(value)) {
        const at = where ? `${where}.${k}` : k;
        if (!(k in fields)) {
          out.push({where: at, kind: 'unknown'});
        } else {
          out.push(...checkJson(v, fields[k], at));
        }
      }
    }
  } else if (isPlainObject(type)) {
    const valueType = Object.values(type)[0];
    if (!isPlainObject(value)) {
      bad();
    } else {
      for (const [k, v] of Object.entries(value)) {
        out.push(...checkJson(v, valueType, `${where}.${k}`));
      }
    }
  }
  return out;
}

export function checkWire(text, type, where = '') {
  if (typeof text !== 'string') return checkJson(text, type, where);
  const bad = () =>
      [{where, kind: 'type', expected: typeName(type), got: describe(text)}];
  if (type === 'String' || type === 'Blob') return [];
  if (type === 'Number' || type === 'Integer') {
    const n = Number(text);
    return text.trim() === '' || !Number.isFinite(n) ||
            (type === 'Integer' && !Number.isInteger(n)) ? bad() : [];
  }
  if (type === 'Boolean') return text === 'true' || text === 'false' ? [] : bad();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return bad();
  }
  return checkJson(parsed, type, where);
}
