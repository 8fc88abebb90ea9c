import type { Quiz } from '../../schemas/content.js';
import { checkCancelled } from './guard.js';
import { courseCss } from './html/assets.js';
import { lessonArticle, page } from './html/render.js';
import { packageStamp, projectHref, projectPageFile, type ExportFile } from './html/site.js';
import type { ExportablePackage, ExportProgress } from './types.js';
import { assertWellFormedXmlFiles } from './xml-well-formed.js';
import { xmlAttr, xmlText } from './xml.js';
import type { ZipWriter } from './zip.js';

/**
 * IMS Common Cartridge 1.1, the version Moodle imports (Canvas too): one web page per lesson and
 * per project, each quiz a QTI 1.2.1 assessment, and an organization that is a rooted hierarchy
 * (one untitled root item, modules under it, lessons and quizzes under those).
 */

const ns = {
  cp: 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1',
  lomManifest: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest',
  lomResource: 'http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource',
  qti: 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2',
};

/** xs:ID values are NCNames; entity ids may start with a digit. */
const xmlId = (prefix: string, id: string) => `${prefix}_${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
const optionIdent = (index: number) => String.fromCharCode(65 + index);

const lessonPagePath = (lessonId: string) => `lessons/${lessonId}.html`;
const quizPath = (lessonId: string) => `quizzes/${lessonId}/assessment.xml`;

/** A QTI 1.2.1 assessment in the Common Cartridge profile: single-answer multiple choice, feedback from the explanation. */
export function quizAssessmentXml(quiz: Quiz, lessonId: string): string {
  const items = quiz.questions
    .map((question, qi) => {
      const ident = xmlId('q', `${lessonId}-${question.id}`);
      const choices = question.options
        .map((option, oi) => `            <response_label ident="${optionIdent(oi)}">
              <material><mattext texttype="text/plain">${xmlText(option)}</mattext></material>
            </response_label>`)
        .join('\n');
      return `      <item ident="${ident}" title="${xmlAttr(`Question ${qi + 1}`)}">
        <itemmetadata>
          <qtimetadata>
            <qtimetadatafield><fieldlabel>cc_profile</fieldlabel><fieldentry>cc.multiple_choice.v0p1</fieldentry></qtimetadatafield>
            <qtimetadatafield><fieldlabel>cc_weighting</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield>
          </qtimetadata>
        </itemmetadata>
        <presentation>
          <material><mattext texttype="text/plain">${xmlText(question.prompt)}</mattext></material>
          <response_lid ident="response1" rcardinality="Single">
            <render_choice>
${choices}
            </render_choice>
          </response_lid>
        </presentation>
        <resprocessing>
          <outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/></outcomes>
          <respcondition continue="Yes">
            <conditionvar><other/></conditionvar>
            <displayfeedback feedbacktype="Response" linkrefid="general_fb"/>
          </respcondition>
          <respcondition continue="No">
            <conditionvar><varequal respident="response1">${optionIdent(question.correctIndex)}</varequal></conditionvar>
            <setvar action="Set" varname="SCORE">100</setvar>
          </respcondition>
        </resprocessing>
        <itemfeedback ident="general_fb">
          <flow_mat><material><mattext texttype="text/plain">${xmlText(question.explanation)}</mattext></material></flow_mat>
        </itemfeedback>
      </item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<questestinterop xmlns="${ns.qti}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${ns.qti} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd">
  <assessment ident="${xmlId('quiz', lessonId)}" title="${xmlAttr(quiz.title)}">
    <qtimetadata>
      <qtimetadatafield><fieldlabel>cc_profile</fieldlabel><fieldentry>cc.exam.v0p1</fieldentry></qtimetadatafield>
      <qtimetadatafield><fieldlabel>qmd_assessmenttype</fieldlabel><fieldentry>Examination</fieldentry></qtimetadatafield>
      <qtimetadatafield><fieldlabel>qmd_scoretype</fieldlabel><fieldentry>Percentage</fieldentry></qtimetadatafield>
      <qtimetadatafield><fieldlabel>cc_maxattempts</fieldlabel><fieldentry>unlimited</fieldentry></qtimetadatafield>
    </qtimetadata>
    <section ident="root_section">
${items}
    </section>
  </assessment>
</questestinterop>
`;
}

function manifestXml(pkg: ExportablePackage): string {
  const doc = pkg.document;
  const course = doc.course;
  const organization = doc.modules
    .map((module, mi) => {
      const children = module.lessons
        .map(
          (lesson) => `          <item identifier="${xmlId('item', lesson.id)}" identifierref="${xmlId('res', lesson.id)}">
            <title>${xmlText(lesson.lesson.content.title)}</title>
          </item>
          <item identifier="${xmlId('item_quiz', lesson.id)}" identifierref="${xmlId('res_quiz', lesson.id)}">
            <title>${xmlText(lesson.quiz.content.title)}</title>
          </item>`,
        )
        .join('\n');
      const project = module.project
        ? `
          <item identifier="${xmlId('item_project', module.id)}" identifierref="${xmlId('res_project', module.id)}">
            <title>${xmlText(module.project.content.title)}</title>
          </item>`
        : '';
      return `        <item identifier="${xmlId('module', module.id)}">
          <title>${xmlText(`Module ${mi + 1}: ${module.title}`)}</title>
${children}${project}
        </item>`;
    })
    .join('\n');
  const resources = doc.modules
    .flatMap((module) => [
      ...module.lessons.flatMap((lesson) => [
        `    <resource identifier="${xmlId('res', lesson.id)}" type="webcontent" href="${lessonPagePath(lesson.id)}">
      <file href="${lessonPagePath(lesson.id)}"/>
      <dependency identifierref="res_assets"/>
    </resource>`,
        `    <resource identifier="${xmlId('res_quiz', lesson.id)}" type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment">
      <file href="${quizPath(lesson.id)}"/>
    </resource>`,
      ]),
      ...(module.project
        ? [
            `    <resource identifier="${xmlId('res_project', module.id)}" type="webcontent" href="${projectHref(module.id)}">
      <file href="${projectHref(module.id)}"/>
      <dependency identifierref="res_assets"/>
    </resource>`,
          ]
        : []),
    ])
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${xmlId('cw', `${pkg.courseId}-v${pkg.version}`)}"
  xmlns="${ns.cp}"
  xmlns:lomimscc="${ns.lomManifest}"
  xmlns:lom="${ns.lomResource}"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="${ns.cp} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd ${ns.lomManifest} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd ${ns.lomResource} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd">
  <metadata>
    <schema>IMS Common Cartridge</schema>
    <schemaversion>1.1.0</schemaversion>
    <lomimscc:lom>
      <lomimscc:general>
        <lomimscc:title>
          <lomimscc:string language="${xmlAttr(course.language)}">${xmlText(course.title)}</lomimscc:string>
        </lomimscc:title>
        <lomimscc:language>${xmlText(course.language)}</lomimscc:language>
        <lomimscc:description>
          <lomimscc:string language="${xmlAttr(course.language)}">${xmlText(course.summary)}</lomimscc:string>
        </lomimscc:description>
      </lomimscc:general>
    </lomimscc:lom>
  </metadata>
  <organizations>
    <organization identifier="org_course" structure="rooted-hierarchy">
      <item identifier="root">
${organization}
      </item>
    </organization>
  </organizations>
  <resources>
${resources}
    <resource identifier="res_assets" type="webcontent">
      <file href="assets/course.css"/>
    </resource>
  </resources>
</manifest>
`;
}

export function commonCartridgeFiles(pkg: ExportablePackage, onLesson?: (done: number, total: number) => void): ExportFile[] {
  const doc = pkg.document;
  const course = doc.course;
  const files: ExportFile[] = [
    { path: 'imsmanifest.xml', data: manifestXml(pkg) },
    { path: 'assets/course.css', data: courseCss },
    packageStamp(pkg, 'imscc'),
  ];
  const lessons = doc.modules.flatMap((m) => m.lessons.map((lesson) => ({ module: m, lesson })));
  lessons.forEach(({ module, lesson }, i) => {
    files.push({
      path: lessonPagePath(lesson.id),
      data: page({
        language: course.language,
        title: `${lesson.lesson.content.title} · ${course.title}`,
        root: '../',
        courseTitle: `${course.title} · ${module.title}`,
        homeHref: '#main',
        main: lessonArticle(lesson.lesson.content, 1),
      }),
    });
    files.push({ path: quizPath(lesson.id), data: quizAssessmentXml(lesson.quiz.content, lesson.id) });
    onLesson?.(i + 1, lessons.length);
  });
  for (const module of doc.modules) {
    if (module.project) files.push(projectPageFile(pkg, module, { courseTitle: `${course.title} · ${module.title}`, homeHref: '#main' }));
  }
  return files;
}

export async function exportCommonCartridge(pkg: ExportablePackage, options: { zip: ZipWriter; onProgress?: ((p: ExportProgress) => void) | undefined; signal?: AbortSignal | undefined }): Promise<Uint8Array> {
  const files = commonCartridgeFiles(pkg, (done, total) => {
    checkCancelled(options.signal);
    options.onProgress?.({ phase: 'Writing lesson pages and assessments', done, total });
  });
  options.onProgress?.({ phase: 'Checking the manifest and assessments', done: 0, total: 1 });
  await assertWellFormedXmlFiles(files, options.signal);
  options.onProgress?.({ phase: 'Compressing', done: 0, total: 1 });
  return options.zip(files, { modified: new Date(pkg.createdAt) });
}
