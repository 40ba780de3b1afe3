/** src/generated/graphql.ts is what `npm run codegen:web` makes of schema/operations/state today. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');

it('the typed operations are up to date (run `npm run codegen:web` if this fails)', async () => {
  // In a child process, as schema/test/codegen.test.ts does: the CLI loads ES modules that jest's CommonJS runtime cannot.
  const script = `require('@graphql-codegen/cli').generate({ ...require('./web/codegen.ts').webCodegen, cwd: process.cwd() }, false)
    .then((files) => process.stdout.write(JSON.stringify(files)), (e) => { console.error(e); process.exit(1); })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 64 << 20,
  });
  const files = JSON.parse(stdout) as { filename: string; content: string }[];
  expect(files.map((f) => f.filename)).toEqual([join(root, 'web', 'src', 'generated', 'graphql.ts')]);
  expect(readFileSync(files[0].filename, 'utf8') === files[0].content).toBe(true);
});
