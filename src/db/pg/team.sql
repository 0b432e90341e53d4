-- What PostgreSQL adds to the schema for a team: the version, authors the
-- server sets, append-only history, and the two roles.

CREATE TABLE xaas_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The author of every write is the connected login: a client cannot name
-- someone else. Only the owner of the schema (copying a file's history
-- with `team push`) may keep the authors it brings, and must say so.
CREATE FUNCTION xaas_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('xaas.keep_authors', true) = 'on'
       AND session_user = (SELECT tableowner FROM pg_tables
                           WHERE schemaname = current_schema() AND tablename = 'xaas_meta') THEN
        RETURN NEW;
    END IF;
    NEW.author := session_user;
    RETURN NEW;
END $$;
CREATE TRIGGER history_author BEFORE INSERT ON history FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER records_author BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER tasks_author BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER risks_author BEFORE INSERT ON risks FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER leads_author BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER budgets_author BEFORE INSERT ON budgets FOR EACH ROW EXECUTE FUNCTION xaas_author();
CREATE TRIGGER imports_author BEFORE INSERT ON imports FOR EACH ROW EXECUTE FUNCTION xaas_author();

CREATE FUNCTION xaas_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only';
END $$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION xaas_append_only();

-- The roles are the cluster's, made once by `team::roles`.

-- A CSM reads everything and writes follow-ups, records, tasks, risks,
-- leads and budget cycles.
GRANT USAGE ON SCHEMA public TO xaas_csm;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO xaas_csm;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO xaas_csm;
GRANT INSERT ON history, records, record_services TO xaas_csm;
GRANT UPDATE (status, status_changed_at, reason, reason_detail, last_followup_at,
              last_note, last_note_at) ON services TO xaas_csm;
GRANT UPDATE (budget_date) ON customers TO xaas_csm;
GRANT INSERT, UPDATE ON tasks, task_sync, risks, leads, budgets TO xaas_csm;
-- `budget set` drops a cycle still to come that was never submitted
-- when its date moves (db::budgets::date_changed).
GRANT DELETE ON budgets TO xaas_csm;

-- The lead also imports, renews, changes settings and loads usage.
GRANT INSERT, UPDATE, DELETE ON customers, services, terms, settings, usage,
    indicators, calibrations, imports TO xaas_lead;
GRANT DELETE ON tasks, risks, leads, budgets, records, record_services TO xaas_lead;
