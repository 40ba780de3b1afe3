import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { AccessGrantsDocument, RevokeAccessGrantDocument } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading } from '../ui';

export function Cabinets(): ReactNode {
  const t = useT();
  const { data, loading, error } = useQuery(AccessGrantsDocument);
  const [revoke] = useMutation(RevokeAccessGrantDocument);
  const [note, setNote] = useState('');
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  return (
    <>
      <h1>{t.cabinets}</h1>
      <p>{t.grants}</p>
      {note && <p role="status">{note}</p>}
      <ul className="cards">
        {data.me.accessGrants.map((g) => (
          <li key={g.id} className="card">
            <h2>{g.cabinet.name}</h2>
            <p>
              {t.status}: <strong>{g.status}</strong>
            </p>
            <p>
              {t.scopes}: {g.scopes.join(', ')}
            </p>
            {g.status === 'ACTIVE' && g.cabinet.kind !== 'STATE' && (
              <button
                type="button"
                className="danger"
                aria-label={`${t.revoke}: ${g.cabinet.name}`}
                onClick={async () => {
                  const { data: r } = await revoke({ variables: { input: { id: g.id } } });
                  const errs = r?.revokeAccessGrant.userErrors ?? [];
                  setNote(errs.length ? errs.map((e) => e.message).join('; ') : `${t.revoked}: ${g.cabinet.name}`);
                }}
              >
                {t.revoke}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
