/**
 * `npm run new:subgraph -- <name>`: scaffolds subgraphs/<name>, adds its line to
 * schema/subgraphs.json, and writes its generated resolver types (`npm run codegen`, which reads
 * the list; the other subgraphs' files come out unchanged).
 */
import { execFileSync } from 'node:child_process';
import { scaffoldSubgraph } from './newSubgraph';
import { repoRoot } from './subgraphList';

const name = process.argv[2];
if (!name || process.argv.length > 3) {
  process.stderr.write('usage: npm run new:subgraph -- <name>   (2-30 lowercase letters)\n');
  process.exit(2);
}
scaffoldSubgraph(name).then(
  ({ entry, files }) => {
    try {
      execFileSync('npm', ['run', '--silent', 'codegen'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch {
      process.stderr.write(`new:subgraph: subgraphs/${name} is written, but \`npm run codegen\` failed (above); fix and run it again\n`);
      process.exit(1);
    }
    process.stdout.write(
      [
        `subgraphs/${name}: ${files.length} files and src/generated/graphql.ts; schema/subgraphs.json: { "name": "${name}", "port": ${entry.port} }`,
        `Next: npm install (links @pc/${name}), npm run compose (supergraph and docker-compose.yml), npm start.`,
        '',
      ].join('\n'),
    );
  },
  (err: Error) => {
    process.stderr.write(`new:subgraph: ${err.message}\n`);
    process.exit(1);
  },
);
