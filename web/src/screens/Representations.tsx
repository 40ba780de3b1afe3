import { useState, type ReactNode } from 'react';
import { useQuery } from '@apollo/client/react';
import { MyRepresentationsDocument, RepresentedPersonDocument } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading } from '../ui';

/** The person a representative opened: their data, what the representative may do, their doctor. */
function Represented({ id }: { id: string }): ReactNode {
  const t = useT();
  const { data, loading, error } = useQuery(RepresentedPersonDocument, { variables: { id } });
  if (loading && !data) return <Loading />;
  if (error || !data?.person) return <ErrorNote error={error ?? { message: '—' }} />;
  const p = data.person;
  return (
    <section aria-labelledby="represented" className="card">
      <h2 id="represented">
        {p.lastName} {p.firstName} {p.secondName ?? ''}
      </h2>
      <p>
        {t.birthDate}: {p.birthDate}
      </p>
      <ul>
        <li>
          {t.canEdit}: {p.capabilities.canEditPersonalData ? t.yes : t.no}
        </li>
        <li>
          {t.canSubmit}: {p.capabilities.canSubmitDeclaration ? t.yes : t.no}
        </li>
      </ul>
      <p>{p.activeDeclaration ? `${t.doctor}: ${p.activeDeclaration.doctor.fullName}` : t.noDeclaration}</p>
    </section>
  );
}

export function Representations(): ReactNode {
  const t = useT();
  const { data, loading, error } = useQuery(MyRepresentationsDocument);
  const [open, setOpen] = useState<string>();
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  const list = data.me.representations;
  return (
    <>
      <h1>{t.representations}</h1>
      {list.length === 0 && <p>{t.none}</p>}
      <ul className="cards">
        {list.map((r) => (
          <li key={r.person.id} className="card">
            <p>
              {r.person.lastName} {r.person.firstName} · {r.person.birthDate} · {r.relationType}
            </p>
            <button type="button" className="secondary" aria-pressed={open === r.person.id} onClick={() => setOpen(r.person.id)}>
              {t.actFor}: {r.person.firstName}
            </button>
          </li>
        ))}
      </ul>
      {open && <Represented id={open} />}
    </>
  );
}
