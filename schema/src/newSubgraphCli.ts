/** `npm run new:subgraph -- <name>`: scaffolds subgraphs/<name> and adds its line to schema/subgraphs.json. */
import { scaffoldSubgraph } from './newSubgraph';

const name = process.argv[2];
if (!name || process.argv.length > 3) {
  process.stderr.write('usage: npm run new:subgraph -- <name>   (lowercase letters, e.g. prescriptions)\n');
  process.exit(2);
}
scaffoldSubgraph(name).then(
  ({ entry, files }) => {
    process.stdout.write(
      [
        `subgraphs/${name}: ${files.length} files; schema/subgraphs.json: { "name": "${name}", "port": ${entry.port} }`,
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
