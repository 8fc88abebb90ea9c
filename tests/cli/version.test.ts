import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCoursewright } from './run-cli.js';

const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('coursewright --version', () => {
  it.each(['--version', '-V'])('%s prints the version from package.json and exits 0', async (flag) => {
    const result = await runCoursewright([flag]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it('prints the same version when the parser handles it (with another flag) as when it is alone', async () => {
    const parsed = await runCoursewright(['--json', '--version']);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(parsed.stdout).toBe(`${version}\n`);
  });

  it('is listed in --help, and a lowercase -v is still an unknown option', async () => {
    expect((await runCoursewright(['--help'])).stdout).toMatch(/-V, --version\s+print the version/);
    const lowercase = await runCoursewright(['-v']);
    expect(lowercase.code).toBe(2);
    expect(lowercase.stderr).toContain("unknown option '-v'");
  });
});
