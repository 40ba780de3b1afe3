import { useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { CancelDeclarationRequestDocument, MyDeclarationRequestsDocument, MyDeclarationsDocument, TerminateDeclarationDocument } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading, type UserError } from '../ui';

export function Declarations(): ReactNode {
  const t = useT();
  const decl = useQuery(MyDeclarationsDocument, { fetchPolicy: 'cache-and-network' });
  const reqs = useQuery(MyDeclarationRequestsDocument, { fetchPolicy: 'cache-and-network' });
  const [cancel] = useMutation(CancelDeclarationRequestDocument);
  const [terminate] = useMutation(TerminateDeclarationDocument);
  const [note, setNote] = useState('');
  if ((decl.loading && !decl.data) || (reqs.loading && !reqs.data)) return <Loading />;
  if (decl.error || reqs.error || !decl.data?.me || !reqs.data?.me) return <ErrorNote error={decl.error ?? reqs.error ?? { message: '—' }} />;
  const active = decl.data.me.activeDeclaration;
  const report = (errs: UserError[] | undefined) => setNote(errs?.length ? errs.map((e) => e.message).join('; ') : t.saved);
  return (
    <>
      <h1>{t.declarations}</h1>
      {note && <p role="status">{note}</p>}
      <section aria-labelledby="active" className="card">
        <h2 id="active">{t.activeDeclaration}</h2>
        {active ? (
          <>
            <p>
              № {active.number} · {active.doctor.fullName} · {active.division.name} · {active.startDate}
            </p>
            <button
              type="button"
              className="danger"
              onClick={async () => {
                if (!window.confirm(t.terminate + '?')) return;
                const { data } = await terminate({ variables: { input: { id: active.id } } });
                report(data?.terminateDeclaration.userErrors);
                await decl.refetch();
              }}
            >
              {t.terminate}
            </button>
          </>
        ) : (
          <p>{t.noDeclaration}</p>
        )}
      </section>
      <section aria-labelledby="reqs">
        <h2 id="reqs">{t.requests}</h2>
        <ul>
          {reqs.data.me.declarationRequests.map((r) => (
            <li key={r.id}>
              {r.doctor.fullName} · {r.division.name} · {r.status}{' '}
              {(r.status === 'NEW' || r.status === 'APPROVED') && (
                <button
                  type="button"
                  className="secondary"
                  onClick={async () => {
                    const { data } = await cancel({ variables: { input: { id: r.id } } });
                    report(data?.cancelDeclarationRequest.userErrors);
                    await reqs.refetch();
                  }}
                >
                  {t.cancelRequest}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="prev">
        <h2 id="prev">{t.previous}</h2>
        <ul>
          {decl.data.me.declarations
            .filter((d) => d.id !== active?.id)
            .map((d) => (
              <li key={d.id}>
                № {d.number} · {d.doctor.fullName} · {d.status} · {d.startDate} – {d.endDate ?? ''}
              </li>
            ))}
        </ul>
      </section>
    </>
  );
}
