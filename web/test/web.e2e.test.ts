/**
 * The state cabinet's web app in a real browser (Chromium at CHROMIUM_PATH, default
 * /usr/bin/chromium, driven by playwright-core) against the whole system in production mode: token
 * checks through a JWKS, every caller held to its persisted list (so every screen works with the
 * state cabinet's list alone). The test's own web server signs the persona in with the test
 * issuer, standing in for the identity provider. Each screen gets an axe-core check (no serious or
 * critical violations) and a screenshot in web/test-results/.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_CABINETS, DEMO_PERSONAS, type DemoPersona } from '@pc/demo';
import { startSystem, type RunningSystem } from '@pc/e2e';
import { startWebServer, type RunningWebServer } from '../../shared/runner/src/webServer';

const webDir = join(__dirname, '..');
const shots = join(webDir, 'test-results');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let sys: RunningSystem;
let web: RunningWebServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(webDir, 'dist', 'index.html')))
    execFileSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  mkdirSync(shots, { recursive: true });
  sys = await startSystem({ production: true });
  web = await startWebServer(
    {
      distDir: join(webDir, 'dist'),
      gatewayUrl: sys.gatewayUrl,
      devToken: async (persona) => (Object.hasOwn(DEMO_PERSONAS, persona) ? sys.token(persona as DemoPersona) : undefined),
    },
    0,
  );
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'uk-UA', deviceScaleFactor: 1 });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await sys?.stop();
});

/** Axe on the current screen: no serious or critical violation (WCAG 2 A/AA rules). */
async function expectAccessible(screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
  await page.screenshot({ path: join(shots, `${screen}.png`), fullPage: true });
}

async function open(linkText: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: linkText, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

describe('the state cabinet in a browser (production system)', () => {
  it('signs in as the demo patient and shows home: name, capabilities, active declaration, cabinets', async () => {
    await page.goto(web.url);
    await expectAccessible('sign-in');
    await page.getByLabel('Увійти як').selectOption('patient');
    await page.getByRole('button', { name: 'Вхід' }).click();
    await page.getByRole('heading', { name: 'Активна декларація' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/\S+ \S+/);
    expect(await page.getByText('№').first().textContent()).toContain('Лікар');
    expect(await page.getByRole('main').textContent()).toContain(DEMO_CABINETS.zdorovia.name);
    await expectAccessible('home');
  });

  it('edits the phone: a bad number is refused on its field, a good one is saved', async () => {
    await open('Мої дані', 'Мої дані');
    await page.getByRole('button', { name: 'Змінити' }).click();
    const phone = page.getByLabel('Телефон');
    await phone.fill('12345');
    await page.getByRole('button', { name: 'Зберегти' }).click();
    await page.locator('#phone-error').waitFor();
    expect(await page.locator('#phone-error').textContent()).toContain('+38');
    expect(await phone.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible('personal-data-error');
    await phone.fill('+380501112233');
    await page.getByRole('button', { name: 'Зберегти' }).click();
    await page.getByRole('status').filter({ hasText: 'Збережено' }).waitFor();
    expect(await page.getByTestId('phones').textContent()).toContain('+380501112233');
    await expectAccessible('personal-data');
  });

  it('a change made elsewhere meanwhile is a VERSION_CONFLICT: the form says so, reloads, and the second save goes through', async () => {
    await page.getByRole('button', { name: 'Змінити' }).click();
    await page.getByLabel('Телефон').fill('+380509998877');
    // Another device changes the e-mail while the form is open.
    const other = await sys.token('patient');
    const current = await sys.persisted<{ me: { version: number } }>('state', 'PersonalData', {}, other);
    const elsewhere = await sys.persisted<{ updateContacts: { userErrors: unknown[] } }>(
      'state',
      'UpdateContacts',
      { input: { expectedVersion: current.data!.me.version, email: 'elsewhere@example.com' } },
      other,
    );
    expect(elsewhere.data?.updateContacts.userErrors).toEqual([]);
    await page.getByRole('button', { name: 'Зберегти' }).click();
    await page.getByRole('alert').filter({ hasText: 'Дані змінилися в іншому місці' }).waitFor();
    await page.getByRole('button', { name: 'Зберегти' }).click();
    await page.getByRole('status').filter({ hasText: 'Збережено' }).waitFor();
    expect(await page.getByTestId('phones').textContent()).toContain('+380509998877');
    // The e-mail changed elsewhere is kept: the reload refreshed the field the person had not touched.
    expect(await page.getByTestId('email').textContent()).toBe('elsewhere@example.com');
  });

  it('shows the change history with the phone change', async () => {
    await open('Історія змін', 'Історія змін');
    await page.getByText('+380509998877').first().waitFor();
    await expectAccessible('history');
  });

  it('finds a doctor and submits a declaration request', async () => {
    await open('Знайти лікаря', 'Знайти лікаря');
    await page.getByLabel('Спеціальність').selectOption('FAMILY_DOCTOR');
    await page.getByLabel('Лише ті, хто приймає нових пацієнтів').check();
    await page.getByRole('button', { name: 'Шукати' }).click();
    await page.getByRole('heading', { name: /Знайдено: \d+/ }).waitFor();
    await expectAccessible('find-doctor');
    await page
      .getByRole('button', { name: /^Записатися:/ })
      .first()
      .click();
    const status = page.locator('.card [role=status]').first();
    await status.waitFor();
    expect(await status.textContent()).toBe('Запит на декларацію надіслано');
  });

  it('shows declarations: the active one, the pending request, which the patient cancels', async () => {
    await open('Мій лікар', 'Мій лікар');
    await page.getByRole('heading', { name: 'Запити на декларацію' }).waitFor();
    await expectAccessible('declarations');
    const requests = page.locator('section[aria-labelledby=reqs] li');
    const pending = requests.filter({ has: page.getByRole('button', { name: 'Скасувати запит' }) });
    const before = await pending.count();
    expect(before).toBeGreaterThan(0);
    await pending.first().getByRole('button', { name: 'Скасувати запит' }).click();
    await page.getByRole('status').filter({ hasText: 'Збережено' }).waitFor();
    await requests.filter({ hasText: 'CANCELLED' }).first().waitFor();
    expect(await pending.count()).toBe(before - 1);
  });

  it("shows the patient's prescriptions and lab results", async () => {
    await open('Рецепти', 'Рецепти');
    await page.locator('main .card').first().waitFor();
    await expectAccessible('prescriptions');
    await open('Аналізи', 'Аналізи');
    await page.locator('main table').first().waitFor();
    await expectAccessible('lab-results');
  });

  it('revokes a partner cabinet, whose token is refused from then on', async () => {
    const partner = await sys.token({ clientId: DEMO_CABINETS.zdorovia.id }, { consent: false });
    const before = await sys.persisted('zdorovia', 'PartnerProfile', {}, partner);
    expect(before.errors).toBeUndefined();
    await open('Мої кабінети', 'Мої кабінети');
    await expectAccessible('cabinets');
    await page.getByRole('button', { name: `Відкликати: ${DEMO_CABINETS.zdorovia.name}` }).click();
    await page.getByRole('status').filter({ hasText: 'Доступ відкликано' }).waitFor();
    const after = await sys.persisted('zdorovia', 'PartnerProfile', {}, partner);
    expect(after.data ?? null).toBeNull();
    expect(after.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it("reads the access log, with the partner cabinet's read", async () => {
    await open('Журнал доступу', 'Журнал доступу');
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').textContent()).toContain(DEMO_CABINETS.zdorovia.name);
    await expectAccessible('access-log');
  });

  it('speaks English too', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Access log' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Українська' }).click();
  });

  it('sends persisted ids only, never an operation text', async () => {
    const bodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) bodies.push(r.postData() ?? '');
    });
    await open('Історія змін', 'Історія змін');
    await open('Головна', /\S/);
    await page.getByRole('heading', { name: 'Активна декларація' }).waitFor();
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(JSON.parse(b)).not.toHaveProperty('query');
  });
});

describe('representatives', () => {
  it("a parent signs in, opens their child's record and sees what they may do for the child", async () => {
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'uk-UA' });
    const main = page;
    try {
      page = await context.newPage();
      await page.goto(web.url);
      await page.getByLabel('Увійти як').selectOption('parent');
      await page.getByRole('button', { name: 'Вхід' }).click();
      await page.getByRole('heading', { name: 'Активна декларація' }).waitFor();
      await open('Мої діти та підопічні', 'Мої діти та підопічні');
      await page
        .getByRole('button', { name: /^Відкрити кабінет/ })
        .first()
        .click();
      const child = page.locator('#represented');
      await child.waitFor();
      expect((await child.textContent())?.trim().length).toBeGreaterThan(3);
      await page.getByText('Може подати декларацію').waitFor();
      await expectAccessible('representations');
    } finally {
      page = main;
      await context.close();
    }
  });
});

/**
 * A stand-in identity provider for the production sign-in: discovery, an authorization endpoint
 * that approves at once, and a token endpoint that checks the PKCE verifier against the challenge
 * (S256) before it hands out a token of the system's (JWKS) issuer.
 */
async function startIdentityProvider(issueToken: () => Promise<string>) {
  const seen: { authorize?: URLSearchParams; token?: URLSearchParams } = {};
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    if (url.pathname === '/.well-known/openid-configuration') {
      return void res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(
        JSON.stringify({
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          jwks_uri: `${base}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
        }),
      );
    }
    if (url.pathname === '/authorize') {
      seen.authorize = url.searchParams;
      const code = `code-${codes.size + 1}`;
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return void res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        seen.token = form;
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge || form.get('redirect_uri') !== grant.redirectUri) {
          return void res.writeHead(400, { 'content-type': 'application/json', ...cors }).end(JSON.stringify({ error: 'invalid_grant' }));
        }
        const token = await issueToken();
        res
          .writeHead(200, { 'content-type': 'application/json', ...cors })
          .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
      });
      return;
    }
    res.writeHead(404, cors).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('production sign-in: OpenID Connect code + PKCE, no development endpoint', () => {
  it('signs in through the identity provider and shows home; the token is in no storage', async () => {
    const idp = await startIdentityProvider(() => sys.token('patient'));
    const prodWeb = await startWebServer(
      { distDir: join(webDir, 'dist'), gatewayUrl: sys.gatewayUrl, signIn: { authority: idp.url, clientId: DEMO_CABINETS.state.id } },
      0,
    );
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'uk-UA' });
    try {
      expect((await fetch(new URL('/dev/token?persona=patient', prodWeb.url))).status).toBe(404);
      const p = await context.newPage();
      await p.goto(prodWeb.url);
      expect(await p.getByLabel('Увійти як').count()).toBe(0);
      await p.getByRole('button', { name: 'Увійти через ідентифікаційного провайдера' }).click();
      await p.getByRole('heading', { name: 'Активна декларація' }).waitFor();
      expect(idp.seen.authorize?.get('code_challenge_method')).toBe('S256');
      expect(idp.seen.authorize?.get('response_type')).toBe('code');
      expect(idp.seen.authorize?.get('client_id')).toBe(DEMO_CABINETS.state.id);
      expect(idp.seen.token?.get('code_verifier')).toBeTruthy();
      expect(new URL(p.url()).pathname).toBe('/');
      const stored = await p.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
      expect(stored).not.toContain('eyJ');
    } finally {
      await context.close();
      await prodWeb.close();
      await idp.close();
    }
  });
});
