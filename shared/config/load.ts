/**
 * Loads the configuration: defaults < YAML file < environment. Every problem from every source is
 * collected and thrown as one ConfigError, so a user fixes them all in one pass.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import type { Rule } from '../rules/types.js';
import { applyEnv, readEnv } from './env.js';
import { explainIssue, formatIssues } from './issues.js';
import { buildConfigSchema, type Config } from './schema.js';

/** The file looked for in the working directory when no file is named. */
export const DEFAULT_CONFIG_FILE = 'ramparts.config.yaml';

export interface LoadConfigOptions {
  /** From `--config`; wins over `RAMPARTS_CONFIG`. */
  path?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The rule registry; decides which rule ids and params are valid. */
  rules: readonly Rule[];
}

/** Where the file comes from: `source` names who asked for it, for "file not found" messages. */
interface FileChoice {
  absolute: string;
  shown: string;
  source: '--config' | 'RAMPARTS_CONFIG' | 'default';
}

function chooseFile(opts: LoadConfigOptions): FileChoice {
  const named = opts.path ?? (opts.env.RAMPARTS_CONFIG?.trim() || undefined);
  const source = opts.path !== undefined ? '--config' : named !== undefined ? 'RAMPARTS_CONFIG' : 'default';
  const absolute = resolve(opts.cwd, named ?? DEFAULT_CONFIG_FILE);
  const rel = relative(opts.cwd, absolute);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
  return { absolute, shown, source };
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Reads and parses the YAML file; `raw` is undefined when there is no file or it could not be parsed. */
async function readConfigFile(file: FileChoice): Promise<{ raw: unknown; issues: string[] }> {
  let text: string;
  try {
    text = await readFile(file.absolute, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    // Only the implicit default file may be absent; a named file that is missing is a mistake.
    if (code === 'ENOENT' && file.source === 'default') return { raw: undefined, issues: [] };
    const what = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? 'error'})`;
    const label = file.source === 'default' ? file.shown : file.source;
    return { raw: undefined, issues: [`${label}: ${file.absolute} ${what}; check the path`] };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${file.shown}:${line}:${col}: YAML syntax error: ${error.message}; fix the syntax`;
    });
    return { raw: undefined, issues };
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // e.g. too many aliases (a "billion laughs" document); not a syntax error, still unusable.
    return { raw: undefined, issues: [`${file.shown}: cannot be read as data (${error instanceof Error ? error.message : String(error)})`] };
  }
  if (raw === null || raw === undefined) return { raw: {}, issues: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { raw: undefined, issues: [`${file.shown}: the top level must be a mapping of options such as "cloud:" and "rules:"`] };
  }
  return { raw, issues: [] };
}

/**
 * Validates already-parsed file content and applies the environment on top. Throws one ConfigError
 * listing every file and environment problem.
 */
export function parseConfig(raw: unknown, opts: { env: NodeJS.ProcessEnv; rules: readonly Rule[] }): Config {
  return resolveConfig(raw, [], opts);
}

function resolveConfig(raw: unknown, fileIssues: string[], opts: { env: NodeJS.ProcessEnv; rules: readonly Rule[] }): Config {
  const issues = [...fileIssues];
  let config: Config | undefined;
  if (fileIssues.length === 0) {
    const schema = buildConfigSchema(opts.rules);
    const result = schema.safeParse(raw ?? {}, { error: explainIssue });
    if (result.success) config = result.data;
    else issues.push(...formatIssues(result.error.issues, schema, opts.rules.map((rule) => rule.id)));
  }
  const env = readEnv(opts.env);
  issues.push(...env.issues);
  if (issues.length > 0 || config === undefined) throw new ConfigError(issues);
  return applyEnv(config, env.overrides);
}

/**
 * Loads the configuration. File: `opts.path`, else `env.RAMPARTS_CONFIG`, else
 * `<cwd>/ramparts.config.yaml` if present, else none (defaults only). Environment overrides the file.
 *
 * @throws ConfigError listing every problem, each as `<field.path>: <what to do>`.
 */
export async function loadConfig(opts: LoadConfigOptions): Promise<Config> {
  const file = await readConfigFile(chooseFile(opts));
  return resolveConfig(file.raw, file.issues, opts);
}
