/**
 * Classifies each response of the robustness run and builds the report: counts by status and by
 * error code, the violations (what production must never answer a hostile request with) and
 * findings worth a look that do not fail the run.
 */
import type { HostileRequest } from './generate';
import type { RawResponse } from './send';

/** Violations: any one fails the run. */
export const VIOLATIONS = {
  'status>=500': 'HTTP status 500 or above',
  html: 'an HTML body',
  'stack-trace': 'a stack trace or source path in the body',
  'internal-url': 'an internal URL or address in the body (127.0.0.1, localhost, http://…)',
  'internal-detail': 'subgraph or runtime internals (extensions.response / serviceName / exception, JS or SQL error text)',
  'no-response': 'no HTTP response to a well-formed request (connection error or 30 s timeout)',
} as const;
export type Violation = keyof typeof VIOLATIONS;

/** Findings reported but not failing the run. */
export const NOTES = {
  'internal-error-code': 'INTERNAL_SERVER_ERROR code on a status below 500 (hostile input reached an unexpected error)',
  'non-json': 'a non-empty body that is not JSON',
  'rate-limited': '429 RATE_LIMITED',
  'raw-closed': 'malformed HTTP closed without a response',
  'closed-oversized': 'connection closed on a request over the size limits (body > 100 kB or headers > 16 kB)',
} as const;
export type Note = keyof typeof NOTES;

/** One classified response. */
export interface Outcome {
  index: number;
  category: string;
  kind: string;
  caller: string;
  /** HTTP status, or `none` when nothing came back. */
  status: number | 'none';
  /** Distinct `extensions.code` values, or `(data)` for a result without errors, `(non-json)`, `(empty)`. */
  codes: string[];
  violations: Violation[];
  notes: Note[];
  ms: number;
}

const STACK_RE =
  /stacktrace|\((?:node:|file:|\/)[^)\s]*:\d+:\d+\)|(?:^|\n|\\n)\s*at (?:async )?\S+ \(?[^\s)]*:\d+:\d+|\bat [^\n"]*\.(?:ts|js|mjs|cjs):\d+|\.ts:\d+:\d+|node_modules[\\/]/i;
const URL_RE = /\b(?:127\.0\.0\.1|localhost|0\.0\.0\.0)\b|\[::1\]|https?:\/\/[^\s"'\\<>]+/gi;
// Text of runtime and database errors that must not reach a client.
const INTERNAL_TEXT_RE =
  /\b(?:TypeError|ReferenceError|RangeError|QueryFailedError|EntityNotFoundError|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)\b|Cannot read propert|is not a function|Maximum call stack|socket hang up|invalid input syntax for type|violates [\w-]+ constraint|relation "[^"]+" does not exist|duplicate key value|syntax error at or near|column "[^"]+" does not exist|out of range for type/i;
const INTERNAL_KEYS = ['response', 'serviceName', 'exception', 'stacktrace', 'originalError'];

/** Text of a request, to tell an echoed value from a leaked one. */
function requestText(req: HostileRequest): string {
  return [req.path, JSON.stringify(req.headers), req.body?.toString('utf8') ?? '', req.raw?.toString('latin1') ?? ''].join('\n');
}

export function classify(req: HostileRequest, res: RawResponse): Outcome {
  const violations = new Set<Violation>();
  const notes = new Set<Note>();
  const status: number | 'none' = res.status ?? 'none';
  let codes: string[] = [];
  if (res.status === undefined) {
    if (req.raw) notes.add('raw-closed');
    // A server may close the connection on a request over its size limits before reading it all.
    else if (oversized(req) && /ECONNRESET|EPIPE|socket hang up/i.test(res.error ?? '')) notes.add('closed-oversized');
    else violations.add('no-response');
  } else if (res.status >= 500) violations.add('status>=500');

  const body = res.body ?? '';
  const contentType = String(res.headers['content-type'] ?? '');
  let parsed: unknown;
  let isJson = false;
  if (body.trim()) {
    try {
      parsed = JSON.parse(body);
      isJson = true;
    } catch {
      notes.add('non-json');
    }
  }
  // Leaks are looked for everywhere but in `data`: a result may carry URLs and any text a
  // caller stored (a hostile mutation earlier in the run may have stored odd strings).
  const scanned = isJson && parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify({ ...(parsed as object), data: undefined }) : body;
  if (/html/i.test(contentType) || /<!doctype|<html|<body|<pre>|<head>/i.test(scanned)) violations.add('html');
  if (STACK_RE.test(scanned)) violations.add('stack-trace');
  const sent = requestText(req);
  for (const m of scanned.match(URL_RE) ?? []) {
    if (!sent.includes(m)) violations.add('internal-url');
  }
  if (isJson && parsed && typeof parsed === 'object') {
    const r = parsed as { data?: unknown; errors?: { message?: unknown; extensions?: Record<string, unknown> }[] };
    const errors = Array.isArray(r.errors) ? r.errors : [];
    codes = [...new Set(errors.map((e) => String(e?.extensions?.code ?? '(no code)')))];
    if (!errors.length) codes = [r.data !== undefined ? '(data)' : '(no errors)'];
    for (const e of errors) {
      const ext = e?.extensions ?? {};
      if (INTERNAL_KEYS.some((k) => k in ext)) violations.add('internal-detail');
      const message = typeof e?.message === 'string' ? e.message : '';
      if (INTERNAL_TEXT_RE.test(message) && !sent.includes(message)) violations.add('internal-detail');
      if (ext.code === 'INTERNAL_SERVER_ERROR' && typeof status === 'number' && status < 500) notes.add('internal-error-code');
    }
  } else if (isJson) codes = ['(json, not an object)'];
  else if (!body.trim()) codes = [res.error ? `(${shortError(res.error)})` : '(empty)'];
  else codes = ['(non-json)'];
  if (status === 429) notes.add('rate-limited');

  return {
    index: req.index,
    category: req.category,
    kind: req.kind,
    caller: req.caller,
    status,
    codes,
    violations: [...violations],
    notes: [...notes],
    ms: res.ms,
  };
}

function oversized(req: HostileRequest): boolean {
  const headerBytes = Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, req.path.length);
  return (req.body?.length ?? 0) > 100_000 || headerBytes > 16_000;
}

function shortError(e: string): string {
  if (/timeout/i.test(e)) return 'timeout';
  if (/closed without/i.test(e)) return 'closed';
  if (/ECONNRESET|socket hang up/i.test(e)) return 'reset';
  if (/ECONNREFUSED/i.test(e)) return 'refused';
  if (/client refused/i.test(e)) return 'client refused';
  return e.slice(0, 30);
}

/** One failing example: the request and what came back, shortened. */
export interface Example {
  violations: string[];
  index: number;
  kind: string;
  caller: string;
  request: string;
  response: string;
}

/** Counts and examples of a run. */
export interface FuzzReport {
  seed: number;
  count: number;
  ms: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  byCategory: Record<string, Record<string, number>>;
  /** Response times by kind: count, median and slowest (ms). */
  timing: Record<string, { count: number; p50: number; max: number }>;
  /** The slowest requests (index, kind, ms): with concurrency 1, the ones that block the gateway. */
  slowest: { index: number; kind: string; ms: number; status: number | 'none' }[];
  violations: Record<Violation, number>;
  notes: Record<Note, number>;
  examples: Example[];
  noteExamples: Example[];
  /**
   * Enum and scalar types (of all a client can send) that got invalid values: through listed
   * operations' variables (executed), only in free-form documents (refused before parsing in
   * production), or not at all.
   */
  coverage?: { inputLeafTypes: number; inListedVariables: string[]; inDocumentsOnly: string[]; notReached: string[] };
  /** Whether a listed operation still ran normally after the run. */
  healthyAfter?: boolean;
}

/** Accumulates outcomes into a {@link FuzzReport}. */
export class ReportBuilder {
  private readonly report: FuzzReport;
  private readonly seenExamples = new Set<string>();
  private readonly seenNotes = new Set<string>();
  private readonly times = new Map<string, number[]>();

  constructor(
    seed: number,
    private readonly maxExamples = 20,
  ) {
    this.report = {
      seed,
      count: 0,
      ms: 0,
      byStatus: {},
      byCode: {},
      byCategory: {},
      timing: {},
      slowest: [],
      violations: Object.fromEntries(Object.keys(VIOLATIONS).map((k) => [k, 0])) as Record<Violation, number>,
      notes: Object.fromEntries(Object.keys(NOTES).map((k) => [k, 0])) as Record<Note, number>,
      examples: [],
      noteExamples: [],
    };
  }

  add(req: HostileRequest, res: RawResponse, o: Outcome): void {
    const r = this.report;
    r.count++;
    const s = String(o.status);
    r.byStatus[s] = (r.byStatus[s] ?? 0) + 1;
    for (const c of o.codes) r.byCode[c] = (r.byCode[c] ?? 0) + 1;
    const cat = (r.byCategory[o.category] ??= {});
    cat[s] = (cat[s] ?? 0) + 1;
    let times = this.times.get(o.kind);
    if (!times) this.times.set(o.kind, (times = []));
    times.push(o.ms);
    if (r.slowest.length < 5 || o.ms > r.slowest[r.slowest.length - 1].ms) {
      r.slowest.push({ index: o.index, kind: o.kind, ms: o.ms, status: o.status });
      r.slowest.sort((a, b) => b.ms - a.ms);
      r.slowest.length = Math.min(r.slowest.length, 5);
    }
    for (const v of o.violations) r.violations[v]++;
    for (const n of o.notes) r.notes[n]++;
    if (o.violations.length) {
      // Distinct failure modes: one example per violations, status, codes and message shape.
      const key = `${o.violations.join(',')}|${o.status}|${o.codes.join(',')}|${messageShape(res.body)}`;
      if (!this.seenExamples.has(key) && r.examples.length < this.maxExamples) {
        this.seenExamples.add(key);
        r.examples.push(example(req, res, o, o.violations));
      }
    }
    const soft = o.notes.filter((n) => n === 'internal-error-code' || n === 'non-json');
    if (soft.length) {
      const key = `${soft.join(',')}|${o.kind}|${o.status}|${o.codes.join(',')}|${messageShape(res.body)}`;
      if (!this.seenNotes.has(key) && r.noteExamples.length < this.maxExamples) {
        this.seenNotes.add(key);
        r.noteExamples.push(example(req, res, o, soft));
      }
    }
  }

  setCoverage(coverage: NonNullable<FuzzReport['coverage']>): void {
    this.report.coverage = coverage;
  }

  finish(ms: number, healthyAfter?: boolean): FuzzReport {
    this.report.ms = ms;
    for (const [kind, times] of this.times) {
      times.sort((a, b) => a - b);
      this.report.timing[kind] = { count: times.length, p50: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
    }
    this.report.healthyAfter = healthyAfter;
    return this.report;
  }
}

/** The first error message with quoted values and numbers blanked, to group like failures. */
function messageShape(body: string): string {
  const m = /"message":"((?:[^"\\]|\\.)*)"/.exec(body);
  const text = m ? m[1] : body.slice(0, 60);
  return text
    .replace(/\\"[^"]*\\"|&quot;.*?&quot;/g, '"…"')
    .replace(/\/[^\s"]*/g, '/…')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}

function cut(s: string, n: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > n ? `${flat.slice(0, n)}… (${s.length} chars)` : flat;
}

function example(req: HostileRequest, res: RawResponse, o: Outcome, what: string[]): Example {
  const headers = Object.entries(req.headers)
    .filter(([k]) => !k.startsWith('x-h'))
    .map(([k, v]) => `${k}: ${cut(String(v).replace(/(Bearer \S{12})\S+/g, '$1…'), 80)}`)
    .join('; ');
  const request = req.raw
    ? `RAW ${cut(JSON.stringify(req.raw.toString('latin1')), 300)}`
    : `${req.method} ${cut(req.path, 120)} [${headers}] ${cut(req.body?.toString('utf8') ?? '', 300)}`;
  const response = `${o.status}${res.error ? ` (${res.error})` : ''} ${res.headers['content-type'] ?? ''} ${cut(res.body, 400)}`;
  return { violations: what, index: o.index, kind: o.kind, caller: o.caller, request, response };
}

function table(rows: [string, string | number][], title: string): string {
  const w = Math.max(title.length, ...rows.map(([k]) => k.length));
  return [title, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(7)}`)].join('\n');
}

/** The printed report: counts by status, by code and by category, violations and examples. */
export function formatReport(r: FuzzReport): string {
  const sorted = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]);
  const total = Object.values(r.violations).reduce((a, b) => a + b, 0);
  const out: string[] = [];
  out.push(
    `robustness run: ${r.count} hostile requests, seed ${r.seed}, ${(r.ms / 1000).toFixed(1)} s (${Math.round((r.count / Math.max(r.ms, 1)) * 1000)} req/s)`,
  );
  out.push(table(Object.entries(r.byStatus).sort(), 'by status'));
  out.push(table(sorted(r.byCode), 'by code (each distinct code of a response counted once)'));
  out.push(
    table(
      Object.entries(r.byCategory).map(([c, s]) => [
        c,
        Object.entries(s)
          .sort()
          .map(([k, v]) => `${k}:${v}`)
          .join(' '),
      ]),
      'by category (status:count)',
    ).replace(/ +(\d{3}:)/g, ' $1'),
  );
  const slow = Object.entries(r.timing)
    .sort((a, b) => b[1].max - a[1].max)
    .slice(0, 6);
  out.push(
    table(
      slow.map(([k, t]) => [k, `n=${t.count} p50=${t.p50} ms max=${t.max} ms`]),
      'slowest kinds',
    ),
  );
  out.push(`slowest requests: ${r.slowest.map((x) => `#${x.index} ${x.kind} ${x.status} ${x.ms} ms`).join(', ')}`);
  out.push(
    table(
      Object.entries(r.violations).map(([k, v]) => [`${k} — ${VIOLATIONS[k as Violation]}`, v]),
      `violations: ${total}`,
    ),
  );
  out.push(
    table(
      Object.entries(r.notes).map(([k, v]) => [`${k} — ${NOTES[k as Note]}`, v]),
      'notes (do not fail the run)',
    ),
  );
  if (r.coverage) {
    const c = r.coverage;
    out.push(`invalid values sent for enum and scalar input types: ${c.inListedVariables.length + c.inDocumentsOnly.length} of ${c.inputLeafTypes}`);
    out.push(`  through listed operations' variables (${c.inListedVariables.length}): ${c.inListedVariables.join(' ')}`);
    out.push(`  only in free-form documents, refused in production before parsing (${c.inDocumentsOnly.length}): ${c.inDocumentsOnly.join(' ') || '-'}`);
    if (c.notReached.length) out.push(`  not reached (${c.notReached.length}): ${c.notReached.join(' ')}`);
  }
  if (r.healthyAfter !== undefined) out.push(`listed operation after the run: ${r.healthyAfter ? 'ok' : 'FAILED'}`);
  if (r.examples.length) {
    out.push(`failing examples (${r.examples.length}, distinct by violation, status, codes and message):`);
    for (const e of r.examples) out.push(`  #${e.index} [${e.violations.join(', ')}] ${e.kind} as ${e.caller}\n    → ${e.request}\n    ← ${e.response}`);
  }
  if (r.noteExamples.length) {
    out.push(`examples of notes (${r.noteExamples.length}):`);
    for (const e of r.noteExamples) out.push(`  #${e.index} [${e.violations.join(', ')}] ${e.kind} as ${e.caller}\n    → ${e.request}\n    ← ${e.response}`);
  }
  return out.join('\n');
}
