import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { exportToFolder } from '../fixtures/export-folder.js';
import { tempDataDir } from '../helpers.js';
import { hasTool, scormWrapperSchema, standardsDir } from '../export-tools.js';

/**
 * SCORM manifests checked by tools we did not write: xmllint against the official schema files
 * in ../shared/standards (through scormWrapperSchema). What a schema cannot catch is checked by
 * hand below.
 */
const standards = standardsDir();
const canValidate = Boolean(standards) && hasTool('xmllint');
const cannotValidate = 'needs xmllint (libxml2-utils) and ../shared/standards beside the checkout';

const attributeValues = (xml: string, attribute: string) => [...xml.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((m) => m[1]!);

const cases = [
  ['scorm12', 'course'],
  ['scorm12', 'module'],
  ['scorm2004', 'course'],
  ['scorm2004', 'module'],
] as const;

describe('SCORM manifests', () => {
  const pkg = samplePackage({ intent: { title: 'Daten & <Visualisierung> "Grundkurs"' }, shape: { modules: 3, lessonsPerModule: 2 } });

  it.for(cases)('%s (one SCO per %s) validates against the official schemas', async ([version, scoMode], { skip }) => {
    skip(!canValidate, cannotValidate);
    const folder = await exportToFolder(pkg, version, { scoMode });
    const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', scormWrapperSchema(version, standards!, tempDataDir('cw-xsd')), path.join(folder, 'imsmanifest.xml')], { encoding: 'utf8' });
    expect(run.stderr).toContain('imsmanifest.xml validates');
    expect(run.status).toBe(0);
  });

  it.each(cases)('%s (one SCO per %s): schema files at the root, every href present, every identifierref resolving', async (version, scoMode) => {
    const folder = await exportToFolder(pkg, version, { scoMode });
    const manifest = fs.readFileSync(path.join(folder, 'imsmanifest.xml'), 'utf8');
    const schemaLocation = /xsi:schemaLocation="([^"]+)"/.exec(manifest)![1]!.trim().split(/\s+/);
    const schemaFiles = schemaLocation.filter((_, i) => i % 2 === 1);
    expect(schemaFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of schemaFiles) expect(fs.existsSync(path.join(folder, file)), `${file} at the package root`).toBe(true);
    for (const href of attributeValues(manifest, 'href')) expect(fs.existsSync(path.join(folder, href)), `${href} exists`).toBe(true);
    const identifiers = new Set(attributeValues(manifest, 'identifier'));
    expect(identifiers.size).toBe(attributeValues(manifest, 'identifier').length);
    for (const ref of attributeValues(manifest, 'identifierref')) expect(identifiers.has(ref), `${ref} names a resource`).toBe(true);
    const scos = attributeValues(manifest, version === 'scorm12' ? 'adlcp:scormtype' : 'adlcp:scormType').filter((t) => t === 'sco');
    expect(scos).toHaveLength(scoMode === 'course' ? 1 : pkg.document.modules.length);
    // The title is escaped, not broken: the manifest parses and carries it verbatim.
    expect(manifest).toContain('Daten &amp; &lt;Visualisierung&gt; &quot;Grundkurs&quot;');
    if (version === 'scorm2004') {
      expect(manifest).toContain('completionSetByContent="true"');
      expect(manifest).toContain('objectiveSetByContent="true"');
    } else {
      expect(manifest).toContain('<adlcp:masteryscore>70</adlcp:masteryscore>');
    }
  });
});
