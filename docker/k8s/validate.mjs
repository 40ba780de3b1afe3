/**
 * Validates the Kubernetes manifests offline (no cluster): `node docker/k8s/validate.mjs [dir]`.
 * Every document of every file under <dir>/base (default k8s/ at the repository root, written by `npm run k8s`) is parsed with `yaml` and
 * checked against the Kubernetes OpenAPI schemas that the npm package kubernetes-models carries
 * (each kind's model and its `validate()`); CloudNativePG's Cluster and Pooler against
 * schemas/cloudnative-pg-v1.json with the same package's Ajv. The kustomizations are checked for
 * what kustomize would refuse: a resource file that does not exist, a patch aimed at nothing.
 * Prints one line per problem and exits 1 if there is any.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? join(here, '..', '..', 'k8s'));
const problems = [];
const objects = [];

// Ajv as kubernetes-models' validator installs it (draft-07, the CRDs' dialect).
const Ajv = createRequire(fileURLToPath(import.meta.resolve('@kubernetes-models/validate')))('ajv').default;
const ajv = new Ajv({ allErrors: true, strict: false });
const cnpg = JSON.parse(readFileSync(join(here, 'schemas', 'cloudnative-pg-v1.json'), 'utf8'));
ajv.addSchema(cnpg, 'cnpg');

async function validate(file, obj) {
  const where = `${file}: ${obj.kind}/${obj.metadata?.name}`;
  if (obj.apiVersion === 'postgresql.cnpg.io/v1') {
    const check = ajv.getSchema(`cnpg#/definitions/${obj.kind}`);
    if (!check) return problems.push(`${where}: no CloudNativePG schema for kind ${obj.kind}`);
    if (!check(obj)) problems.push(`${where}: ${ajv.errorsText(check.errors)}`);
    return;
  }
  const group = obj.apiVersion.includes('/') ? obj.apiVersion : `v1`;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group}/${obj.kind}`))[obj.kind];
  } catch {
    return problems.push(`${where}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
  }
  try {
    new Model(obj).validate();
  } catch (err) {
    problems.push(`${where}: ${err.message}`);
  }
}

function kustomization(sub) {
  const path = join(dir, sub, 'kustomization.yaml');
  if (!existsSync(path)) return problems.push(`${sub}: no kustomization.yaml`);
  const k = parseAllDocuments(readFileSync(path, 'utf8'))[0].toJS();
  for (const r of k.resources ?? []) if (!existsSync(join(dir, sub, r))) problems.push(`${sub}/kustomization.yaml: resource ${r} does not exist`);
  for (const p of k.patches ?? []) {
    const t = p.target ?? {};
    if (!objects.some((o) => o.kind === t.kind && o.metadata?.name === t.name))
      problems.push(`${sub}/kustomization.yaml: patch aimed at no ${t.kind} ${t.name}`);
    try {
      JSON.parse(p.patch);
    } catch {
      problems.push(`${sub}/kustomization.yaml: patch for ${t.kind} ${t.name} is not a JSON patch`);
    }
  }
}

const base = join(dir, 'base');
for (const file of readdirSync(base).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
  for (const doc of parseAllDocuments(readFileSync(join(base, file), 'utf8'))) {
    if (doc.errors.length) problems.push(`${file}: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (!obj) continue;
    objects.push(obj);
    await validate(file, obj);
  }
}
kustomization('base');
kustomization(join('overlays', 'production'));
for (const p of problems) console.log(p);
console.log(`${objects.length} objects in ${dir}: ${problems.length ? `${problems.length} problems` : 'valid'}`);
process.exit(problems.length ? 1 : 0);
