import { Controller, useForm } from 'react-hook-form';
import type { TeamRecord } from '../api/types.ts';
import { parseDollars, parseDuration, parseLimit } from '../lib/fields.ts';
import { Field } from './field.tsx';
import { LimitFields } from './limit-fields.tsx';
import { ModelPicker } from './model-picker.tsx';

export interface TeamFormValues {
  team_alias: string;
  models: string[];
  max_budget: string;
  budget_duration: string;
  rpm_limit: string;
  tpm_limit: string;
  max_parallel_requests: string;
}

const s = (n: number | null | undefined) => (n == null ? '' : String(n));

export function teamToForm(t?: TeamRecord): TeamFormValues {
  return {
    team_alias: t?.team_alias ?? '',
    models: t?.models ?? [],
    max_budget: s(t?.max_budget),
    budget_duration: t?.budget_duration ?? '',
    rpm_limit: s(t?.rpm_limit),
    tpm_limit: s(t?.tpm_limit),
    max_parallel_requests: s(t?.max_parallel_requests),
  };
}

/** Validates and returns the API body, or field errors. */
export function buildTeamBody(
  v: TeamFormValues,
):
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; errors: Partial<Record<keyof TeamFormValues, string>> } {
  const errors: Partial<Record<keyof TeamFormValues, string>> = {};
  const body: Record<string, unknown> = { models: v.models };
  if (!v.team_alias.trim()) errors.team_alias = 'Give the team a name';
  else body.team_alias = v.team_alias.trim();
  const checks = [
    ['max_budget', parseDollars(v.max_budget)],
    ['budget_duration', parseDuration(v.budget_duration)],
    ['rpm_limit', parseLimit(v.rpm_limit)],
    ['tpm_limit', parseLimit(v.tpm_limit)],
    ['max_parallel_requests', parseLimit(v.max_parallel_requests)],
  ] as const;
  for (const [f, p] of checks) {
    if (!p.ok) errors[f] = p.message;
    else if (p.value !== undefined) body[f] = p.value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

interface TeamFormProps {
  initial?: TeamRecord;
  submitLabel: string;
  busy: boolean;
  serverError?: { message: string; param: string | null } | null;
  onSubmit(body: Record<string, unknown>): void;
  onCancel?(): void;
}

export function TeamForm({ initial, submitLabel, busy, serverError, onSubmit, onCancel }: TeamFormProps) {
  const form = useForm<TeamFormValues>({ defaultValues: teamToForm(initial) });
  const { register, control, formState } = form;
  const e = (f: keyof TeamFormValues) =>
    (formState.errors[f]?.message as string | undefined) ??
    (serverError?.param === f ? serverError.message : undefined);
  const submit = form.handleSubmit((v) => {
    const r = buildTeamBody(v);
    if (!r.ok) {
      for (const [i, [f, message]] of (
        Object.entries(r.errors) as Array<[keyof TeamFormValues, string]>
      ).entries()) {
        form.setError(f, { message }, { shouldFocus: i === 0 });
      }
      return;
    }
    onSubmit(r.body);
  });
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={submitLabel}>
      <Field label="Team name" error={e('team_alias')}>
        {(a) => <input {...a} {...register('team_alias')} placeholder="Billing" />}
      </Field>
      <Controller
        control={control}
        name="models"
        render={({ field }) => (
          <ModelPicker value={field.value} onChange={field.onChange} legend="Models the team may call" />
        )}
      />
      <div className="grid-3">
        <LimitFields register={register} error={e} budgetPlaceholder="No budget" durationPlaceholder="1mo" />
      </div>
      {serverError && !(serverError.param && serverError.param in teamToForm()) ? (
        <div className="form-error" role="alert">
          {serverError.message}
        </div>
      ) : null}
      <div className="form-actions">
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
