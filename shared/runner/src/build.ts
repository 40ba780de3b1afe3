/**
 * `npm run build`: compiles every service to JavaScript in dist/ (one tree mirroring the
 * repository), so production runs `node dist/gateway/src/index.js` with no TypeScript toolchain
 * or runtime transpiler. Type checking stays with `npm run typecheck` (tsc); this step only
 * transpiles, with @swc/core and the same settings @swc-node/register applies in development
 * (CommonJS, legacy decorators with their metadata for TypeORM, no define semantics for fields).
 *
 * Layout: dist/<workspace>/src/**\/*.js beside a copy of the workspace's other files (schema.graphql,
 * subgraphs.json, persisted operation lists…) and its package.json with `main` pointing at the
 * compiled file; dist/node_modules/@pc/<name> links each workspace, so `@pc/db` resolves to the
 * compiled package before the root node_modules (which links the TypeScript sources). A
 * workspace's own node_modules (the gateway's lru-cache 11) is linked beside its compiled copy.
 * Only TypeScript packages (`main` is a .ts file) are compiled (others are linked as they are);
 * tests, benches and the bench workspace are not part of the build.
 */
import { transformFileSync, type Options } from '@swc/core';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const dist = join(root, 'dist');
const SKIP_DIRS = new Set(['node_modules', 'test', 'bench', 'dist', 'coverage', '.data']);
const SKIP_WORKSPACES = new Set(['bench']);

const swcOptions: Options = {
  swcrc: false,
  sourceMaps: true,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
};

function workspaces(): string[] {
  const globs: string[] = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
  return globs.flatMap((g) =>
    g.endsWith('/*')
      ? readdirSync(join(root, g.slice(0, -2)))
          .map((d) => `${g.slice(0, -2)}/${d}`)
          .filter((d) => existsSync(join(root, d, 'package.json')))
      : [g],
  );
}

let compiled = 0;
function copyTree(from: string, to: string): void {
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    if (statSync(src).isDirectory()) {
      if (!SKIP_DIRS.has(entry)) copyTree(src, join(to, entry));
      continue;
    }
    mkdirSync(to, { recursive: true });
    if (entry.endsWith('.d.ts') || entry === 'package.json') continue;
    if (entry.endsWith('.ts')) {
      const out = join(to, entry.replace(/\.ts$/, '.js'));
      const { code, map } = transformFileSync(src, { ...swcOptions, filename: src, sourceFileName: relative(dirname(out), src) });
      writeFileSync(out, map ? `${code}\n//# sourceMappingURL=${entry.replace(/\.ts$/, '.js.map')}\n` : code);
      if (map) writeFileSync(`${out}.map`, map);
      compiled++;
    } else {
      copyFileSync(src, join(to, entry));
    }
  }
}

function main(): void {
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  for (const ws of workspaces()) {
    const pkg = JSON.parse(readFileSync(join(root, ws, 'package.json'), 'utf8'));
    if (SKIP_WORKSPACES.has(ws)) continue;
    if (!/\.ts$/.test(pkg.main ?? '')) {
      // Not a TypeScript package (the web app, built by its own tool): linked as it is, so the
      // compiled runner finds it where the TypeScript one does.
      mkdirSync(dirname(join(dist, ws)), { recursive: true });
      symlinkSync(relative(dirname(join(dist, ws)), join(root, ws)), join(dist, ws), 'dir');
      continue;
    }
    const out = join(dist, ws);
    copyTree(join(root, ws), out);
    for (const field of ['main', 'types']) if (typeof pkg[field] === 'string') pkg[field] = pkg[field].replace(/\.ts$/, '.js');
    delete pkg.devDependencies;
    writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const link = join(dist, 'node_modules', pkg.name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), out), link, 'dir');
    if (existsSync(join(root, ws, 'node_modules'))) symlinkSync(relative(out, join(root, ws, 'node_modules')), join(out, 'node_modules'), 'dir');
  }
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify({ name: 'patient-cabinet-dist', private: true, type: 'commonjs' }, null, 2)}\n`);
  process.stdout.write(`compiled ${compiled} files to ${relative(root, dist)}/ in ${Date.now() - started} ms\n`);
}

main();
