import { useEffect, useState, type FormEvent } from 'react';
import type { OperationOutput } from '../../../schemas/api.js';
import { call } from '../api/client.js';
import { useStudio } from '../store.js';
import './ServerSettings.css';

type ServerSettingsState = OperationOutput<'sync.settings'>;
type ConnectionTest = OperationOutput<'sync.testConnection'>;

/** Settings → Servers: the hosted learner server's address, its author key (never shown again) and a connection test. */
export function ServerSettings() {
  const notify = useStudio((s) => s.notify);
  const [server, setServer] = useState<ServerSettingsState | null>(null);
  const [address, setAddress] = useState('');
  const [key, setKey] = useState('');
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [testing, setTesting] = useState(false);

  useEffect(() => {
    call('sync.settings', {})
      .then((value) => {
        setServer(value);
        setAddress(value.serverUrl ?? '');
      })
      .catch((error: Error) => notify('error', error.message));
  }, [notify]);

  async function saveAddress(event: FormEvent) {
    event.preventDefault();
    try {
      const value = await call('sync.updateServer', { serverUrl: address });
      setServer(value);
      setAddress(value.serverUrl ?? '');
      setTest(null);
      notify('info', value.serverUrl ? `Server set to ${value.serverUrl}.` : 'Server removed.');
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }
  async function saveKey(event: FormEvent) {
    event.preventDefault();
    try {
      setServer(await call('sync.setServerKey', { serverKey: key }));
      notify('info', key ? 'Author key stored.' : 'Author key removed.');
      setKey('');
      setTest(null);
    } catch (error) {
      notify('error', (error as Error).message);
    }
  }
  async function testConnection() {
    setTesting(true);
    setTest(null);
    try {
      setTest(await call('sync.testConnection', {}));
    } catch (error) {
      notify('error', (error as Error).message);
    } finally {
      setTesting(false);
    }
  }

  if (!server) return null;
  const keyState = server.keyNeedsReentry
    ? 'The stored key was entered for another server, so it is not sent to this one: enter it again'
    : server.hasKey
      ? 'An author key is stored'
      : 'No author key stored';
  return (
    <section className="panel server-settings" aria-labelledby="servers-heading">
      <h2 id="servers-heading">Servers</h2>
      <p className="muted">Publish approved packages to your institution's Coursewright server, where learners take the course.</p>
      <form onSubmit={saveAddress}>
        <div className="field">
          <label htmlFor="server-url">Server address</label>
          <input id="server-url" type="url" inputMode="url" placeholder="https://learn.example.org" value={address} onChange={(e) => setAddress(e.target.value)} />
        </div>
        <button type="submit">Save address</button>
      </form>
      {server.serverUrl && (
        <form onSubmit={saveKey}>
          <p className="muted" data-testid="server-key-state">
            {keyState} · {server.keyStorage === 'keychain' ? 'kept encrypted in your OS keychain' : 'kept in memory for this session only, never on disk'}. The key is never shown again.
          </p>
          <div className="field">
            <label htmlFor="server-key">Author key</label>
            <input id="server-key" type="password" autoComplete="off" placeholder="cwk_…" value={key} onChange={(e) => setKey(e.target.value)} aria-describedby="server-key-help" />
            <span id="server-key-help" className="muted">
              An administrator creates one with <code>coursewright server key create --role author</code>.
            </span>
          </div>
          <div className="actions">
            <button type="submit">{key ? 'Store key' : 'Remove key'}</button>
            <button type="button" onClick={testConnection} disabled={testing}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
          </div>
        </form>
      )}
      <p role="status" className={test ? (test.authenticated ? 'connection ok' : 'connection bad') : 'connection'} data-testid="connection-result">
        {test ? (test.authenticated ? test.message : `${test.reachable ? 'Reached, but the key is not accepted.' : 'Not reachable.'} ${test.message}`) : ''}
      </p>
    </section>
  );
}
