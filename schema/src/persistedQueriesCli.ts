/** `npm run persisted-queries`: regenerates schema/persisted-queries/*.json from schema/operations/. */
import { writeManifests } from './persistedQueries';

writeManifests().then(
  (files) => process.stdout.write(files.map((f) => `wrote ${f}`).join('\n') + '\n'),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
