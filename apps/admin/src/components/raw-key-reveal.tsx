import { CopyButton } from './copy-button.tsx';

/** The one moment the raw key is visible: it is held in component state only, never stored or routed. */
export function RawKeyReveal({ rawKey, title, onDone }: { rawKey: string; title: string; onDone(): void }) {
  return (
    <section className="card reveal" aria-labelledby="reveal-title">
      <h2 id="reveal-title">{title}</h2>
      <div className="warning" role="alert">
        Copy this key now. It will not be shown again: Warden keeps only its hash.
      </div>
      <div className="secret-row">
        <code className="secret" data-testid="raw-key">
          {rawKey}
        </code>
        <CopyButton text={rawKey} label="Copy key" />
      </div>
      <button type="button" className="btn btn-primary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
