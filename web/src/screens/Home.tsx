import type { ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { CabinetHomeDocument } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading } from '../ui';

export function Home(): ReactNode {
  const t = useT();
  const { data, loading, error } = useQuery(CabinetHomeDocument);
  if (loading) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  const me = data.me;
  return (
    <>
      <h1>
        {me.lastName} {me.firstName} {me.secondName ?? ''}
      </h1>
      <p>
        {t.birthDate}: {me.birthDate}
      </p>
      <section aria-labelledby="caps">
        <h2 id="caps">{t.capabilities}</h2>
        <ul>
          <li>
            {t.canEdit}: {me.capabilities.canEditPersonalData ? t.yes : t.no}
          </li>
          <li>
            {t.canSubmit}: {me.capabilities.canSubmitDeclaration ? t.yes : t.no}
          </li>
        </ul>
      </section>
      <section aria-labelledby="decl" className="card">
        <h2 id="decl">{t.activeDeclaration}</h2>
        {me.activeDeclaration ? (
          <p>
            № {me.activeDeclaration.number} · {t.doctor}: {me.activeDeclaration.doctor.fullName} (
            {t[me.activeDeclaration.doctor.speciality as 'THERAPIST'] ?? me.activeDeclaration.doctor.speciality}) · {me.activeDeclaration.division.name}
          </p>
        ) : (
          <p>{t.noDeclaration}</p>
        )}
      </section>
      <section aria-labelledby="cabs">
        <h2 id="cabs">{t.cabinets}</h2>
        <ul>
          {me.accessGrants
            .filter((g) => g.status === 'ACTIVE')
            .map((g) => (
              <li key={g.id}>{g.cabinet.name}</li>
            ))}
        </ul>
      </section>
    </>
  );
}
