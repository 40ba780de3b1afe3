import type { ReactNode } from 'react';
import { useContext } from 'react';
import { useQuery } from '@apollo/client/react';
import { op } from '../operations';
import { LangContext, useT } from '../i18n';
import { ErrorNote, Loading, formatDate } from '../ui';

interface Entry {
  id: string;
  at: string;
  action: string;
  resource: string;
  operationName: string | null;
  cabinet: { id: string; name: string } | null;
}
interface AccessLogData {
  me: { id: string; accessLog: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Entry }[] } };
}

export function AccessLog(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const { data, loading, error, fetchMore } = useQuery<AccessLogData>(op('AccessLog'), { variables: { first: 20 }, fetchPolicy: 'network-only' });
  if (loading && !data) return <Loading />;
  if (error || !data) return <ErrorNote error={error ?? { message: '—' }} />;
  const log = data.me.accessLog;
  return (
    <>
      <h1>{t.accessLog}</h1>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t.accessLog}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.at}</th>
              <th scope="col">{t.cabinet}</th>
              <th scope="col">{t.action}</th>
              <th scope="col">{t.operation}</th>
            </tr>
          </thead>
          <tbody>
            {log.edges.map(({ node: e }) => (
              <tr key={e.id}>
                <td>{formatDate(e.at, lang)}</td>
                <td>{e.cabinet?.name ?? '—'}</td>
                <td>
                  {e.action} {e.resource}
                </td>
                <td>{e.operationName ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: log.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) =>
                ({
                  me: {
                    ...fetchMoreResult.me,
                    accessLog: { ...fetchMoreResult.me.accessLog, edges: [...(prev.me?.accessLog.edges ?? []), ...fetchMoreResult.me.accessLog.edges] },
                  },
                }) as AccessLogData,
            })
          }
        >
          {t.more}
        </button>
      )}
    </>
  );
}
