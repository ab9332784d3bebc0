import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { App, makeQueryClient } from '../app.tsx';
import { storeKey } from '../auth/session.ts';
import { fakeGateway } from '../test-support/fake-gateway.ts';

function renderAt(path: string, gateway: ReturnType<typeof fakeGateway>) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <App fetchImpl={gateway.fetch} queryClient={makeQueryClient()} />
    </MemoryRouter>,
  );
}

const baseRoutes = {
  'GET /team/list': () => ({ body: [{ team_id: 'team-1', team_alias: 'Billing' }] }),
  'GET /v1/models': () => ({ body: { object: 'list', data: [{ id: 'gpt-4o-mini' }, { id: 'gpt-4o' }] } }),
  'GET /key/list': () => ({ body: { keys: [], total_count: 0, current_page: 1, total_pages: 0 } }),
};

describe('create key page', () => {
  it('validates before sending, then creates a service account and shows the raw key once', async () => {
    storeKey('sk-master-test');
    const gw = fakeGateway({
      ...baseRoutes,
      'POST /key/service-account/generate': () => ({
        body: {
          key: 'sk-rawkeyrawkeyrawkeyrawkeyrawkey1234',
          token_id: 'hash1',
          key_alias: 'billing-prod',
          owner_type: 'service_account',
        },
      }),
    });
    renderAt('/keys/new', gw);

    // Service account is the default owner; the team list comes from the API.
    await screen.findByRole('option', { name: 'Billing' });
    await screen.findByRole('checkbox', { name: 'gpt-4o-mini' });

    // Invalid metadata is reported while typing, with a position.
    const metadata = screen.getByLabelText('Metadata (JSON)');
    fireEvent.change(metadata, { target: { value: '{"project": }' } });
    expect(await screen.findByText(/Invalid JSON at line 1, column 13/)).toBeTruthy();

    // Submitting with no team and broken fields sends nothing and marks the fields.
    fireEvent.change(screen.getByLabelText('Budget (USD)'), { target: { value: '-3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('A service account belongs to a team: pick one')).toBeTruthy();
    expect(screen.getByText('Enter an amount in dollars, 0 or more')).toBeTruthy();
    expect(screen.getByLabelText('Team').getAttribute('aria-invalid')).toBe('true');
    expect(gw.calls.some((c) => c.method === 'POST')).toBe(false);

    // Fix everything and submit.
    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 'team-1' } });
    fireEvent.change(screen.getByLabelText('Alias'), { target: { value: 'billing-prod' } });
    fireEvent.change(screen.getByLabelText('Budget (USD)'), { target: { value: '50' } });
    fireEvent.change(metadata, { target: { value: '{"project": "billing"}' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'gpt-4o-mini' }));
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    expect(await screen.findByTestId('raw-key')).toHaveProperty(
      'textContent',
      'sk-rawkeyrawkeyrawkeyrawkeyrawkey1234',
    );
    expect(screen.getByText(/It will not be shown again/)).toBeTruthy();
    const post = gw.calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/key/service-account/generate');
    expect(post?.auth).toBe('Bearer sk-master-test');
    expect(post?.body).toEqual({
      key_alias: 'billing-prod',
      models: ['gpt-4o-mini'],
      max_budget: 50,
      enforced_params: [],
      metadata: { project: 'billing' },
      team_id: 'team-1',
    });
    // The raw key never lands in storage or the URL.
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('sk-rawkey');
  });

  it("shows the API's error on the field its param names", async () => {
    storeKey('sk-master-test');
    const gw = fakeGateway({
      ...baseRoutes,
      'POST /key/service-account/generate': () => ({
        status: 400,
        body: {
          error: {
            message: 'key_alias already exists',
            type: 'bad_request_error',
            param: 'key_alias',
            code: '400',
          },
        },
      }),
    });
    renderAt('/keys/new', gw);
    await screen.findByRole('option', { name: 'Billing' });
    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 'team-1' } });
    fireEvent.change(screen.getByLabelText('Alias'), { target: { value: 'dup' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('key_alias already exists')).toBeTruthy();
    await waitFor(() => expect(screen.getByLabelText('Alias').getAttribute('aria-invalid')).toBe('true'));
  });
});
