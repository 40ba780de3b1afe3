import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { PersonalDataDocument, UpdateContactsDocument, type PersonalDataQuery } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading, errorFor, type UserError } from '../ui';

function ContactsForm({ me, onDone }: { me: NonNullable<PersonalDataQuery['me']>; onDone: () => void }): ReactNode {
  const t = useT();
  const [phone, setPhone] = useState(me.phones[0]?.number ?? '');
  const [email, setEmail] = useState(me.email ?? '');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [conflict, setConflict] = useState(false);
  // What the form was opened with: after a VERSION_CONFLICT reload, a field the person did not
  // touch takes the new version's value, a field they edited keeps their edit.
  const [base, setBase] = useState({ version: me.version, phone: me.phones[0]?.number ?? '', email: me.email ?? '' });
  if (base.version !== me.version) {
    const fresh = { version: me.version, phone: me.phones[0]?.number ?? '', email: me.email ?? '' };
    if (phone === base.phone) setPhone(fresh.phone);
    if (email === base.email) setEmail(fresh.email);
    setBase(fresh);
  }
  const [update, { loading }] = useMutation(UpdateContactsDocument);
  const { refetch } = useQuery(PersonalDataDocument);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setConflict(false);
    const phones = [{ type: me.phones[0]?.type ?? 'MOBILE', number: phone.trim() }, ...me.phones.slice(1).map(({ type, number }) => ({ type, number }))];
    const { data } = await update({ variables: { input: { expectedVersion: me.version, phones, email: email.trim() || null } } });
    const userErrors = data?.updateContacts.userErrors ?? [];
    if (userErrors.some((u) => u.code === 'VERSION_CONFLICT')) {
      setConflict(true);
      await refetch();
      return;
    }
    setErrors(userErrors);
    if (userErrors.length === 0) onDone();
  }
  const phoneError = errorFor(errors, 'number') ?? errorFor(errors, 'phones');
  const emailError = errorFor(errors, 'email');
  const other = errors.filter((e) => e.message !== phoneError && e.message !== emailError);
  return (
    <form onSubmit={submit} noValidate aria-label={t.contacts}>
      {conflict && <p role="alert">{t.versionConflict}</p>}
      <label htmlFor="phone">{t.phone}</label>
      <input
        id="phone"
        name="phone"
        type="tel"
        autoComplete="tel"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        aria-invalid={Boolean(phoneError)}
        aria-describedby={phoneError ? 'phone-error' : undefined}
      />
      {phoneError && (
        <p id="phone-error" className="error" role="alert">
          {phoneError}
        </p>
      )}
      <label htmlFor="email">{t.email}</label>
      <input
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        aria-invalid={Boolean(emailError)}
        aria-describedby={emailError ? 'email-error' : undefined}
      />
      {emailError && (
        <p id="email-error" className="error" role="alert">
          {emailError}
        </p>
      )}
      {other.map((e) => (
        <p key={e.code + e.message} className="error" role="alert">
          {e.message}
        </p>
      ))}
      <div className="row">
        <button type="submit" disabled={loading}>
          {t.save}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

export function PersonalData(): ReactNode {
  const t = useT();
  const { data, loading, error } = useQuery(PersonalDataDocument);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  if (loading && !data) return <Loading />;
  if (error || !data?.me) return <ErrorNote error={error ?? { message: '—' }} />;
  const me = data.me;
  return (
    <>
      <h1>{t.personal}</h1>
      <p>
        {me.lastName} {me.firstName} {me.secondName ?? ''} · {t.birthDate}: {me.birthDate}
      </p>
      <section aria-labelledby="contacts" className="card">
        <h2 id="contacts">{t.contacts}</h2>
        {saved && <p role="status">{t.saved}</p>}
        {editing ? (
          <ContactsForm
            me={me}
            onDone={() => {
              setEditing(false);
              setSaved(true);
            }}
          />
        ) : (
          <>
            <dl>
              <dt>{t.phone}</dt>
              <dd data-testid="phones">{me.phones.map((p) => p.number).join(', ') || '—'}</dd>
              <dt>{t.email}</dt>
              <dd data-testid="email">{me.email ?? '—'}</dd>
            </dl>
            {me.capabilities.canEditPersonalData && (
              <button type="button" onClick={() => (setEditing(true), setSaved(false))}>
                {t.edit}
              </button>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="docs">
        <h2 id="docs">{t.documents}</h2>
        <ul>
          {me.documents.map((d) => (
            <li key={d.type + d.number}>
              {d.type} {d.number}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="addr">
        <h2 id="addr">{t.addresses}</h2>
        <ul>
          {me.addresses.map((a) => (
            <li key={a.type}>
              {a.settlement}, {[a.street, a.building, a.apartment].filter(Boolean).join(' ')}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="emerg">
        <h2 id="emerg">{t.emergencyContact}</h2>
        <p>
          {me.emergencyContact
            ? `${me.emergencyContact.lastName} ${me.emergencyContact.firstName}, ${me.emergencyContact.phones.map((p) => p.number).join(', ')}`
            : t.none}
        </p>
      </section>
    </>
  );
}
