import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { checkReferences, ScenarioError, type ScenarioIssue } from './references.js';
import { ScenarioSchema, type Scenario } from './scenario.js';

/** Folder of the bundled scenarios, next to this module (so it works from any working directory). */
export const SCENARIOS_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** `users[3].accessKeys[0].createDate` from a zod issue path. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');
}

/**
 * Validates raw scenario data (already parsed from YAML/JSON): schema first, then cross-references.
 * Throws {@link ScenarioError} naming every bad field by its path.
 */
export function parseScenario(data: unknown, source = '(inline)'): Scenario {
  const result = ScenarioSchema.safeParse(data);
  if (!result.success) {
    const issues: ScenarioIssue[] = result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    throw new ScenarioError(source, issues);
  }
  checkReferences(result.data, source);
  return result.data;
}

/**
 * Loads a scenario. A bare name (`demo`, `clean`) is a bundled scenario in `emulator/scenarios/`;
 * anything else is a path to a `.yaml`, `.yml` or `.json` file, relative to the working directory.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const bare = /^[\w-]+$/.test(nameOrPath);
  const file = bare ? resolve(SCENARIOS_DIR, `${nameOrPath}.yaml`) : isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const hint = bare ? ` (bundled scenarios live in ${SCENARIOS_DIR})` : '';
    throw new ScenarioError(file, [{ path: '', message: `cannot read the file: ${(e as Error).message}${hint}` }]);
  }
  let data: unknown;
  try {
    data = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ScenarioError(file, [{ path: '', message: `not valid ${extname(file) || 'YAML'}: ${(e as Error).message}` }]);
  }
  return parseScenario(data, file);
}
