import { useContext, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { MyPrescriptionsDocument } from '../operations';
import { LangContext, useT } from '../i18n';
import { ErrorNote, Loading, formatDate } from '../ui';

export function Prescriptions(): ReactNode {
  const t = useT();
  const lang = useContext(LangContext);
  const { data, loading, error } = useQuery(MyPrescriptionsDocument, { variables: { first: 20 }, fetchPolicy: 'cache-and-network' });
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  const page = data.me.prescriptions;
  return (
    <>
      <h1>{t.prescriptions}</h1>
      {page.totalCount === 0 && <p>{t.none}</p>}
      <ul className="cards">
        {page.edges.map(({ node: p }) => (
          <li key={p.id} className="card">
            <h2>
              {p.medication.inn} {p.medication.strength}
            </h2>
            <p>
              № {p.number} · {t.status}: <strong>{p.status}</strong>
            </p>
            <p>
              {t.validTo}: {formatDate(p.validTo, lang)} · {t.doctor}: {p.prescriber.fullName}
            </p>
            <p>{p.dosageInstruction}</p>
            {p.verificationCode && (
              <p>
                {t.verificationCode}: <strong>{p.verificationCode}</strong>
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
