import envPaths from 'env-paths';
import os from 'node:os';
import path from 'node:path';

/** `--data DIR` beats `COURSEWRIGHT_DATA`, which beats the platform's per-user data folder. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.COURSEWRIGHT_DATA;
  if (chosen && chosen.trim()) return path.resolve(chosen);
  return envPaths('coursewright', { suffix: '' }).data;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'coursewright.db');
}

/** Who is acting: an explicit name, then the configured one, then the OS account. */
export function resolveActor(flag: string | undefined, configured: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (flag && flag.trim()) return flag.trim();
  if (env.COURSEWRIGHT_ACTOR && env.COURSEWRIGHT_ACTOR.trim()) return env.COURSEWRIGHT_ACTOR.trim();
  if (typeof configured === 'string' && configured.trim()) return configured.trim();
  try {
    return os.userInfo().username || 'designer';
  } catch {
    return 'designer';
  }
}
