// Tests of the checkers themselves: the SDK introspection finds TikTok's
// models and operations, and the type checker flags what it must (a field
// the model lacks, a wrong JSON type, bad wire text) and nothing else.
// Usage: node selftest.mjs

import assert from 'node:assert/strict';
import {test} from 'node:test';

import {model, modelFields, operations, typeName} from './sdk_schema.mjs';
import {checkJson, checkWire} from './type_check.mjs';

test('model fields come from the SDK with their types', async () => {
  const fields = modelFields(await model('AdCreateBody'));
  assert.deepEqual(Object.keys(fields).sort(),
                   ['adgroup_id', 'advertiser_id', 'creatives']);
  assert.equal(typeName(fields.creatives), '[AdcreateCreatives]');
  const creative = modelFields(await model('AdcreateCreatives'));
  assert.equal(creative.ad_text, 'String');
  assert.equal(typeName(creative.image_ids), '[String]');
  assert.equal(creative.page_id, 'Number');
  assert.ok(!('card_type' in creative));
});

test('operations carry path, method, encoding and parameters', async () => {
  const ops = await operations();
  assert.equal(ops['/ad/create/'].httpMethod, 'POST');
  assert.equal(ops['/ad/create/'].encoding, 'json');
  assert.equal(ops['/ad/get/'].encoding, 'query');
  assert.equal(typeName(ops['/ad/get/'].params.filtering), 'FilteringAdGet');
  assert.equal(typeName(ops['/ad/get/'].params.fields), '[String]');
  assert.equal(ops['/file/image/ad/upload/'].encoding, 'multipart');
  assert.equal(ops['/file/image/ad/upload/'].params.image_file, 'Blob');
  assert.equal(ops['/oauth2/revoke_token/'], undefined);
});

test('checkJson flags unknown fields and wrong types, at depth', async () => {
  const Body = await model('AdCreateBody');
  const findings = checkJson({
    advertiser_id: '1', adgroup_id: 2,
    creatives: [{ad_text: 'ok', card_type: 'X'}, {image_ids: 'not-a-list'}],
  }, Body);
  assert.deepEqual(findings, [
    {where: 'adgroup_id', kind: 'type', expected: 'String', got: '2'},
    {where: 'creatives[0].card_type', kind: 'unknown'},
    {where: 'creatives[1].image_ids', kind: 'type', expected: '[String]',
     got: '"not-a-list"'},
  ]);
  assert.deepEqual(checkJson({advertiser_id: '1', creatives: []}, Body), []);
});

test('checkWire parses query and form text by the SDK type', async () => {
  assert.deepEqual(checkWire('20', 'Number', 'page_size'), []);
  assert.equal(checkWire('twenty', 'Number', 'page_size').length, 1);
  assert.deepEqual(checkWire('true', 'Boolean', 'query_lifetime'), []);
  assert.equal(checkWire('yes', 'Boolean', 'query_lifetime').length, 1);
  assert.deepEqual(checkWire('["a","b"]', ['String'], 'fields'), []);
  assert.equal(checkWire('a,b', ['String'], 'fields').length, 1);
  const Filtering = await model('FilteringAdGet');
  assert.deepEqual(
      checkWire('{"ad_ids":["1"],"colour":"red"}', Filtering, 'filtering'),
      [{where: 'filtering.colour', kind: 'unknown'}]);
});
