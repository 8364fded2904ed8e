/**
 * Bundles each FC function into dist/<name>/index.mjs (handler `index.handler`). The Alibaba SDKs are CommonJS and call require() for Node built-ins, so ESM
 * bundles get a createRequire banner.
 */
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';

const banner = { js: "import { createRequire as __rampartsRequire } from 'node:module'; const require = __rampartsRequire(import.meta.url);" };
const functions = readdirSync('functions', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

// lz4-napi (a native module the SLS SDK requires for lz4 bodies) cannot be bundled: it stays external
// and is copied next to the bundle with its Linux x64 binary (FC's nodejs20 runtime). urllib (ali-oss)
// requires proxy-agent only when a proxy is configured; it is not installed, so it stays external.
const NATIVE = ['lz4-napi', '@antoniomuso/lz4-napi-linux-x64-gnu'];
const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: true, banner, logLevel: 'warning', external: ['lz4-napi', 'proxy-agent'] as string[] } as const;

for (const name of functions) {
  await build({ ...common, entryPoints: [`functions/${name}/index.ts`], outfile: `dist/${name}/index.mjs` });
  // The store reads its SQL migrations next to the module (new URL('./migrations/', import.meta.url)).
  cpSync('shared/store/migrations', `dist/${name}/migrations`, { recursive: true });
  if (readFileSync(`dist/${name}/index.mjs`, 'utf8').includes('lz4-napi')) {
    for (const pkg of NATIVE) if (existsSync(`node_modules/${pkg}`)) cpSync(`node_modules/${pkg}`, `dist/${name}/node_modules/${pkg}`, { recursive: true });
  }
  // FC reads RAMPARTS_CONFIG=./ramparts.config.yaml relative to the code directory.
  if (existsSync('ramparts.config.yaml')) copyFileSync('ramparts.config.yaml', `dist/${name}/ramparts.config.yaml`);
  console.log(`built dist/${name}/index.mjs`);
}
