import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { App, makeQueryClient } from '../app.tsx';
import { storeKey } from '../auth/session.ts';
import { fakeGateway } from '../test-support/fake-gateway.ts';

const key = {
  token: 'a'.repeat(64),
  key_name: 'sk-...abcd',
  key_alias: 'billing-prod',
  owner_type: 'service_account',
  team_id: 'team-1',
  metadata: { service_account_id: 'billing-prod' },
  models: ['gpt-4o-mini'],
  spend: 2.5,
  max_budget: 10,
  rpm_limit: 60,
  blocked: false,
};

describe('keys page', () => {
  it('sends search and filters to the server and clears them', async () => {
    storeKey('sk-master-test');
    const gw = fakeGateway({
      'GET /team/list': () => ({ body: [{ team_id: 'team-1', team_alias: 'Billing' }] }),
      'GET /key/list': (_b, url) => {
        const q = url.searchParams.get('key_alias_contains');
        const owner = url.searchParams.get('owner_type');
        const match = (!q || key.key_alias.includes(q)) && (!owner || owner === key.owner_type);
        return {
          body: {
            keys: match ? [key] : [],
            total_count: match ? 1 : 0,
            current_page: 1,
            total_pages: match ? 1 : 0,
          },
        };
      },
    });
    render(
      <MemoryRouter initialEntries={['/keys']}>
        <App fetchImpl={gw.fetch} queryClient={makeQueryClient()} />
      </MemoryRouter>,
    );
    // The row shows owner, team name (from the team list), budget and limits.
    const link = await screen.findByRole('link', { name: 'billing-prod' });
    const row = link.closest('tr')!;
    await waitFor(() => expect(row.textContent).toContain('Billing'));
    expect(row.textContent).toContain('Service account');
    expect(row.textContent).toContain('$2.50');
    expect(row.textContent).toContain('$10.00');
    expect(row.textContent).toContain('60 rpm');
    expect(row.textContent).toContain('Active');
    const lists = () => gw.calls.filter((c) => c.path === '/key/list').map((c) => c.url.searchParams);
    expect(lists()[0]?.get('return_full_object')).toBe('true');

    // Typing is debounced into one request for the final text.
    fireEvent.change(screen.getByLabelText('Search alias'), { target: { value: 'nom' } });
    fireEvent.change(screen.getByLabelText('Search alias'), { target: { value: 'nomatch' } });
    expect(await screen.findByText('No key matches these filters')).toBeTruthy();
    const searched = lists()
      .map((p) => p.get('key_alias_contains'))
      .filter(Boolean);
    expect(searched).toEqual(['nomatch']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByRole('link', { name: 'billing-prod' })).toBeTruthy();
    expect((screen.getByLabelText('Search alias') as HTMLInputElement).value).toBe('');

    fireEvent.change(screen.getByLabelText('Owner type'), { target: { value: 'user' } });
    expect(await screen.findByText('No key matches these filters')).toBeTruthy();
    expect(lists().at(-1)?.get('owner_type')).toBe('user');
    fireEvent.change(screen.getByLabelText('Team'), { target: { value: 'team-1' } });
    await waitFor(() => expect(lists().at(-1)?.get('team_id')).toBe('team-1'));
    expect(lists().at(-1)?.get('owner_type')).toBe('user');
  });
});
