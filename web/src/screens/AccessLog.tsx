import type { ReactNode } from 'react';
import { useContext } from 'react';
import { useQuery } from '@apollo/client/react';
import { AccessLogDocument } from '../operations';
import { LangContext, useT } from '../i18n';
import { ErrorNote, Loading, formatDate } from '../ui';

export function AccessLog(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const { data, loading, error, fetchMore } = useQuery(AccessLogDocument, { variables: { first: 20 }, fetchPolicy: 'network-only' });
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
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
                prev.me && fetchMoreResult.me
                  ? {
                      me: {
                        ...fetchMoreResult.me,
                        accessLog: { ...fetchMoreResult.me.accessLog, edges: [...prev.me.accessLog.edges, ...fetchMoreResult.me.accessLog.edges] },
                      },
                    }
                  : fetchMoreResult,
            })
          }
        >
          {t.more}
        </button>
      )}
    </>
  );
}
