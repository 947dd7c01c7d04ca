// Drives ttads-tiktok-sim with TikTok's official JavaScript SDK
// (tiktok-business-api-sdk-official, pinned in package-lock.json) for every
// TikTok endpoint ttads calls, and checks both directions:
//
//   - the SDK's request (built with the SDK's own request models, which drop
//     fields they do not know) is accepted: code 0, with demo ids from the
//     simulator's seed;
//   - the simulator's answer deserializes into the SDK's response model
//     (InlineResponse200: code Number, message String, request_id String,
//     data Object) with the right JSON types and no field the model lacks.
//     The SDK types `data` as a free Object for every endpoint (its specs
//     declare `data` with no properties), so the data fields are listed in
//     the report as untyped rather than checked.
//
// Endpoints the SDK has no method for are sent through the SDK's transport
// (ApiClient.callApi: same base path, headers and encoding) and reported as
// not covered by the SDK.
//
// Usage: node sdk_drive.mjs <ttads-tiktok-sim binary> <repository root>
//            [--report <file.json>]
// Exit 0 when every check passes (known findings in known_findings.json are
// reported, not failed; a known finding that no longer happens fails, so the
// list stays true), 1 otherwise.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as sdk from 'tiktok-business-api-sdk-official';

import {model, operations, sdkVersion} from './sdk_schema.mjs';
import {startSim} from './sim_process.mjs';
import {ttadsEndpoints} from './ttads_endpoints.mjs';
import {checkJson} from './type_check.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const [binary, repoRoot] = process.argv.slice(2);
const reportAt = process.argv.indexOf('--report');
const reportFile = reportAt > 0 ? process.argv[reportAt + 1] : null;
if (!binary || !repoRoot) {
  console.error('usage: node sdk_drive.mjs <sim binary> <repo root> [--report f]');
  process.exit(2);
}

// Seeded ids (tools/tiktok_sim/seed.h, docs/simulator.md).
const seed = {
  adv1: '7101000000000000001',     // has a TT_USER identity
  adv2: '7101000000000000002',     // ads-only
  adv3: '7101000000000000003',     // in the Business Center
  bc: '7109000000000000001',
  catalog: '7110000000000000001',
  ttUser: '7102000000000000001',   // TT_USER of adv 1
  custom1: '7102000000000000002',  // CUSTOMIZED_USER of adv 1
  bcAuthTt: '7102000000000000004', // BC_AUTH_TT of adv 3
  item1: '7106000000000000001',    // a post of the TT_USER
  pixel1: '7103000000000000001',
  image1: '7107000000000000001',
  video1: '7108000000000000001',
  trafficAdGroup1: '7112000000000000101',
  trafficCampaign1: '7111000000000000101',
  app: {id: 'ttads-local-app', secret: 'local-sim-secret'},
};

// A valid grayscale PNG of w x h pixels.
function png(w, h) {
  const crcTable = Array.from({length: 256}, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;  // bit depth; colour type 0 (gray), the rest 0.
  const raw = Buffer.alloc((w + 1) * h, 0x80);
  for (let y = 0; y < h; ++y) raw[y * (w + 1)] = 0;  // filter: none
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const md5 = (b) => crypto.createHash('md5').update(b).digest('hex');
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

// Runs one SDK call (callback style) and resolves with what it produced.
function call(start) {
  return new Promise((resolve) => {
    try {
      start((error, data, response) => resolve({error, data, response}));
    } catch (error) {
      resolve({error});
    }
  });
}

async function main() {
  const sim = await startSim(binary);
  const results = [];
  try {
    await drive(sim, results);
  } finally {
    await sim.stop();
  }
  return results;
}

async function drive(sim, results) {
  const client = new sdk.ApiClient();
  client.basePath = sim.root;  // the SDK's configurable base path
  const api = {
    auth: new sdk.AuthenticationApi(client),
    identity: new sdk.IdentityApi(client),
    file: new sdk.FileApi(client),
    ad: new sdk.AdApi(client),
    report: new sdk.ReportingApi(client),
    audience: new sdk.AudienceApi(client),
    measurement: new sdk.MeasurementApi(client),
    catalog: new sdk.CatalogApi(client),
    app: new sdk.APPManagementApi(client),
    campaign: new sdk.CampaignCreationApi(client),
    adgroup: new sdk.AdgroupApi(client),
  };
  const ops = await operations();
  const Envelope = await model('InlineResponse200');

  // Records one exchange. `via` names the SDK method, or null when the SDK
  // has none and the request went through its transport only.
  const record = (endpoint, label, via, r) => {
    const body = r.response ? r.response.body : undefined;
    const entry = {endpoint, label, via: via || 'ApiClient.callApi',
                   sdk_method: Boolean(via)};
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      entry.accepted = false;
      entry.error = r.error ? String(r.error.message || r.error) :
                              'no JSON answer';
      entry.http_status = r.response ? r.response.status : null;
    } else {
      entry.code = body.code;
      entry.message = body.message;
      entry.accepted = body.code === 0 && !r.error;
      if (r.error && body.code === 0) entry.error = String(r.error.message);
      entry.envelope_findings = checkJson(body, Envelope);
      const data = body.data;
      entry.data_shape = Array.isArray(data) ? 'array' : typeof data;
      const first = Array.isArray(data) ? data[0] : data;
      entry.data_fields = first && typeof first === 'object' ?
          Object.keys(first).sort() : [];
    }
    results.push(entry);
    return body && body.data;
  };
  const viaOf = (p) => ops[p] ? `${ops[p].api}.${ops[p].method}` : null;

  // Sends a request through the SDK's transport for endpoints the SDK has
  // no method for.
  const raw = (p, httpMethod, query, body, token) => call((cb) => client.callApi(
      `/open_api/v1.3${p}`, httpMethod, {}, query,
      token ? {'Access-Token': token} : {}, {}, body, [],
      httpMethod === 'POST' ? ['application/json'] : [], ['application/json'],
      Envelope, cb));

  // --- OAuth -----------------------------------------------------------
  const code = JSON.parse(await sim.control('POST', '/_sim/auth_codes', {
    advertiser_ids: [seed.adv1, seed.adv2, seed.adv3],
  })).auth_code;
  const Oauth2AccessTokenBody = await model('Oauth2AccessTokenBody');
  let data = record('/oauth2/access_token/', 'exchange an auth code',
      viaOf('/oauth2/access_token/'),
      await call((cb) => api.auth.oauth2AccessToken({
        body: Oauth2AccessTokenBody.constructFromObject(
            {app_id: seed.app.id, secret: seed.app.secret, auth_code: code}),
      }, cb)));
  const token = data && data.access_token;
  if (!token) throw new Error('no access token from /oauth2/access_token/');

  record('/oauth2/advertiser/get/', 'advertisers of the token',
      viaOf('/oauth2/advertiser/get/'),
      await call((cb) => api.auth.oauth2AdvertiserGet(
          seed.app.id, seed.app.secret, token, cb)));

  // --- Identities ------------------------------------------------------
  record('/identity/get/', 'all identity types', viaOf('/identity/get/'),
      await call((cb) => api.identity.identityGet(
          seed.adv1, token, {page: 1, page_size: 100}, cb)));
  record('/identity/get/', 'TT_USER only', viaOf('/identity/get/'),
      await call((cb) => api.identity.identityGet(
          seed.adv1, token, {identity_type: 'TT_USER', page: 1, page_size: 20},
          cb)));
  record('/identity/get/', 'BC_AUTH_TT with its Business Center',
      viaOf('/identity/get/'),
      await call((cb) => api.identity.identityGet(
          seed.adv3, token,
          {identity_type: 'BC_AUTH_TT', identity_authorized_bc_id: seed.bc}, cb)));

  const IdentityCreateBody = await model('IdentityCreateBody');
  record('/identity/create/', 'CUSTOMIZED_USER with an image',
      viaOf('/identity/create/'),
      await call((cb) => api.identity.identityCreate(token, {
        body: IdentityCreateBody.constructFromObject({
          advertiser_id: seed.adv1, display_name: 'SDK Check Shop',
          image_uri: seed.image1,
        }),
      }, cb)));

  // Not in the SDK (it has /identity/video/info/ for one post only).
  record('/identity/video/get/', 'posts of a TT_USER', null,
      await raw('/identity/video/get/', 'GET',
          {advertiser_id: seed.adv1, identity_type: 'TT_USER',
           identity_id: seed.ttUser}, null, token));
  record('/identity/video/get/', 'posts of a BC_AUTH_TT', null,
      await raw('/identity/video/get/', 'GET',
          {advertiser_id: seed.adv3, identity_type: 'BC_AUTH_TT',
           identity_id: seed.bcAuthTt, identity_authorized_bc_id: seed.bc},
          null, token));

  // --- Files -----------------------------------------------------------
  const image = png(640, 640);
  data = record('/file/image/ad/upload/', 'UPLOAD_BY_FILE (multipart)',
      viaOf('/file/image/ad/upload/'),
      await call((cb) => api.file.adImageUpload(token, {
        advertiser_id: seed.adv1, upload_type: 'UPLOAD_BY_FILE',
        image_file: image, image_signature: md5(image),
        file_name: 'sdk-check-640.png',
      }, cb)));
  const uploadedImage = data && data.image_id;
  // The SDK has no method for Get info about images: its transport, with the
  // id list JSON-encoded in the query as TikTok's GET endpoints take it.
  record('/file/image/ad/info/', 'the uploaded image', null,
      await raw('/file/image/ad/info/', 'GET',
          {advertiser_id: seed.adv1,
           image_ids: JSON.stringify([uploadedImage])}, null, token));
  record('/file/image/ad/upload/', 'UPLOAD_BY_URL',
      viaOf('/file/image/ad/upload/'),
      await call((cb) => api.file.adImageUpload(token, {
        advertiser_id: seed.adv1, upload_type: 'UPLOAD_BY_URL',
        image_url: 'https://example.com/sdk-check.png',
        file_name: 'sdk-check-url.png',
      }, cb)));
  // An MP4 'ftyp' box and filler, as ttads's own tests upload.
  const mp4 = Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'),
    Buffer.alloc(200000, 0x76),
  ]);
  record('/file/video/ad/upload/', 'UPLOAD_BY_FILE (multipart)',
      viaOf('/file/video/ad/upload/'),
      await call((cb) => api.file.adVideoUpload(token, {
        advertiser_id: seed.adv1, upload_type: 'UPLOAD_BY_FILE',
        video_file: mp4, video_signature: md5(mp4),
        file_name: 'sdk-check-file.mp4',
      }, cb)));
  record('/file/video/ad/upload/', 'UPLOAD_BY_URL',
      viaOf('/file/video/ad/upload/'),
      await call((cb) => api.file.adVideoUpload(token, {
        advertiser_id: seed.adv1, upload_type: 'UPLOAD_BY_URL',
        video_url: 'https://example.com/sdk-check.mp4',
        file_name: 'sdk-check-url.mp4',
      }, cb)));
  record('/file/video/ad/info/', 'a seeded video',
      viaOf('/file/video/ad/info/'),
      await call((cb) => api.file.adVideoInfo(
          seed.adv1, [seed.video1], token, cb)));

  // --- Ads -------------------------------------------------------------
  const AdCreateBody = await model('AdCreateBody');
  const video = {
    ad_name: 'SDK check video ad', ad_format: 'SINGLE_VIDEO',
    identity_type: 'CUSTOMIZED_USER', identity_id: seed.custom1,
    video_id: seed.video1, image_ids: [uploadedImage || seed.image1],
    ad_text: 'Checked by the TikTok SDK', call_to_action: 'LEARN_MORE',
    landing_page_url: 'https://example.com/landing',
  };
  data = record('/ad/create/', 'SINGLE_VIDEO, CUSTOMIZED_USER',
      viaOf('/ad/create/'),
      await call((cb) => api.ad.adCreate(token, {
        body: AdCreateBody.constructFromObject({
          advertiser_id: seed.adv1, adgroup_id: seed.trafficAdGroup1,
          creatives: [video],
        }),
      }, cb)));
  const adId = data && data.ad_ids && data.ad_ids[0];
  record('/ad/create/', 'Spark (TT_USER post)', viaOf('/ad/create/'),
      await call((cb) => api.ad.adCreate(token, {
        body: AdCreateBody.constructFromObject({
          advertiser_id: seed.adv1, adgroup_id: seed.trafficAdGroup1,
          creatives: [{
            ad_name: 'SDK check Spark ad', ad_format: 'SINGLE_VIDEO',
            identity_type: 'TT_USER', identity_id: seed.ttUser,
            tiktok_item_id: seed.item1, call_to_action: 'LEARN_MORE',
            landing_page_url: 'https://example.com/landing',
          }],
        }),
      }, cb)));

  const FilteringAdGet = await model('FilteringAdGet');
  record('/ad/get/', 'by ad id, projected', viaOf('/ad/get/'),
      await call((cb) => api.ad.adGet(seed.adv1, token, {
        filtering: FilteringAdGet.constructFromObject(
            {ad_ids: [adId || '7113000000000000002']}),
        fields: ['ad_id', 'ad_name', 'operation_status', 'modify_time'],
        page: 1, page_size: 10,
      }, cb)));
  record('/ad/get/', 'by ad group and status', viaOf('/ad/get/'),
      await call((cb) => api.ad.adGet(seed.adv1, token, {
        filtering: FilteringAdGet.constructFromObject({
          adgroup_ids: [seed.trafficAdGroup1], primary_status: 'STATUS_ALL',
        }),
        page: 1, page_size: 100,
      }, cb)));

  const AdUpdateBody = await model('AdUpdateBody');
  record('/ad/update/', 'full creative with ad_id', viaOf('/ad/update/'),
      await call((cb) => api.ad.adUpdate(token, {
        body: AdUpdateBody.constructFromObject({
          advertiser_id: seed.adv1, adgroup_id: seed.trafficAdGroup1,
          // The Update ads page marks patch_update required (false: the
          // whole creative is replaced).
          patch_update: false,
          creatives: [{...video, ad_id: adId, ad_text: 'Updated by the SDK'}],
        }),
      }, cb)));

  const AdStatusUpdateBody = await model('AdStatusUpdateBody');
  record('/ad/status/update/', 'DISABLE', viaOf('/ad/status/update/'),
      await call((cb) => api.ad.adStatusUpdate(token, {
        body: AdStatusUpdateBody.constructFromObject({
          advertiser_id: seed.adv1, ad_ids: [adId],
          operation_status: 'DISABLE',
        }),
      }, cb)));

  // --- Reports ---------------------------------------------------------
  record('/report/integrated/get/', 'AUCTION_AD by day',
      viaOf('/report/integrated/get/'),
      await call((cb) => api.report.reportIntegratedGet('BASIC', token, {
        advertiser_id: seed.adv1, data_level: 'AUCTION_AD',
        dimensions: ['ad_id', 'stat_time_day'],
        metrics: ['spend', 'impressions', 'clicks', 'ctr'],
        start_date: '2026-01-05', end_date: '2026-01-11',
        page: 1, page_size: 100,
      }, cb)));
  record('/report/integrated/get/', 'AUCTION_CAMPAIGN lifetime',
      viaOf('/report/integrated/get/'),
      await call((cb) => api.report.reportIntegratedGet('BASIC', token, {
        advertiser_id: seed.adv1, data_level: 'AUCTION_CAMPAIGN',
        dimensions: ['campaign_id'], metrics: ['spend', 'impressions'],
        query_lifetime: true,
      }, cb)));

  // --- Audiences -------------------------------------------------------
  const lines = ['EMAIL_SHA256'];
  for (let i = 0; i < 1200; ++i) lines.push(sha256(`user${i}@example.com`));
  const csv = Buffer.from(`${lines.join('\n')}\n`);
  // The SDK names a multipart part after the value's `path` (a ReadStream's)
  // and falls back to the field name ("file"); TikTok wants a .csv/.txt name.
  const csvPart = Buffer.from(csv);
  csvPart.path = 'sdk-check.csv';
  data = record('/dmp/custom_audience/file/upload/', 'EMAIL_SHA256 file',
      viaOf('/dmp/custom_audience/file/upload/'),
      await call((cb) => api.audience.dmpCustomAudienceFileUpload(token, {
        advertiser_id: seed.adv1, calculate_type: 'EMAIL_SHA256',
        file: csvPart, file_signature: md5(csv), file_name: 'sdk-check.csv',
      }, cb)));
  const filePath = data && data.file_path;
  const CustomAudienceCreateBody = await model('CustomAudienceCreateBody');
  data = record('/dmp/custom_audience/create/', 'from one file',
      viaOf('/dmp/custom_audience/create/'),
      await call((cb) => api.audience.dmpCustomAudienceCreate(token, {
        body: CustomAudienceCreateBody.constructFromObject({
          advertiser_id: seed.adv1, custom_audience_name: 'SDK check list',
          calculate_type: 'EMAIL_SHA256', file_paths: [filePath],
          retention_in_days: 180,
        }),
      }, cb)));
  const audienceId = data && data.custom_audience_id;
  const CustomAudienceUpdateBody = await model('CustomAudienceUpdateBody');
  record('/dmp/custom_audience/update/', 'APPEND a file',
      viaOf('/dmp/custom_audience/update/'),
      await call((cb) => api.audience.dmpCustomAudienceUpdate(token, {
        body: CustomAudienceUpdateBody.constructFromObject({
          advertiser_id: seed.adv1, custom_audience_id: audienceId,
          action: 'APPEND', file_paths: [filePath],
        }),
      }, cb)));
  record('/dmp/custom_audience/list/', 'first page',
      viaOf('/dmp/custom_audience/list/'),
      await call((cb) => api.audience.dmpCustomAudienceList(
          seed.adv1, token, {page: 1, page_size: 100}, cb)));
  record('/dmp/custom_audience/get/', 'the new audience',
      viaOf('/dmp/custom_audience/get/'),
      await call((cb) => api.audience.dmpCustomAudienceGet(
          seed.adv1, [audienceId], token, {}, cb)));
  const CustomAudienceDeleteBody = await model('CustomAudienceDeleteBody');
  record('/dmp/custom_audience/delete/', 'the new audience',
      viaOf('/dmp/custom_audience/delete/'),
      await call((cb) => api.audience.dmpCustomAudienceDelete(token, {
        body: CustomAudienceDeleteBody.constructFromObject(
            {advertiser_id: seed.adv1, custom_audience_ids: [audienceId]}),
      }, cb)));

  // --- Prerequisite assets (preflight) and ad group context ------------
  record('/pixel/list/', 'pixels of adv 1', viaOf('/pixel/list/'),
      await call((cb) => api.measurement.pixelList(
          seed.adv1, token, {page: 1, page_size: 20}, cb)));
  record('/catalog/get/', 'catalogs of the Business Center',
      viaOf('/catalog/get/'),
      await call((cb) => api.catalog.catalogGet(
          seed.bc, token, {page: 1, page_size: 10}, cb)));
  record('/app/list/', 'apps of adv 1', viaOf('/app/list/'),
      await call((cb) => api.app.appList(seed.adv1, token, {}, cb)));
  record('/page/get/', 'lead forms of adv 1', null,
      await raw('/page/get/', 'GET',
          {advertiser_id: seed.adv1, business_type: 'LEAD_GEN', page: 1,
           page_size: 100}, null, token));
  const FilteringCampaignGet = await model('FilteringCampaignGet');
  record('/campaign/get/', 'one campaign', viaOf('/campaign/get/'),
      await call((cb) => api.campaign.campaignGet(seed.adv1, token, {
        filtering: FilteringCampaignGet.constructFromObject(
            {campaign_ids: [seed.trafficCampaign1]}),
      }, cb)));
  const FilteringAdgroupGet = await model('FilteringAdgroupGet');
  record('/adgroup/get/', 'one ad group', viaOf('/adgroup/get/'),
      await call((cb) => api.adgroup.adgroupGet(seed.adv1, token, {
        filtering: FilteringAdgroupGet.constructFromObject(
            {adgroup_ids: [seed.trafficAdGroup1]}),
      }, cb)));

  // --- Revocation last: the token is dead afterwards. ------------------
  record('/oauth2/revoke_token/', 'revoke the token', null,
      await raw('/oauth2/revoke_token/', 'POST', {},
          {app_id: seed.app.id, secret: seed.app.secret, access_token: token},
          token));
}

function loadKnown() {
  const file = path.join(here, 'known_findings.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

const results = await main();
const known = loadKnown().sdk_drive || {};
const failures = [];
const seenKnown = new Set();

// Every endpoint ttads calls must have been driven.
const endpoints = ttadsEndpoints(repoRoot);
const driven = new Set(results.map((r) => r.endpoint));
for (const [p, files] of endpoints) {
  if (!driven.has(p)) {
    failures.push(`${p}: called by ttads (${[...files].join(', ')}) but not ` +
                  'driven here: add a case to sdk_drive.mjs');
  }
}

console.log(`TikTok SDK ${sdkVersion} against ttads-tiktok-sim`);
for (const r of results) {
  const key = `${r.endpoint} ${r.label}`;
  const problems = [];
  if (!r.accepted) {
    problems.push(`refused: ${r.code ?? r.http_status} ${r.message ?? r.error}`);
  }
  for (const f of r.envelope_findings || []) {
    problems.push(f.kind === 'unknown' ?
        `answer field ${f.where} is not in InlineResponse200` :
        `answer field ${f.where}: ${f.got} is not a ${f.expected}`);
  }
  const cover = r.sdk_method ? r.via : 'no SDK method (SDK transport only)';
  const status = problems.length === 0 ? 'ok' : 'FINDING';
  console.log(`${status.padEnd(7)} ${key} [${cover}]` +
              (r.data_fields && r.data_fields.length ?
                   ` data(${r.data_shape}): ${r.data_fields.join(',')}` : ''));
  for (const p of problems) {
    if (known[key]) {
      seenKnown.add(key);
      console.log(`        known: ${p} -- ${known[key]}`);
    } else {
      console.log(`        ${p}`);
      failures.push(`${key}: ${p}`);
    }
  }
}
for (const key of Object.keys(known)) {
  if (!seenKnown.has(key)) {
    failures.push(`${key}: listed in known_findings.json but no longer ` +
                  'happens: remove it from the list');
  }
}
const notInSdk = [...new Set(results.filter((r) => !r.sdk_method)
                                     .map((r) => r.endpoint))];
console.log(`endpoints driven: ${driven.size}; without an SDK method: ` +
            `${notInSdk.join(', ') || 'none'}`);
if (reportFile) {
  fs.writeFileSync(reportFile, JSON.stringify(
      {sdk_version: sdkVersion, results, failures}, null, 2));
}
if (failures.length) {
  console.log(`FAIL ${failures.length} problem(s):`);
  for (const f of failures) console.log(`  ${f}`);
  process.exit(1);
}
console.log('PASS');
