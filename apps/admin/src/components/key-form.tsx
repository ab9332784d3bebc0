import { Controller, type UseFormReturn } from 'react-hook-form';
import { useTeams } from '../api/queries.ts';
import type { KeyFormValues } from '../lib/key-form.ts';
import { parseJsonObject } from '../lib/json.ts';
import { Field } from './field.tsx';
import { JsonEditor } from './json-editor.tsx';
import { LimitFields } from './limit-fields.tsx';
import { ModelPicker } from './model-picker.tsx';

/** The fields of the key form; `mode` hides what cannot change after creation (owner, team, user). */
export function KeyFormFields({
  form,
  mode,
}: {
  form: UseFormReturn<KeyFormValues>;
  mode: 'create' | 'edit';
}) {
  const { register, watch, control, formState } = form;
  const errors = formState.errors;
  const owner = watch('owner');
  const teams = useTeams();
  const metadata = watch('metadata');
  const live = parseJsonObject(metadata);
  const err = (name: keyof KeyFormValues) => errors[name]?.message as string | undefined;

  return (
    <>
      {mode === 'create' ? (
        <section className="form-section">
          <h2>Owner</h2>
          <fieldset className="segmented">
            <legend className="sr-only">Who owns this key</legend>
            {(
              [
                ['service_account', 'Service account', 'A production project of a team; not a person'],
                ['user', 'Person', 'Someone’s own key'],
                ['team', 'Team', 'Shared by a team'],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className={`segment${owner === value ? ' selected' : ''}`}>
                <input type="radio" value={value} {...register('owner')} />
                <span className="segment-label">{label}</span>
                <span className="segment-hint">{hint}</span>
              </label>
            ))}
          </fieldset>
          <div className="grid-2">
            {owner === 'user' ? (
              <Field label="User id" error={err('user_id')} hint="Any id; no user record is needed.">
                {(a) => <input {...a} {...register('user_id')} placeholder="alice@example.com" />}
              </Field>
            ) : null}
            <Field
              label={owner === 'user' ? 'Team (optional)' : 'Team'}
              error={err('team_id')}
              hint={
                teams.isError
                  ? 'Could not load teams.'
                  : teams.data?.length === 0
                    ? 'Create a team first.'
                    : undefined
              }
            >
              {(a) => (
                <select {...a} {...register('team_id')}>
                  <option value="">{owner === 'user' ? 'No team' : 'Choose a team…'}</option>
                  {(teams.data ?? []).map((t) => (
                    <option key={t.team_id} value={t.team_id}>
                      {t.team_alias || t.team_id}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {owner === 'service_account' ? (
              <Field
                label="Service account id (optional)"
                error={err('service_account_id')}
                hint="Defaults to the alias. It cannot be changed later."
              >
                {(a) => <input {...a} {...register('service_account_id')} placeholder="billing-worker" />}
              </Field>
            ) : null}
          </div>
        </section>
      ) : null}

      <section className="form-section">
        <h2>Key</h2>
        <div className="grid-2">
          <Field label="Alias" error={err('key_alias')} hint="Unique; how people find this key.">
            {(a) => <input {...a} {...register('key_alias')} placeholder="billing-prod" />}
          </Field>
          <Field
            label={mode === 'create' ? 'Expires after' : 'Extend expiry by'}
            error={err('duration')}
            hint="e.g. 30d or 1mo; blank = never."
          >
            {(a) => <input {...a} {...register('duration')} placeholder="30d" />}
          </Field>
        </div>
        <Controller
          control={control}
          name="models"
          render={({ field }) => (
            <ModelPicker value={field.value} onChange={field.onChange} legend="Models this key may call" />
          )}
        />
      </section>

      <section className="form-section">
        <h2>Budget and limits</h2>
        <div className="grid-3">
          <LimitFields
            register={register}
            error={err}
            budgetPlaceholder="100"
            budgetHint="Blank = no budget."
            durationPlaceholder="30d"
            durationHint="30d, 1mo, 12h…"
          />
        </div>
      </section>

      <section className="form-section">
        <h2>Rules and metadata</h2>
        <Field
          label="Enforced params"
          error={err('enforced_params')}
          hint="Request fields every call must carry, comma separated (e.g. user, metadata.project)."
        >
          {(a) => <input {...a} {...register('enforced_params')} placeholder="user, metadata.project" />}
        </Field>
        <Field
          label="Metadata (JSON)"
          error={err('metadata') ?? (live.ok ? undefined : live.message)}
          hint={live.ok ? 'A JSON object. On edit it is merged into the existing metadata.' : undefined}
        >
          {(a) => (
            <Controller
              control={control}
              name="metadata"
              render={({ field }) => (
                <JsonEditor
                  {...a}
                  value={field.value}
                  onChange={field.onChange}
                  rows={5}
                  placeholder='{"project": "billing"}'
                />
              )}
            />
          )}
        </Field>
      </section>
    </>
  );
}
