import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { App, makeQueryClient } from '../app.tsx';
import { fakeGateway } from '../test-support/fake-gateway.ts';

describe('sign-in', () => {
  it('explains a wrong key, keeps a right one in sessionStorage, and signs out', async () => {
    const gw = fakeGateway({
      'GET /key/list': (_b, _url, auth) =>
        auth === 'Bearer sk-good'
          ? { body: { keys: [], total_count: 0, current_page: 1, total_pages: 0 } }
          : {
              status: 401,
              body: {
                error: {
                  message: 'Authentication Error, invalid key',
                  type: 'auth_error',
                  param: null,
                  code: '401',
                },
              },
            },
      'GET /team/list': () => ({ body: [] }),
    });
    render(
      <MemoryRouter initialEntries={['/']}>
        <App fetchImpl={gw.fetch} queryClient={makeQueryClient()} />
      </MemoryRouter>,
    );
    const input = screen.getByLabelText('Admin key');
    fireEvent.change(input, { target: { value: 'sk-wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('That key was not accepted. Check it and try again.')).toBeTruthy();
    expect(sessionStorage.getItem('warden.admin-key')).toBeNull();

    fireEvent.change(input, { target: { value: 'sk-good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Keys' })).toBeTruthy();
    expect(sessionStorage.getItem('warden.admin-key')).toBe('sk-good');
    expect(await screen.findByText('No keys yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Admin key')).toBeTruthy();
    expect(sessionStorage.getItem('warden.admin-key')).toBeNull();
  });
});
