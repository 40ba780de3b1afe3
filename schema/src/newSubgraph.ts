import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { formatSubgraphList, nextFreePort, readSubgraphList, repoRoot, subgraphListPath, subgraphNameProblem, type SubgraphEntry } from './subgraphList';

/** The templates of a new domain: every `*.tmpl` file, with `__name__`-style placeholders in names and text. */
export const SUBGRAPH_TEMPLATE_DIR = join(repoRoot, 'schema', 'templates', 'subgraph');

/** What {@link scaffoldSubgraph} did. */
export interface ScaffoldResult {
  entry: SubgraphEntry;
  /** Files written, relative to the checkout's root. */
  files: string[];
}

/**
 * `npm run new:subgraph -- <name>`: writes `subgraphs/<name>/` from the templates (package
 * `@pc/<name>`, schema.graphql with a `Person.<name>Items` field behind scope `<name>:read`,
 * module, config, context, entity, migration, idempotent demo seed, contract test) and appends
 * `{ name, port }` to schema/subgraphs.json with the next free port. Nothing else is edited:
 * `npm install` links the package, `npm run compose` regenerates the supergraph and
 * docker-compose file, and the runner, test harness and bench read the list. The files are
 * formatted with the repository's Prettier settings (a long name wraps lines differently).
 */
export async function scaffoldSubgraph(name: string, root: string = repoRoot, now: Date = new Date()): Promise<ScaffoldResult> {
  const problem = subgraphNameProblem(name);
  if (problem) throw new Error(problem);
  const list = readSubgraphList(root);
  const folder = join(root, 'subgraphs', name);
  if (list.some((e) => e.name === name)) throw new Error(`${name} is already in schema/subgraphs.json`);
  if (existsSync(folder)) throw new Error(`subgraphs/${name} already exists`);
  if (existsSync(join(root, 'shared', name))) throw new Error(`the package @pc/${name} exists already (shared/${name})`);
  const entry: SubgraphEntry = { name, port: nextFreePort(list) };
  const values: Record<string, string> = {
    __name__: name,
    __Type__: name[0].toUpperCase() + name.slice(1),
    __NAME__: name.toUpperCase(),
    __port__: String(entry.port),
    __stamp__: String(now.getTime()),
    __uuid1__: randomUUID(),
    __uuid2__: randomUUID(),
  };
  const fill = (text: string) => text.replace(/__(name|Type|NAME|port|stamp|uuid1|uuid2)__/g, (m) => values[m]);
  const files: string[] = [];
  for (const template of templateFiles(SUBGRAPH_TEMPLATE_DIR)) {
    const target = join(folder, fill(relative(SUBGRAPH_TEMPLATE_DIR, template)).replace(/\.tmpl$/, ''));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await format(target, fill(readFileSync(template, 'utf8'))));
    files.push(relative(root, target));
  }
  writeFileSync(subgraphListPath(root), formatSubgraphList([...list, entry]));
  return { entry, files: files.sort() };
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? templateFiles(p) : f.endsWith('.tmpl') ? [p] : [];
  });
}

/** `text` formatted as Prettier would format `path` in this repository (unchanged for files Prettier does not know). */
async function format(path: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const info = await prettier.getFileInfo(path);
  if (!info.inferredParser) return text;
  return prettier.format(text, { ...(await prettier.resolveConfig(path)), filepath: path });
}
