import type { FieldValues, Path, UseFormRegister } from 'react-hook-form';
import { Field } from './field.tsx';

/** The budget and rate-limit inputs keys and teams share (the admin API's field names). */
export type LimitFieldName =
  | 'max_budget'
  | 'budget_duration'
  | 'rpm_limit'
  | 'tpm_limit'
  | 'max_parallel_requests';

interface LimitFieldsProps<T extends FieldValues & Record<LimitFieldName, string>> {
  register: UseFormRegister<T>;
  error(name: LimitFieldName): string | undefined;
  budgetPlaceholder: string;
  budgetHint?: string;
  durationPlaceholder: string;
  durationHint?: string;
}

/** Rendered inside the caller's grid, so each form keeps its own layout around them. */
export function LimitFields<T extends FieldValues & Record<LimitFieldName, string>>({
  register,
  error,
  budgetPlaceholder,
  budgetHint,
  durationPlaceholder,
  durationHint,
}: LimitFieldsProps<T>) {
  const field = (name: LimitFieldName) => register(name as Path<T>);
  return (
    <>
      <Field label="Budget (USD)" error={error('max_budget')} hint={budgetHint}>
        {(a) => <input {...a} {...field('max_budget')} inputMode="decimal" placeholder={budgetPlaceholder} />}
      </Field>
      <Field label="Budget resets every" error={error('budget_duration')} hint={durationHint}>
        {(a) => <input {...a} {...field('budget_duration')} placeholder={durationPlaceholder} />}
      </Field>
      <Field label="Requests per minute" error={error('rpm_limit')}>
        {(a) => <input {...a} {...field('rpm_limit')} inputMode="numeric" placeholder="Unlimited" />}
      </Field>
      <Field label="Tokens per minute" error={error('tpm_limit')}>
        {(a) => <input {...a} {...field('tpm_limit')} inputMode="numeric" placeholder="Unlimited" />}
      </Field>
      <Field label="Parallel requests" error={error('max_parallel_requests')}>
        {(a) => (
          <input {...a} {...field('max_parallel_requests')} inputMode="numeric" placeholder="Unlimited" />
        )}
      </Field>
    </>
  );
}
