/** Small shared pieces of the screens. */
import type { ReactNode } from 'react';
import { useT } from './i18n';

export interface UserError {
  field: string[] | null;
  code: string;
  message: string;
}

export function Loading(): ReactNode {
  return (
    <p role="status" aria-live="polite">
      {useT().loading}
    </p>
  );
}

export function ErrorNote({ error }: { error: { message: string } }): ReactNode {
  const t = useT();
  return (
    <p role="alert" className="error">
      {t.error}: {error.message}
    </p>
  );
}

/** The message of the user error whose field path ends with `field` (e.g. "number" of ["input","phones","0","number"]). */
export function errorFor(errors: UserError[], ...path: string[]): string | undefined {
  return errors.find((e) => e.field && path.every((p, i) => e.field![e.field!.length - path.length + i] === p))?.message;
}

export function formatDate(value: string | null | undefined, lang: string): string {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime())
    ? value
    : d.toLocaleString(lang === 'uk' ? 'uk-UA' : 'en-GB', { dateStyle: 'medium', ...(value.length > 10 ? { timeStyle: 'short' } : {}) });
}
