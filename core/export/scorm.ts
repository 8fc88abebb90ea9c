import type { PackageModule, ScormScoMode } from '../../schemas/package.js';
import { courseCss, courseScript } from './html/assets.js';
import { esc, lessonArticle, page, projectSection, quizSection } from './html/render.js';
import { packageStamp, type ExportFile, type StreamedText } from './html/site.js';
import type { ExportablePackage } from './types.js';
import { xmlAttr, xmlText } from './xml.js';

export type ScormVersion = 'scorm12' | 'scorm2004';

/** The share of quiz questions a learner must answer correctly to pass (SCORM 1.2 masteryscore 70, 2004 minNormalizedMeasure 0.7). */
export const MASTERY_SCALED = 0.7;

/** One shareable content object: what the LMS launches and tracks on its own. */
interface Sco {
  key: string;
  title: string;
  launch: string;
  modules: PackageModule[];
}

/** Manifest identifiers are xs:ID (an NCName): our entity ids may start with a digit, so they get a prefix. */
const xmlId = (prefix: string, id: string) => `${prefix}-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;

function scosOf(pkg: ExportablePackage, mode: ScormScoMode): Sco[] {
  const doc = pkg.document;
  if (mode === 'course') return [{ key: 'course', title: doc.course.title, launch: 'player/course.html', modules: doc.modules }];
  return doc.modules.map((module, i) => ({ key: module.id, title: `Module ${i + 1}: ${module.title}`, launch: `player/${module.id}.html`, modules: [module] }));
}

/**
 * One page per SCO holding every lesson it tracks. A SCO must keep its API session for the whole
 * attempt (Initialize once, Terminate once), so lessons are shown and hidden in place rather
 * than navigated to as separate pages.
 */
function playerPage(pkg: ExportablePackage, sco: Sco, version: ScormVersion): StreamedText {
  const doc = pkg.document;
  const lessons = sco.modules.flatMap((m) => m.lessons);
  const outline = sco.modules
    .map(
      (module) => `<li><span class="module-name">${esc(module.title)}</span><ol>
${module.lessons.map((l) => `<li><a href="#${esc(l.id)}" data-target="${esc(l.id)}">${esc(l.lesson.content.title)}</a><span class="seen-mark"></span></li>`).join('\n')}
${module.project ? `<li><a href="#project-${esc(module.id)}" data-target="project-${esc(module.id)}">${esc(module.project.content.title)}</a></li>` : ''}
</ol></li>`,
    )
    .join('\n');
  const nav = `<nav class="outline" aria-label="Lessons">
<p id="player-status" class="player-status" role="status"></p>
<ol>
${outline}
</ol>
<button type="button" id="player-exit" class="secondary">Save and exit</button>
</nav>`;
  const section = (i: number) => {
    const lesson = lessons[i]!;
    const previous = lessons[i - 1];
    const next = lessons[i + 1];
    const pager = `<nav class="pager" aria-label="Lesson navigation">${previous ? `<a href="#${esc(previous.id)}">Previous: ${esc(previous.lesson.content.title)}</a>` : '<span></span>'}${
      next ? `<a href="#${esc(next.id)}">Next: ${esc(next.lesson.content.title)}</a>` : '<span></span>'
    }</nav>`;
    return `<section class="player-page player-lesson" data-lesson="${esc(lesson.id)}" hidden>
${lessonArticle(lesson.lesson.content, 1)}
${quizSection(lesson.quiz.content, lesson.id, 2)}
${pager}
</section>
`;
  };
  const projects = sco.modules.flatMap((module) =>
    module.project ? [`<section class="player-page" data-page="project-${esc(module.id)}" hidden>\n${projectSection(module.project.content, 1)}\n</section>\n`] : [],
  );
  const marker = '\u0000lessons\u0000';
  const [head, tail] = page({
    language: doc.course.language,
    title: sco.title,
    root: '../',
    courseTitle: doc.course.title,
    homeHref: '#main',
    layout: 'player',
    bodyAttributes: { 'data-mode': version, 'data-mastery': String(MASTERY_SCALED) },
    scripts: ['../assets/course.js'],
    nav,
    main: marker,
  }).split(marker) as [string, string];
  return {
    *chunks() {
      yield head;
      for (let i = 0; i < lessons.length; i++) yield section(i);
      yield* projects;
      yield tail;
    },
  };
}

const sharedResourceId = 'res-shared';
const sharedFiles = ['assets/course.css', 'assets/course.js'];

function resources(scos: Sco[], scormTypeAttribute: string): string {
  const scoResources = scos
    .map(
      (sco) => `    <resource identifier="${xmlId('res', sco.key)}" type="webcontent" ${scormTypeAttribute}="sco" href="${xmlAttr(sco.launch)}">
      <file href="${xmlAttr(sco.launch)}"/>
      <dependency identifierref="${sharedResourceId}"/>
    </resource>`,
    )
    .join('\n');
  return `  <resources>
${scoResources}
    <resource identifier="${sharedResourceId}" type="webcontent" ${scormTypeAttribute}="asset">
${sharedFiles.map((f) => `      <file href="${f}"/>`).join('\n')}
    </resource>
  </resources>`;
}

function manifest12(pkg: ExportablePackage, scos: Sco[]): string {
  const items = scos
    .map(
      (sco) => `      <item identifier="${xmlId('item', sco.key)}" identifierref="${xmlId('res', sco.key)}" isvisible="true">
        <title>${xmlText(sco.title)}</title>
        <adlcp:masteryscore>${Math.round(MASTERY_SCALED * 100)}</adlcp:masteryscore>
      </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${xmlId('cw', `${pkg.courseId}-v${pkg.version}`)}" version="${pkg.version}"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-course">
    <organization identifier="org-course">
      <title>${xmlText(pkg.document.course.title)}</title>
${items}
    </organization>
  </organizations>
${resources(scos, 'adlcp:scormtype')}
</manifest>
`;
}

function manifest2004(pkg: ExportablePackage, scos: Sco[]): string {
  // The content reports its own completion and success, so the LMS must not mark them by itself.
  const items = scos
    .map(
      (sco) => `      <item identifier="${xmlId('item', sco.key)}" identifierref="${xmlId('res', sco.key)}" isvisible="true">
        <title>${xmlText(sco.title)}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="${xmlId('obj', sco.key)}" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>${MASTERY_SCALED}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls tracked="true" completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${xmlId('cw', `${pkg.courseId}-v${pkg.version}`)}" version="${pkg.version}"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="org-course">
    <organization identifier="org-course">
      <title>${xmlText(pkg.document.course.title)}</title>
${items}
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
${resources(scos, 'adlcp:scormType')}
</manifest>
`;
}

/** Every file of a SCORM package: manifest, the official schema files at the root, the players and their assets. */
export function scormFiles(
  pkg: ExportablePackage,
  version: ScormVersion,
  schemaFiles: Record<string, Uint8Array>,
  mode: ScormScoMode = 'course',
  onSco?: (done: number, total: number) => void,
): ExportFile[] {
  const scos = scosOf(pkg, mode);
  const files: ExportFile[] = [
    { path: 'imsmanifest.xml', data: version === 'scorm12' ? manifest12(pkg, scos) : manifest2004(pkg, scos) },
    { path: 'assets/course.css', data: courseCss },
    { path: 'assets/course.js', data: courseScript },
    packageStamp(pkg, version),
    ...Object.entries(schemaFiles).map(([path, data]) => ({ path, data })),
  ];
  scos.forEach((sco, i) => {
    files.push({ path: sco.launch, data: playerPage(pkg, sco, version) });
    onSco?.(i + 1, scos.length);
  });
  return files;
}
