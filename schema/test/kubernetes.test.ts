import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kubernetesManifests, nextFreePort, readSubgraphList, repoRoot } from '../src';

const tools = join(repoRoot, 'docker', 'k8s');
type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> };
const objectsOf = (files: Record<string, string>): Obj[] =>
  Object.entries(files)
    .filter(([p]) => p.startsWith('base/') && !p.endsWith('kustomization.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as Obj));
const validate = (dir: string) => execFileSync(process.execPath, [join(tools, 'validate.mjs'), dir], { encoding: 'utf8', stdio: 'pipe' });

describe('Kubernetes manifests (k8s/, generated from the registry by `npm run k8s` / `npm run build`)', () => {
  let k8s: string;
  beforeAll(() => {
    // What `npm run k8s` writes, into a temporary folder: the manifests are a build artifact.
    k8s = mkdtempSync(join(tmpdir(), 'k8s-out-'));
    execFileSync(process.execPath, ['-r', '@swc-node/register', join(repoRoot, 'schema', 'src', 'kubernetesCli.ts'), k8s], { cwd: repoRoot, stdio: 'pipe' });
  }, 60_000);
  afterAll(() => rmSync(k8s, { recursive: true, force: true }));

  it('are written by `npm run k8s` exactly as generated from schema/subgraphs.json', () => {
    const files = kubernetesManifests();
    const written = ['base', join('overlays', 'production')].flatMap((d) => readdirSync(join(k8s, d)).map((f) => join(d, f)));
    expect(written.sort()).toEqual(Object.keys(files).sort());
    for (const [path, text] of Object.entries(files)) expect(readFileSync(join(k8s, path), 'utf8')).toBe(text);
  });

  it('give every subgraph and the gateway a Deployment, Service, HPA, PDB and NetworkPolicy, probes and limits', () => {
    const objects = objectsOf(kubernetesManifests());
    for (const name of [...readSubgraphList().map((e) => e.name), 'gateway']) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) {
        expect(objects.some((o) => o.kind === kind && o.metadata.name === name)).toBe(true);
      }
      const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as {
        spec: { template: { spec: { containers: { command: string[]; readinessProbe: unknown; livenessProbe: unknown; resources: unknown }[] } } };
      };
      const c = dep.spec.template.spec.containers[0];
      expect(c.command.join(' ')).toMatch(/^node dist\/.*\.js$/);
      expect(c).toMatchObject({ readinessProbe: { httpGet: { path: '/readyz' } }, livenessProbe: { httpGet: { path: '/healthz' } } });
      expect(c.resources).toMatchObject({ requests: { cpu: expect.any(String) }, limits: { memory: expect.any(String) } });
    }
    expect(objects.filter((o) => o.kind === 'Cluster' || o.kind === 'Pooler').map((o) => o.kind)).toEqual(['Cluster', 'Pooler', 'Pooler']);
    expect(objects.some((o) => o.kind === 'Job' && o.metadata.name === 'migrate')).toBe(true);
  });

  it('let only the gateway and the subgraphs that call a subgraph reach it', () => {
    const objects = objectsOf(kubernetesManifests());
    const from = (name: string) =>
      (
        objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name)!.spec as {
          ingress: { from?: { podSelector: { matchLabels: Record<string, string> } }[] }[];
        }
      ).ingress[0].from?.map((f) => f.podSelector.matchLabels['app.kubernetes.io/name']);
    expect(from('identity')).toEqual(expect.arrayContaining(['gateway', 'declarations', 'prescriptions']));
    expect(from('access')).toEqual(['gateway']);
    expect(from('declarations')).toEqual(['gateway', 'prescriptions']);
    expect(from('gateway')).toBeUndefined(); // the entry point: anyone
  });

  it('cover a new domain with nothing written by hand', () => {
    const list = [...readSubgraphList(), { name: 'zzexample', port: nextFreePort(readSubgraphList()) }];
    const files = kubernetesManifests(list);
    expect(files['base/zzexample.yaml']).toContain('kind: HorizontalPodAutoscaler');
    expect(files['base/kustomization.yaml']).toContain('zzexample.yaml');
    expect(files['base/gateway.yaml']).toContain('zzexample=http://zzexample:');
  });

  it('validate offline against the Kubernetes and CloudNativePG schemas, and a broken manifest fails', () => {
    expect(validate(k8s)).toMatch(/valid/);
    const copy = mkdtempSync(join(tmpdir(), 'k8s-'));
    try {
      cpSync(k8s, copy, { recursive: true });
      const file = join(copy, 'base', 'access.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: two'));
      const pg = join(copy, 'base', 'postgres.yaml');
      writeFileSync(pg, readFileSync(pg, 'utf8').replace('poolMode: session', 'poolMode: statements'));
      let out = '';
      try {
        validate(copy);
      } catch (err) {
        out = (err as { stdout: string }).stdout;
      }
      expect(out).toContain('Deployment/access: data/spec/replicas must be integer');
      expect(out).toContain('Pooler/cabinet-pooler-rw');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
