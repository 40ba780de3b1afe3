import { useContext, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { ChangeHistoryDocument } from '../operations';
import { LangContext, useT } from '../i18n';
import { ErrorNote, Loading, formatDate } from '../ui';

export function History(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const { data, loading, error } = useQuery(ChangeHistoryDocument, { variables: { first: 20 }, fetchPolicy: 'network-only' });
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  return (
    <>
      <h1>{t.history}</h1>
      <ul className="cards">
        {data.me.changeHistory.edges.map(({ node: h }) => (
          <li key={h.id} className="card">
            <h2>
              {formatDate(h.at, lang)} · {h.action}
            </h2>
            <ul>
              {h.changes.map((c) => (
                <li key={c.field}>
                  {c.field}: {c.oldValue ?? '—'} → {c.newValue ?? '—'}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {data.me.changeHistory.totalCount === 0 && <p>{t.none}</p>}
    </>
  );
}
