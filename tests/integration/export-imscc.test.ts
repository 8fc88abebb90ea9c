import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePackage } from '../fixtures/sample-package.js';
import { exportToFolder } from '../fixtures/export-folder.js';
import { hasTool, standardsDir, xmllintValidate } from '../export-tools.js';

/** The cartridge as Moodle reads it: manifest and every QTI assessment against the CC 1.1 schemas, then what schemas cannot catch. */
const standards = standardsDir();
const canValidate = Boolean(standards) && hasTool('xmllint');
const cannotValidate = 'needs xmllint (libxml2-utils) and ../shared/standards beside the checkout';

const attributeValues = (xml: string, attribute: string) => [...xml.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, 'g'))].map((m) => m[1]!);

describe('IMS Common Cartridge 1.1 export', () => {
  const pkg = samplePackage({ intent: { title: 'Daten & <Visualisierung> "Kurs" データ' }, shape: { modules: 2, lessonsPerModule: 3 } });

  it('the manifest and every assessment validate against the official CC 1.1 and QTI 1.2.1 schemas', async ({ skip }) => {
    skip(!canValidate, cannotValidate);
    const folder = await exportToFolder(pkg, 'imscc');
    const manifest = xmllintValidate(path.join(folder, 'imsmanifest.xml'), path.join(standards!, 'imscc11', 'validate-manifest.xsd'));
    expect(manifest.output).toContain('validates');
    expect(manifest.ok).toBe(true);
    const assessments = fs.readdirSync(path.join(folder, 'quizzes')).map((d) => path.join(folder, 'quizzes', d, 'assessment.xml'));
    expect(assessments).toHaveLength(6);
    for (const file of assessments) {
      const result = xmllintValidate(file, path.join(standards!, 'imscc11', 'ccv1p1_qtiasiv1p2p1_v1p0.xsd'));
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('is a rooted hierarchy of modules, lessons and quizzes where every reference resolves', async () => {
    const folder = await exportToFolder(pkg, 'imscc');
    const manifest = fs.readFileSync(path.join(folder, 'imsmanifest.xml'), 'utf8');
    expect(manifest).toContain('<organization identifier="org_course" structure="rooted-hierarchy">');
    expect(manifest).toMatch(/<item identifier="root">\s*<item identifier="module_/);
    for (const href of attributeValues(manifest, 'href')) expect(fs.existsSync(path.join(folder, href)), `${href} exists`).toBe(true);
    const identifiers = attributeValues(manifest, 'identifier');
    expect(new Set(identifiers).size).toBe(identifiers.length);
    for (const ref of attributeValues(manifest, 'identifierref')) expect(identifiers, `${ref} names a resource`).toContain(ref);
    expect(attributeValues(manifest, 'type').filter((t) => t === 'imsqti_xmlv1p2/imscc_xmlv1p1/assessment')).toHaveLength(6);
    expect(manifest).toContain('Daten &amp; &lt;Visualisierung&gt; &quot;Kurs&quot; データ');

    const quiz = pkg.document.modules[0]!.lessons[0]!.quiz.content;
    const qti = fs.readFileSync(path.join(folder, 'quizzes', pkg.document.modules[0]!.lessons[0]!.id, 'assessment.xml'), 'utf8');
    expect(qti).toContain('<fieldentry>cc.exam.v0p1</fieldentry>');
    expect(qti.match(/cc\.multiple_choice\.v0p1/g)).toHaveLength(quiz.questions.length);
    const correct = [...qti.matchAll(/<varequal respident="response1">([A-D])<\/varequal>/g)].map((m) => m[1]);
    expect(correct).toEqual(quiz.questions.map((q) => 'ABCD'[q.correctIndex]));
    const lessonPage = fs.readFileSync(path.join(folder, 'lessons', `${pkg.document.modules[0]!.lessons[0]!.id}.html`), 'utf8');
    expect(lessonPage).toContain(`<h1 id="${pkg.document.modules[0]!.lessons[0]!.id}--title">`);
  });
});
