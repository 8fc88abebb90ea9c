import { useState, type FormEvent } from 'react';
import { call } from '../api/client.js';
import type { StudioSettings } from '../../../schemas/api.js';
import { useStudio } from '../store.js';
import { ServerSettings } from '../components/ServerSettings.js';

export function SettingsView() {
  const { settings } = useStudio();
  if (!settings) return <p className="muted">Loading…</p>;
  return <SettingsForms settings={settings} />;
}

const formOf = (settings: StudioSettings) => ({ actor: settings.actor, provider: settings.provider, baseUrl: settings.baseUrl, model: settings.model });

/**
 * The form starts from the stored settings on its first render, so the name box is never shown
 * empty, and is not reset when another setting (the review box, the API key) is saved: what the
 * person has typed but not yet saved stays in the form.
 */
function SettingsForms({ settings }: { settings: StudioSettings }) {
  const { setSettings, notify } = useStudio();
  const [form, setForm] = useState(() => formOf(settings));
  const [apiKey, setApiKey] = useState('');
  // The box shows the reviewer's choice at once; it falls back to the stored value if saving fails.
  const [separationRequested, setSeparationRequested] = useState<boolean | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      const saved = await call('settings.update', { actor: form.actor, provider: form.provider as 'mock' | 'openai', baseUrl: form.baseUrl, model: form.model });
      setSettings(saved);
      setForm(formOf(saved));
      notify('info', 'Settings saved.');
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }
  async function saveKey(event: FormEvent) {
    event.preventDefault();
    try {
      setSettings(await call('settings.setApiKey', { apiKey }));
      setApiKey('');
      notify('info', apiKey ? 'API key stored.' : 'API key removed.');
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  return (
    <section aria-labelledby="settings-heading" className="narrow">
      <h1 id="settings-heading">Settings</h1>
      <form onSubmit={save}>
        <div className="field">
          <label htmlFor="settings-actor">Your name (recorded on approvals and in the audit log)</label>
          <input id="settings-actor" dir="auto" value={form.actor} onChange={set('actor')} />
        </div>
        <div className="field">
          <label htmlFor="settings-provider">Model provider</label>
          <select id="settings-provider" value={form.provider} onChange={set('provider')}>
            <option value="mock">Built-in mock (offline, deterministic)</option>
            <option value="openai">OpenAI-compatible endpoint</option>
          </select>
        </div>
        {form.provider === 'openai' && (
          <div className="row">
            <div className="field">
              <label htmlFor="settings-base-url">Base URL</label>
              <input id="settings-base-url" value={form.baseUrl} onChange={set('baseUrl')} placeholder="leave empty for the OpenAI API" />
            </div>
            <div className="field">
              <label htmlFor="settings-model">Model</label>
              <input id="settings-model" value={form.model} onChange={set('model')} />
            </div>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary">
            Save settings
          </button>
        </div>
      </form>
      <fieldset className="panel">
        <legend>Review</legend>
        <label>
          <input
            type="checkbox"
            checked={separationRequested ?? settings.separationOfDuties}
            onChange={async (e) => {
              const on = e.target.checked;
              setSeparationRequested(on);
              try {
                setSettings(await call('settings.update', { separationOfDuties: on }));
                notify('info', on ? 'Separation of duties is on: authors cannot approve their own versions.' : 'Separation of duties is off.');
              } catch (error) {
                notify('error', (error as Error).message);
              } finally {
                setSeparationRequested(null);
              }
            }}
          />{' '}
          Separation of duties: whoever wrote a version cannot approve it
        </label>
      </fieldset>
      <form onSubmit={saveKey} className="panel">
        <h2>API key</h2>
        <p className="muted">
          {settings.apiKeyNeedsReentry
            ? 'The stored key was entered for another base URL, so it is not sent to this one: enter the key again'
            : settings.hasApiKey
              ? 'A key is stored'
              : 'No key stored'}{' '}
          ·{' '}
          {settings.keyStorage === 'keychain' ? 'kept encrypted in your OS keychain' : 'kept in memory for this session only, never on disk'}. The key is never shown again.
        </p>
        <div className="field">
          <label htmlFor="settings-api-key">New API key</label>
          <input id="settings-api-key" type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
        </div>
        <button type="submit">{apiKey ? 'Store key' : 'Remove key'}</button>
      </form>
      <ServerSettings />
      <div className="panel">
        <h2>Data folder</h2>
        <p>
          <code>{settings.dataDir}</code>
        </p>
      </div>
    </section>
  );
}
