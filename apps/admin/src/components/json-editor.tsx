import type { TextareaHTMLAttributes } from 'react';

interface JsonEditorProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> {
  value: string;
  onChange(text: string): void;
}

/** A monospace textarea for JSON; validation is the caller's (it knows what shape it wants). */
export function JsonEditor({ value, onChange, rows = 8, ...rest }: JsonEditorProps) {
  return (
    <textarea
      {...rest}
      className="code-input"
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      rows={rows}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onKeyDown={(e) => {
        // Tab indents inside the editor; Escape then Tab still leaves it, so keyboard users are not trapped.
        if (e.key === 'Tab' && !e.shiftKey && !e.currentTarget.dataset.escaped) {
          e.preventDefault();
          const t = e.currentTarget;
          const { selectionStart: s, selectionEnd: end } = t;
          const next = `${value.slice(0, s)}  ${value.slice(end)}`;
          onChange(next);
          requestAnimationFrame(() => t.setSelectionRange(s + 2, s + 2));
        } else if (e.key === 'Escape') {
          e.currentTarget.dataset.escaped = '1';
        } else {
          delete e.currentTarget.dataset.escaped;
        }
      }}
    />
  );
}
