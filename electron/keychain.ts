import fs from 'node:fs';
import path from 'node:path';
import { CoursewrightError } from '../schemas/errors.js';
import type { KeyStore } from '../core/ports.js';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * The model API key, encrypted by the OS keychain (Electron safeStorage) in one file under the
 * app's user-data folder. Plaintext exists only in memory; never on disk, in SQLite or in logs.
 */
export function createKeychainKeyStore(safeStorage: SafeStorageLike, file: string): KeyStore {
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
    set(apiKey) {
      if (apiKey === null) {
        fs.rmSync(file, { force: true });
        plain = null;
        return;
      }
      if (!safeStorage.isEncryptionAvailable()) {
        throw new CoursewrightError('INTERNAL', 'The OS keychain is not available, so the API key was not stored. Unlock your keychain (or install a secret service on Linux) and try again, or set COURSEWRIGHT_API_KEY.');
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, safeStorage.encryptString(apiKey), { mode: 0o600 });
      plain = apiKey;
    },
  };
}
