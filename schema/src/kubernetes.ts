import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSubgraphList, repoRoot, subgraphUrlSetting, type SubgraphEntry } from './subgraphList';

/**
 * The Kubernetes manifests written to k8s/ by `npm run k8s` / `npm run build` (a kustomize base and a `production` overlay), generated
 * from the composition list like docker/docker-compose.yml (`npm run compose` writes them; a test
 * fails when the committed files are stale), so a new domain needs nothing by hand.
 *
 * Per service (every subgraph and the gateway): a Deployment running the compiled code of the one
 * image as a non-root user, probes on /readyz and /healthz, requests and limits, spread over
 * zones; a Service; a HorizontalPodAutoscaler on CPU; a PodDisruptionBudget; a NetworkPolicy that
 * admits to a subgraph only the gateway and the subgraphs that call it (found from the `<NAME>_URL`
 * settings in the subgraph's src/config.ts). Secrets come from Kubernetes Secrets: the
 * CloudNativePG-generated `cabinet-app` (database user and password) and `patient-cabinet`
 * (INTERNAL_TOKEN_SECRET). PostgreSQL is a CloudNativePG Cluster (a primary and replicas, automatic
 * failover) behind PgBouncer Poolers (rw for the primary, ro for the replicas:
 * DATABASE_REPLICA_URL); Redis is one Deployment. Migrations run as a Job before the rollout.
 */

const NAMESPACE = 'patient-cabinet';
const IMAGE = 'patient-cabinet:latest';
const GATEWAY_PORT = 4000;
const DB = 'cabinet';

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml | undefined };

/** YAML for plain data: block style, strings quoted when YAML would read them as something else. */
export function toYaml(value: Yaml, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value
      .map((v) => {
        const inner = toYaml(v, `${indent}  `);
        return `\n${indent}- ${isBlock(v) ? inner.replace(/^\n\s*/, '') : inner.trimStart()}`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [string, Yaml][];
    if (entries.length === 0) return ' {}';
    return entries.map(([k, v]) => `\n${indent}${scalar(k)}:${isBlock(v) ? toYaml(v, `${indent}  `) : ` ${scalar(v)}`}`).join('');
  }
  return ` ${scalar(value)}`;
}
const isBlock = (v: Yaml): boolean => v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
function scalar(v: Yaml): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z_/][\w./-]*$/.test(v) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(v) ? v : JSON.stringify(v);
}
const documents = (docs: Yaml[]): string => docs.map((d) => `---${toYaml(d).replace(/^\n/, '\n')}\n`).join('');

/** The subgraphs a subgraph calls: the `<NAME>_URL` settings its src/config.ts declares. */
export function subgraphCallees(name: string, entries: SubgraphEntry[]): string[] {
  const file = join(repoRoot, 'subgraphs', name, 'src', 'config.ts');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return entries.filter((e) => e.name !== name && new RegExp(`\\b${subgraphUrlSetting(e.name)}\\s*:`).test(text)).map((e) => e.name);
}

const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': NAMESPACE });
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });

/** Environment shared by every service: database through the poolers, secrets by reference. */
function commonEnv(): Yaml[] {
  return [
    { name: 'NODE_ENV', value: 'production' },
    { name: 'HOST', value: '0.0.0.0' },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'DATA_DIR', value: '/data' },
    { name: 'DB_USER', valueFrom: { secretKeyRef: { name: `${DB}-app`, key: 'username' } } },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: `${DB}-app`, key: 'password' } } },
    { name: 'DATABASE_URL', value: `postgres://$(DB_USER):$(DB_PASSWORD)@${DB}-pooler-rw:5432/${DB}` },
    { name: 'DATABASE_REPLICA_URL', value: `postgres://$(DB_USER):$(DB_PASSWORD)@${DB}-pooler-ro:5432/${DB}` },
    { name: 'INTERNAL_TOKEN_SECRET', valueFrom: { secretKeyRef: { name: NAMESPACE, key: 'INTERNAL_TOKEN_SECRET' } } },
    { name: 'REDIS_URL', value: 'redis://redis:6379' },
  ];
}

interface ServiceSpec {
  name: string;
  port: number;
  command: string[];
  env: Yaml[];
  /** Pods allowed to connect (label values of app.kubernetes.io/name); undefined: anyone (the gateway). */
  from?: string[];
  cpu: { request: string; limit: string };
  memory: { request: string; limit: string };
  replicas: { min: number; max: number };
}

function serviceDocuments(s: ServiceSpec): Yaml[] {
  const probe = (path: string, period: number) => ({ httpGet: { path, port: 'http' }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: 3 });
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: s.name, labels: labels(s.name) },
      spec: {
        replicas: s.replicas.min,
        selector: { matchLabels: selector(s.name) },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        template: {
          metadata: { labels: labels(s.name) },
          spec: {
            // SIGTERM: the service reports not ready, drains for SHUTDOWN_DELAY_MS, then stops.
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(s.name) } },
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(s.name) } },
            ],
            containers: [
              {
                name: s.name,
                image: IMAGE,
                command: s.command,
                ports: [{ name: 'http', containerPort: s.port }],
                env: [...commonEnv(), { name: 'PORT', value: String(s.port) }, ...s.env],
                readinessProbe: probe('/readyz', 5),
                livenessProbe: { ...probe('/healthz', 10), initialDelaySeconds: 10 },
                startupProbe: { ...probe('/healthz', 2), failureThreshold: 60 },
                resources: { requests: { cpu: s.cpu.request, memory: s.memory.request }, limits: { cpu: s.cpu.limit, memory: s.memory.limit } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
            volumes: [{ name: 'data', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.name, labels: labels(s.name) },
      spec: { selector: selector(s.name), ports: [{ name: 'http', port: s.port, targetPort: 'http' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: s.name, labels: labels(s.name) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
        minReplicas: s.replicas.min,
        maxReplicas: s.replicas.max,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: s.name, labels: labels(s.name) },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector(s.name) } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: s.name, labels: labels(s.name) },
      spec: {
        podSelector: { matchLabels: selector(s.name) },
        policyTypes: ['Ingress'],
        ingress: [
          {
            ...(s.from ? { from: s.from.map((f) => ({ podSelector: { matchLabels: selector(f) } })) } : {}),
            ports: [{ protocol: 'TCP', port: s.port }],
          },
        ],
      },
    },
  ];
}

/** The subgraphs' and the gateway's specs, from the list. */
function services(entries: SubgraphEntry[]): ServiceSpec[] {
  const urls = entries.map((e) => ({ name: subgraphUrlSetting(e.name), value: `http://${e.name}:${e.port}/graphql` }));
  const callers = (name: string) => entries.filter((e) => subgraphCallees(e.name, entries).includes(name)).map((e) => e.name);
  return [
    ...entries.map((e) => ({
      name: e.name,
      port: e.port,
      command: ['node', `dist/subgraphs/${e.name}/src/index.js`],
      env: urls.filter((u) => subgraphCallees(e.name, entries).some((c) => subgraphUrlSetting(c) === u.name)),
      from: ['gateway', ...callers(e.name)],
      cpu: { request: '250m', limit: '1' },
      memory: { request: '256Mi', limit: '512Mi' },
      replicas: { min: 2, max: 10 },
    })),
    {
      name: 'gateway',
      port: GATEWAY_PORT,
      command: ['node', 'dist/gateway/src/index.js'],
      env: [
        { name: 'SUBGRAPH_URLS', value: entries.map((e) => `${e.name}=http://${e.name}:${e.port}/graphql`).join(',') },
        { name: 'JWKS_URL', valueFrom: { configMapKeyRef: { name: NAMESPACE, key: 'JWKS_URL' } } },
        { name: 'JWT_ISSUER', valueFrom: { configMapKeyRef: { name: NAMESPACE, key: 'JWT_ISSUER' } } },
        { name: 'JWT_AUDIENCE', value: 'patient-cabinet' },
      ],
      cpu: { request: '500m', limit: '2' },
      memory: { request: '512Mi', limit: '1Gi' },
      replicas: { min: 2, max: 20 },
    },
  ];
}

function databaseDocuments(entries: SubgraphEntry[]): Yaml[] {
  const clients = [...entries.map((e) => e.name), 'gateway', 'migrate'];
  return [
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: DB, labels: labels(DB) },
      spec: {
        // A primary and two streaming replicas; CloudNativePG promotes a replica when the primary fails.
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
        primaryUpdateStrategy: 'unsupervised',
        bootstrap: { initdb: { database: DB, owner: DB } },
        storage: { size: '20Gi' },
        postgresql: { parameters: { max_connections: '400', shared_buffers: '1GB' } },
        affinity: { topologyKey: 'topology.kubernetes.io/zone' },
        monitoring: { enablePodMonitor: true },
      },
    },
    ...(['rw', 'ro'] as const).map((type) => ({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Pooler',
      metadata: { name: `${DB}-pooler-${type}`, labels: labels(DB) },
      spec: {
        cluster: { name: DB },
        instances: 2,
        type,
        // Session pooling: the gateway LISTENs for grant changes and TypeORM keeps session state.
        pgbouncer: { poolMode: 'session', parameters: { max_client_conn: '2000', default_pool_size: '50' } },
      },
    })),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${DB}-poolers`, labels: labels(DB) },
      spec: {
        podSelector: { matchExpressions: [{ key: 'cnpg.io/poolerName', operator: 'In', values: [`${DB}-pooler-rw`, `${DB}-pooler-ro`] }] },
        policyTypes: ['Ingress'],
        ingress: [{ from: clients.map((c) => ({ podSelector: { matchLabels: selector(c) } })), ports: [{ protocol: 'TCP', port: 5432 }] }],
      },
    },
  ];
}

function redisDocuments(): Yaml[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'redis', labels: labels('redis') },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector('redis') },
        template: {
          metadata: { labels: labels('redis') },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'redis',
                image: 'redis:7',
                // A cache and rate-limit store: nothing to persist.
                args: ['--save', '', '--appendonly', 'no', '--maxmemory', '768mb', '--maxmemory-policy', 'allkeys-lru'],
                ports: [{ name: 'redis', containerPort: 6379 }],
                readinessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 5 },
                livenessProbe: { tcpSocket: { port: 'redis' }, periodSeconds: 10 },
                resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'redis', labels: labels('redis') },
      spec: { selector: selector('redis'), ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'redis', labels: labels('redis') },
      spec: {
        podSelector: { matchLabels: selector('redis') },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: selector('gateway') } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
      },
    },
  ];
}

/** Every subgraph's migrations, once, before the new Deployments roll out. */
function migrateJob(): Yaml[] {
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'migrate',
        labels: labels('migrate'),
        // Argo CD and Helm-style tools run it before the rollout; with kubectl: docs/deployment.md.
        annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
      },
      spec: {
        backoffLimit: 3,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: labels('migrate') },
          spec: {
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'migrate',
                image: IMAGE,
                command: ['node', 'dist/shared/runner/src/migrate.js'],
                env: commonEnv(),
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
  ];
}

const HEADER = '# Generated from schema/subgraphs.json by `npm run k8s` (schema/src/kubernetes.ts); do not edit by hand.\n';

/**
 * Every file under k8s/, by path relative to it. Production scales from the sizing in
 * docs/deployment.md: the overlay raises minimum replicas and the database's resources.
 */
export function kubernetesManifests(entries: SubgraphEntry[] = readSubgraphList()): Record<string, string> {
  const specs = services(entries);
  const files: Record<string, string> = {};
  const file = (path: string, docs: Yaml[]) => (files[path] = HEADER + documents(docs));
  file('base/namespace.yaml', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }]);
  file('base/config.yaml', [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NAMESPACE },
      data: { JWKS_URL: 'https://idp.example.invalid/.well-known/jwks.json', JWT_ISSUER: 'https://idp.example.invalid' },
    },
  ]);
  for (const s of specs) file(`base/${s.name}.yaml`, serviceDocuments(s));
  file('base/postgres.yaml', databaseDocuments(entries));
  file('base/redis.yaml', redisDocuments());
  file('base/migrate.yaml', migrateJob());
  const resources = Object.keys(files).map((p) => p.slice('base/'.length));
  files['base/kustomization.yaml'] =
    HEADER +
    `# The Secret ${NAMESPACE} (INTERNAL_TOKEN_SECRET) is created outside git (docs/deployment.md); ${DB}-app by CloudNativePG.` +
    toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: NAMESPACE, resources }) +
    '\n';
  const production = specs.map((s) => ({
    target: { kind: 'HorizontalPodAutoscaler', name: s.name },
    patch: `[{"op": "replace", "path": "/spec/minReplicas", "value": ${s.name === 'gateway' ? 6 : 3}}, {"op": "replace", "path": "/spec/maxReplicas", "value": ${s.name === 'gateway' ? 60 : 30}}]`,
  }));
  files['overlays/production/kustomization.yaml'] =
    HEADER +
    '# Production: a pinned image, replicas over three zones from docs/deployment.md, a larger database.' +
    toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['../../base'],
      images: [{ name: 'patient-cabinet', newName: 'registry.example.invalid/patient-cabinet', newTag: '0.1.0' }],
      patches: [
        ...production,
        ...specs.map((s) => ({
          target: { kind: 'Deployment', name: s.name },
          patch: `[{"op": "replace", "path": "/spec/replicas", "value": ${s.name === 'gateway' ? 6 : 3}}]`,
        })),
        {
          target: { group: 'postgresql.cnpg.io', kind: 'Cluster', name: DB },
          patch: `[{"op": "replace", "path": "/spec/storage/size", "value": "1Ti"}, {"op": "add", "path": "/spec/resources", "value": {"requests": {"cpu": "8", "memory": "32Gi"}, "limits": {"memory": "32Gi"}}}, {"op": "replace", "path": "/spec/postgresql/parameters/shared_buffers", "value": "8GB"}]`,
        },
      ],
    }) +
    '\n';
  return files;
}
