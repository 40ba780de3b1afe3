import { Suspense, lazy, useEffect, useState, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { createClient } from './apollo';
import {
  CALLBACK_PATH,
  PERSONAS,
  completeSignIn,
  getToken,
  loadSignInConfig,
  onTokenChange,
  setToken,
  signInAs,
  signInWithProvider,
  type SignInConfig,
} from './auth';
import { LangContext, dictionaries, type Lang, type TextKey } from './i18n';
import { Home } from './screens/Home';
import { Loading } from './ui';

// The first screen (home) is in the entry chunk; the others load when opened.
const PersonalData = lazy(() => import('./screens/PersonalData').then((m) => ({ default: m.PersonalData })));
const History = lazy(() => import('./screens/History').then((m) => ({ default: m.History })));
const Declarations = lazy(() => import('./screens/Declarations').then((m) => ({ default: m.Declarations })));
const FindDoctor = lazy(() => import('./screens/FindDoctor').then((m) => ({ default: m.FindDoctor })));
const Cabinets = lazy(() => import('./screens/Cabinets').then((m) => ({ default: m.Cabinets })));
const Prescriptions = lazy(() => import('./screens/Prescriptions').then((m) => ({ default: m.Prescriptions })));
const LabResults = lazy(() => import('./screens/LabResults').then((m) => ({ default: m.LabResults })));
const Representations = lazy(() => import('./screens/Representations').then((m) => ({ default: m.Representations })));
const AccessLog = lazy(() => import('./screens/AccessLog').then((m) => ({ default: m.AccessLog })));

const ROUTES: { path: string; key: TextKey; screen: ComponentType }[] = [
  { path: '/', key: 'home', screen: Home },
  { path: '/personal', key: 'personal', screen: PersonalData },
  { path: '/history', key: 'history', screen: History },
  { path: '/declarations', key: 'declarations', screen: Declarations },
  { path: '/doctors', key: 'findDoctor', screen: FindDoctor },
  { path: '/prescriptions', key: 'prescriptions', screen: Prescriptions },
  { path: '/lab-results', key: 'labResults', screen: LabResults },
  { path: '/representations', key: 'representations', screen: Representations },
  { path: '/cabinets', key: 'cabinets', screen: Cabinets },
  { path: '/access-log', key: 'accessLog', screen: AccessLog },
];

function usePath(): [string, (p: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return [
    path,
    (p) => {
      window.history.pushState(null, '', p);
      setPath(p);
      window.scrollTo(0, 0);
    },
  ];
}

function SignIn({ lang, config }: { lang: Lang; config: SignInConfig | undefined }): ReactNode {
  const t = dictionaries[lang];
  const [persona, setPersona] = useState<string>(PERSONAS[0]);
  const [error, setError] = useState('');
  const oidc = config?.oidc;
  return (
    <main id="main" className="signin">
      <h1>{t.signInTitle}</h1>
      {!config && <Loading />}
      {oidc && (
        <>
          <p>{t.signInProviderHint}</p>
          <button type="button" onClick={() => signInWithProvider(oidc).catch((err: Error) => setError(err.message))}>
            {t.signInProvider}
          </button>
        </>
      )}
      {config?.devSignIn && (
        <>
          <p>{t.signInHint}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              signInAs(persona).catch((err: Error) => setError(err.message));
            }}
          >
            <label htmlFor="persona">{t.signInAs}</label>
            <select id="persona" value={persona} onChange={(e) => setPersona(e.target.value)}>
              {PERSONAS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            <button type="submit">{t.signInTitle}</button>
          </form>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}

export function App(): ReactNode {
  const [lang, setLang] = useState<Lang>('uk');
  const token = useSyncExternalStore(onTokenChange, getToken);
  const [client, setClient] = useState(createClient);
  const [path, go] = usePath();
  const [config, setConfig] = useState<SignInConfig>();
  const t = dictionaries[lang];
  useEffect(() => {
    let done = false;
    void loadSignInConfig().then((c) => {
      if (done) return;
      setConfig(c);
      // Back from the identity provider: exchange the code for the token, then home.
      if (c.oidc && window.location.pathname === CALLBACK_PATH) {
        completeSignIn(c.oidc).then(
          () => go('/'),
          () => go('/'),
        );
      }
    });
    return () => {
      done = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, at start
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t.appName;
  }, [lang, t.appName]);
  const route = ROUTES.find((r) => r.path === path) ?? ROUTES[0];
  const Screen = route.screen;
  const header = (
    <header>
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <span className="brand">{t.appName}</span>
      <button type="button" className="link" onClick={() => setLang(lang === 'uk' ? 'en' : 'uk')} lang={lang === 'uk' ? 'en' : 'uk'}>
        {t.language}
      </button>
      {token && (
        <button
          type="button"
          className="link"
          onClick={() => {
            setToken(undefined);
            setClient(createClient());
          }}
        >
          {t.signOut}
        </button>
      )}
    </header>
  );
  return (
    <LangContext.Provider value={lang}>
      {header}
      {!token ? (
        <SignIn lang={lang} config={config} />
      ) : (
        <ApolloProvider client={client}>
          <nav aria-label={t.nav}>
            <ul>
              {ROUTES.map((r) => (
                <li key={r.path}>
                  <a
                    href={r.path}
                    aria-current={r.path === route.path ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      go(r.path);
                    }}
                  >
                    {t[r.key]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" tabIndex={-1}>
            <Suspense fallback={<Loading />}>
              <Screen key={route.path} />
            </Suspense>
          </main>
        </ApolloProvider>
      )}
    </LangContext.Provider>
  );
}
