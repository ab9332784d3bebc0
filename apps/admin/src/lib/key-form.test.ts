import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../api/types.ts';
import {
  buildCreateKeyRequest,
  buildUpdateKeyRequest,
  EMPTY_KEY_FORM,
  fieldForParam,
  type KeyFormValues,
  keyToFormValues,
} from './key-form.ts';

const form = (over: Partial<KeyFormValues>): KeyFormValues => ({ ...EMPTY_KEY_FORM, ...over });

describe('buildCreateKeyRequest', () => {
  it('sends a service account to its own route with the team and no user', () => {
    const r = buildCreateKeyRequest(
      form({
        owner: 'service_account',
        team_id: 'team-1',
        user_id: 'ignored',
        key_alias: ' billing-prod ',
        models: ['gpt-4o-mini'],
      }),
    );
    expect(r).toEqual({
      ok: true,
      path: '/key/service-account/generate',
      body: {
        key_alias: 'billing-prod',
        models: ['gpt-4o-mini'],
        enforced_params: [],
        metadata: {},
        team_id: 'team-1',
      },
    });
  });

  it('puts an explicit service-account id into metadata, merged with the edited JSON', () => {
    const r = buildCreateKeyRequest(
      form({
        owner: 'service_account',
        team_id: 't',
        service_account_id: 'worker',
        metadata: '{"project":"x"}',
      }),
    );
    expect(r.ok && r.body.metadata).toEqual({ project: 'x', service_account_id: 'worker' });
  });

  it('requires a team for a service account and a name to recognise it by', () => {
    const r = buildCreateKeyRequest(form({ owner: 'service_account' }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.team_id).toMatch(/team/);
      expect(r.errors.key_alias).toMatch(/alias or an id/);
    }
  });

  it("a person's key needs a user id; the team is optional", () => {
    expect(buildCreateKeyRequest(form({ owner: 'user' }))).toMatchObject({
      ok: false,
      errors: { user_id: expect.any(String) },
    });
    const r = buildCreateKeyRequest(form({ owner: 'user', user_id: 'alice' }));
    expect(r).toMatchObject({ ok: true, path: '/key/generate', body: { user_id: 'alice' } });
    expect(r.ok && 'team_id' in r.body).toBe(false);
  });

  it('a team key has a team and never a user', () => {
    const r = buildCreateKeyRequest(form({ owner: 'team', team_id: 'team-1', user_id: 'alice' }));
    expect(r.ok && r.body).toMatchObject({ team_id: 'team-1' });
    expect(r.ok && 'user_id' in r.body).toBe(false);
  });

  it('refuses a service_account_id in metadata unless the owner is a service account', () => {
    const r = buildCreateKeyRequest(
      form({ owner: 'team', team_id: 't', metadata: '{"service_account_id":"x"}' }),
    );
    expect(r).toMatchObject({
      ok: false,
      errors: { metadata: expect.stringMatching(/service-account key/) },
    });
  });

  it('converts budget, limits and durations, and collects every error at once', () => {
    const ok = buildCreateKeyRequest(
      form({
        owner: 'user',
        user_id: 'a',
        max_budget: '25',
        budget_duration: '1mo',
        duration: '30d',
        rpm_limit: '60',
        tpm_limit: '10000',
        max_parallel_requests: '2',
        enforced_params: 'user, metadata.project',
      }),
    );
    expect(ok.ok && ok.body).toMatchObject({
      max_budget: 25,
      budget_duration: '1mo',
      duration: '30d',
      rpm_limit: 60,
      tpm_limit: 10000,
      max_parallel_requests: 2,
      enforced_params: ['user', 'metadata.project'],
    });
    const bad = buildCreateKeyRequest(
      form({
        owner: 'user',
        user_id: 'a',
        max_budget: '-5',
        rpm_limit: '1.5',
        duration: 'forever',
        metadata: '{oops}',
        enforced_params: 'a b',
      }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(Object.keys(bad.errors).sort()).toEqual([
        'duration',
        'enforced_params',
        'max_budget',
        'metadata',
        'rpm_limit',
      ]);
  });

  it('a budget period without a budget is an error', () => {
    expect(
      buildCreateKeyRequest(form({ owner: 'user', user_id: 'a', budget_duration: '30d' })),
    ).toMatchObject({
      ok: false,
      errors: { budget_duration: expect.any(String) },
    });
  });
});

const saKey: KeyRecord = {
  token: 'abc123',
  key_alias: 'billing-prod',
  owner_type: 'service_account',
  team_id: 'team-1',
  metadata: { service_account_id: 'billing-prod', project: 'x' },
  models: ['gpt-4o-mini'],
  max_budget: 10,
  rpm_limit: 5,
  enforced_params: ['user'],
};

describe('buildUpdateKeyRequest', () => {
  it('round-trips a key through the form and targets it by hash', () => {
    const r = buildUpdateKeyRequest(saKey, keyToFormValues(saKey));
    expect(r).toEqual({
      ok: true,
      path: '/key/update',
      body: {
        key: 'abc123',
        key_alias: 'billing-prod',
        models: ['gpt-4o-mini'],
        max_budget: 10,
        rpm_limit: 5,
        enforced_params: ['user'],
        metadata: { service_account_id: 'billing-prod', project: 'x' },
      },
    });
  });

  it('refuses to change the service-account id', () => {
    const v = keyToFormValues(saKey);
    const r = buildUpdateKeyRequest(saKey, { ...v, metadata: '{"service_account_id":"other"}' });
    expect(r).toMatchObject({ ok: false, errors: { metadata: 'service_account_id cannot be changed' } });
  });

  it('keeps the service-account id when it was deleted from the editor', () => {
    const r = buildUpdateKeyRequest(saKey, { ...keyToFormValues(saKey), metadata: '{"project":"y"}' });
    expect(r.ok && r.body.metadata).toEqual({ project: 'y', service_account_id: 'billing-prod' });
  });
});

describe('fieldForParam', () => {
  it('maps API params to form fields', () => {
    expect(fieldForParam('team_id')).toBe('team_id');
    expect(fieldForParam('metadata.service_account_id')).toBe('service_account_id');
    expect(fieldForParam('metadata.project')).toBe('metadata');
    expect(fieldForParam('expires')).toBe('duration');
    expect(fieldForParam('nonsense')).toBeNull();
    expect(fieldForParam(null)).toBeNull();
  });
});
