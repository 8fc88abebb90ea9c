import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SaxesParser } from 'saxes';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScormScoMode } from '../../schemas/package.js';
import { hasChromium, launchChromium, chromiumPath } from '../e2e/browser.js';
import { exportToFolder } from '../fixtures/export-folder.js';
import { samplePackage } from '../fixtures/sample-package.js';
import { tempDataDir } from '../helpers.js';

/**
 * The contract between a SCORM manifest and the players it launches, checked from the outside on
 * the real export (core/export/scorm.ts through exportPackage, unpacked by Info-ZIP):
 *
 * 1. Every file a launched player loads (as Chromium loads it, plus every URL its HTML, CSS and
 *    JavaScript name) is listed by the resource that launches it or by a resource it depends on,
 *    and every listed file is in the zip. An LMS that copies only listed files, or a CDN-backed
 *    LMS that serves only them, would otherwise ship a player without its script or stylesheet.
 * 2. Every sequencing and metadata attribute the LMS acts on, pinned to a literal value, one test
 *    per attribute, so that deleting or changing any one of them fails exactly one named test.
 */

type Version = 'scorm12' | 'scorm2004';
const cases: Array<[Version, ScormScoMode]> = [
  ['scorm12', 'course'],
  ['scorm12', 'module'],
  ['scorm2004', 'course'],
  ['scorm2004', 'module'],
];

// Three modules of two lessons: enough to see order and one-per-module in module mode.
const pkg = samplePackage({ shape: { modules: 3, lessonsPerModule: 2 } });

const exported = new Map<string, Promise<string>>();
/** The unpacked export of one version and SCO mode, made once per file. */
const exportOf = (version: Version, mode: ScormScoMode) => {
  const key = `${version}/${mode}`;
  if (!exported.has(key)) exported.set(key, exportToFolder(pkg, version, { scoMode: mode }));
  return exported.get(key)!;
};

// ---------------------------------------------------------------------------------------------
// The manifest, read with a conforming namespace-aware XML parser: attributes are found by
// namespace and local name, so a wrong prefix binding or a misspelt name reads as absent.

interface XmlElement {
  uri: string;
  local: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

const ns = {
  cp12: 'http://www.imsproject.org/xsd/imscp_rootv1p1p2',
  adlcp12: 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  cp2004: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  adlcp2004: 'http://www.adlnet.org/xsd/adlcp_v1p3',
  adlseq: 'http://www.adlnet.org/xsd/adlseq_v1p3',
  imsss: 'http://www.imsglobal.org/xsd/imsss',
} as const;

function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw new Error(`the manifest is not well-formed XML: ${error.message}`);
  });
  parser.on('opentag', (tag) => {
    const attributes = new Map<string, string>();
    for (const attribute of Object.values(tag.attributes)) attributes.set(`${attribute.uri}|${attribute.local}`, attribute.value);
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  return root!;
}

const kids = (element: XmlElement | undefined, uri: string, local: string) => (element?.children ?? []).filter((c) => c.uri === uri && c.local === local);
const kid = (element: XmlElement | undefined, uri: string, local: string) => kids(element, uri, local)[0];
/** An attribute by namespace ('' for none) and local name; undefined when absent. */
const attr = (element: XmlElement | undefined, uri: string, local: string) => element?.attributes.get(`${uri}|${local}`);
const textOf = (element: XmlElement | undefined) => element?.text.trim();

interface ManifestResource {
  identifier: string;
  href: string | undefined;
  files: string[];
  dependencies: string[];
  element: XmlElement;
}

const cpOf = (manifest: XmlElement) => (manifest.uri === ns.cp12 ? ns.cp12 : ns.cp2004);

function resourcesOf(manifest: XmlElement): ManifestResource[] {
  const cp = cpOf(manifest);
  return kids(kid(manifest, cp, 'resources'), cp, 'resource').map((element) => ({
    identifier: attr(element, '', 'identifier') ?? '',
    href: attr(element, '', 'href'),
    files: kids(element, cp, 'file').map((f) => attr(f, '', 'href') ?? ''),
    dependencies: kids(element, cp, 'dependency').map((d) => attr(d, '', 'identifierref') ?? ''),
    element,
  }));
}

// ---------------------------------------------------------------------------------------------
// What a launched page loads. Chromium opens the page from a local HTTP server, the way an LMS
// serves it; we record every request it makes and also read every URL the page names but need
// not fetch at once (links, lazy images, fonts not yet used, paths in script strings).

interface Crawl {
  /** Package paths (no query or fragment) the launch page and every page it reaches load or name. */
  files: Set<string>;
  /** HTML pages of the package the crawl opened, the launch page first. */
  pages: Set<string>;
  /** "page → URL" for every URL that leaves the package. */
  outside: Set<string>;
}

/** Schemes that name no file: nothing to list for them. */
const fileless = new Set(['data:', 'blob:', 'about:', 'javascript:', 'mailto:', 'tel:']);

/** A string in shipped JavaScript that reads as the path of a file a player could load. */
const resourcePath = /^[^\s<>"'`()]+\.(?:html?|m?js|css|json|xml|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|eot|mp3|mp4|m4a|ogg|oga|webm|wav|vtt|pdf|zip)(?:[?#]\S*)?$/i;

/** Every string literal and template piece in a script, as TypeScript's parser reads it. */
function scriptStrings(source: string): string[] {
  const file = ts.createSourceFile('shipped.js', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function serveFolder(root: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

/** What the page names in its DOM and its style sheets, read by the browser's own parsers. */
function namedInPage(): { urls: string[]; scripts: Array<{ src: string | null; text: string }> } {
  const urls: string[] = [];
  const add = (value: string | null | undefined, base: string) => {
    if (value && value.trim()) urls.push(new URL(value.trim(), base).href);
  };
  const base = document.baseURI;
  for (const element of Array.from(document.querySelectorAll('*'))) {
    for (const name of ['src', 'href', 'poster', 'data', 'action', 'formaction', 'background', 'xlink:href']) add(element.getAttribute(name), base);
    for (const name of ['srcset', 'imagesrcset']) for (const candidate of (element.getAttribute(name) ?? '').split(',')) add(candidate.trim().split(/\s+/)[0], base);
    if (element.localName === 'meta' && element.getAttribute('http-equiv')?.toLowerCase() === 'refresh') add(/url\s*=\s*(.+)$/i.exec(element.getAttribute('content') ?? '')?.[1], base);
    const style = element.getAttribute('style');
    if (style) for (const m of style.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g)) add(m[1] ?? m[2] ?? m[3], base);
  }
  const walk = (rules: CSSRuleList, sheetBase: string) => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSImportRule) {
        add(rule.href, sheetBase);
        if (rule.styleSheet) walk(rule.styleSheet.cssRules, new URL(rule.href, sheetBase).href);
      }
      if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules, sheetBase);
      if ('style' in rule) {
        const declarations = (rule as CSSStyleRule).style;
        for (let i = 0; i < declarations.length; i++) {
          const value = declarations.getPropertyValue(declarations.item(i));
          for (const m of value.matchAll(/url\(\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^)\s]*))\s*\)/g)) add(m[1] ?? m[2] ?? m[3], sheetBase);
        }
      }
    }
  };
  for (const sheet of Array.from(document.styleSheets)) walk(sheet.cssRules, sheet.href ?? base);
  const scripts = Array.from(document.scripts).map((s) => ({ src: s.src || null, text: s.src ? '' : s.text }));
  return { urls, scripts };
}

async function crawlFrom(browser: Browser, folder: string, launch: string): Promise<Crawl> {
  const server = await serveFolder(folder);
  const crawl: Crawl = { files: new Set(), pages: new Set(), outside: new Set() };
  const queue = [launch];
  const context = await browser.newContext();
  try {
    // Nothing leaves the machine: a request outside the package is recorded and aborted.
    await context.route('**/*', (route) => (route.request().url().startsWith(`${server.origin}/`) ? route.continue() : route.abort()));
    while (queue.length > 0) {
      const pagePath = queue.shift()!;
      if (crawl.pages.has(pagePath)) continue;
      crawl.pages.add(pagePath);
      const page = await context.newPage();
      const seen: string[] = [];
      page.on('request', (request) => seen.push(request.url()));
      const pageUrl = `${server.origin}/${pagePath}`;
      await page.goto(pageUrl, { waitUntil: 'load' });
      const named = await page.evaluate(namedInPage);
      seen.push(...named.urls);
      for (const script of named.scripts) {
        const own = script.src?.startsWith(`${server.origin}/`) ? path.join(folder, decodeURIComponent(new URL(script.src).pathname)) : undefined;
        const source = script.src ? (own && fs.existsSync(own) ? fs.readFileSync(own, 'utf8') : '') : script.text;
        // Script strings resolve against the document that runs the script, not the script's URL.
        for (const value of scriptStrings(source)) if (resourcePath.test(value)) seen.push(new URL(value, pageUrl).href);
      }
      await page.close();
      for (const url of seen) {
        const parsed = new URL(url);
        if (fileless.has(parsed.protocol)) continue;
        if (parsed.origin !== server.origin) {
          crawl.outside.add(`${pagePath} → ${url}`);
          continue;
        }
        const file = decodeURIComponent(parsed.pathname.slice(1));
        crawl.files.add(file);
        if (/\.html?$/i.test(file) && fs.existsSync(path.join(folder, file))) queue.push(file);
      }
    }
  } finally {
    await context.close();
    await server.close();
  }
  return crawl;
}

/** Every file in an unpacked package, as forward-slash paths from its root. */
function packageFiles(folder: string): Set<string> {
  return new Set((fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).map((e) => path.relative(folder, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
}

/**
 * The contract check: each problem is one sentence naming the file and the resource. Crawls are
 * keyed by the launch href they started from.
 */
function manifestFileProblems(manifestXml: string, inZip: Set<string>, crawls: Map<string, Crawl>): string[] {
  const resources = resourcesOf(parseXml(manifestXml));
  const byId = new Map(resources.map((r) => [r.identifier, r]));
  const problems: string[] = [];
  for (const resource of resources) for (const file of resource.files) if (!inZip.has(file)) problems.push(`resource ${resource.identifier} lists ${file}, which is not in the package`);
  const reached = new Set<string>();
  for (const resource of resources) {
    if (!resource.href) continue;
    const listed = new Set<string>();
    const visited = new Set<string>();
    const collect = (r: ManifestResource) => {
      if (visited.has(r.identifier)) return;
      visited.add(r.identifier);
      r.files.forEach((f) => listed.add(f));
      for (const ref of r.dependencies) {
        const dependency = byId.get(ref);
        if (dependency) collect(dependency);
        else problems.push(`resource ${r.identifier} depends on ${ref}, which is no resource of the manifest`);
      }
    };
    collect(resource);
    const crawl = crawls.get(resource.href);
    if (!crawl) {
      problems.push(`resource ${resource.identifier} launches ${resource.href}, which no player crawl started from`);
      continue;
    }
    crawl.pages.forEach((p) => reached.add(p));
    for (const file of [...crawl.files].sort()) {
      if (!listed.has(file)) problems.push(`${resource.href} loads ${file}, which resource ${resource.identifier} does not list, nor any resource it depends on`);
      if (!inZip.has(file)) problems.push(`${resource.href} loads ${file}, which is not in the package`);
    }
    for (const leaving of crawl.outside) problems.push(`${leaving} leaves the package`);
  }
  for (const file of [...inZip].sort()) if (/\.html?$/i.test(file) && !reached.has(file)) problems.push(`${file} is in the package but no SCO launches it or links to it`);
  return problems;
}

const noChromium = `needs Chromium at ${chromiumPath} (Debian's chromium, or set COURSEWRIGHT_CHROMIUM)`;

let browser: Promise<Browser> | undefined;
const sharedBrowser = () => (browser ??= launchChromium());
afterAll(async () => {
  if (browser) await (await browser).close();
});

const crawled = new Map<string, Promise<Map<string, Crawl>>>();
/** Crawls from every SCO launch href of the real manifest of one export, once per file. */
function crawlsOf(version: Version, mode: ScormScoMode): Promise<Map<string, Crawl>> {
  const key = `${version}/${mode}`;
  if (!crawled.has(key))
    crawled.set(
      key,
      (async () => {
        const folder = await exportOf(version, mode);
        const launches = resourcesOf(parseXml(fs.readFileSync(path.join(folder, 'imsmanifest.xml'), 'utf8'))).flatMap((r) => (r.href ? [r.href] : []));
        const result = new Map<string, Crawl>();
        for (const launch of launches) result.set(launch, await crawlFrom(await sharedBrowser(), folder, launch));
        return result;
      })(),
    );
  return crawled.get(key)!;
}

/** The launch pages of each export, written out so a change to naming or count fails here. */
const launchPages: Record<ScormScoMode, string[]> = {
  course: ['player/course.html'],
  module: ['player/m1-data-visualisation.html', 'player/m2-data-visualisation.html', 'player/m3-data-visualisation.html'],
};
const scoResourceIds: Record<ScormScoMode, string[]> = {
  course: ['res-course'],
  module: ['res-m1-data-visualisation', 'res-m2-data-visualisation', 'res-m3-data-visualisation'],
};

describe.each(cases)('%s, one SCO per %s: the manifest lists every file the players load', (version, mode) => {
  const manifestOf = async () => fs.readFileSync(path.join(await exportOf(version, mode), 'imsmanifest.xml'), 'utf8');

  it('each player loads its page, the stylesheet and the script, from inside the package', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    const crawls = await crawlsOf(version, mode);
    expect([...crawls.keys()]).toEqual(launchPages[mode]);
    for (const [launch, crawl] of crawls) {
      expect([...crawl.files].sort(), launch).toEqual(['assets/course.css', 'assets/course.js', launch].sort());
      expect([...crawl.outside], launch).toEqual([]);
    }
  });

  it('the real export passes: every loaded file listed, every listed file present, every page launched', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    const folder = await exportOf(version, mode);
    expect(manifestFileProblems(await manifestOf(), packageFiles(folder), await crawlsOf(version, mode))).toEqual([]);
  });

  it('a manifest copy without any one <file> entry is reported, naming that file', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    const folder = await exportOf(version, mode);
    const manifest = await manifestOf();
    const entries = [...manifest.matchAll(/\n\s*<file href="([^"]+)"\/>/g)];
    expect(entries.map((m) => m[1])).toEqual([...launchPages[mode], 'assets/course.css', 'assets/course.js']);
    const crawls = await crawlsOf(version, mode);
    for (const entry of entries) {
      const copy = manifest.slice(0, entry.index) + manifest.slice(entry.index! + entry[0].length);
      const problems = manifestFileProblems(copy, packageFiles(folder), crawls);
      expect(problems.length, `without <file href="${entry[1]}">`).toBeGreaterThan(0);
      for (const problem of problems) expect(problem).toContain(` loads ${entry[1]}, which resource `);
    }
  });

  it('a manifest copy whose first SCO lost its <dependency> on the shared assets is reported for both assets', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    const folder = await exportOf(version, mode);
    const manifest = await manifestOf();
    const copy = manifest.replace(/\n\s*<dependency identifierref="res-shared"\/>/, '');
    expect(copy).not.toBe(manifest);
    const [launch] = launchPages[mode];
    const [id] = scoResourceIds[mode];
    expect(manifestFileProblems(copy, packageFiles(folder), await crawlsOf(version, mode))).toEqual([
      `${launch} loads assets/course.css, which resource ${id} does not list, nor any resource it depends on`,
      `${launch} loads assets/course.js, which resource ${id} does not list, nor any resource it depends on`,
    ]);
  });

  it('a dependency naming no resource, a listed file missing from the zip and an HTML page nothing launches are each reported', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    const folder = await exportOf(version, mode);
    const manifest = await manifestOf();
    const crawls = await crawlsOf(version, mode);
    const [id] = scoResourceIds[mode];

    const danglingDependency = manifest.replace('<dependency identifierref="res-shared"/>', '<dependency identifierref="res-shared"/><dependency identifierref="res-fonts"/>');
    expect(manifestFileProblems(danglingDependency, packageFiles(folder), crawls)).toEqual([`resource ${id} depends on res-fonts, which is no resource of the manifest`]);

    const withoutScript = packageFiles(folder);
    withoutScript.delete('assets/course.js');
    expect(manifestFileProblems(manifest, withoutScript, crawls)).toEqual([
      'resource res-shared lists assets/course.js, which is not in the package',
      ...launchPages[mode].map((launch) => `${launch} loads assets/course.js, which is not in the package`),
    ]);

    const withStrayPage = packageFiles(folder);
    withStrayPage.add('player/preview.html');
    expect(manifestFileProblems(manifest, withStrayPage, crawls)).toEqual(['player/preview.html is in the package but no SCO launches it or links to it']);
  });
});

describe('the load check sees every kind of reference a player could make', () => {
  it('images, stylesheets, fonts and backgrounds in CSS, paths in scripts, frames, linked pages and URLs outside the package', async ({ skip }) => {
    skip(!hasChromium, noChromium);
    // A scratch copy of the real SCORM 2004 course export, with a player that reaches further.
    const folder = path.join(tempDataDir('cw-scorm-refs'), 'files');
    fs.cpSync(await exportOf('scorm2004', 'course'), folder, { recursive: true });
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      fs.writeFileSync(path.join(folder, file), text);
    };
    const player = fs.readFileSync(path.join(folder, 'player/course.html'), 'utf8');
    write(
      'player/course.html',
      player
        .replace('</head>', '<link rel="stylesheet" href="../assets/theme.css">\n</head>')
        .replace(
          '<main id="main" tabindex="-1">',
          `<main id="main" tabindex="-1">
<img src="../media/cover.jpg" alt="" loading="lazy">
<picture><source srcset="../media/chart-2x.webp 2x, ../media/chart.webp 1x"><img src="../media/chart.png" alt=""></picture>
<iframe src="frame.html" title="Exercise"></iframe>
<a href="glossary.html#terms">Glossary</a>
<img src="../media/missing.png" alt="">
<img src="https://cdn.invalid/logo.png" alt="">`,
        ),
    );
    write('assets/theme.css', '@import url("print.css") print;\n@font-face { font-family: Body; src: url("fonts/body.woff2") format("woff2"); }\n.banner { background-image: url(../media/paper.png); }\n');
    write('assets/print.css', '@media print { .cover { background: url(\'../media/print-cover.svg\') no-repeat; } }\n');
    write('player/frame.html', '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Exercise</title><script src="../assets/exercise.js"></script></head><body></body></html>\n');
    write('assets/exercise.js', 'var clip = `../media/clip.mp4`;\n');
    write('player/glossary.html', '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Glossary</title></head><body><img src="../media/diagram.svg" alt=""></body></html>\n');
    fs.appendFileSync(path.join(folder, 'assets/course.js'), "\nvar narration = '../media/narration.mp3';\n");
    for (const file of ['media/cover.jpg', 'media/chart-2x.webp', 'media/chart.webp', 'media/chart.png', 'assets/fonts/body.woff2', 'media/paper.png', 'media/print-cover.svg', 'media/clip.mp4', 'media/diagram.svg', 'media/narration.mp3']) write(file, '');

    const crawls = new Map([['player/course.html', await crawlFrom(await sharedBrowser(), folder, 'player/course.html')]]);
    const problems = manifestFileProblems(fs.readFileSync(path.join(folder, 'imsmanifest.xml'), 'utf8'), packageFiles(folder), crawls);
    const unlisted = (file: string) => `player/course.html loads ${file}, which resource res-course does not list, nor any resource it depends on`;
    expect(problems).toEqual([
      unlisted('assets/exercise.js'),
      unlisted('assets/fonts/body.woff2'),
      unlisted('assets/print.css'),
      unlisted('assets/theme.css'),
      unlisted('media/chart-2x.webp'),
      unlisted('media/chart.png'),
      unlisted('media/chart.webp'),
      unlisted('media/clip.mp4'),
      unlisted('media/cover.jpg'),
      unlisted('media/diagram.svg'),
      unlisted('media/missing.png'),
      'player/course.html loads media/missing.png, which is not in the package',
      unlisted('media/narration.mp3'),
      unlisted('media/paper.png'),
      unlisted('media/print-cover.svg'),
      unlisted('player/frame.html'),
      unlisted('player/glossary.html'),
      'player/course.html → https://cdn.invalid/logo.png leaves the package',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sequencing and metadata, pinned. Expected values are literals from the fixture's syllabus
// (three mock modules) and from the SCORM books, never read back from the exporter.

const courseTitle = 'Practical Data Visualisation with Python';
const moduleKeys = ['m1-data-visualisation', 'm2-data-visualisation', 'm3-data-visualisation'];
const scoTitles: Record<ScormScoMode, string[]> = {
  course: [courseTitle],
  module: ['Module 1: Getting started with Data Visualisation', 'Module 2: Working with Python', 'Module 3: Putting Data Visualisation together'],
};
const scoKeys: Record<ScormScoMode, string[]> = { course: ['course'], module: moduleKeys };

type Pin = { attribute: string; read: (manifest: XmlElement) => unknown; expected: unknown };

const organizationsOf = (m: XmlElement) => kid(m, cpOf(m), 'organizations');
const organizationOf = (m: XmlElement) => kid(organizationsOf(m), cpOf(m), 'organization');
const itemsOf = (m: XmlElement) => kids(organizationOf(m), cpOf(m), 'item');
const itemSequencing = (item: XmlElement) => kid(item, ns.imsss, 'sequencing');
const primaryObjective = (item: XmlElement) => kid(kid(itemSequencing(item), ns.imsss, 'objectives'), ns.imsss, 'primaryObjective');
const deliveryControls = (item: XmlElement) => kid(itemSequencing(item), ns.imsss, 'deliveryControls');
const organizationSequencing = (m: XmlElement) => kid(organizationOf(m), ns.imsss, 'sequencing');
const controlMode = (m: XmlElement) => kid(organizationSequencing(m), ns.imsss, 'controlMode');
const localNames = (element: XmlElement | undefined) => (element?.children ?? []).map((c) => c.local);
const attributeKeys = (element: XmlElement | undefined) => [...(element?.attributes.keys() ?? [])].sort();

function pinsFor(version: Version, mode: ScormScoMode): Pin[] {
  const keys = scoKeys[mode];
  const each = <T>(value: T) => keys.map(() => value);
  // SCORM 1.2 spells the attribute scormtype, SCORM 2004 scormType, each in its own adlcp namespace.
  const scormType = (element: XmlElement | undefined) => (version === 'scorm12' ? attr(element, ns.adlcp12, 'scormtype') : attr(element, ns.adlcp2004, 'scormType'));
  const common: Pin[] = [
    { attribute: 'manifest identifier', read: (m) => attr(m, '', 'identifier'), expected: 'cw-course-sample-v1' },
    { attribute: 'manifest version', read: (m) => attr(m, '', 'version'), expected: '1' },
    { attribute: 'manifest namespace', read: (m) => m.uri, expected: version === 'scorm12' ? ns.cp12 : ns.cp2004 },
    { attribute: 'metadata schema', read: (m) => textOf(kid(kid(m, cpOf(m), 'metadata'), cpOf(m), 'schema')), expected: 'ADL SCORM' },
    { attribute: 'metadata schemaversion', read: (m) => textOf(kid(kid(m, cpOf(m), 'metadata'), cpOf(m), 'schemaversion')), expected: version === 'scorm12' ? '1.2' : '2004 4th Edition' },
    { attribute: 'one organization', read: (m) => kids(organizationsOf(m), cpOf(m), 'organization').length, expected: 1 },
    { attribute: 'organizations default', read: (m) => attr(organizationsOf(m), '', 'default'), expected: 'org-course' },
    { attribute: 'organization identifier', read: (m) => attr(organizationOf(m), '', 'identifier'), expected: 'org-course' },
    { attribute: 'organization title', read: (m) => textOf(kid(organizationOf(m), cpOf(m), 'title')), expected: courseTitle },
    { attribute: 'item identifiers, in course order', read: (m) => itemsOf(m).map((i) => attr(i, '', 'identifier')), expected: keys.map((k) => `item-${k}`) },
    { attribute: 'item identifierrefs', read: (m) => itemsOf(m).map((i) => attr(i, '', 'identifierref')), expected: keys.map((k) => `res-${k}`) },
    { attribute: 'item titles', read: (m) => itemsOf(m).map((i) => textOf(kid(i, cpOf(m), 'title'))), expected: scoTitles[mode] },
    { attribute: 'item isvisible', read: (m) => itemsOf(m).map((i) => attr(i, '', 'isvisible')), expected: each('true') },
    { attribute: 'items are leaves', read: (m) => itemsOf(m).map((i) => kids(i, cpOf(m), 'item').length), expected: each(0) },
    {
      attribute: 'item identifierrefs name SCO resources',
      read: (m) => itemsOf(m).map((i) => scormType(resourcesOf(m).find((r) => r.identifier === attr(i, '', 'identifierref'))?.element)),
      expected: each('sco'),
    },
    { attribute: 'resource identifiers', read: (m) => resourcesOf(m).map((r) => r.identifier), expected: [...keys.map((k) => `res-${k}`), 'res-shared'] },
    { attribute: 'resource type', read: (m) => resourcesOf(m).map((r) => attr(r.element, '', 'type')), expected: [...each('webcontent'), 'webcontent'] },
    { attribute: `resource adlcp:${version === 'scorm12' ? 'scormtype' : 'scormType'}`, read: (m) => resourcesOf(m).map((r) => scormType(r.element)), expected: [...each('sco'), 'asset'] },
    { attribute: 'resource href (launch)', read: (m) => resourcesOf(m).map((r) => r.href), expected: [...launchPages[mode], undefined] },
    { attribute: 'resource files', read: (m) => resourcesOf(m).map((r) => r.files), expected: [...launchPages[mode].map((l) => [l]), ['assets/course.css', 'assets/course.js']] },
    { attribute: 'resource dependencies', read: (m) => resourcesOf(m).map((r) => r.dependencies), expected: [...each(['res-shared']), []] },
  ];
  if (version === 'scorm12')
    return [
      ...common,
      { attribute: 'item adlcp:masteryscore', read: (m) => itemsOf(m).map((i) => textOf(kid(i, ns.adlcp12, 'masteryscore'))), expected: each('70') },
      { attribute: 'item children', read: (m) => itemsOf(m).map(localNames), expected: each(['title', 'masteryscore']) },
    ];
  return [
    ...common,
    { attribute: 'item children', read: (m) => itemsOf(m).map(localNames), expected: each(['title', 'sequencing']) },
    { attribute: 'item imsss:sequencing children', read: (m) => itemsOf(m).map((i) => localNames(itemSequencing(i))), expected: each(['objectives', 'deliveryControls']) },
    { attribute: 'item objectives: the primary one only', read: (m) => itemsOf(m).map((i) => localNames(kid(itemSequencing(i), ns.imsss, 'objectives'))), expected: each(['primaryObjective']) },
    { attribute: 'primaryObjective objectiveID', read: (m) => itemsOf(m).map((i) => attr(primaryObjective(i), '', 'objectiveID')), expected: keys.map((k) => `obj-${k}`) },
    { attribute: 'primaryObjective satisfiedByMeasure', read: (m) => itemsOf(m).map((i) => attr(primaryObjective(i), '', 'satisfiedByMeasure')), expected: each('true') },
    { attribute: 'primaryObjective minNormalizedMeasure', read: (m) => itemsOf(m).map((i) => textOf(kid(primaryObjective(i), ns.imsss, 'minNormalizedMeasure'))), expected: each('0.7') },
    { attribute: 'primaryObjective has no mapInfo', read: (m) => itemsOf(m).map((i) => localNames(primaryObjective(i))), expected: each(['minNormalizedMeasure']) },
    { attribute: 'deliveryControls tracked', read: (m) => itemsOf(m).map((i) => attr(deliveryControls(i), '', 'tracked')), expected: each('true') },
    { attribute: 'deliveryControls completionSetByContent', read: (m) => itemsOf(m).map((i) => attr(deliveryControls(i), '', 'completionSetByContent')), expected: each('true') },
    { attribute: 'deliveryControls objectiveSetByContent', read: (m) => itemsOf(m).map((i) => attr(deliveryControls(i), '', 'objectiveSetByContent')), expected: each('true') },
    { attribute: 'deliveryControls has no other attribute', read: (m) => itemsOf(m).map((i) => attributeKeys(deliveryControls(i))), expected: each(['|completionSetByContent', '|objectiveSetByContent', '|tracked']) },
    { attribute: 'no adlcp:completionThreshold (the content reports completion)', read: (m) => itemsOf(m).map((i) => kids(i, ns.adlcp2004, 'completionThreshold').length), expected: each(0) },
    { attribute: 'organization children: title, items, then sequencing', read: (m) => localNames(organizationOf(m)), expected: ['title', ...each('item'), 'sequencing'] },
    { attribute: 'organization imsss:sequencing children', read: (m) => localNames(organizationSequencing(m)), expected: ['controlMode'] },
    { attribute: 'organization controlMode choice', read: (m) => attr(controlMode(m), '', 'choice'), expected: 'true' },
    { attribute: 'organization controlMode flow', read: (m) => attr(controlMode(m), '', 'flow'), expected: 'true' },
    { attribute: 'organization controlMode has no other attribute (choiceExit, forwardOnly stay default)', read: (m) => attributeKeys(controlMode(m)), expected: ['|choice', '|flow'] },
    { attribute: 'organization adlseq:objectivesGlobalToSystem absent', read: (m) => attr(organizationOf(m), ns.adlseq, 'objectivesGlobalToSystem'), expected: undefined },
    { attribute: 'organization adlseq:sharedDataGlobalToSystem absent', read: (m) => attr(organizationOf(m), ns.adlseq, 'sharedDataGlobalToSystem'), expected: undefined },
    { attribute: 'no sequencingCollection', read: (m) => kids(m, ns.imsss, 'sequencingCollection').length, expected: 0 },
  ];
}

describe.each(cases)('%s, one SCO per %s: sequencing and metadata', (version, mode) => {
  const manifest = async () => parseXml(fs.readFileSync(path.join(await exportOf(version, mode), 'imsmanifest.xml'), 'utf8'));
  it.each(pinsFor(version, mode))('$attribute', async ({ read, expected }) => {
    expect(read(await manifest())).toStrictEqual(expected);
  });
});
