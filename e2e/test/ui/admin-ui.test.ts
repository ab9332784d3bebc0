/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CHROMIUM_PATH,
  freePort,
  needs,
  type StartedProcess,
  startProcess,
  stopAll,
  waitFor,
} from '@warden/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');
const ADMIN = join(REPO, 'apps/admin');
const ARTIFACTS = join(REPO, 'e2e/artifacts/ui');
const MASTER_KEY = 'sk-ui-e2e-master-0000000000000000000000';
const RUN = Math.random().toString(36).slice(2, 7);
const TEAM = `Payments ${RUN}`;
const ALIAS = `payments-worker-${RUN}`;
const POLICY = `cap-tokens-${RUN}`;

const VIEWPORTS = {
  desktop: { width: 1400, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

const CONFIG = `model_list:
  - model_name: gpt-4o-mini
    litellm_params: { model: mock/gpt-4o-mini }
general_settings:
  service_account_settings: { enforced_params: ["user"] }
`;

const browserGate = needs('browser', 'admin UI in a real browser');

describe.skipIf(!browserGate.ok)('admin UI (chromium)', () => {
  let gateway: StartedProcess;
  let base = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rawKey = '';
  let keyHash = '';
  let teamId = '';
  let policyPath = '';
  let dropDatabase: (() => Promise<void>) | null = null;

  const api = (path: string, body?: unknown, key: string | null = MASTER_KEY) =>
    fetch(base + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** A link of the main navigation (page links such as "All keys" share words with it). */
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  /** Screenshot of the current page, saved as an artifact (e2e/artifacts is gitignored). */
  const shot = async (name: string, viewport: keyof typeof VIEWPORTS = 'desktop') => {
    // A focused field may have scrolled the page; full-page shots read best from the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport}.png`), fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Failure pictures belong to the run that made them.
    for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('FAILED-')) rmSync(join(ARTIFACTS, f));
    // `pnpm test` builds the UI first (turbo); a direct vitest run may not have.
    if (!existsSync(join(ADMIN, 'dist/index.html'))) {
      execFileSync(
        process.execPath,
        [join(ADMIN, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
        {
          cwd: ADMIN,
          stdio: 'inherit',
        },
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'warden-ui-e2e-'));
    writeFileSync(join(dir, 'config.yaml'), CONFIG);
    const env: Record<string, string | undefined> = {
      WARDEN_MASTER_KEY: MASTER_KEY,
      WARDEN_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
      LOG_LEVEL: 'warn',
    };
    if (process.env.DATABASE_URL?.startsWith('postgres')) {
      // A database of our own, so other suites' rows (and ours) never meet.
      const { createTempDatabase } = await import('../support/pg.ts');
      const db = await createTempDatabase(process.env.DATABASE_URL);
      env.DATABASE_URL = db.url;
      dropDatabase = db.drop;
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    gateway = await startProcess({
      cmd: process.execPath,
      args: [
        '--import',
        'tsx',
        join(REPO, 'apps/gateway/src/cli/main.ts'),
        'start',
        '--config',
        join(dir, 'config.yaml'),
        '--port',
        String(port),
      ],
      cwd: REPO,
      env,
      readyUrl: `${base}/health/readiness`,
      timeoutMs: 60_000,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  // A failing step leaves a picture of what the browser showed, beside the other artifacts.
  beforeEach((ctx) => {
    onTestFailed(async () => {
      const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await page?.screenshot({ path: join(ARTIFACTS, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    if (gateway && !gateway.hasExited) await gateway.stop();
    await stopAll();
    await dropDatabase?.().catch(() => {});
  });

  it('refuses a wrong key with a clear message, then signs in with the master key', async () => {
    await page.goto(`${base}/ui/`);
    await page.getByLabel('Admin key').fill('sk-not-a-real-key-000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key was not accepted. Check it and try again.').waitFor();
    await shot('sign-in');
    expect(page.url()).not.toContain('sk-');

    await page.getByLabel('Admin key').fill(MASTER_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Keys' }).waitFor();
    // Kept for the tab only, and never in the URL.
    expect(await page.evaluate(() => sessionStorage.getItem('warden.admin-key'))).toBe(MASTER_KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(page.url()).not.toContain(MASTER_KEY);
    await page.getByText('No keys yet').waitFor();
    await shot('keys-empty');
  });

  it('creates a team', async () => {
    await nav('Teams').click();
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByLabel('Team name').fill(TEAM);
    await page.getByLabel('Budget (USD)').fill('100');
    await page
      .getByRole('form', { name: 'Create team' })
      .getByRole('button', { name: 'Create team' })
      .click();
    await page.getByRole('heading', { name: TEAM }).waitFor();
    teamId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(teamId).not.toBe('');
    await page.getByText('No service accounts').waitFor();
  });

  it('creates a service-account key for the team and shows the raw key once', async () => {
    await page.getByRole('link', { name: 'New service account' }).click();
    await page.getByRole('heading', { name: 'Create key' }).waitFor();
    // The link preselected the owner and the team.
    expect(await page.getByRole('radio', { name: /^Service account/ }).isChecked()).toBe(true);
    expect(await page.getByLabel('Team', { exact: true }).inputValue()).toBe(teamId);

    // Client-side validation: broken metadata JSON is pointed at before anything is sent.
    await page.getByLabel('Metadata (JSON)').fill('{"project": }');
    await page.getByText(/Invalid JSON at line 1, column 13/).waitFor();
    await page.getByLabel('Metadata (JSON)').fill('{"project": "payments"}');

    await page.getByLabel('Alias').fill(ALIAS);
    await page.getByRole('checkbox', { name: 'gpt-4o-mini' }).check();
    await page.getByLabel('Budget (USD)').fill('25');
    await page.getByLabel('Requests per minute').fill('600');
    await shot('key-create');
    await page.getByRole('button', { name: 'Create key' }).click();

    const secret = page.getByTestId('raw-key');
    await secret.waitFor();
    rawKey = (await secret.textContent())?.trim() ?? '';
    expect(rawKey).toMatch(/^sk-[A-Za-z0-9_-]{32,}$/);
    await page.getByText('It will not be shown again').waitFor();
    expect(page.url()).not.toContain(rawKey);
    await shot('key-created');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('heading', { name: ALIAS }).waitFor();
    keyHash = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
    // Gone for good: the detail page shows only the short name.
    expect(await page.content()).not.toContain(rawKey);
    await shot('key-detail');
  });

  it('lists the key with its owner, team, model, budget and status, and finds it by part of the alias', async () => {
    await nav('Keys').click();
    const row = page.getByRole('row').filter({ hasText: ALIAS });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('Service account');
    expect(text).toContain(TEAM);
    expect(text).toContain('gpt-4o-mini');
    expect(text).toContain('$25.00');
    expect(text).toContain('600 rpm');
    expect(text).toContain('Active');
    await shot('keys');

    await page.getByLabel('Search alias').fill(`worker-${RUN}`);
    await page.waitForURL(/q=worker/);
    await row.waitFor();
    await page.getByLabel('Search alias').fill('no-such-alias-xyz');
    await page.getByText('No key matches these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Owner type').selectOption('service_account');
    await row.waitFor();
    await page.getByLabel('Owner type').selectOption('user');
    await page.getByText('No key matches these filters').waitFor();
    await page.getByLabel('Owner type').selectOption('');
    await row.waitFor();
  });

  it('the gateway refuses that key without `user` with the service-account 400, and serves it with one', async () => {
    const chat = (extra: Record<string, unknown>) =>
      api(
        '/v1/chat/completions',
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra },
        rawKey,
      );
    const refused = await chat({});
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        message:
          'BadRequest please pass param=user in request body. This is a required param for service account',
        type: 'bad_request_error',
        param: 'user',
        code: '400',
      },
    });
    const ok = await chat({ user: 'customer-42' });
    expect(ok.status).toBe(200);
  });

  it('blocks the key in the UI and the gateway refuses it', async () => {
    await page.getByRole('link', { name: ALIAS }).click();
    await page.getByRole('heading', { name: ALIAS }).waitFor();
    await page.getByRole('button', { name: 'Block', exact: true }).click();
    await page.getByRole('button', { name: 'Unblock' }).waitFor();
    await page.locator('.summary').getByText('Blocked').waitFor();
    await shot('key-blocked');
    // SPEC 4: a block takes effect within one second.
    await waitFor(
      async () => {
        const res = await api(
          '/v1/chat/completions',
          { model: 'gpt-4o-mini', user: 'u', messages: [{ role: 'user', content: 'hi' }] },
          rawKey,
        );
        return res.status === 401;
      },
      { timeoutMs: 3000, intervalMs: 100, message: 'blocked key refused' },
    );
    const res = await api(
      '/v1/chat/completions',
      { model: 'gpt-4o-mini', user: 'u', messages: [{ role: 'user', content: 'hi' }] },
      rawKey,
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^Authentication Error, /,
    );

    await page.getByRole('link', { name: 'All keys' }).click();
    await page.getByRole('row').filter({ hasText: ALIAS }).getByText('Blocked').waitFor();
  });

  it('creates a policy, shows the API refusing an invalid one inline, and tries it', async () => {
    await nav('Policies').click();
    await page.getByText('No policies yet').waitFor();
    await shot('policies-empty');
    await page.getByRole('link', { name: 'Create policy' }).first().click();
    const editor = page.getByLabel('Policy document (JSON)');

    // Client check while typing.
    await editor.fill('{"name": "x", "rules": []}');
    await page.getByText('rules must be a non-empty list').waitFor();
    // A document only the server can refuse (operator outside the allow-list): its message shows inline.
    await editor.fill(
      JSON.stringify({
        name: POLICY,
        rules: [{ id: 'evil', require: { log: [{ var: 'request.model' }] }, message: 'no' }],
      }),
    );
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByText('The gateway refused this policy:').waitFor();
    await shot('policy-invalid');

    await editor.fill(
      JSON.stringify(
        {
          name: POLICY,
          key_types: ['service_account'],
          rules: [
            {
              id: 'max-tokens',
              when: { '!!': [{ var: 'request.max_tokens' }] },
              require: { '<=': [{ var: 'request.max_tokens' }, 256] },
              message: 'max_tokens must be at most 256',
              param: 'max_tokens',
            },
            { id: 'default-temperature', set: { path: 'request.temperature', value: 0.2, if_missing: true } },
          ],
        },
        null,
        2,
      ),
    );
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { name: POLICY }).waitFor();
    policyPath = new URL(page.url()).pathname;
    expect(policyPath).toMatch(/^\/ui\/policies\/.+/);

    // Try it: a service-account request over the cap is refused by our rule.
    await page.getByLabel('As key type').selectOption('service_account');
    const sample = page.getByLabel('Sample request (JSON)');
    await sample.fill(
      JSON.stringify({
        model: 'gpt-4o-mini',
        user: 'u1',
        max_tokens: 512,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    await page.getByRole('button', { name: 'Run test' }).click();
    const result = page.getByTestId('policy-test-result');
    await result.getByText('✕ Refused').waitFor();
    await result.getByText('max_tokens must be at most 256').first().waitFor();
    expect(await result.locator('.outcome-failed').innerText()).toContain('max-tokens');
    await shot('policy-try-refused');

    // Under the cap: allowed, and the request after mutations carries the default temperature.
    await sample.fill(
      JSON.stringify({
        model: 'gpt-4o-mini',
        user: 'u1',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );
    await page.getByRole('button', { name: 'Run test' }).click();
    await result.getByText('✓ Allowed').waitFor();
    expect(await result.locator('.outcome-passed').innerText()).toContain('max-tokens');
    const after = JSON.parse(await result.locator('pre').innerText()) as Record<string, unknown>;
    expect(after.temperature).toBe(0.2);
    await result.getByText('temperature', { exact: false }).first().waitFor();
    await shot('policy-try-allowed');

    await page.getByRole('link', { name: 'All policies' }).click();
    await page.getByRole('link', { name: POLICY }).waitFor();
    await shot('policies');
  });

  it('shows spend, users, team and audit pages', async () => {
    await nav('Spend').click();
    await page.getByRole('heading', { name: 'Spend over time' }).waitFor();
    // The allowed chat call above is written in a batch; wait for it to show in the log.
    await waitFor(
      async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Request log' }).waitFor();
        return (await page.getByRole('row').filter({ hasText: 'gpt-4o-mini' }).count()) > 0;
      },
      { timeoutMs: 30_000, intervalMs: 1000, message: 'spend row visible' },
    );
    await page.getByRole('list', { name: 'By model' }).getByText('gpt-4o-mini').waitFor();
    await page.getByRole('list', { name: 'By key' }).getByText(ALIAS).waitFor();
    await page.getByRole('list', { name: 'By team' }).getByText(TEAM).waitFor();
    await page.locator('.time-chart canvas').first().waitFor();
    await shot('spend');

    await nav('Users').click();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('User id').fill(`alice-${RUN}`);
    await page.getByLabel('Email').fill('alice@example.com');
    await page
      .getByRole('form', { name: 'Create user' })
      .getByRole('button', { name: 'Create user' })
      .click();
    await page
      .getByRole('row')
      .filter({ hasText: `alice-${RUN}` })
      .waitFor();
    await shot('users');

    await nav('Teams').click();
    await page.getByRole('link', { name: TEAM }).waitFor();
    await shot('teams');
    await page.getByRole('link', { name: TEAM }).click();
    await page.getByRole('link', { name: ALIAS }).waitFor();
    await shot('team-detail');

    await nav('Audit').click();
    await page.getByText('policy.new').first().waitFor();
    await page.getByText('key.block').first().waitFor();
    await shot('audit');
  });

  it('works at phone width', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    const pages: Array<[string, string, () => Promise<unknown>]> = [
      ['keys', '/ui/keys', () => page.getByRole('row').filter({ hasText: ALIAS }).waitFor()],
      ['key-create', '/ui/keys/new', () => page.getByRole('heading', { name: 'Create key' }).waitFor()],
      ['key-detail', `/ui/keys/${keyHash}`, () => page.getByRole('heading', { name: ALIAS }).waitFor()],
      ['teams', '/ui/teams', () => page.getByRole('link', { name: TEAM }).waitFor()],
      [
        'team-detail',
        `/ui/teams/${encodeURIComponent(teamId)}`,
        () => page.getByRole('link', { name: ALIAS }).waitFor(),
      ],
      [
        'users',
        '/ui/users',
        () =>
          page
            .getByRole('row')
            .filter({ hasText: `alice-${RUN}` })
            .waitFor(),
      ],
      ['policies', '/ui/policies', () => page.getByRole('link', { name: POLICY }).waitFor()],
      ['policy-edit', policyPath, () => page.getByRole('heading', { name: 'Try it' }).waitFor()],
      ['spend', '/ui/spend', () => page.getByRole('heading', { name: 'Request log' }).waitFor()],
      ['audit', '/ui/audit', () => page.getByText('policy.new').first().waitFor()],
    ];
    for (const [name, path, ready] of pages) {
      await page.goto(base + path);
      await ready();
      // Nothing may force sideways scrolling of the page itself.
      const overflow = await page.evaluate(() => {
        const excess = document.documentElement.scrollWidth - window.innerWidth;
        // Name the widest offenders so a failure says what to fix.
        const culprits = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
        return { excess, culprits };
      });
      expect(
        overflow.excess,
        `${name} overflows at 390px: ${overflow.culprits.join(', ')}`,
      ).toBeLessThanOrEqual(1);
      await shot(name, 'phone');
    }
    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('warden.admin-key'))).toBeNull();
    await shot('sign-in', 'phone');
  });
});
