import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Whether a command-line tool the checks rely on is installed. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** The official schema files, in ../shared/standards beside the checkout; undefined when absent. */
export function standardsDir(): string | undefined {
  const dir = path.resolve(repoRoot, '..', 'shared', 'standards');
  return fs.existsSync(dir) ? dir : undefined;
}

/** Unpacks a zip with Info-ZIP's unzip, as an LMS would, into a fresh folder. */
export function unzipToTemp(bytes: Uint8Array, label = 'cw-unzip'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const file = path.join(dir, 'export.zip');
  fs.writeFileSync(file, bytes);
  const run = spawnSync('unzip', ['-q', file, '-d', path.join(dir, 'files')], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`unzip failed (${run.status}): ${run.stderr}`);
  return path.join(dir, 'files');
}

export function xmllintValidate(xmlFile: string, xsdFile: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdFile, xmlFile], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/**
 * A schema that imports every namespace a SCORM manifest uses from the official files in
 * `standards` (as that folder's README explains), so xmllint validates the whole manifest
 * without reaching the network. Written into `folder`; returns its path.
 */
export function scormWrapperSchema(version: 'scorm12' | 'scorm2004', standards: string, folder: string): string {
  const s = (file: string) => path.join(standards, version === 'scorm12' ? 'scorm12' : 'scorm2004-4th', file);
  const imports: Array<[string, string]> =
    version === 'scorm12'
      ? [
          ['http://www.imsproject.org/xsd/imscp_rootv1p1p2', s('imscp_rootv1p1p2.xsd')],
          ['http://www.adlnet.org/xsd/adlcp_rootv1p2', s('adlcp_rootv1p2.xsd')],
          ['http://www.imsglobal.org/xsd/imsmd_rootv1p2p1', s('imsmd_rootv1p2p1.xsd')],
        ]
      : [
          ['http://www.w3.org/XML/1998/namespace', s('xml.xsd')],
          ['http://www.imsglobal.org/xsd/imscp_v1p1', s('imscp_v1p1.xsd')],
          ['http://www.adlnet.org/xsd/adlcp_v1p3', s('adlcp_v1p3.xsd')],
          ['http://www.adlnet.org/xsd/adlseq_v1p3', s('adlseq_v1p3.xsd')],
          ['http://www.adlnet.org/xsd/adlnav_v1p3', s('adlnav_v1p3.xsd')],
          ['http://www.imsglobal.org/xsd/imsss', s('imsss_v1p0.xsd')],
        ];
  const file = path.join(folder, `wrapper-${version}.xsd`);
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n${imports.map(([ns, loc]) => `  <xs:import namespace="${ns}" schemaLocation="${loc}"/>`).join('\n')}\n</xs:schema>\n`,
  );
  return file;
}
