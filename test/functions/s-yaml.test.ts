/**
 * s.yaml deploys what the build makes, on the schedules and under the roles it claims. The bundles are
 * built into a temp folder (scripts/bundle.ts, as `npm run build` does, size caps reported but not
 * enforced here) and each function's `code` + `handler` must name an exported function there.
 *
 * Roles: each role's policy template grants exactly what the function's code calls.
 *  - scan → templates/ram-policy-scan.json: proven by test/integration/scan-policy.test.ts (emulator).
 *  - apply → templates/ram-policy-apply.json: proven by test/functions/apply-policy.test.ts (emulator).
 *  - remind, interact, digest → templates/ram-policy-review.json, which grants nothing. Proven statically: their
 *    bundles contain no cloud SDK (RAM, IMS, STS, the generic OpenAPI client, SLS, OSS) — scripts/bundle.ts
 *    replaces each with a class that throws on construction, and the metafile shows none of the packages.
 *    Without an SDK a bundle has no code that can sign an Alibaba Cloud API request, so it calls nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument } from 'yaml';
import { CLOUD_SDKS, NO_CLOUD_FUNCTIONS, ROOT, buildFunctions, type BundleReport } from '../../scripts/bundle.js';
import { parseConfig, readChatSecrets } from '../../shared/config/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';

interface Trigger {
  triggerName: string;
  triggerType: string;
  triggerConfig: { cronExpression?: string; enable?: boolean; payload?: string; authType?: string; methods?: string[] };
}
interface Props {
  functionName: string;
  runtime: string;
  code: string;
  handler: string;
  timeout: number;
  memorySize: number;
  role: string;
  internetAccess?: boolean;
  vpcConfig?: { vpcId: string; vSwitchIds: string[]; securityGroupId: string };
  logConfig?: { project: string; logstore: string };
  environmentVariables: Record<string, string>;
  instanceLifecycleConfig?: { preStop?: { handler: string; timeout: number } };
  triggers?: Trigger[];
}
interface SYaml {
  edition: string;
  vars: Record<string, unknown>;
  resources: Record<string, { component: string; props: Props }>;
}

const text = readFileSync(join(ROOT, 's.yaml'), 'utf8');
const doc = parseDocument(text);
const s = doc.toJS() as SYaml;
const functions = Object.entries(s.resources);

/** The role each function runs under and the policy template that role carries. */
const ROLES: Record<string, { roleVar: string; policy: string }> = {
  scan: { roleVar: 'scanRole', policy: 'templates/ram-policy-scan.json' },
  apply: { roleVar: 'applyRole', policy: 'templates/ram-policy-apply.json' },
  remind: { roleVar: 'reviewRole', policy: 'templates/ram-policy-review.json' },
  interact: { roleVar: 'reviewRole', policy: 'templates/ram-policy-review.json' },
  digest: { roleVar: 'reviewRole', policy: 'templates/ram-policy-review.json' },
  alert: { roleVar: 'alertRole', policy: 'templates/ram-policy-alert.json' },
};
/** Six-field crons (s m h dom mon dow): the schedule each timer function is documented to keep. */
const SCHEDULES: Record<string, RegExp> = {
  scan: /^0 \d{1,2} \d{1,2} \* \* \*$/, // daily
  remind: /^0 \d{1,2} \* \* \* \*$/, // hourly
  apply: /^0 \*\/10 \* \* \* \*$/, // every 10 minutes
  digest: /^0 \d{1,2} \d{1,2} \* \* (MON|1)$/, // weekly, Mondays
  alert: /^0 \*\/5 \* \* \* \*$/, // every 5 minutes (sign-ins)
};
const SECRET_NAME = /TOKEN|SECRET|KEY|PASSWORD|DATABASE_URL/;
const FROM_ENV = /^\$\{env\('([A-Z0-9_]+)'(?:, '[^']*')?\)\}$/;
const CRON_FIELD = /^(\*|\?|\d{1,2}(-\d{1,2})?(,\d{1,2}(-\d{1,2})?)*|(\*|\d{1,2})\/\d{1,2}|[A-Z]{3}(-[A-Z]{3})?(,[A-Z]{3})*)$/;

interface PolicyDocument {
  Version: string;
  Statement: Array<{ Effect: string; Action?: string | string[]; NotAction?: string | string[]; Resource: string | string[] }>;
}
const readPolicy = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as PolicyDocument;
const actionsOf = (p: PolicyDocument) => p.Statement.flatMap((st) => [st.Action ?? [], st.NotAction ?? []].flat());

let outdir: string;
let reports: BundleReport[];

beforeAll(async () => {
  // Under the repository's node_modules: the scan bundle's external lz4-napi resolves from there.
  outdir = mkdtempSync(join(ROOT, 'node_modules', '.ramparts-s-yaml-'));
  reports = await buildFunctions({ outdir, enforceSizeCaps: false });
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('s.yaml', () => {
  it('is a Serverless Devs 3 project of fc3 functions, one per functions/ folder', () => {
    expect(s.edition).toBe('3.0.0');
    expect(functions.map(([name]) => name).sort()).toEqual(['alert', 'apply', 'digest', 'interact', 'remind', 'scan']);
    for (const [, r] of functions) expect(r.component).toBe('fc3');
  });

  it.each(functions)('%s: code is a built bundle whose module exports the handler', async (name, { props }) => {
    expect(props.runtime).toBe('nodejs20');
    expect(props.code).toBe(`./dist/${name}`);
    const dir = join(outdir, props.code.replace(/^\.\/dist\//, ''));
    expect(existsSync(dir), dir).toBe(true);
    const [file, exported] = props.handler.split('.');
    // FC3 nodejs20 loads index.mjs as an ES module for handler "index.handler" (reference §2.1).
    const module = join(dir, `${file}.mjs`);
    expect(existsSync(module), module).toBe(true);
    const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
    expect(typeof mod[exported!]).toBe('function');
    const preStop = props.instanceLifecycleConfig?.preStop?.handler;
    if (preStop) expect(typeof mod[preStop.split('.')[1]!]).toBe('function');
  });

  it.each(functions)('%s: explicit timeout and memory, VPC and log settings', (_name, { props }) => {
    // FC's defaults are 3 s and 512 MB: never rely on them.
    expect(props.timeout).toBeGreaterThan(3);
    expect(props.timeout).toBeLessThanOrEqual(900);
    expect(props.memorySize).toBeGreaterThanOrEqual(128);
    expect(props.vpcConfig).toEqual({
      vpcId: "${env('RAMPARTS_VPC_ID')}",
      vSwitchIds: ["${env('RAMPARTS_VSWITCH_ID')}"],
      securityGroupId: "${env('RAMPARTS_SECURITY_GROUP_ID')}",
    });
    expect(props.logConfig).toMatchObject({ project: "${env('RAMPARTS_LOG_PROJECT')}", logstore: "${env('RAMPARTS_LOG_STORE')}" });
  });

  it.each(functions)('%s: every secret comes from the deployer environment, under its own name', (_name, { props }) => {
    const env = props.environmentVariables;
    expect(env.DATABASE_URL).toBeDefined(); // the bundles have no embedded store
    for (const [key, value] of Object.entries(env)) {
      if (!SECRET_NAME.test(key)) continue;
      const m = FROM_ENV.exec(value);
      expect(m, `${key}: ${value}`).not.toBeNull();
      expect(m![1]).toBe(key);
    }
    // Nothing anywhere in the file looks like a literal credential.
    expect(text).not.toMatch(/xox[bp]-|LTAI[0-9A-Za-z]{8,}|postgres:\/\/[^<\s]*:[^<\s]*@/);
  });

  it.each(functions)('%s: its environment carries every chat secret the function checks at start, for Slack and for DingTalk', (_name, { props }) => {
    // What the deployer exports (fake values), passed through the variables s.yaml gives this function.
    const deployer = (name: string) => `fake-${name.toLowerCase()}-0123456789abcdef0123456789abcdef`;
    const env = Object.fromEntries(
      Object.entries(props.environmentVariables).map(([key, value]) => [key, FROM_ENV.exec(value) ? deployer(FROM_ENV.exec(value)![1]!) : value]),
    );
    for (const kind of ['slack', 'dingtalk'] as const) {
      const config = parseConfig({ chat: { kind, dingtalk: { robotCode: 'dingrobot', cardTemplateId: 'tpl.schema' } } }, { env: {}, rules: ALL_RULES });
      expect(() => readChatSecrets(config, env), kind).not.toThrow();
      if (kind === 'dingtalk') expect(readChatSecrets(config, env).dingtalk?.webhook, 'security notices reach the DingTalk group').toBeTruthy();
    }
  });

  it('timer crons have six fields after a valid CRON_TZ, on each function\'s schedule', () => {
    const timers = functions.filter(([, r]) => r.props.triggers?.some((t) => t.triggerType === 'timer'));
    expect(timers.map(([n]) => n).sort()).toEqual(['alert', 'apply', 'digest', 'remind', 'scan']);
    for (const [name, { props }] of timers) {
      for (const t of props.triggers!.filter((x) => x.triggerType === 'timer')) {
        const m = /^CRON_TZ=(\S+) (.+)$/.exec(t.triggerConfig.cronExpression ?? '');
        expect(m, `${name}: ${t.triggerConfig.cronExpression}`).not.toBeNull();
        expect(() => new Intl.DateTimeFormat('en', { timeZone: m![1] }), `${name}: time zone ${m![1]}`).not.toThrow();
        const fields = m![2]!.split(' ');
        expect(fields, `${name}: ${m![2]}`).toHaveLength(6);
        for (const f of fields) expect(f, `${name}: field ${f}`).toMatch(CRON_FIELD);
        expect(m![2]).toMatch(SCHEDULES[name]!);
        expect(t.triggerConfig.enable).toBe(true);
        expect(JSON.parse(t.triggerConfig.payload ?? 'null')).toEqual({ job: name });
      }
    }
  });

  it('alert listens to ActionTrail write events on the default EventBridge bus', () => {
    const eb = s.resources.alert!.props.triggers!.filter((t) => t.triggerType === 'eventbridge');
    expect(eb).toHaveLength(1);
    const config = eb[0]!.triggerConfig as { triggerEnable?: boolean; eventRuleFilterPattern?: string; eventSourceConfig?: { eventSourceType?: string } };
    expect(config.triggerEnable).toBe(true);
    expect(config.eventSourceConfig).toEqual({ eventSourceType: 'Default' });
    const pattern = JSON.parse(config.eventRuleFilterPattern ?? '{}') as { source: string[]; type: string[] };
    expect(pattern.source).toEqual(['acs.actiontrail']);
    expect(pattern.type.every((t) => t.startsWith('actiontrail:ActionTrail:'))).toBe(true);
  });

  it('interact has one anonymous HTTP trigger, POST only (the handler checks Slack and DingTalk signatures)', () => {
    const triggers = s.resources.interact!.props.triggers!;
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ triggerType: 'http', triggerConfig: { authType: 'anonymous', methods: ['POST'] } });
  });
});

describe('roles and their policies', () => {
  it.each(Object.entries(ROLES))('%s runs under %o', (name, { roleVar, policy }) => {
    const props = s.resources[name]!.props;
    expect(props.role).toBe(`\${vars.${roleVar}}`);
    expect(s.vars[roleVar]).toMatch(FROM_ENV);
    // The var's comment names the template, so a deployer knows what to attach.
    const vars = doc.get('vars', true);
    expect(isMap(vars)).toBe(true);
    const node = isMap(vars) ? vars.get(roleVar, true) : undefined;
    expect(isScalar(node) ? node.comment : undefined).toContain(policy);
    expect(existsSync(join(ROOT, policy)), policy).toBe(true);
  });

  it('each role is used by exactly the functions above', () => {
    for (const [name, { props }] of functions) expect(props.role).toBe(`\${vars.${ROLES[name]!.roleVar}}`);
  });

  it('the scan and apply policies are proven against the calls their functions make', () => {
    // The emulator-backed tests compare every recorded call with the template; they must keep doing so.
    expect(readFileSync(join(ROOT, 'test/integration/scan-policy.test.ts'), 'utf8')).toContain('templates/ram-policy-scan.json');
    expect(readFileSync(join(ROOT, 'test/functions/apply-policy.test.ts'), 'utf8')).toContain('templates/ram-policy-apply.json');
    expect(readFileSync(join(ROOT, 'test/functions/alert.test.ts'), 'utf8')).toContain('templates/ram-policy-alert.json');
  });

  it('the review policy grants nothing: no RAM, IMS or STS action, no wildcard, no NotAction', () => {
    const policy = readPolicy('templates/ram-policy-review.json');
    expect(policy.Version).toBe('1');
    expect(Array.isArray(policy.Statement)).toBe(true);
    expect(actionsOf(policy)).toEqual([]);
    expect(JSON.stringify(policy)).not.toMatch(/ram:|ims:|sts:|"\*"/i);
  });

  it.each([...NO_CLOUD_FUNCTIONS])('%s makes no cloud call: its bundle carries no cloud SDK (so it needs no action)', (name) => {
    const report = reports.find((r) => r.name === name)!;
    const packages = report.packages.map((p) => p.name);
    for (const sdk of CLOUD_SDKS) expect(packages, sdk).not.toContain(sdk);
    expect(report.stubbed).toEqual([...CLOUD_SDKS]);
  });

  it('no function bundle carries PGlite; the ones that call the cloud do carry their SDKs', () => {
    for (const r of reports) expect(r.packages.map((p) => p.name)).not.toContain('@electric-sql/pglite');
    const scan = reports.find((r) => r.name === 'scan')!.packages.map((p) => p.name);
    const apply = reports.find((r) => r.name === 'apply')!.packages.map((p) => p.name);
    expect(scan).toEqual(expect.arrayContaining(['@alicloud/ram20150501', '@alicloud/ims20190815']));
    expect(apply).toEqual(expect.arrayContaining(['@alicloud/ram20150501', '@alicloud/ims20190815']));
  });
});

describe('a bundle without DATABASE_URL', () => {
  it('fails with an error naming DATABASE_URL, before any work', async () => {
    const mod = (await import(pathToFileURL(join(outdir, 'remind', 'index.mjs')).href)) as { handler: (e: Buffer, c: unknown) => Promise<unknown> };
    const saved = { ...process.env };
    process.env.RAMPARTS_BUTTON_SECRET = 'fake-button-secret-for-tests-0123456789';
    delete process.env.DATABASE_URL;
    delete process.env.RAMPARTS_CONFIG;
    try {
      const context = { requestId: 'r-1', credentials: { accessKeyId: 'a', accessKeySecret: 'b', securityToken: 'c' }, function: { name: 'ramparts-remind', handler: 'index.handler', memory: 512, timeout: 300 } };
      await expect(mod.handler(Buffer.from(JSON.stringify({ triggerTime: '2026-03-01T00:05:00Z', triggerName: 'hourly', payload: '{"job":"remind"}' })), context)).rejects.toThrow(/DATABASE_URL is not set/);
    } finally {
      process.env = saved;
    }
  });
});
