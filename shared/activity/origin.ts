/**
 * Where a call came from, read from an ActionTrail record's `sourceIpAddress`, `vpcId` and `userAgent`
 * (reference §4.2): inside Alibaba Cloud (private and shared address space, VPC endpoints) or outside,
 * and which kind of client sent it. Feeds `ram.workload-user-with-access-key`: a long-term key used from
 * inside the cloud belongs to a workload that could use an instance or function role instead.
 */

/** `internal`: inside Alibaba Cloud; `public`: a public address; `other`: a service host name, no address, or masked too far to tell. */
export const NETWORKS = ['internal', 'public', 'other'] as const;
export type Network = (typeof NETWORKS)[number];

/**
 * Client families told apart by user agent. `fc`, `ecs` and `ack` are cloud runtimes (see
 * {@link RUNTIME_FAMILIES}); `service` is an Alibaba Cloud service calling on the principal's behalf.
 */
export const AGENT_FAMILIES = ['fc', 'ecs', 'ack', 'service', 'browser', 'cli', 'terraform', 'sdk', 'other'] as const;
export type AgentFamily = (typeof AGENT_FAMILIES)[number];

/** Families that only run inside Alibaba Cloud: a key they use belongs to a workload that could take a role. */
export const RUNTIME_FAMILIES: readonly AgentFamily[] = ['fc', 'ecs', 'ack'];

/** Whether `family` only runs inside Alibaba Cloud. */
export const isRuntimeFamily = (family: AgentFamily): boolean => RUNTIME_FAMILIES.includes(family);

/** An octet as written: its value, NaN when masked (`XX`, `*`), or -1 when it is no octet. */
function octet(s: string, start: number, end: number): number {
  if (end <= start || end - start > 3) return -1;
  let value = 0;
  let masked = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
    else if (c === 88 || c === 120 || c === 42) masked = true; // X, x, *
    else return -1;
  }
  if (masked) return NaN;
  return value <= 255 ? value : -1;
}

/** `b` (the second octet) within [lo, hi] → internal; masked → other (cannot tell); else public. */
const secondIn = (b: number, lo: number, hi: number): Network => (Number.isNaN(b) ? 'other' : b >= lo && b <= hi ? 'internal' : 'public');

/**
 * An IPv4 address, masked or not. Internal: RFC 1918 (10/8, 172.16/12, 192.168/16) and 100.64/10,
 * the shared address space Alibaba Cloud uses for its internal network (VPC endpoints, classic
 * internal network, the metadata service 100.100.100.200). ActionTrail masks trailing octets in some
 * outputs (`192.168.XX.XX`, reference §4.2): the known leading octets decide, and an address whose
 * deciding octet is masked is `other`.
 */
function classifyIpv4(ip: string, start: number): Network | null {
  const dot1 = ip.indexOf('.', start);
  const dot2 = dot1 < 0 ? -1 : ip.indexOf('.', dot1 + 1);
  const dot3 = dot2 < 0 ? -1 : ip.indexOf('.', dot2 + 1);
  if (dot3 < 0 || ip.indexOf('.', dot3 + 1) >= 0) return null;
  const a = octet(ip, start, dot1);
  const b = octet(ip, dot1 + 1, dot2);
  if (a === -1 || b === -1 || octet(ip, dot2 + 1, dot3) === -1 || octet(ip, dot3 + 1, ip.length) === -1) return null;
  if (Number.isNaN(a)) return 'other';
  switch (a) {
    case 10:
      return 'internal';
    case 172:
      return secondIn(b, 16, 31);
    case 192:
      return secondIn(b, 168, 168);
    case 100:
      return secondIn(b, 64, 127);
    default:
      // Unspecified, loopback, link-local (169.254/16) and multicast/reserved are nobody's origin.
      if (a === 0 || a === 127 || a >= 224) return 'other';
      if (a === 169) return Number.isNaN(b) || b === 254 ? 'other' : 'public';
      return 'public';
  }
}

/** An IPv6 address: unique local fc00::/7 is internal; loopback, link-local, multicast other; IPv4-mapped as IPv4. */
function classifyIpv6(ip: string): Network {
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:')) return classifyIpv4(lower, 7) ?? 'other';
  const end = lower.indexOf(':');
  if (end <= 0 || end > 4) return 'other';
  const first = Number.parseInt(lower.slice(0, end), 16);
  if (Number.isNaN(first) || !/^[0-9a-f]+$/.test(lower.slice(0, end))) return 'other';
  if ((first & 0xfe00) === 0xfc00) return 'internal';
  if ((first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return 'other';
  return 'public';
}

/** The network of a source address (IPv4, IPv6, masked or not); host names (`ecs.aliyuncs.com`) and garbage are `other`. */
export function classifyIp(ip: string | null | undefined): Network {
  if (!ip) return 'other';
  const c = ip.charCodeAt(0);
  if (c >= 48 && c <= 57 && ip.indexOf(':') < 0) return classifyIpv4(ip, 0) ?? 'other';
  return ip.indexOf(':') >= 0 ? classifyIpv6(ip) : 'other';
}

/**
 * User-agent patterns, first match wins. VERIFIED: the Darabonba SDKs send
 * `AlibabaCloud (<os>; <arch>) <Lang>/<version> Core/<v>` (`@alicloud/tea-util`, `@alicloud/openapi-core`),
 * `ali-oss` sends `aliyun-sdk-nodejs/<v> …`, the Alibaba Cloud CLI `Aliyun-CLI/<v>`, and service events
 * carry the service host (`ecs.aliyuncs.com`) as user agent. UNVERIFIED: no official SDK marks the
 * runtime it runs in, so the `fc`, `ecs` and `ack` patterns are tokens a runtime's tooling or an
 * application's appended user agent would carry (FC runtime and SDK names, the Cloud Assistant agent,
 * ACK components); they never match the plain SDK strings above, so a miss falls back to the source address.
 */
const AGENT_PATTERNS: [AgentFamily, RegExp][] = [
  ['fc', /FunctionCompute|Function-Compute|aliyun-fc|\bfc-runtime|\bFC_RUNTIME|\bFC\/\d|\bfc\d?-(?:python|nodejs|java|go|php)/i],
  ['ecs', /aliyun[-_ ]?assist|CloudAssistant|aliyun-service|\becs-metadata|\bInstanceRamRole|\bECS\/\d/i],
  ['ack', /\bACK\/\d|\back-[a-z]|alibaba-cloud-csi|\bcsi-plugin|cloud-controller-manager|cluster-autoscaler|\bterway\b|\bkubernetes\b|\bk8s\b/i],
  ['service', /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:aliyuncs|aliyun)\.com$/i],
  ['browser', /^Mozilla\//],
  ['cli', /\bAliyun-CLI\//i],
  ['terraform', /\bTerraform\/|terraform-provider-alicloud|HashiCorp/i],
  ['sdk', /^AlibabaCloud \(|aliyun-sdk-|aliyun-python-sdk|alibabacloud-|Alibaba Cloud SDK/i],
];

/** The client family of a user agent; null when there is none. */
export function classifyAgent(userAgent: string | null | undefined): AgentFamily | null {
  if (!userAgent) return null;
  for (const [family, pattern] of AGENT_PATTERNS) if (pattern.test(userAgent)) return family;
  return 'other';
}

/**
 * {@link classifyAgent} with a cache: an account's callers send a handful of distinct user agents, and
 * the index asks once per event. Bounded: cleared when it reaches `max` entries.
 */
export function agentClassifier(max = 1024): (userAgent: string) => AgentFamily | null {
  const cache = new Map<string, AgentFamily | null>();
  return (userAgent) => {
    let family = cache.get(userAgent);
    if (family === undefined) {
      if (cache.size >= max) cache.clear();
      cache.set(userAgent, (family = classifyAgent(userAgent)));
    }
    return family;
  };
}
