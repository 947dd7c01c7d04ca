// The checks applied to rendered ttads manifests. Each check returns a list of
// findings {rule, ok, message}; a rule with no failing finding passes.
//
// Generic rules (every profile):
//   schema           every object validates against the Kubernetes OpenAPI
//                    schema of its apiVersion/kind (kubernetes-models) and
//                    has no field its API type lacks (strict.mjs)
//   probes           every container has liveness and readiness probes; ttads
//                    gRPC services use native gRPC probes on their grpc port
//   resources        every container has cpu+memory requests and limits
//   security         non-root (and uid 10001 for the ttads image), read-only
//                    root filesystem, no privilege escalation, capabilities
//                    drop ALL, seccomp RuntimeDefault, not privileged
//   service-links    pods with TTADS_* configuration disable service links
//                    (they would inject TTADS_<SVC>_PORT-style variables)
//   pdb, hpa         every ttads Deployment (service or gateway) has a
//                    PodDisruptionBudget and a HorizontalPodAutoscaler
//   networkpolicy    a default-deny-ingress policy exists, and every ttads
//                    Deployment is selected by a policy that admits traffic
//   drain            terminationGracePeriodSeconds >= TTADS_DRAIN_SECONDS + 10
//                    and liveness tolerates the drain (period*threshold > drain)
//   config           TTADS_* names are the documented ones
//                    (docs/configuration.md); ConfigMap/Secret references
//                    resolve; a secretKeyRef key equals its variable's name
//   service-selectors every Service selects a pod template and its named
//                    targetPorts exist there
// Profile rules:
//   prod             no Secret with non-placeholder data; real TikTok base
//                    URL; no simulator or in-cluster Redis; pinned image tags
//   dev              Redis StatefulSet with AOF and a volume claim template,
//                    reachable through a NetworkPolicy; the simulator is the
//                    upstream; the dev Secret is generated with fake values

import fs from "node:fs";
import { unknownFields } from "./strict.mjs";

// Secrets that are created in the cluster, not rendered from git.
export const EXTERNAL_SECRETS = new Set(["ttads-secrets", "ttads-gateway-tls"]);
export const TTADS_UID = 10001;
export const TIKTOK_PROD_URL = "https://business-api.tiktok.com/open_api/v1.3/";
const PLACEHOLDER = /^(|REPLACE[A-Z0-9_-]*|CHANGE[_-]?ME|PLACEHOLDER|<[^>]*>)$/i;

export function documentedKeys(configurationMd) {
  const text = fs.readFileSync(configurationMd, "utf8");
  const keys = new Set();
  // Every `TTADS_*` key named in a table row: the common keys' own rows and
  // the per-service rows that list several.
  for (const line of text.split("\n").filter((l) => l.startsWith("|"))) {
    for (const m of line.matchAll(/`(TTADS_[A-Z0-9_]+)`/g)) keys.add(m[1]);
  }
  return keys;
}

const name = (o) => `${o.kind}/${o.metadata?.name}`;

function podSpecOf(o) {
  switch (o.kind) {
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job":
      return o.spec?.template?.spec;
    case "CronJob":
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case "Pod":
      return o.spec;
    default:
      return undefined;
  }
}

function podLabelsOf(o) {
  return o.kind === "Pod" ? o.metadata?.labels ?? {} : o.spec?.template?.metadata?.labels ?? {};
}

function workloads(objects) {
  return objects.filter((o) => podSpecOf(o));
}

function containersOf(o) {
  const spec = podSpecOf(o) ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

export function isTtadsImage(image) {
  return /(^|\/)ttads(:|@|$)/.test(image ?? "");
}

// Deployments the suite ships as services: each needs a PDB, an HPA and a
// NetworkPolicy.
function ttadsDeployments(objects) {
  return objects.filter((o) => o.kind === "Deployment" &&
    o.metadata?.labels?.["app.kubernetes.io/part-of"] === "ttads" &&
    ["service", "gateway"].includes(o.metadata?.labels?.["app.kubernetes.io/component"]));
}

export function selectorMatches(selector, labels) {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case "In": if (!has || !e.values.includes(labels[e.key])) return false; break;
      case "NotIn": if (has && e.values.includes(labels[e.key])) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

const isEmptySelector = (s) =>
  !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);

// ---------------------------------------------------------------------------

async function schemaFindings(objects) {
  const findings = [];
  for (const o of objects) {
    const rule = "schema";
    if (!o.apiVersion || !o.kind) {
      findings.push({ rule, ok: false, message: `object without apiVersion/kind: ${JSON.stringify(o).slice(0, 80)}` });
      continue;
    }
    let Model;
    try {
      const mod = await import(`kubernetes-models/${o.apiVersion}`);
      Model = mod[o.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      findings.push({ rule, ok: false, message: `${name(o)}: no schema for ${o.apiVersion} ${o.kind}` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      findings.push({ rule, ok: false, message: `${name(o)}: ${e.message}` });
      continue;
    }
    const unknown = unknownFields(o) ?? [];
    findings.push(unknown.length === 0
      ? { rule, ok: true }
      : { rule, ok: false, message: `${name(o)}: ${unknown.join("; ")}` });
  }
  return findings;
}

function probeFindings(objects) {
  const findings = [];
  for (const w of workloads(objects)) {
    const isService = w.metadata?.labels?.["app.kubernetes.io/component"] === "service" &&
      w.metadata?.labels?.["app.kubernetes.io/part-of"] === "ttads";
    for (const c of podSpecOf(w).containers ?? []) {
      const where = `${name(w)} container ${c.name}`;
      for (const probe of ["livenessProbe", "readinessProbe"]) {
        if (!c[probe]) {
          findings.push({ rule: "probes", ok: false, message: `${where}: no ${probe}` });
          continue;
        }
        if (isService) {
          const grpcPort = (c.ports ?? []).find((p) => p.name === "grpc")?.containerPort;
          if (!c[probe].grpc || c[probe].grpc.port !== grpcPort) {
            findings.push({ rule: "probes", ok: false,
              message: `${where}: ${probe} must be a native gRPC probe on the grpc port (${grpcPort})` });
            continue;
          }
        }
        findings.push({ rule: "probes", ok: true });
      }
    }
  }
  return findings;
}

function resourceFindings(objects) {
  const findings = [];
  for (const w of workloads(objects)) {
    for (const c of containersOf(w)) {
      const missing = [];
      for (const kind of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (c.resources?.[kind]?.[r] === undefined) missing.push(`${kind}.${r}`);
        }
      }
      findings.push(missing.length === 0
        ? { rule: "resources", ok: true }
        : { rule: "resources", ok: false, message: `${name(w)} container ${c.name}: missing ${missing.join(", ")}` });
    }
  }
  return findings;
}

function securityFindings(objects) {
  const findings = [];
  for (const w of workloads(objects)) {
    const pod = podSpecOf(w).securityContext ?? {};
    for (const c of containersOf(w)) {
      const sc = c.securityContext ?? {};
      const problems = [];
      const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const runAsUser = sc.runAsUser ?? pod.runAsUser;
      const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
      if (runAsNonRoot !== true) problems.push("runAsNonRoot is not true");
      if (runAsUser === 0) problems.push("runAsUser is 0");
      if (isTtadsImage(c.image) && runAsUser !== TTADS_UID) {
        problems.push(`runAsUser must be ${TTADS_UID} (the ttads image user)`);
      }
      if (sc.readOnlyRootFilesystem !== true) problems.push("readOnlyRootFilesystem is not true");
      if (sc.allowPrivilegeEscalation !== false) problems.push("allowPrivilegeEscalation is not false");
      if (sc.privileged === true) problems.push("privileged");
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push("capabilities.drop lacks ALL");
      if ((sc.capabilities?.add ?? []).length > 0) problems.push("capabilities.add is not empty");
      if (!["RuntimeDefault", "Localhost"].includes(seccomp)) problems.push("seccompProfile is not RuntimeDefault");
      findings.push(problems.length === 0
        ? { rule: "security", ok: true }
        : { rule: "security", ok: false, message: `${name(w)} container ${c.name}: ${problems.join("; ")}` });
    }
    if (podSpecOf(w).hostNetwork || podSpecOf(w).hostPID || podSpecOf(w).hostIPC) {
      findings.push({ rule: "security", ok: false, message: `${name(w)}: uses host namespaces` });
    }
  }
  return findings;
}

function usesTtadsConfig(c) {
  return (c.env ?? []).some((e) => e.name?.startsWith("TTADS_")) ||
    (c.envFrom ?? []).length > 0;
}

function serviceLinkFindings(objects) {
  const findings = [];
  for (const w of workloads(objects)) {
    if (!(podSpecOf(w).containers ?? []).some(usesTtadsConfig)) continue;
    findings.push(podSpecOf(w).enableServiceLinks === false
      ? { rule: "service-links", ok: true }
      : { rule: "service-links", ok: false, message: `${name(w)}: enableServiceLinks must be false` });
  }
  return findings;
}

function companionFindings(objects) {
  const findings = [];
  const pdbs = objects.filter((o) => o.kind === "PodDisruptionBudget");
  const hpas = objects.filter((o) => o.kind === "HorizontalPodAutoscaler");
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");

  const defaultDeny = policies.some((p) => isEmptySelector(p.spec?.podSelector) &&
    (p.spec?.policyTypes ?? []).includes("Ingress") && (p.spec?.ingress ?? []).length === 0);
  findings.push(defaultDeny
    ? { rule: "networkpolicy", ok: true }
    : { rule: "networkpolicy", ok: false, message: "no default-deny-ingress NetworkPolicy (podSelector {}, no ingress rules)" });

  for (const d of ttadsDeployments(objects)) {
    const labels = podLabelsOf(d);
    const ns = d.metadata?.namespace;
    const sameNs = (o) => o.metadata?.namespace === ns;

    const pdb = pdbs.find((p) => sameNs(p) && selectorMatches(p.spec?.selector, labels));
    findings.push(pdb
      ? { rule: "pdb", ok: true }
      : { rule: "pdb", ok: false, message: `${name(d)}: no PodDisruptionBudget selects its pods` });

    const hpa = hpas.find((h) => sameNs(h) && h.spec?.scaleTargetRef?.kind === "Deployment" &&
      h.spec?.scaleTargetRef?.name === d.metadata?.name);
    if (!hpa) {
      findings.push({ rule: "hpa", ok: false, message: `${name(d)}: no HorizontalPodAutoscaler targets it` });
    } else if (!(hpa.spec.minReplicas >= 1 && hpa.spec.minReplicas <= hpa.spec.maxReplicas)) {
      findings.push({ rule: "hpa", ok: false, message: `${name(hpa)}: minReplicas must be in [1, maxReplicas]` });
    } else {
      findings.push({ rule: "hpa", ok: true });
    }

    const selecting = policies.filter((p) => sameNs(p) && !isEmptySelector(p.spec?.podSelector) &&
      selectorMatches(p.spec.podSelector, labels) && (p.spec?.ingress ?? []).length > 0);
    findings.push(selecting.length > 0
      ? { rule: "networkpolicy", ok: true }
      : { rule: "networkpolicy", ok: false, message: `${name(d)}: no NetworkPolicy selects its pods` });
  }
  return findings;
}

function configMapValue(objects, ns, c, key) {
  const direct = (c.env ?? []).find((e) => e.name === key);
  if (direct && direct.value !== undefined) return direct.value;
  let value;
  for (const src of c.envFrom ?? []) {
    const cmName = src.configMapRef?.name;
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === cmName &&
      o.metadata?.namespace === ns);
    const prefixed = (src.prefix ?? "") === "" ? key : undefined;
    if (cm?.data && prefixed && cm.data[prefixed] !== undefined) value = cm.data[prefixed];
  }
  return value;
}

function drainFindings(objects) {
  const findings = [];
  for (const w of workloads(objects)) {
    const spec = podSpecOf(w);
    for (const c of spec.containers ?? []) {
      if (!isTtadsImage(c.image)) continue;
      const raw = configMapValue(objects, w.metadata?.namespace, c, "TTADS_DRAIN_SECONDS");
      const drain = raw === undefined ? 5 : Number(raw);
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      const where = `${name(w)} container ${c.name}`;
      if (!Number.isFinite(drain)) {
        findings.push({ rule: "drain", ok: false, message: `${where}: TTADS_DRAIN_SECONDS "${raw}" is not a number` });
        continue;
      }
      if (grace < drain + 10) {
        findings.push({ rule: "drain", ok: false,
          message: `${where}: terminationGracePeriodSeconds ${grace} < TTADS_DRAIN_SECONDS ${drain} + 10` });
        continue;
      }
      const live = c.livenessProbe;
      if (live && (live.periodSeconds ?? 10) * (live.failureThreshold ?? 3) <= drain) {
        findings.push({ rule: "drain", ok: false,
          message: `${where}: livenessProbe would fail during the ${drain}s drain` });
        continue;
      }
      findings.push({ rule: "drain", ok: true });
    }
  }
  return findings;
}

function configFindings(objects, keys) {
  const findings = [];
  const bad = (message) => findings.push({ rule: "config", ok: false, message });
  const rendered = (kind, n, ns) => objects.some((o) => o.kind === kind && o.metadata?.name === n &&
    o.metadata?.namespace === ns);

  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.metadata?.name?.startsWith("ttads"))) {
    for (const key of Object.keys(cm.data ?? {})) {
      if (!keys.has(key)) bad(`${name(cm)}: key ${key} is not documented in docs/configuration.md`);
    }
  }
  for (const w of workloads(objects)) {
    const ns = w.metadata?.namespace;
    for (const c of containersOf(w)) {
      const where = `${name(w)} container ${c.name}`;
      for (const src of c.envFrom ?? []) {
        if (src.configMapRef && !src.configMapRef.optional && !rendered("ConfigMap", src.configMapRef.name, ns)) {
          bad(`${where}: envFrom ConfigMap ${src.configMapRef.name} is not rendered`);
        }
        if (src.secretRef) bad(`${where}: secrets are referenced key by key (secretKeyRef), not with envFrom`);
      }
      for (const e of c.env ?? []) {
        if (e.name.startsWith("TTADS_") && !keys.has(e.name)) {
          bad(`${where}: ${e.name} is not documented in docs/configuration.md`);
        }
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          if (e.name.startsWith("TTADS_") && ref.key !== e.name) {
            bad(`${where}: ${e.name} reads Secret key ${ref.key}; keys carry the variable's name`);
          }
          if (!rendered("Secret", ref.name, ns) && !EXTERNAL_SECRETS.has(ref.name)) {
            bad(`${where}: Secret ${ref.name} is neither rendered nor a documented external Secret`);
          }
        }
        const cmRef = e.valueFrom?.configMapKeyRef;
        if (cmRef && !cmRef.optional && !rendered("ConfigMap", cmRef.name, ns)) {
          bad(`${where}: ConfigMap ${cmRef.name} is not rendered`);
        }
      }
      findings.push({ rule: "config", ok: true });
    }
  }
  return findings;
}

function serviceSelectorFindings(objects) {
  const findings = [];
  for (const s of objects.filter((o) => o.kind === "Service")) {
    const selector = s.spec?.selector ?? {};
    const pods = workloads(objects).filter((w) => w.metadata?.namespace === s.metadata?.namespace &&
      Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, podLabelsOf(w)));
    if (pods.length === 0) {
      findings.push({ rule: "service-selectors", ok: false, message: `${name(s)}: selects no pod template` });
      continue;
    }
    const portNames = new Set(pods.flatMap((w) => (podSpecOf(w).containers ?? [])
      .flatMap((c) => (c.ports ?? []).map((p) => p.name))));
    const missing = (s.spec?.ports ?? []).filter((p) => typeof p.targetPort === "string" && !portNames.has(p.targetPort));
    findings.push(missing.length === 0
      ? { rule: "service-selectors", ok: true }
      : { rule: "service-selectors", ok: false,
          message: `${name(s)}: targetPort ${missing.map((p) => p.targetPort).join(", ")} not declared by its pods` });
  }
  return findings;
}

// The gRPC peers each process dials (TTADS_*_ADDRESS): a ClusterIP Service
// gives gRPC one virtual IP, so its channel holds one connection to one pod
// and replicas the HPA adds get no traffic from it. Peers must be headless
// Services (clusterIP: None), which resolve to every ready pod for the
// round_robin channels (libs/server/peer_channel.h).
export const PEER_ADDRESS_KEYS = ["TTADS_IDENTITY_ADDRESS", "TTADS_PREFLIGHT_ADDRESS",
  "TTADS_ADS_ADDRESS", "TTADS_AUDIENCE_ADDRESS"];

function peerServiceName(target) {
  let rest = target.replace(/^dns:(\/\/[^/]*\/)?/, "");
  const host = rest.replace(/:\d+$/, "");
  return host.split(".")[0];
}

function peerFindings(objects) {
  const findings = [];
  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.metadata?.name?.startsWith("ttads"))) {
    const ns = cm.metadata?.namespace;
    for (const key of PEER_ADDRESS_KEYS) {
      const target = cm.data?.[key];
      if (target === undefined) continue;
      if (/^(ipv4|ipv6|unix):/.test(target)) {
        findings.push({ rule: "peers", ok: true });
        continue;
      }
      const svcName = peerServiceName(target);
      const svc = objects.find((o) => o.kind === "Service" && o.metadata?.name === svcName &&
        o.metadata?.namespace === ns);
      if (!svc) {
        findings.push({ rule: "peers", ok: false, message: `${name(cm)}: ${key}=${target}: no Service ${svcName}` });
      } else if (svc.spec?.clusterIP !== "None") {
        findings.push({ rule: "peers", ok: false, message: `${name(cm)}: ${key}=${target}: ${name(svc)} is not ` +
          "headless (clusterIP: None); gRPC would keep one connection to its virtual IP and new replicas get no traffic" });
      } else {
        findings.push({ rule: "peers", ok: true });
      }
    }
  }
  return findings;
}

// The gateway streams uploads (audience members as NDJSON/CSV) up to
// TTADS_GATEWAY_MAX_UPLOAD_BYTES (1 GiB by default) and refuses other large
// bodies itself (413). An nginx Ingress in front must neither cap the body
// below that nor buffer it whole first.
export const GATEWAY_UPLOAD_BYTES = 1024 ** 3;

function sizeBytes(text) {
  const m = /^(\d+)([kmg]?)$/i.exec(String(text ?? "").trim());
  if (!m) return undefined;
  return Number(m[1]) * { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase()];
}

function ingressFindings(objects) {
  const findings = [];
  for (const ing of objects.filter((o) => o.kind === "Ingress")) {
    const routesGateway = (ing.spec?.rules ?? []).some((r) => (r.http?.paths ?? [])
      .some((p) => p.backend?.service?.name === "ttads-gateway"));
    if (!routesGateway) continue;
    const a = ing.metadata?.annotations ?? {};
    const bad = (message) => findings.push({ rule: "ingress", ok: false, message: `${name(ing)}: ${message}` });
    const body = a["nginx.ingress.kubernetes.io/proxy-body-size"];
    const bytes = body === "0" ? Infinity : sizeBytes(body);
    const before = findings.length;
    if (bytes === undefined || bytes < GATEWAY_UPLOAD_BYTES) {
      bad(`proxy-body-size ${body ?? "(nginx default 1m)"} is below the gateway's 1 GiB streamed uploads`);
    }
    if (a["nginx.ingress.kubernetes.io/proxy-request-buffering"] !== "off") {
      bad("proxy-request-buffering is not \"off\": nginx would buffer a whole upload before the gateway sees it");
    }
    if (findings.length === before) findings.push({ rule: "ingress", ok: true });
  }
  return findings;
}

function prodFindings(objects) {
  const findings = [];
  const bad = (message) => findings.push({ rule: "prod", ok: false, message });
  for (const s of objects.filter((o) => o.kind === "Secret")) {
    const values = [
      ...Object.values(s.data ?? {}).map((v) => Buffer.from(v, "base64").toString("utf8")),
      ...Object.values(s.stringData ?? {}),
    ];
    if (values.some((v) => !PLACEHOLDER.test(v))) {
      bad(`${name(s)}: holds non-placeholder data; prod secrets are created outside git`);
    }
  }
  for (const cm of objects.filter((o) => o.kind === "ConfigMap" && o.data?.TTADS_TIKTOK_BASE_URL !== undefined)) {
    if (cm.data.TTADS_TIKTOK_BASE_URL !== TIKTOK_PROD_URL) {
      bad(`${name(cm)}: TTADS_TIKTOK_BASE_URL must be ${TIKTOK_PROD_URL}`);
    }
  }
  for (const w of workloads(objects)) {
    for (const c of containersOf(w)) {
      if ((c.command ?? []).some((a) => a.includes("tiktok-sim"))) bad(`${name(w)}: runs the simulator`);
      if (/redis-server/.test([...(c.command ?? []), ...(c.args ?? [])].join(" ")) || /(^|\/)redis(:|$)/.test(c.image)) {
        bad(`${name(w)}: in-cluster Redis; prod uses the managed Redis address`);
      }
      if (isTtadsImage(c.image) && !/:(?!latest$|dev$)[^/]+$|@sha256:/.test(c.image)) {
        bad(`${name(w)} container ${c.name}: image ${c.image} is not pinned to a release tag or digest`);
      }
    }
  }
  if (findings.length === 0) findings.push({ rule: "prod", ok: true });
  return findings;
}

function devFindings(objects, keys) {
  const findings = [];
  const bad = (message) => findings.push({ rule: "dev", ok: false, message });
  const redis = objects.find((o) => o.kind === "StatefulSet" &&
    containersOf(o).some((c) => /redis-server/.test([...(c.command ?? []), ...(c.args ?? [])].join(" "))));
  if (!redis) {
    bad("no Redis StatefulSet");
  } else {
    const c = containersOf(redis).find((x) => /redis-server/.test([...(x.command ?? []), ...(x.args ?? [])].join(" ")));
    if (!/--appendonly yes/.test((c.args ?? []).join(" "))) bad(`${name(redis)}: AOF is off (--appendonly yes)`);
    const claims = (redis.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name);
    if (!(c.volumeMounts ?? []).some((m) => claims.includes(m.name))) bad(`${name(redis)}: data is not on a volume claim`);
    const policed = objects.some((p) => p.kind === "NetworkPolicy" && !isEmptySelector(p.spec?.podSelector) &&
      selectorMatches(p.spec.podSelector, podLabelsOf(redis)));
    if (!policed) bad(`${name(redis)}: no NetworkPolicy selects Redis`);
  }
  const sim = objects.find((o) => o.kind === "Deployment" &&
    containersOf(o).some((c) => (c.command ?? []).some((a) => a.endsWith("ttads-tiktok-sim"))));
  if (!sim) bad("no simulator Deployment");
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "ttads-config");
  // Every TikTok-facing URL — the Marketing API base, the OAuth consent
  // page, and any later *TIKTOK*/*OAUTH* URL key documented in
  // docs/configuration.md — must reach the simulator, never real TikTok.
  for (const key of [...keys].filter((k) => /^TTADS_\w*(TIKTOK|OAUTH)\w*_URL$/.test(k)).sort()) {
    if (!/^http:\/\/ttads-tiktok-sim:\d+\//.test(cm?.data?.[key] ?? "")) {
      bad(`${key} does not point at the simulator Service (http://ttads-tiktok-sim:<port>/...)`);
    }
  }
  const secret = objects.find((o) => o.kind === "Secret" && o.metadata?.name === "ttads-secrets");
  if (!secret) bad("the dev Secret ttads-secrets is not generated");
  if (findings.length === 0) findings.push({ rule: "dev", ok: true });
  return findings;
}

export async function check(objects, { profile, keys }) {
  const findings = [
    ...(await schemaFindings(objects)),
    ...probeFindings(objects),
    ...resourceFindings(objects),
    ...securityFindings(objects),
    ...serviceLinkFindings(objects),
    ...companionFindings(objects),
    ...drainFindings(objects),
    ...configFindings(objects, keys),
    ...serviceSelectorFindings(objects),
    ...peerFindings(objects),
    ...ingressFindings(objects),
  ];
  if (profile === "prod") findings.push(...prodFindings(objects));
  if (profile === "dev") findings.push(...devFindings(objects, keys));
  return findings;
}
