"""The journal's migrations, keyed by `PRAGMA user_version` (schema.py applies them).

Rules: never edit or reorder a migration that has shipped; add a new one at the end. Migration N (1-based)
brings a database from version N-1 to N. No CHECK constraints on state columns on purpose: SQLite cannot alter them
without rebuilding the table, and the repository is the only writer that enforces the state machine.
"""

from __future__ import annotations

APPLICATION_ID = 0x57584A4E  # "WXJN": marks the file as a wxconsole journal

_V1 = """
PRAGMA application_id = 1465403982;  -- APPLICATION_ID
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    appid           TEXT NOT NULL,
    template_id     TEXT NOT NULL,
    template_title  TEXT NOT NULL DEFAULT '',
    fields_json     TEXT NOT NULL DEFAULT '{}',
    column_map_json TEXT NOT NULL DEFAULT '{}',
    options_json    TEXT NOT NULL DEFAULT '{}',
    source_name     TEXT NOT NULL DEFAULT '',
    source_sha256   TEXT NOT NULL DEFAULT '',
    total           INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL,
    state_reason    TEXT,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL
);
CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    job_id          INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    openid          TEXT NOT NULL,
    form_id         TEXT,
    unionid         TEXT,
    values_json     TEXT NOT NULL DEFAULT '{}',
    row             INTEGER,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL,
    last_errcode    INTEGER,
    last_errmsg     TEXT,
    msgid           INTEGER,
    target_openid   TEXT,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL,
    sent_at         REAL,
    UNIQUE (job_id, seq)
);
-- due_items: pending rows keep next_attempt_at NULL, so "state='pending' AND next_attempt_at IS NULL
-- ORDER BY seq" walks this index in order; retry_wait rows are found by next_attempt_at.
CREATE INDEX items_due ON items (job_id, state, next_attempt_at, seq);
CREATE TABLE form_id_ledger (
    form_id  TEXT PRIMARY KEY,
    job_id   INTEGER NOT NULL,
    item_id  INTEGER NOT NULL,
    used_at  REAL NOT NULL
) WITHOUT ROWID;
"""

# v2: counters per (job, state), so counts() is O(states) at any job size: state changes and deletes keep them
# by trigger; inserts do not (a per-row insert trigger doubled create_job's time), so the only inserter,
# JournalRepo.create_job, writes the job's initial counter row itself. Plus the OA follower cache.
_V2 = """
CREATE TABLE job_counts (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    state  TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (job_id, state)
) WITHOUT ROWID;
INSERT INTO job_counts (job_id, state, n) SELECT job_id, state, count(*) FROM items GROUP BY job_id, state;
CREATE TRIGGER items_count_update AFTER UPDATE OF state ON items WHEN old.state IS NOT new.state BEGIN
    UPDATE job_counts SET n = n - 1 WHERE job_id = old.job_id AND state = old.state;
    INSERT INTO job_counts (job_id, state, n) VALUES (new.job_id, new.state, 1)
        ON CONFLICT (job_id, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    UPDATE job_counts SET n = n - 1 WHERE job_id = old.job_id AND state = old.state;
END;
CREATE TABLE followers (
    oa_appid   TEXT NOT NULL,
    unionid    TEXT NOT NULL,
    oa_openid  TEXT NOT NULL,
    fetched_at REAL NOT NULL,
    PRIMARY KEY (oa_appid, unionid)
) WITHOUT ROWID;
CREATE TABLE follower_sync (
    oa_appid   TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL
) WITHOUT ROWID;
"""

# v3: the suppression list. A recipient who answered 43101 (refused / not subscribed), 43004 (does not follow the OA)
# or 40003 (invalid openid) is remembered per account and template, so the next import of the same list leaves them
# out. The repository writes an entry in the same transaction as mark_failed and removes it when a later send to that
# openid with that template succeeds. No foreign key to jobs: the entry outlives its job. Back-filled from the
# journal's history: per (appid, template, openid) the latest outcome counts, and only a suppressing failure that no
# later success overrode becomes an entry (the OA openid of an OA job is remembered as well as the mini program one).
_V3 = """
CREATE TABLE suppression (
    appid       TEXT NOT NULL,
    template_id TEXT NOT NULL,
    openid      TEXT NOT NULL,
    errcode     INTEGER NOT NULL,
    errmsg      TEXT NOT NULL DEFAULT '',
    job_id      INTEGER,
    recorded_at REAL NOT NULL,
    PRIMARY KEY (appid, template_id, openid)
) WITHOUT ROWID;
INSERT INTO suppression (appid, template_id, openid, errcode, errmsg, job_id, recorded_at)
SELECT appid, template_id, openid, errcode, errmsg, job_id, at FROM (
    SELECT *, row_number() OVER (PARTITION BY appid, template_id, openid
                                 ORDER BY at DESC, state = 'sent' DESC) AS latest
    FROM (
        SELECT j.appid, j.template_id, i.openid AS openid, i.state, i.last_errcode AS errcode,
               coalesce(i.last_errmsg, '') AS errmsg, i.job_id, coalesce(i.sent_at, i.updated_at) AS at
        FROM items i JOIN jobs j ON j.id = i.job_id
        WHERE i.openid <> '' AND (i.state = 'sent' OR (i.state = 'failed' AND i.last_errcode IN (43101, 43004, 40003)))
        UNION ALL
        SELECT j.appid, j.template_id, i.target_openid, i.state, i.last_errcode, coalesce(i.last_errmsg, ''),
               i.job_id, coalesce(i.sent_at, i.updated_at)
        FROM items i JOIN jobs j ON j.id = i.job_id
        WHERE i.target_openid IS NOT NULL AND i.target_openid NOT IN ('', i.openid)
          AND (i.state = 'sent' OR (i.state = 'failed' AND i.last_errcode IN (43101, 43004, 40003)))
    )
) WHERE latest = 1 AND state = 'failed';
"""

# v4: scheduled sends. A scheduled job is an ordinary READY job whose `scheduled_at` (epoch seconds) is set; there is
# no separate state, so the engine, recovery and every state name stay as they are. `journal.schedules.due` finds
# READY jobs whose time has come; once a job has run (RUNNING and after) it is no longer due, and `scheduled_at`
# stays as the record of when it was planned. The partial index keeps that query cheap on a journal of many jobs.
_V4 = """
ALTER TABLE jobs ADD COLUMN scheduled_at REAL;
CREATE INDEX jobs_scheduled ON jobs (scheduled_at) WHERE scheduled_at IS NOT NULL;
"""

# v5: an index on items(openid). The "two operators" check (`OverlapQueries.recent_recipients`, run before every send)
# looks up chunks of openids among every job of the same template; without this index each chunk scanned all the
# items of those jobs (18.7 s for 100 000 recipients against 5 earlier rounds of 100 000; 0.05 s with it).
_V5 = """
CREATE INDEX items_openid ON items (openid);
"""

# v6: the rows of the source file a job left out (issue 13: the export accounts for every row of the list). The
# import keeps a row out when it is invalid or a duplicate, the preparation when its recipient is on the suppression
# list or its message breaks a rule; `items` holds only the rows that are sent. `kind`: invalid | duplicate |
# suppressed | rejected; `row` as Excel shows it; one line per problem (a row may have several). Also the name of a
# suppressed recipient (from the list's 姓名/name column, as the export's NAME_KEYS), so the suppression list shows
# people, not only openids; back-filled from the items of the job that put them there.
_V6 = """
CREATE TABLE left_out (
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    row         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    column_name TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX left_out_job ON left_out (job_id, row);
ALTER TABLE suppression ADD COLUMN name TEXT NOT NULL DEFAULT '';
UPDATE suppression SET name = coalesce((
    SELECT coalesce(json_extract(i.values_json, '$."姓名"'), json_extract(i.values_json, '$.name'),
                    json_extract(i.values_json, '$."名字"'), json_extract(i.values_json, '$."昵称"'))
    FROM items i WHERE i.job_id = suppression.job_id
      AND (i.openid = suppression.openid OR i.target_openid = suppression.openid)
    LIMIT 1), '');
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)  # append only
LATEST_VERSION = len(MIGRATIONS)
