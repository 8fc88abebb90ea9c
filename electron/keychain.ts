import fs from 'node:fs';
import path from 'node:path';
import { CoursewrightError } from '../schemas/errors.js';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron: which secret store encrypts the key. */
  getSelectedStorageBackend?(): string;
}

/**
 * How a saved key would be protected. On Linux without a keyring Electron falls back to
 * `basic_text`: the "encryption" uses a password built into Chromium, so the file is as good as
 * plaintext to any program running as the user. `unknown` (no answer) is treated the same way.
 */
export type KeyProtection = 'os-keychain' | 'unprotected' | 'unavailable';

export function keyProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyProtection {
  if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
  if (platform !== 'linux') return 'os-keychain';
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend === 'basic_text' || backend === 'unknown' ? 'unprotected' : 'os-keychain';
}

export type KeySaveOutcome = 'stored' | 'session-only' | 'forgotten';

export interface DesktopKeyStore {
  readonly kind: 'keychain';
  get(): string | null;
  /**
   * Saves a new key (or forgets it, for null). Where the only storage is unprotected, the user
   * is asked first; a "no" keeps the key in memory for this session and writes nothing.
   */
  save(apiKey: string | null): Promise<KeySaveOutcome>;
}

export interface KeychainOptions {
  platform: NodeJS.Platform;
  /** Resolves true only when the user agrees to store the key without protection. */
  confirmUnprotectedStorage: () => Promise<boolean>;
}

/**
 * The model API key, encrypted by the OS keychain (Electron safeStorage) in one file under the
 * app's user-data folder. Plaintext exists only in memory; never on disk, in SQLite or in logs,
 * unless the user agreed to unprotected storage on a machine that has nothing better.
 */
export function createKeychainKeyStore(safeStorage: SafeStorageLike, file: string, options: KeychainOptions): DesktopKeyStore {
  let plain: string | null = null;
  if (fs.existsSync(file) && safeStorage.isEncryptionAvailable()) {
    try {
      plain = safeStorage.decryptString(fs.readFileSync(file));
    } catch {
      // A key encrypted by another OS account or keychain cannot be read; the user enters it again.
      plain = null;
    }
  }
  return {
    kind: 'keychain',
    get: () => plain,
    async save(apiKey) {
      if (apiKey === null) {
        fs.rmSync(file, { force: true });
        plain = null;
        return 'forgotten';
      }
      const protection = keyProtection(safeStorage, options.platform);
      if (protection === 'unavailable') {
        throw new CoursewrightError('INTERNAL', 'The OS keychain is not available, so the API key was not stored. Unlock your keychain (or install a secret service on Linux) and try again, or set COURSEWRIGHT_API_KEY.');
      }
      if (protection === 'unprotected' && !(await options.confirmUnprotectedStorage())) {
        plain = apiKey;
        return 'session-only';
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, safeStorage.encryptString(apiKey), { mode: 0o600 });
      plain = apiKey;
      return 'stored';
    },
  };
}

export interface MessageBoxOptionsLike {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

const keepForSession = 0;
const saveUnprotected = 1;

/**
 * The question main asks before writing a key that nothing protects. Keeping it for this session
 * is the default and what closing the dialog means; only the explicit save button writes.
 */
export function askToStoreKeyUnprotected(showMessageBox: (options: MessageBoxOptionsLike) => Promise<{ response: number }>): () => Promise<boolean> {
  return async () => {
    const { response } = await showMessageBox({
      type: 'warning',
      title: 'Store the API key without protection?',
      message: 'This computer has no keyring that Coursewright can use to protect your API key.',
      detail: [
        'If you save it, the key is written to a file in your Coursewright settings folder that any program running under your account can read.',
        'To protect it instead, install and unlock a keyring such as GNOME Keyring or KWallet (or start Coursewright with --password-store=gnome-libsecret), then enter the key again.',
        'If you keep it for this session only, nothing is written to disk and you will enter the key again the next time Coursewright starts.',
      ].join('\n\n'),
      buttons: ['Keep for this session only', 'Save without protection'],
      defaultId: keepForSession,
      cancelId: keepForSession,
      noLink: true,
    });
    return response === saveUnprotected;
  };
}
