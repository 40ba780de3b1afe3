import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchPorts } from '../../bench/src/system/benchPorts';
import { checkSubgraphList, dockerComposeFile, formatSubgraphList, nextFreePort, readSubgraphList, repoRoot, subgraphUrlSetting } from '../src';

const withNewDomain = () => [...readSubgraphList(), { name: 'zzexample', port: nextFreePort(readSubgraphList()) }];

describe('docker/docker-compose.yml', () => {
  it('is up to date with schema/subgraphs.json (run `npm run compose` if this fails)', () => {
    expect(dockerComposeFile()).toBe(readFileSync(join(repoRoot, 'docker', 'docker-compose.yml'), 'utf8'));
  });

  it('gives a listed subgraph its service, its place in the gateway’s depends_on and SUBGRAPH_URLS, and its <NAME>_URL to every service', () => {
    const file = dockerComposeFile(withNewDomain());
    const port = nextFreePort(readSubgraphList());
    expect(file).toContain(
      `  zzexample:\n    <<: *service\n    command: ["node", "dist/subgraphs/zzexample/src/index.js"]\n    environment: { <<: [*env, *urls], PORT: "${port}" }\n`,
    );
    expect(file).toMatch(/depends_on: \[[a-z, ]*zzexample, redis\]/);
    expect(file).toMatch(new RegExp(`SUBGRAPH_URLS: .*,zzexample=http://zzexample:${port}/graphql\\n`));
    expect(file).toContain(`  ZZEXAMPLE_URL: http://zzexample:${port}/graphql\n`);
  });
});

describe('schema/subgraphs.json', () => {
  it('is written one subgraph per line (so adding one is a one-line diff)', () => {
    expect(formatSubgraphList(readSubgraphList())).toBe(readFileSync(join(repoRoot, 'schema', 'subgraphs.json'), 'utf8'));
  });

  it('refuses bad or reserved names (a compose service), duplicate names or ports, and the gateway’s port', () => {
    const ok = { name: 'identity', port: 4001 };
    expect(() => checkSubgraphList([ok, { name: 'Bad-name', port: 4002 }])).toThrow(/not a subgraph name/);
    expect(() => checkSubgraphList([ok, { name: 'redis', port: 4002 }])).toThrow(/reserved/);
    expect(() => checkSubgraphList([ok, { name: 'identity', port: 4002 }])).toThrow(/listed twice/);
    expect(() => checkSubgraphList([ok, { name: 'other', port: 4001 }])).toThrow(/port 4001 is listed twice/);
    expect(() => checkSubgraphList([ok, { name: 'other', port: 4000 }])).toThrow(/gateway/);
    expect(checkSubgraphList([ok])).toEqual([ok]);
  });

  it('gives a new subgraph the port after the highest, and derives <NAME>_URL from the name', () => {
    expect(
      nextFreePort([
        { name: 'a', port: 4001 },
        { name: 'b', port: 4007 },
        { name: 'c', port: 4003 },
      ]),
    ).toBe(4008);
    expect(nextFreePort([])).toBe(4001);
    expect(subgraphUrlSetting('zzexample')).toBe('ZZEXAMPLE_URL');
  });
});

describe('bench ports', () => {
  it('never collide, whatever the registry ports (4005 used to land on Hive’s port)', () => {
    const lists = [withNewDomain(), [...readSubgraphList(), { name: 'x', port: 4105 }, { name: 'y', port: 5009 }, { name: 'z', port: 4008 }]];
    for (const list of lists) {
      const p = benchPorts(5100, list);
      const all = [p.gateway, p.peer, p.metrics, p.jwks, ...Object.values(p.subgraphs)];
      expect(new Set(all).size).toBe(all.length);
      expect(Object.keys(p.subgraphs)).toEqual(list.map((e) => e.name));
    }
  });
});
