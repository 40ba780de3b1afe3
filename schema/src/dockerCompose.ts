import { readSubgraphList, subgraphUrlSetting, type SubgraphEntry } from './subgraphList';

/** Where a subgraph answers inside the compose network (service name = subgraph name). */
const composeUrl = (e: SubgraphEntry): string => `http://${e.name}:${e.port}/graphql`;

/**
 * docker/docker-compose.yml, generated from the composition list (`npm run compose` writes it; a
 * test fails when the committed file is stale). Every subgraph is a service on its registry port,
 * finds the others through `<NAME>_URL` settings, and the gateway depends on all of them and gets
 * their addresses as SUBGRAPH_URLS. Every service runs its compiled JavaScript (`npm run build`, dist/).
 */
export function dockerComposeFile(entries: SubgraphEntry[] = readSubgraphList()): string {
  const lines = [
    '# Generated from schema/subgraphs.json by `npm run compose` (schema/src/dockerCompose.ts); do not edit by hand.',
    '# The whole system with a real PostgreSQL and Redis:  docker compose -f docker/docker-compose.yml up',
    '# Secrets below are placeholders for a local stack; production injects its own.',
    'version: "3.8"',
    '',
    'x-service: &service',
    '  build:',
    '    context: ..',
    '    dockerfile: docker/Dockerfile',
    '  image: patient-cabinet:latest',
    '  restart: unless-stopped',
    '  depends_on:',
    '    postgres:',
    '      condition: service_healthy',
    '  environment: &env',
    '    NODE_ENV: production',
    '    HOST: 0.0.0.0',
    '    DATABASE_URL: postgres://cabinet:cabinet@postgres:5432/cabinet',
    '    INTERNAL_TOKEN_SECRET: ${INTERNAL_TOKEN_SECRET:-change-me-to-a-long-random-secret-value-0123456789}',
    '    REDIS_URL: redis://redis:6379',
    '    LOG_LEVEL: info',
    '',
    '# Where each subgraph answers, for subgraphs that call another (<NAME>_URL).',
    'x-subgraph-urls: &urls',
    ...entries.map((e) => `  ${subgraphUrlSetting(e.name)}: ${composeUrl(e)}`),
    '',
    'services:',
    '  postgres:',
    '    image: postgres:15',
    '    environment:',
    '      POSTGRES_USER: cabinet',
    '      POSTGRES_PASSWORD: cabinet',
    '      POSTGRES_DB: cabinet',
    '    volumes: [pgdata:/var/lib/postgresql/data]',
    '    healthcheck:',
    '      test: ["CMD-SHELL", "pg_isready -U cabinet"]',
    '      interval: 5s',
    '      retries: 10',
    '',
    '  redis:',
    '    image: redis:7',
    '    command: ["redis-server", "--save", "", "--appendonly", "no"]',
    '',
    ...entries.flatMap((e) => [
      `  ${e.name}:`,
      '    <<: *service',
      `    command: ["node", "dist/subgraphs/${e.name}/src/index.js"]`,
      `    environment: { <<: [*env, *urls], PORT: "${e.port}" }`,
      '',
    ]),
    '  gateway:',
    '    <<: *service',
    '    command: ["node", "dist/gateway/src/index.js"]',
    `    depends_on: [${[...entries.map((e) => e.name), 'redis'].join(', ')}]`,
    '    ports: ["4000:4000"]',
    '    environment:',
    '      <<: *env',
    '      PORT: "4000"',
    '      JWKS_URL: ${JWKS_URL:-https://idp.example.invalid/.well-known/jwks.json}',
    '      JWT_ISSUER: ${JWT_ISSUER:-https://idp.example.invalid}',
    '      JWT_AUDIENCE: patient-cabinet',
    `      SUBGRAPH_URLS: ${entries.map((e) => `${e.name}=${composeUrl(e)}`).join(',')}`,
    '',
    'volumes:',
    '  pgdata: {}',
    '',
  ];
  return lines.join('\n');
}
