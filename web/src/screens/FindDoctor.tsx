import { useState, type FormEvent, type ReactNode } from 'react';
import { useLazyQuery, useMutation } from '@apollo/client/react';
import { FindDoctorDocument, SubmitDeclarationRequestDocument, type DoctorSearchFilter, type FindDoctorQuery, type Speciality } from '../operations';
import { useT } from '../i18n';
import { ErrorNote, Loading } from '../ui';

type Doctor = FindDoctorQuery['searchDoctors']['edges'][number]['node'];

const PAGE = 10;

export function FindDoctor(): ReactNode {
  const t = useT();
  const [name, setName] = useState('');
  const [speciality, setSpeciality] = useState<Speciality | ''>('');
  const [settlement, setSettlement] = useState('');
  const [accepting, setAccepting] = useState(false);
  const [near, setNear] = useState(false);
  const [radius, setRadius] = useState('5');
  const [point, setPoint] = useState<{ latitude: number; longitude: number }>();
  const [search, { data, loading, error, fetchMore }] = useLazyQuery(FindDoctorDocument);
  const [submit] = useMutation(SubmitDeclarationRequestDocument);
  const [result, setResult] = useState<Record<string, string>>({});

  function filter(): DoctorSearchFilter {
    return {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(speciality ? { speciality } : {}),
      ...(settlement.trim() ? { settlement: settlement.trim() } : {}),
      ...(accepting ? { acceptingNewPatients: true } : {}),
      ...(near && point ? { near: point, radiusKm: Number(radius) || 5 } : {}),
    };
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void search({ variables: { filter: filter(), first: PAGE } });
  }
  function toggleNear(on: boolean) {
    setNear(on);
    if (on && !point && 'geolocation' in navigator) {
      navigator.geolocation.getCurrentPosition((p) => setPoint({ latitude: p.coords.latitude, longitude: p.coords.longitude }));
    }
  }
  async function signUp(doctor: Doctor) {
    const { data: res } = await submit({ variables: { input: { doctorId: doctor.id, divisionId: doctor.divisions[0].id } } });
    const r = res?.submitDeclarationRequest;
    setResult((prev) => ({ ...prev, [doctor.id]: r?.userErrors.length ? r.userErrors.map((u) => u.message).join('; ') : t.requestSent }));
  }
  const page = data?.searchDoctors;
  return (
    <>
      <h1>{t.findDoctor}</h1>
      <form onSubmit={onSubmit} role="search" aria-label={t.findDoctor}>
        <label htmlFor="q-name">{t.name}</label>
        <input id="q-name" value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="q-spec">{t.speciality}</label>
        <select id="q-spec" value={speciality} onChange={(e) => setSpeciality(e.target.value as Speciality | '')}>
          <option value="">{t.any}</option>
          <option value="FAMILY_DOCTOR">{t.FAMILY_DOCTOR}</option>
          <option value="THERAPIST">{t.THERAPIST}</option>
          <option value="PEDIATRICIAN">{t.PEDIATRICIAN}</option>
        </select>
        <label htmlFor="q-settlement">{t.settlement}</label>
        <input id="q-settlement" value={settlement} onChange={(e) => setSettlement(e.target.value)} />
        <div className="check">
          <input id="q-accepting" type="checkbox" checked={accepting} onChange={(e) => setAccepting(e.target.checked)} />
          <label htmlFor="q-accepting">{t.acceptingOnly}</label>
        </div>
        <div className="check">
          <input id="q-near" type="checkbox" checked={near} onChange={(e) => toggleNear(e.target.checked)} />
          <label htmlFor="q-near">{t.nearMe}</label>
        </div>
        {near && (
          <>
            <label htmlFor="q-radius">{t.radius}</label>
            <input id="q-radius" type="number" min="1" max="100" value={radius} onChange={(e) => setRadius(e.target.value)} />
          </>
        )}
        <button type="submit">{t.search}</button>
      </form>
      {loading && <Loading />}
      {error && <ErrorNote error={error} />}
      {page && (
        <section aria-labelledby="results">
          <h2 id="results" aria-live="polite">
            {t.found}: {page.totalCount}
          </h2>
          <ul className="cards">
            {page.edges.map(({ node: d }) => (
              <li key={d.id} className="card">
                <h3>{d.fullName}</h3>
                <p>
                  {t[d.speciality as 'THERAPIST'] ?? d.speciality} · {d.divisions[0]?.name} · {d.acceptingNewPatients ? t.accepting : t.notAccepting}
                </p>
                {result[d.id] ? (
                  <p role="status">{result[d.id]}</p>
                ) : (
                  d.acceptingNewPatients &&
                  d.divisions.length > 0 && (
                    <button type="button" onClick={() => void signUp(d)} aria-label={`${t.signUp}: ${d.fullName}`}>
                      {t.signUp}
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
          {page.pageInfo.hasNextPage && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void fetchMore({
                  variables: { after: page.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    searchDoctors: { ...fetchMoreResult.searchDoctors, edges: [...(prev.searchDoctors?.edges ?? []), ...fetchMoreResult.searchDoctors.edges] },
                  }),
                })
              }
            >
              {t.more}
            </button>
          )}
        </section>
      )}
    </>
  );
}
