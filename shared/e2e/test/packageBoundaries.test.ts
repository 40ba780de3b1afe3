import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSubgraphList, repoRoot } from '@pc/schema';

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const pkg = (dir: string) => JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson;
const names = (p: PackageJson, dev: boolean) => Object.keys({ ...p.dependencies, ...(dev ? p.devDependencies : {}) });

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '(@pc\/[\w-]+)/g)].map((m) => m[1]);

/**
 * The gateway and the subgraphs are deployed apart and must not need each other: the whole-system
 * harness that uses both lives in @pc/e2e, which loads the subgraphs by name from the registry.
 */
describe('package boundaries: no gateway ↔ subgraph cycle, test code outside production packages', () => {
  const subgraphs = readSubgraphList().map((e) => e.name);

  it('the gateway depends on no subgraph, and on no test package at run time', () => {
    const gateway = pkg('gateway');
    for (const name of subgraphs) expect(names(gateway, true)).not.toContain(`@pc/${name}`);
    expect(names(gateway, false)).not.toContain('@pc/testing');
    expect(names(gateway, false)).not.toContain('@pc/e2e');
  });

  it('no subgraph depends on the gateway, not even for its tests', () => {
    for (const name of subgraphs)
      expect({ name, deps: names(pkg(join('subgraphs', name)), true) }).not.toEqual({ name, deps: expect.arrayContaining(['@pc/gateway']) });
  });

  it('production sources import no test package (and subgraphs not the gateway)', () => {
    const offenders = [
      ...sources(join(repoRoot, 'gateway', 'src')).filter((f) => importsOf(f).some((m) => m === '@pc/testing' || m === '@pc/e2e')),
      ...subgraphs.flatMap((name) =>
        sources(join(repoRoot, 'subgraphs', name, 'src')).filter((f) =>
          importsOf(f).some((m) => m === '@pc/testing' || m === '@pc/e2e' || m === '@pc/gateway'),
        ),
      ),
    ];
    expect(offenders).toEqual([]);
  });
});
