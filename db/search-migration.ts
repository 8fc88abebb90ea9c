/*
 * The SQL of the search-index migration (see db/migrations.ts). Like every shipped migration it
 * is frozen: its checksum is recorded in every database it touched, so a change to the index is
 * a new migration, never an edit here.
 *
 * Why triggers rather than the store refreshing the index on write: lessons, quizzes, syllabus
 * versions and courses are written by several modules (generation, hand edits, outline edits,
 * course management) and by hand-run SQL in support cases. Triggers keep the index current
 * below every one of them, in the same transaction as the write, so a hit can never point at a
 * row that was rolled back, and no new write path can forget the index.
 *
 * Layout: `search_entries` is an ordinary table holding one row per findable thing (with the ids
 * the UI needs to jump there), indexed by what the triggers look rows up by; `search_text` is an
 * FTS5 index over its title and body (external content, so the text is stored once).
 *
 * "Only the latest version is a hit": writing a version of a lesson, quiz, project or syllabus
 * replaces the entries of the previous version of the same thing (same course, kind and
 * target), so older versions are never found. Deleting the newest version (a draft) puts the
 * newest remaining one back.
 */

/** Text leaves of a JSON document, space-separated, skipping ids and the given paths. */
const textOf = (json: string, skip: string[]) =>
  `COALESCE((SELECT group_concat(t.value, ' ') FROM json_tree(${json}) t WHERE t.type = 'text' AND t.key IS NOT 'id'${skip
    .map((path) => (path.endsWith('%') ? ` AND t.fullkey NOT LIKE '${path}'` : ` AND t.fullkey IS NOT '${path}'`))
    .join('')}), '')`;

/** Entries of the content items the WHERE clause selects: the item itself, and each quiz question. */
const indexContent = (where: string) => `
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT c.kind, c.id, c.course_id, c.syllabus_version_id, c.kind || ':' || c.target_id, c.target_id, NULL,
  COALESCE(json_extract(c.content_json, '$.title'), ''),
  ${textOf('c.content_json', ['$.questions%', '$.metadata%', '$.syllabusVersionId', '$.moduleId', '$.lessonId', '$.title'])}
FROM content_items c WHERE ${where};
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT 'question', c.id, c.course_id, c.syllabus_version_id, c.kind || ':' || c.target_id, json_extract(q.value, '$.id'), q.key,
  COALESCE(json_extract(q.value, '$.prompt'), ''),
  COALESCE((SELECT group_concat(o.value, ' · ') FROM json_each(q.value, '$.options') o), '') || ' ' || COALESCE(json_extract(q.value, '$.explanation'), '')
FROM content_items c, json_each(c.content_json, '$.questions') q WHERE c.kind = 'quiz' AND (${where});`;

/** Entries of the syllabus versions the WHERE clause selects: each module and each lesson. */
const indexSyllabus = (where: string) => `
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT 'module', s.id, s.course_id, s.id, 'module:' || json_extract(m.value, '$.id'), json_extract(m.value, '$.id'), m.key,
  COALESCE(json_extract(m.value, '$.title'), ''), COALESCE(json_extract(m.value, '$.summary'), '')
FROM syllabus_versions s, json_each(s.syllabus_json, '$.modules') m WHERE ${where};
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT 'syllabus_lesson', s.id, s.course_id, s.id, 'syllabus_lesson:' || json_extract(l.value, '$.id'), json_extract(l.value, '$.id'), l.key,
  COALESCE(json_extract(l.value, '$.title'), ''),
  COALESCE(json_extract(l.value, '$.summary'), '') || ' ' || COALESCE((SELECT group_concat(o.value, ' ') FROM json_each(l.value, '$.objectives') o), '')
FROM syllabus_versions s, json_each(s.syllabus_json, '$.modules') m, json_each(m.value, '$.lessons') l WHERE ${where};`;

const indexCourse = (where: string) => `
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT 'course', co.id, co.id, NULL, 'course', co.id, NULL, co.title, ${textOf('co.intent_json', ['$.title'])}
FROM courses co WHERE ${where};`;

const indexAudit = (where: string) => `
INSERT INTO search_entries (kind, source_id, course_id, syllabus_version_id, item_key, target_id, position, title, body)
SELECT 'audit', CAST(a.id AS TEXT), COALESCE(
    json_extract(a.metadata_json, '$.courseId'),
    CASE a.entity_type
      WHEN 'course' THEN a.entity_id
      WHEN 'content_item' THEN (SELECT course_id FROM content_items WHERE id = a.entity_id)
      WHEN 'syllabus_version' THEN (SELECT course_id FROM syllabus_versions WHERE id = a.entity_id)
      WHEN 'course_package' THEN (SELECT course_id FROM course_packages WHERE id = a.entity_id)
    END),
  NULL, 'audit:' || a.id, a.entity_id, NULL, a.action,
  a.actor || ' ' || a.entity_type || ' ' || a.entity_id || ' ' || ${textOf('a.metadata_json', [])}
FROM audit_log a WHERE ${where};`;

const newestContentOfTarget = (course: string, kind: string, target: string) =>
  `c.rowid = (SELECT max(rowid) FROM content_items WHERE course_id = ${course} AND kind = ${kind} AND target_id = ${target})`;
const newestSyllabusOfCourse = (course: string) => `s.rowid = (SELECT max(rowid) FROM syllabus_versions WHERE course_id = ${course})`;

export const searchIndexMigrationSql = `
CREATE TABLE search_entries (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  course_id TEXT,
  syllabus_version_id TEXT,
  item_key TEXT NOT NULL,
  target_id TEXT,
  position INTEGER,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  CONSTRAINT search_entries_kind_check CHECK (kind IN ('course', 'module', 'syllabus_lesson', 'lesson', 'quiz', 'question', 'project', 'audit'))
) STRICT;

CREATE INDEX search_entries_source_idx ON search_entries (source_id);
CREATE INDEX search_entries_course_item_idx ON search_entries (course_id, item_key);

CREATE VIRTUAL TABLE search_text USING fts5(
  title, body,
  content = 'search_entries', content_rowid = 'id',
  prefix = '2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_entries_text_insert AFTER INSERT ON search_entries BEGIN
  INSERT INTO search_text (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
END;

CREATE TRIGGER search_entries_text_delete AFTER DELETE ON search_entries BEGIN
  INSERT INTO search_text (search_text, rowid, title, body) VALUES ('delete', OLD.id, OLD.title, OLD.body);
END;

CREATE TRIGGER search_entries_no_update BEFORE UPDATE ON search_entries BEGIN
  SELECT RAISE(ABORT, 'search entries are replaced, never updated, so the text index stays in step');
END;

CREATE TRIGGER content_items_search_insert AFTER INSERT ON content_items BEGIN
  DELETE FROM search_entries WHERE course_id = NEW.course_id AND item_key = NEW.kind || ':' || NEW.target_id;
  ${indexContent('c.id = NEW.id')}
END;

CREATE TRIGGER content_items_search_delete AFTER DELETE ON content_items BEGIN
  DELETE FROM search_entries WHERE course_id = OLD.course_id AND item_key = OLD.kind || ':' || OLD.target_id;
  ${indexContent(newestContentOfTarget('OLD.course_id', 'OLD.kind', 'OLD.target_id'))}
END;

CREATE TRIGGER syllabus_versions_search_insert AFTER INSERT ON syllabus_versions BEGIN
  DELETE FROM search_entries WHERE course_id = NEW.course_id AND kind IN ('module', 'syllabus_lesson');
  ${indexSyllabus('s.id = NEW.id')}
END;

CREATE TRIGGER syllabus_versions_search_delete AFTER DELETE ON syllabus_versions BEGIN
  DELETE FROM search_entries WHERE course_id = OLD.course_id AND kind IN ('module', 'syllabus_lesson');
  ${indexSyllabus(newestSyllabusOfCourse('OLD.course_id'))}
END;

CREATE TRIGGER courses_search_insert AFTER INSERT ON courses BEGIN
  ${indexCourse('co.id = NEW.id')}
END;

CREATE TRIGGER courses_search_update AFTER UPDATE OF title, intent_json ON courses BEGIN
  DELETE FROM search_entries WHERE course_id = OLD.id AND kind = 'course';
  ${indexCourse('co.id = NEW.id')}
END;

CREATE TRIGGER courses_search_delete AFTER DELETE ON courses BEGIN
  DELETE FROM search_entries WHERE course_id = OLD.id AND kind <> 'audit';
END;

CREATE TRIGGER audit_log_search_insert AFTER INSERT ON audit_log BEGIN
  ${indexAudit('a.id = NEW.id')}
END;

${indexCourse('1')}
${indexSyllabus(newestSyllabusOfCourse('s.course_id'))}
${indexContent(newestContentOfTarget('c.course_id', 'c.kind', 'c.target_id'))}
${indexAudit('1')}
`;
