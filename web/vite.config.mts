/**
 * Vite build of the state cabinet's web app. `npm run dev:web` proxies /graphql and /dev to the web
 * server of a running `npm start` (WEB_URL, default http://127.0.0.1:4173). The build reports the
 * first screen's JavaScript (the entry chunk and everything it imports statically), gzipped, in
 * dist/bundle-report.json and fails above the budget (BUNDLE_BUDGET_KB, default 200).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const budgetKb = Number(process.env.BUNDLE_BUDGET_KB ?? 200);

/**
 * `virtual:state-manifest`: the state cabinet's manifest (schema/persisted-queries/state.json)
 * without the operation texts — the app sends ids only, so the bodies need not be shipped.
 */
function persistedIds(): Plugin {
  const file = join(import.meta.dirname, '..', 'schema', 'persisted-queries', 'state.json');
  return {
    name: 'pc-persisted-ids',
    resolveId: (id) => (id === 'virtual:state-manifest' ? '\0virtual:state-manifest' : undefined),
    load(id) {
      if (id !== '\0virtual:state-manifest') return undefined;
      this.addWatchFile(file);
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number; operations: { id: string; name: string; type: string }[] };
      const operations = manifest.operations.map(({ id, name, type }) => ({ id, name, type }));
      return `export default ${JSON.stringify({ format: manifest.format, version: manifest.version, operations })};`;
    },
  };
}

function bundleBudget(): Plugin {
  let outDir = 'dist';
  return {
    name: 'pc-bundle-budget',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const first = new Set<string>();
      const visit = (name: string) => {
        if (first.has(name)) return;
        first.add(name);
        for (const i of byName.get(name)?.imports ?? []) visit(i);
      };
      for (const c of chunks) if (c.isEntry) visit(c.fileName);
      const sizes = [...first].map((f) => ({ file: f, gzipBytes: gzipSync(byName.get(f)!.code).length }));
      const lazy = chunks.filter((c) => !first.has(c.fileName)).map((c) => ({ file: c.fileName, gzipBytes: gzipSync(c.code).length }));
      const total = sizes.reduce((s, c) => s + c.gzipBytes, 0);
      const report = { firstScreenJsGzipBytes: total, budgetBytes: budgetKb * 1000, firstScreen: sizes, lazy };
      writeFileSync(join(outDir, 'bundle-report.json'), JSON.stringify(report, null, 2) + '\n');
      const line = `first screen JavaScript: ${(total / 1000).toFixed(1)} kB gzipped (budget ${budgetKb} kB)`;
      if (total > budgetKb * 1000) this.error(line);
      this.info(line);
      process.stdout.write(`${line}\n`);
    },
  };
}

export default defineConfig({
  plugins: [react(), persistedIds(), bundleBudget()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: false, chunkSizeWarningLimit: 1000 },
  server: {
    // The app's operations are the state cabinet's persisted list in ../schema.
    fs: { allow: ['..'] },
    proxy: {
      '/graphql': process.env.WEB_URL ?? 'http://127.0.0.1:4173',
      '/dev': process.env.WEB_URL ?? 'http://127.0.0.1:4173',
    },
  },
});
