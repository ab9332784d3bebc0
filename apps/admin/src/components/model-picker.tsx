import { useId, useState } from 'react';
import { useModels } from '../api/queries.ts';

interface ModelPickerProps {
  value: string[];
  onChange(models: string[]): void;
  legend?: string;
}

/** Pick models from the gateway's list; patterns such as `gpt-4*` can be added by hand. */
export function ModelPicker({ value, onChange, legend = 'Models' }: ModelPickerProps) {
  const models = useModels();
  const [pattern, setPattern] = useState('');
  const inputId = useId();
  const known = models.data ?? [];
  const extra = value.filter((m) => !known.includes(m));
  const toggle = (m: string) => onChange(value.includes(m) ? value.filter((x) => x !== m) : [...value, m]);
  const addPattern = () => {
    const p = pattern.trim();
    if (p && !value.includes(p)) onChange([...value, p]);
    setPattern('');
  };
  return (
    <fieldset className="model-picker">
      <legend>{legend}</legend>
      <p className="field-hint">
        {value.length === 0 ? 'None picked: every model is allowed.' : `${value.length} picked.`}
      </p>
      {models.isLoading ? <p className="muted">Loading models…</p> : null}
      {models.isError ? (
        <p className="field-error">Could not load the model list; add names by hand.</p>
      ) : null}
      <div className="checks">
        {[...known, ...extra].map((m) => (
          <label key={m} className="check">
            <input type="checkbox" checked={value.includes(m)} onChange={() => toggle(m)} />
            <span>{m}</span>
          </label>
        ))}
      </div>
      <div className="inline-add">
        <label htmlFor={inputId} className="sr-only">
          Add a model name or pattern
        </label>
        <input
          id={inputId}
          value={pattern}
          placeholder="Add a name or pattern, e.g. gpt-4*"
          onChange={(e) => setPattern(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              addPattern();
            }
          }}
        />
        <button type="button" className="btn btn-small" onClick={addPattern} disabled={!pattern.trim()}>
          Add
        </button>
      </div>
    </fieldset>
  );
}
