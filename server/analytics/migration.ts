/**
 * The analytics tables (server migration 4). Aggregates are derived data: one aggregation run
 * owns everything of one (tenant, course, day) and replaces it whole, so every table below is
 * keyed by (tenant, course, package version, day, target) and hangs off `analytics_days` with
 * ON DELETE CASCADE — deleting a day's head row removes its funnel, lessons, quizzes, items and
 * signals in the same statement, and the run inserts the new ones in the same transaction.
 *
 * Suggestions are not derived data: people decide them. They are insert-only except their
 * decision (status, who, when, the dismissal reason), a decision is final, and a trigger holds
 * both rules against any code path, raw SQL included.
 *
 * `analytics_change_seq` orders every change the studio's sync must see (a day written, a
 * suggestion inserted or decided); writers take a per-tenant advisory lock before drawing from it
 * (server/analytics/storage.ts), so a tenant's committed sequence numbers always form a prefix
 * and a cursor never skips a row that commits late.
 */
export const analyticsMigrationSql = `
CREATE SEQUENCE analytics_change_seq;

CREATE TABLE analytics_days (
  tenant_id text NOT NULL REFERENCES tenants(id),
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  package_content_hash text NOT NULL,
  inactive_after_days integer NOT NULL CONSTRAINT analytics_days_inactive CHECK (inactive_after_days >= 0),
  digest text NOT NULL,
  change_seq bigint NOT NULL,
  CONSTRAINT analytics_days_pk PRIMARY KEY (tenant_id, course_id, package_version, day),
  CONSTRAINT analytics_days_package FOREIGN KEY (tenant_id, package_content_hash) REFERENCES packages (tenant_id, content_hash)
);
CREATE UNIQUE INDEX analytics_days_one_version_a_day ON analytics_days (tenant_id, course_id, day);
CREATE INDEX analytics_days_changes ON analytics_days (tenant_id, change_seq);

CREATE TABLE analytics_funnel_days (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  course_viewed integer NOT NULL,
  enrolled integer NOT NULL,
  purchased integer,
  started integer NOT NULL,
  completed integer NOT NULL,
  completion_rate double precision NOT NULL,
  active_learners integer NOT NULL,
  CONSTRAINT analytics_funnel_days_pk PRIMARY KEY (tenant_id, course_id, package_version, day),
  CONSTRAINT analytics_funnel_days_day FOREIGN KEY (tenant_id, course_id, package_version, day) REFERENCES analytics_days (tenant_id, course_id, package_version, day) ON DELETE CASCADE
);

CREATE TABLE analytics_lesson_stats (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  lesson_index integer NOT NULL,
  lesson_id text NOT NULL,
  title text NOT NULL,
  estimated_minutes integer NOT NULL,
  views integer NOT NULL,
  completions integer NOT NULL,
  drop_off integer NOT NULL,
  drop_off_rate double precision NOT NULL,
  median_minutes double precision,
  p90_minutes double precision,
  CONSTRAINT analytics_lesson_stats_pk PRIMARY KEY (tenant_id, course_id, package_version, day, lesson_index),
  CONSTRAINT analytics_lesson_stats_day FOREIGN KEY (tenant_id, course_id, package_version, day) REFERENCES analytics_days (tenant_id, course_id, package_version, day) ON DELETE CASCADE
);

CREATE TABLE analytics_quiz_stats (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  quiz_item_id text NOT NULL,
  lesson_id text NOT NULL,
  quiz_content_hash text NOT NULL,
  question_count integer NOT NULL,
  n integer NOT NULL,
  first_attempt_pass_rate double precision NOT NULL,
  kr20 double precision,
  CONSTRAINT analytics_quiz_stats_pk PRIMARY KEY (tenant_id, course_id, package_version, day, quiz_item_id),
  CONSTRAINT analytics_quiz_stats_day FOREIGN KEY (tenant_id, course_id, package_version, day) REFERENCES analytics_days (tenant_id, course_id, package_version, day) ON DELETE CASCADE
);

CREATE TABLE analytics_item_stats (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  quiz_item_id text NOT NULL,
  question_index integer NOT NULL,
  question_id text NOT NULL,
  lesson_id text NOT NULL,
  quiz_content_hash text NOT NULL,
  key_index integer NOT NULL,
  n integer NOT NULL,
  facility double precision NOT NULL,
  discrimination double precision,
  option_shares jsonb NOT NULL,
  non_functional_distractors jsonb NOT NULL,
  distractor_outdraws_key_in_top_third boolean NOT NULL,
  CONSTRAINT analytics_item_stats_pk PRIMARY KEY (tenant_id, course_id, package_version, day, quiz_item_id, question_index),
  CONSTRAINT analytics_item_stats_day FOREIGN KEY (tenant_id, course_id, package_version, day) REFERENCES analytics_days (tenant_id, course_id, package_version, day) ON DELETE CASCADE
);

CREATE TABLE analytics_signals (
  tenant_id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  day date NOT NULL,
  id text NOT NULL,
  type text NOT NULL,
  severity text NOT NULL CONSTRAINT analytics_signals_severity CHECK (severity IN ('info', 'warning', 'critical')),
  target jsonb NOT NULL,
  evidence jsonb NOT NULL,
  created_at text NOT NULL,
  CONSTRAINT analytics_signals_pk PRIMARY KEY (tenant_id, course_id, package_version, day, id),
  CONSTRAINT analytics_signals_day FOREIGN KEY (tenant_id, course_id, package_version, day) REFERENCES analytics_days (tenant_id, course_id, package_version, day) ON DELETE CASCADE
);

CREATE TABLE analytics_suggestions (
  tenant_id text NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  course_id text NOT NULL,
  package_version integer NOT NULL,
  signal_id text NOT NULL,
  signal_type text NOT NULL,
  kind text NOT NULL,
  target jsonb NOT NULL,
  target_key text NOT NULL,
  rationale text NOT NULL,
  draft_instruction text NOT NULL,
  status text NOT NULL CONSTRAINT analytics_suggestions_status CHECK (status IN ('OPEN', 'ACCEPTED', 'DISMISSED')),
  decided_by text,
  decided_at timestamptz,
  dismiss_reason text,
  created_at text NOT NULL,
  change_seq bigint NOT NULL,
  CONSTRAINT analytics_suggestions_pk PRIMARY KEY (tenant_id, id),
  CONSTRAINT analytics_suggestions_one_per_kind_and_target UNIQUE (tenant_id, target_key),
  CONSTRAINT analytics_suggestions_decision CHECK ((status = 'OPEN') = (decided_by IS NULL) AND (status = 'OPEN') = (decided_at IS NULL)),
  CONSTRAINT analytics_suggestions_dismissal CHECK ((status = 'DISMISSED') = (dismiss_reason IS NOT NULL AND length(btrim(dismiss_reason)) > 0))
);
CREATE INDEX analytics_suggestions_course ON analytics_suggestions (tenant_id, course_id, status);
CREATE INDEX analytics_suggestions_changes ON analytics_suggestions (tenant_id, change_seq);

-- A suggestion is what the insight engine said; only the human decision about it is written later,
-- once: OPEN → ACCEPTED | DISMISSED. Everything else, and any second decision, is refused here.
CREATE FUNCTION refuse_suggestion_change_but_its_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'analytics_suggestions rows are insert-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF OLD.status <> 'OPEN' THEN
    RAISE EXCEPTION 'suggestion % was already decided (%): a decision is final', OLD.id, OLD.status USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.tenant_id, NEW.id, NEW.course_id, NEW.package_version, NEW.signal_id, NEW.signal_type, NEW.kind, NEW.target, NEW.target_key, NEW.rationale, NEW.draft_instruction, NEW.created_at)
     IS DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.course_id, OLD.package_version, OLD.signal_id, OLD.signal_type, OLD.kind, OLD.target, OLD.target_key, OLD.rationale, OLD.draft_instruction, OLD.created_at) THEN
    RAISE EXCEPTION 'suggestion %: only its status, who decided, when and the dismissal reason may change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.status = 'OPEN' THEN
    RAISE EXCEPTION 'an update of suggestion % must decide it (ACCEPTED or DISMISSED)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER analytics_suggestions_only_decided BEFORE UPDATE OR DELETE ON analytics_suggestions FOR EACH ROW EXECUTE FUNCTION refuse_suggestion_change_but_its_decision();
CREATE TRIGGER analytics_suggestions_no_truncate BEFORE TRUNCATE ON analytics_suggestions FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_insert_only_row();
`;
