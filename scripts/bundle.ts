/**
 * Bundles each FC function into `<outdir>/<name>/index.mjs` (handler `index.handler`) and checks what
 * went in, from esbuild's metafile: no PGlite anywhere (functions use PostgreSQL through DATABASE_URL),
 * no RAM/IMS/STS SDK in the functions that never call the cloud, and a size cap per bundle. The file
 * stays `.mjs`: FC3's nodejs20 runtime loads an ES module `index.mjs` with the same `index.handler`
 * string (reference/chat-and-function-compute.md §2.1), so no CommonJS wrapper is needed.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { copyFileSync, cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePackages, importChain, type PackageSize } from './metafile.js';

/** Repository root (scripts/..), so the build works from any working directory (tests use a temp outdir). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Cloud SDKs that can read or change RAM. */
export const RAM_SDKS = ['@alicloud/ram20150501', '@alicloud/ims20190815', '@alicloud/sts20150401'] as const;
/** Every Alibaba Cloud API client: the RAM SDKs, the generic OpenAPI client and the activity sources' SDKs. */
export const CLOUD_SDKS = [...RAM_SDKS, '@alicloud/openapi-core', '@alicloud/sls20201230', 'ali-oss'] as const;
/** Functions whose role has no RAM access (templates/ram-policy-review.json): their bundles leave every cloud SDK out. */
export const NO_CLOUD_FUNCTIONS = ['interact', 'remind', 'digest'] as const;
/** Functions that call the cloud but never RAM, IMS or STS (alert reads ActionTrail): their bundles leave those SDKs out. */
export const NO_RAM_FUNCTIONS = ['alert'] as const;

const MB = 1_000_000;
/**
 * Size targets in bytes of index.mjs (decimal MB). interact answers Slack within 3 s, so its cold start matters most.
 * They are targets, reported by `npm run build` and `npm run bench:functions`; `--enforce-size-targets` makes them fail
 * the build. scan and apply cannot meet 2 MB with the chosen SDKs (the RAM and IMS SDKs' model classes alone are
 * ~1 MB minified, the SLS SDK ~0.86 MB); README "Deploy" has the figures.
 */
export const SIZE_CAPS: Record<string, number> = { interact: 1 * MB };
export const DEFAULT_SIZE_CAP = 2 * MB;

export interface BundleReport {
  name: string;
  /** Absolute path of the bundle's entry, index.mjs. */
  file: string;
  /** What a cold start loads: index.mjs and the chunks it imports statically. The size target applies to this. */
  bytes: number;
  /** Every JavaScript file of the function: `bytes` plus the chunks loaded on demand. */
  totalBytes: number;
  cap: number;
  /** Bytes per package over every file of the function (own code grouped by top folder, e.g. `shared/review`), largest first. */
  packages: PackageSize[];
  /** Bytes per package in what a cold start loads, largest first. */
  eagerPackages: PackageSize[];
  /** Chunks loaded on first use only (a dynamic import: the DingTalk SDK, the SLS and OSS activity sources). */
  lazyChunks: Array<{ file: string; bytes: number; packages: PackageSize[] }>;
  /** Packages left out on purpose (replaced by a stub that throws if used). */
  stubbed: string[];
  /** What breaks a rule; empty when the bundle is fine. */
  problems: string[];
}

export interface BuildOptions {
  /** Output folder; default `dist` under the repository root. */
  outdir?: string;
  /** Functions to build; default every folder under functions/. */
  functions?: string[];
  /** Fail on a bundle over its size target (default false: the size is reported, not enforced). */
  enforceSizeCaps?: boolean;
}

/** Thrown when a bundle breaks a rule; `reports` has every bundle, with its problems. */
export class BundleCheckError extends Error {
  readonly code = 'BUNDLE_CHECK_FAILED';
  constructor(readonly reports: BundleReport[]) {
    super(`bundle checks failed:\n  - ${reports.flatMap((r) => r.problems).join('\n  - ')}`);
    this.name = 'BundleCheckError';
  }
}

/**
 * Dynamically imported, yet loaded by every invocation: the PostgreSQL store (shared/store/index.ts
 * imports it only when DATABASE_URL is set, which a function always has). Its chunk counts as loaded at start.
 */
const EVERY_RUN = ['shared/store/postgres.ts'];

const banner = { js: "import { createRequire as __rampartsRequire } from 'node:module'; const require = __rampartsRequire(import.meta.url);" };
// Native modules cannot be bundled: they stay external and, when a function imports one, are copied
// next to the bundle with their Linux x64 binary (FC's nodejs20 runtime): lz4-napi (the SLS SDK, for lz4
// bodies) and resvg (the digest's trend chart as a PNG, loaded on first use). urllib (ali-oss) requires
// proxy-agent only when a proxy is configured; it is not installed, so it stays external.
const NATIVE: Record<string, string[]> = {
  'lz4-napi': ['lz4-napi', '@antoniomuso/lz4-napi-linux-x64-gnu'],
  '@resvg/resvg-js': ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu'],
};
const EXTERNAL = [...Object.keys(NATIVE), 'proxy-agent'];

/**
 * shared/store/index.ts imports the PGlite adapter only when DATABASE_URL is unset; esbuild would still
 * inline it (and its WASM loader). In a function bundle that branch becomes a clear error instead.
 */
const noPglite: Plugin = {
  name: 'ramparts-no-pglite',
  setup(b) {
    b.onResolve({ filter: /^\.\/pglite\.js$/ }, (args) =>
      args.importer.endsWith(join('shared', 'store', 'index.ts')) ? { path: 'pglite', namespace: 'ramparts-stub', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /^pglite$/, namespace: 'ramparts-stub' }, (args) => ({
      resolveDir: args.pluginData as string,
      loader: 'ts',
      contents: `import { RampartsError } from '../errors.js';
export async function openPgliteStore(): Promise<never> {
  throw new RampartsError('STORE_UNAVAILABLE', 'DATABASE_URL is not set: FC functions keep their state in PostgreSQL and their bundles carry no embedded PGlite. Set DATABASE_URL (postgres://user:password@host:5432/db) in the environment (s.yaml environmentVariables).');
}`,
    }));
  },
};

/**
 * The cloud SDKs reach interact and remind only through module-level code that never runs there
 * (interact: workflow.ts → app.ts → cloud/clients.ts → cloud/sdk.ts; remind: fc/timer-job.ts →
 * cloud/clients.ts → cloud/sdk.ts, whose top-level `ctor()` calls keep every SDK). Each is replaced by
 * a client class that throws on construction, so these bundles cannot call the cloud even by mistake.
 */
function stubSdks(packages: readonly string[], when: 'construction' | 'use' = 'construction'): Plugin {
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'ramparts-stub-ram-sdks',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'ramparts-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'ramparts-stub' }, (args) => ({
        loader: 'js',
        // sdk.ts reads openapi-core's `$OpenApiUtil`/`OpenApiUtil` at load time: they exist, and throw when used.
        contents: `const message = ${JSON.stringify(`${args.path} is not in this bundle: this function's role has no RAM access${when === 'construction' ? ' and it makes no cloud call' : ''}`)};
${
  when === 'construction'
    ? 'export default class NoCloudClient { constructor() { throw new Error(message); } }'
    : // cloud/clients.ts builds every client up front: this one may be built, never used.
      'export default class NoCloudClient { constructor() { return new Proxy(this, { get() { throw new Error(message); } }); } }'
}
const refuse = new Proxy({}, { get() { throw new Error(message); } });
export { refuse as $OpenApiUtil, refuse as OpenApiUtil };`,
      }));
    },
  };
}

/**
 * zod's classic API re-exports all ~50 locales (`z.locales`, ~270 kB minified) and esbuild keeps them
 * because `z` is a namespace object. ramparts only uses the English messages zod installs by default.
 */
const zodEnglishOnly: Plugin = {
  name: 'ramparts-zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[/\\]zod[/\\]v4[/\\](classic|core)[/\\]/.test(args.importer) ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ resolveDir: join(args.path, '..'), loader: 'js', contents: `export { default as en } from './en.js';` }));
  },
};

function check(name: string, bytes: number, meta: Metafile, cap: number | undefined, stubbed: string[]): BundleReport['problems'] {
  const problems: string[] = [];
  const pkgs = bundlePackages(meta);
  const has = (p: string) => pkgs.some((x) => x.name === p);
  const chainOf = (p: string) => `imported through ${importChain(meta, p)?.join(' → ') ?? '?'}`;
  if (has('@electric-sql/pglite')) problems.push(`${name}: bundles @electric-sql/pglite, but functions use PostgreSQL through DATABASE_URL (${chainOf('@electric-sql/pglite')})`);
  for (const sdk of stubbed) if (has(sdk)) problems.push(`${name}: bundles ${sdk} but makes no cloud call (${chainOf(sdk)})`);
  if (cap !== undefined && bytes >= cap) {
    const top = pkgs.slice(0, 3).map((p) => `${p.name} ${(p.bytes / MB).toFixed(2)} MB`).join(', ');
    problems.push(`${name}: index.mjs is ${(bytes / MB).toFixed(2)} MB, over its ${(cap / MB).toFixed(0)} MB target (largest: ${top})`);
  }
  return problems;
}

/** Builds every function bundle and returns one report each; throws BundleCheckError if any breaks a rule. */
export async function buildFunctions(opts: BuildOptions = {}): Promise<BundleReport[]> {
  const outdir = resolve(ROOT, opts.outdir ?? 'dist');
  const names = opts.functions ?? readdirSync(join(ROOT, 'functions'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  const reports: BundleReport[] = [];
  for (const name of names) {
    const dir = join(outdir, name);
    rmSync(dir, { recursive: true, force: true });
    const noRam = (NO_RAM_FUNCTIONS as readonly string[]).includes(name);
    const stubbed = (NO_CLOUD_FUNCTIONS as readonly string[]).includes(name) ? [...CLOUD_SDKS] : noRam ? [...RAM_SDKS] : [];
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { index: `functions/${name}/index.ts` },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      // Dynamic imports become chunks loaded on first use, so a cold start parses only what every run needs.
      splitting: true,
      // Chunks sit next to index.mjs: the store chunk reads ./migrations/ relative to its own URL.
      chunkNames: '[name]-[hash]',
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      keepNames: true, // error classes name themselves from new.target.name (shared/errors.ts)
      sourcemap: true, // NODE_OPTIONS=--enable-source-maps in s.yaml maps stack traces back to the TypeScript
      sourcesContent: false,
      metafile: true,
      banner,
      external: EXTERNAL,
      logLevel: 'error',
      plugins: [noPglite, zodEnglishOnly, ...(stubbed.length > 0 ? [stubSdks(stubbed, noRam ? 'use' : 'construction')] : [])],
    });
    const file = join(dir, 'index.mjs');
    const outputs = result.metafile.outputs;
    const js = Object.keys(outputs).filter((p) => p.endsWith('.mjs'));
    const entry = js.find((p) => p.endsWith('/index.mjs'))!;
    const eager = new Set<string>();
    const visit = (p: string): void => {
      if (eager.has(p)) return;
      eager.add(p);
      for (const i of outputs[p]!.imports) if (i.kind === 'import-statement' && !i.external && outputs[i.path]) visit(i.path);
    };
    visit(entry);
    for (const p of js) if (EVERY_RUN.some((input) => input in outputs[p]!.inputs)) visit(p);
    const sum = (ps: Iterable<string>) => [...ps].reduce((n, p) => n + outputs[p]!.bytes, 0);
    const bytes = sum(eager);
    const cap = SIZE_CAPS[name] ?? DEFAULT_SIZE_CAP;
    // The store reads its SQL migrations next to the module (new URL('./migrations/', import.meta.url)).
    cpSync(join(ROOT, 'shared/store/migrations'), join(dir, 'migrations'), { recursive: true });
    for (const [external, pkgs] of Object.entries(NATIVE)) {
      if (!js.some((p) => outputs[p]!.imports.some((i) => i.external && i.path === external))) continue;
      for (const pkg of pkgs) if (existsSync(join(ROOT, 'node_modules', pkg))) cpSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), { recursive: true });
    }
    // FC reads RAMPARTS_CONFIG=./ramparts.config.yaml relative to the code directory.
    if (existsSync(join(ROOT, 'ramparts.config.yaml'))) copyFileSync(join(ROOT, 'ramparts.config.yaml'), join(dir, 'ramparts.config.yaml'));
    reports.push({
      name,
      file,
      bytes,
      totalBytes: sum(js),
      cap,
      packages: bundlePackages(result.metafile),
      eagerPackages: bundlePackages(result.metafile, eager),
      lazyChunks: js
        .filter((p) => !eager.has(p))
        .map((p) => ({ file: join(ROOT, p), bytes: outputs[p]!.bytes, packages: bundlePackages(result.metafile, [p]) }))
        .sort((a, b) => b.bytes - a.bytes),
      stubbed,
      problems: check(name, bytes, result.metafile, opts.enforceSizeCaps === true ? cap : undefined, stubbed),
    });
  }
  if (reports.some((r) => r.problems.length > 0)) throw new BundleCheckError(reports);
  return reports;
}
