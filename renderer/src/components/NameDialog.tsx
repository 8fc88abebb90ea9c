import { useState, type FormEvent } from 'react';
import { call } from '../api/client.js';
import { useStudio } from '../store.js';
import '../review.css';

/**
 * Asked once, on first run: approvals, comments and the audit log name a person, so the studio
 * asks who is at the keyboard instead of silently using the OS account (offered as the default).
 */
export function NameDialog({ suggested }: { suggested: string }) {
  const { setSettings, notify } = useStudio();
  const [name, setName] = useState(suggested);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setError('Enter your name: it is recorded on your approvals and comments.');
    try {
      setSettings(await call('settings.update', { actor: name.trim() }));
      notify('info', `Welcome, ${name.trim()}.`);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="dialog-backdrop">
      <form className="dialog name-dialog" role="dialog" aria-modal="true" aria-labelledby="name-heading" aria-describedby="name-help" onSubmit={save}>
        <h2 id="name-heading">Who is using the studio?</h2>
        <p id="name-help">Your name is recorded on approvals, rejections and comments, and in the audit log. You can change it later in Settings.</p>
        <label htmlFor="name-input">Your name</label>
        <input id="name-input" dir="auto" autoFocus value={name} maxLength={120} onChange={(e) => (setName(e.target.value), setError(null))} aria-invalid={error ? true : undefined} aria-errormessage={error ? 'name-error' : undefined} />
        {error && (
          <p id="name-error" className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            Continue
          </button>
        </div>
      </form>
    </div>
  );
}
