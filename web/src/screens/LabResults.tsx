import { useContext, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { MyLabResultsDocument } from '../operations';
import { LangContext, useT } from '../i18n';
import { ErrorNote, Loading, formatDate } from '../ui';

export function LabResults(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const { data, loading, error } = useQuery(MyLabResultsDocument, { variables: { first: 20 }, fetchPolicy: 'cache-and-network' });
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  const page = data.me.diagnosticReports;
  return (
    <>
      <h1>{t.labResults}</h1>
      {page.totalCount === 0 && <p>{t.none}</p>}
      {page.edges.map(({ node: r }) => (
        <section key={r.id} className="card" aria-labelledby={`r-${r.id}`}>
          <h2 id={`r-${r.id}`}>
            {r.code.display} · {formatDate(r.issuedAt, lang)}
          </h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`r-${r.id}`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.test}</th>
                  <th scope="col">{t.value}</th>
                  <th scope="col">{t.reference}</th>
                </tr>
              </thead>
              <tbody>
                {r.observations.map((o) => (
                  <tr key={o.code.code}>
                    <td>{o.code.display}</td>
                    <td>
                      {o.value} {o.unit ?? ''} {o.interpretation && o.interpretation !== 'NORMAL' ? `(${o.interpretation})` : ''}
                    </td>
                    <td>{o.referenceRange ? (o.referenceRange.text ?? `${o.referenceRange.low ?? ''}–${o.referenceRange.high ?? ''}`) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.conclusion && <p>{r.conclusion}</p>}
        </section>
      ))}
    </>
  );
}
