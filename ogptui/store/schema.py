"""Numbered schema migrations of cache.db and user.db. Append new steps; never edit a shipped one.

Over 400 lines because every shipped step stays here verbatim and in order, beside the lists that run them:
moving or condensing a shipped step is exactly the edit this module exists to prevent.

Each step runs its statements through `Database.script` inside the one `BEGIN IMMEDIATE` that `db.migrate`
opens for it, together with the new `user_version`: a step that fails half-way leaves the file as it was.
"""

from __future__ import annotations

from ogptui.store.db import Database


def _cache_v1(db: Database) -> None:
    db.script(
        """
        CREATE TABLE members (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            level TEXT,
            member_since INTEGER,
            action_plan INTEGER,
            plan_years TEXT,
            plan_number INTEGER,
            plan_commitment_count INTEGER,
            plan_policy_area_focus TEXT,
            plan_summary TEXT,
            plan_summary_url TEXT,
            language TEXT,
            fetched_at TEXT,
            source_url TEXT,
            warnings TEXT,
            record_hash TEXT,
            embedded INTEGER NOT NULL DEFAULT 0,
            captured_at TEXT,
            gone_at TEXT
        );
        CREATE TABLE contacts (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT, role TEXT, email TEXT, side TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE commitments (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL, title TEXT, year INTEGER, policy_area TEXT, url TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE INDEX commitments_id ON commitments(id);
        CREATE TABLE commitment_details (
            id TEXT PRIMARY KEY,
            member_slug TEXT,
            url TEXT,
            title TEXT,
            member TEXT, language TEXT, action_plan TEXT, action_plan_cycle INTEGER, status TEXT,
            lead_institution TEXT, support_institutions TEXT, policy_areas TEXT, irm_reports TEXT,
            starred TEXT, early_results TEXT, verifiable TEXT, relevant_to_ogp_values TEXT,
            ambition TEXT, potential_impact TEXT, completion TEXT, description TEXT,
            fetched_at TEXT, record_hash TEXT, warnings TEXT
        );
        CREATE INDEX commitment_details_member ON commitment_details(member_slug);
        CREATE TABLE resources (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT, year INTEGER, type TEXT, format TEXT, url TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE performance (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            action_plan INTEGER, major INTEGER, outstanding INTEGER, starred INTEGER, raw TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE benchmarks (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            scope TEXT, label TEXT, raw TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE participation (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            phase TEXT, action_plan INTEGER, level TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE dimensions (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            area TEXT, implications TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE posts (
            member_slug TEXT NOT NULL REFERENCES members(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT, teaser TEXT, url TEXT,
            PRIMARY KEY (member_slug, position)
        );
        CREATE TABLE http_state (
            url TEXT PRIMARY KEY,
            kind TEXT,
            member_slug TEXT,
            etag TEXT,
            last_modified TEXT,
            record_hash TEXT,
            status INTEGER,
            fetched_at TEXT,
            checked_at TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            not_found INTEGER NOT NULL DEFAULT 0,
            gone_at TEXT
        );
        CREATE INDEX http_state_member ON http_state(member_slug);
        CREATE TABLE sync_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            source TEXT,
            target TEXT,
            outcome TEXT NOT NULL DEFAULT 'running',
            members INTEGER DEFAULT 0,
            updated INTEGER DEFAULT 0,
            unchanged INTEGER DEFAULT 0,
            failed INTEGER DEFAULT 0,
            requests INTEGER DEFAULT 0,
            conditional INTEGER DEFAULT 0,
            not_modified INTEGER DEFAULT 0,
            bytes INTEGER DEFAULT 0,
            written INTEGER DEFAULT 0,
            duration REAL,
            summary TEXT
        );
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id INTEGER,
            at TEXT NOT NULL,
            member_slug TEXT,
            member_name TEXT,
            action TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT,
            summary TEXT
        );
        CREATE INDEX changes_run ON changes(run_id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE VIRTUAL TABLE search_index USING fts5(
            title, body, extra,
            kind UNINDEXED, member_slug UNINDEXED, ref UNINDEXED,
            tokenize = "unicode61 remove_diacritics 2",
            prefix = '2 3'
        );
        """
    )


# Search v2: the indexed text lives in `search_docs` (a plain table with an index per member, so a member's
# rows are replaced without scanning the whole index); `search_index` is an external-content FTS5 table over
# it, kept in step by triggers. Columns: title (weight 10), ident (commitment IDs, 10), body (1), extra (2),
# and tags (0: filter tokens such as "kresource mperu y2021 tIRM Report", so filters are index lookups).
SEARCH_WEIGHTS_V2 = (10.0, 10.0, 1.0, 2.0, 0.0)
SEARCH_RANK_V2 = f"bm25({', '.join(map(str, SEARCH_WEIGHTS_V2))})"


def _cache_v2(db: Database) -> None:
    db.script(
        f"""
        DROP TABLE IF EXISTS search_index;
        CREATE TABLE search_docs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            member_slug TEXT NOT NULL,
            ref TEXT NOT NULL,
            title TEXT, ident TEXT, body TEXT, extra TEXT,
            year INTEGER, type TEXT, url TEXT,
            tags TEXT GENERATED ALWAYS AS (
                'k' || kind || ' m' || member_slug || COALESCE(' y' || year, '') || COALESCE(' t' || type, '')
            ) VIRTUAL
        );
        CREATE INDEX search_docs_member ON search_docs(member_slug);
        CREATE INDEX search_docs_ident ON search_docs(ident COLLATE NOCASE);
        CREATE VIRTUAL TABLE search_index USING fts5(
            title, ident, body, extra, tags,
            content = 'search_docs', content_rowid = 'id',
            tokenize = "unicode61 remove_diacritics 2",
            prefix = '1 2 3'
        );
        CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
            INSERT INTO search_index (rowid, title, ident, body, extra, tags)
            VALUES (new.id, new.title, new.ident, new.body, new.extra, new.tags);
        END;
        CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
            INSERT INTO search_index (search_index, rowid, title, ident, body, extra, tags)
            VALUES ('delete', old.id, old.title, old.ident, old.body, old.extra, old.tags);
        END;
        CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
            INSERT INTO search_index (search_index, rowid, title, ident, body, extra, tags)
            VALUES ('delete', old.id, old.title, old.ident, old.body, old.extra, old.tags);
            INSERT INTO search_index (rowid, title, ident, body, extra, tags)
            VALUES (new.id, new.title, new.ident, new.body, new.extra, new.tags);
        END;
        INSERT INTO search_index (search_index, rank) VALUES ('rank', '{SEARCH_RANK_V2}');

        -- Rebuild from the stored records (the same rows `search_rows()` writes).
        INSERT INTO search_docs (kind, member_slug, ref, title, ident, body, extra, year, type, url)
        SELECT 'member', slug, slug, name, NULL, COALESCE(plan_summary, ''),
               COALESCE(plan_policy_area_focus, ''), NULL, level, COALESCE(source_url, plan_summary_url)
        FROM members;
        INSERT INTO search_docs (kind, member_slug, ref, title, ident, body, extra, year, type, url)
        SELECT 'commitment', c.member_slug, c.id, COALESCE(c.title, d.title, ''), c.id,
               trim(COALESCE(d.description, '') || ' ' || COALESCE(d.lead_institution, '') || ' '
                    || COALESCE(d.support_institutions, '')),
               trim(COALESCE(c.policy_area, '') || ' '
                    || COALESCE((SELECT group_concat(value, ', ') FROM json_each(d.policy_areas)), '')),
               c.year, c.policy_area, COALESCE(c.url, d.url)
        FROM commitments c LEFT JOIN commitment_details d ON d.id = upper(c.id);
        INSERT INTO search_docs (kind, member_slug, ref, title, ident, body, extra, year, type, url)
        SELECT 'resource', member_slug, CAST(position AS TEXT), COALESCE(title, ''), NULL, '',
               trim(COALESCE(type, '') || ' ' || COALESCE(format, '')), year, type, url
        FROM resources;
        INSERT INTO search_docs (kind, member_slug, ref, title, ident, body, extra, year, type, url)
        SELECT 'contact', member_slug, CAST(position AS TEXT), COALESCE(name, ''), NULL, COALESCE(role, ''),
               COALESCE(email, ''), NULL, side, NULL
        FROM contacts;
        """
    )


def _cache_v3(db: Database) -> None:
    # A page the site redirects to another member or commitment (renamed or merged): where it went.
    db.execute("ALTER TABLE http_state ADD COLUMN moved_to TEXT")


# Search v4: a `summary` column (weight 5: a document's summary) and `place` (not indexed: where in a
# document a row is, a section heading or "PDF page 4"). FTS5 tables cannot gain a column, so the index
# and its triggers are made again and rebuilt from `search_docs`.
SEARCH_WEIGHTS_V4 = (10.0, 10.0, 1.0, 2.0, 0.0, 5.0)
SEARCH_RANK_V4 = f"bm25({', '.join(map(str, SEARCH_WEIGHTS_V4))})"


def _cache_v4(db: Database) -> None:
    """Documents (issue 13): pages, their sections and attachment links, the files on this device and their
    text per page, the link from resources to their document, and the search columns documents need."""
    db.script(
        """
        ALTER TABLE resources ADD COLUMN document TEXT;
        CREATE INDEX resources_document ON resources(document);
        CREATE TABLE documents (
            slug TEXT PRIMARY KEY,
            title TEXT, summary TEXT, at_a_glance TEXT, language TEXT, url TEXT,
            fetched_at TEXT, warnings TEXT,
            source_url TEXT,
            record_hash TEXT
        );
        CREATE TABLE document_sections (
            document_slug TEXT NOT NULL REFERENCES documents(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            heading TEXT, text TEXT,
            PRIMARY KEY (document_slug, position)
        );
        CREATE TABLE document_attachments (
            document_slug TEXT NOT NULL REFERENCES documents(slug) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            url TEXT NOT NULL, name TEXT,
            PRIMARY KEY (document_slug, position)
        );
        CREATE INDEX document_attachments_url ON document_attachments(url);
        CREATE TABLE attachments (
            url TEXT PRIMARY KEY,
            sha256 TEXT, size INTEGER, content_type TEXT, path TEXT,
            text_status TEXT, text_error TEXT, page_count INTEGER,
            fetched_at TEXT, error TEXT
        );
        CREATE INDEX attachments_sha256 ON attachments(sha256);
        CREATE TABLE attachment_pages (
            sha256 TEXT NOT NULL,
            page INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (sha256, page)
        );
        """
    )
    _search_v4(db)
    # The link from resources to their document, for the rows already stored (new rows get it from the parser).
    from ogptui.urls import document_slug

    rows = db.execute(
        "SELECT r.member_slug, r.position, r.url, m.source_url FROM resources r "
        "JOIN members m ON m.slug = r.member_slug WHERE r.url IS NOT NULL"
    ).fetchall()
    links = [(slug, m, p) for m, p, url, page in rows if (slug := document_slug(url, page))]
    db.conn.executemany("UPDATE resources SET document = ? WHERE member_slug = ? AND position = ?", links)


def _search_v4(db: Database) -> None:
    """The search part of v4 (on its own so a test can rebuild the index from v2 up)."""
    db.script(
        f"""
        ALTER TABLE search_docs ADD COLUMN summary TEXT;
        ALTER TABLE search_docs ADD COLUMN place TEXT;
        DROP TRIGGER search_docs_au;
        UPDATE search_docs SET summary = '';
        DROP TRIGGER search_docs_ai;
        DROP TRIGGER search_docs_ad;
        DROP TABLE search_index;
        CREATE VIRTUAL TABLE search_index USING fts5(
            title, ident, body, extra, tags, summary,
            content = 'search_docs', content_rowid = 'id',
            tokenize = "unicode61 remove_diacritics 2",
            prefix = '1 2 3'
        );
        CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
            INSERT INTO search_index (rowid, title, ident, body, extra, tags, summary)
            VALUES (new.id, new.title, new.ident, new.body, new.extra, new.tags, new.summary);
        END;
        CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
            INSERT INTO search_index (search_index, rowid, title, ident, body, extra, tags, summary)
            VALUES ('delete', old.id, old.title, old.ident, old.body, old.extra, old.tags, old.summary);
        END;
        CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
            INSERT INTO search_index (search_index, rowid, title, ident, body, extra, tags, summary)
            VALUES ('delete', old.id, old.title, old.ident, old.body, old.extra, old.tags, old.summary);
            INSERT INTO search_index (rowid, title, ident, body, extra, tags, summary)
            VALUES (new.id, new.title, new.ident, new.body, new.extra, new.tags, new.summary);
        END;
        INSERT INTO search_index (search_index, rank) VALUES ('rank', '{SEARCH_RANK_V4}');
        INSERT INTO search_index (search_index) VALUES ('rebuild');
        """
    )


def _cache_v5(db: Database) -> None:
    # Freshness: when a check last *confirmed* the stored data (a fetch, or a 304). `checked_at` is the last
    # check of any outcome, so after a failed one it said nothing about the data's age. Rows without an
    # error were confirmed by their last check.
    db.execute("ALTER TABLE http_state ADD COLUMN confirmed_at TEXT")
    db.execute("UPDATE http_state SET confirmed_at = checked_at WHERE last_error IS NULL")
    # Search covers everything the panes show: posts, Global Report areas, participation, benchmarks join
    # members, commitments, resources and contacts (`rows.search_rows`): rebuild every search row.
    from ogptui.store.docs import rebuild_search_docs

    rebuild_search_docs(db, translated=False)  # (translations and their rows came in v6)


def _cache_v6(db: Database) -> None:
    # Data language (issue 17): the member and commitment tables hold each record in its *primary* language
    # (the first it was synced in); every other language a record was synced in is one row here, the record
    # as its table rows (JSON: {"row": …, "children": {table: rows}}), so one codec (`store.rows`) reads both.
    # Search rows say which language they are in (NULL: the primary record's).
    db.script(
        """
        CREATE TABLE translations (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            language TEXT NOT NULL,
            member_slug TEXT NOT NULL,
            record TEXT NOT NULL,
            record_hash TEXT,
            fetched_at TEXT,
            PRIMARY KEY (kind, key, language)
        );
        CREATE INDEX translations_member ON translations(member_slug);
        ALTER TABLE search_docs ADD COLUMN language TEXT;
        """
    )


CACHE_MIGRATIONS = [_cache_v1, _cache_v2, _cache_v3, _cache_v4, _cache_v5, _cache_v6]


def _user_v1(db: Database) -> None:
    db.script(
        """
        CREATE TABLE watchlist (slug TEXT PRIMARY KEY, added_at TEXT NOT NULL);
        CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_slug TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT, title TEXT, url TEXT,
            added_at TEXT NOT NULL
        );
        CREATE TABLE notes (
            member_slug TEXT NOT NULL, ref TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (member_slug, ref)
        );
        CREATE TABLE recent_searches (query TEXT PRIMARY KEY, at TEXT NOT NULL);
        """
    )


# Notes and bookmarks keyed by stable target keys (`ogptui.notes`: `peru`, `peru/PE0084`, `doc:<slug or URL>`,
# `contact:<email>` / `contact:<slug>/<name>`), with created/updated times, a revision counter (a save checks
# that nobody saved in between) and conflict copies (`copy` > 0) kept beside the note instead of overwriting
# it. Notes are searchable through their own FTS5 index in user.db. Rows of the unused v1 tables carry over.
def _user_v2(db: Database) -> None:
    db.script(
        """
        ALTER TABLE notes RENAME TO notes_v1;
        ALTER TABLE bookmarks RENAME TO bookmarks_v1;
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            member_slug TEXT,
            title TEXT,
            text TEXT NOT NULL CHECK (length(text) > 0),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            rev INTEGER NOT NULL DEFAULT 1,
            copy INTEGER NOT NULL DEFAULT 0,
            origin TEXT,
            UNIQUE (target, copy)
        );
        CREATE INDEX notes_member ON notes(member_slug);
        CREATE TABLE bookmarks (
            target TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            member_slug TEXT,
            title TEXT,
            url TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX bookmarks_member ON bookmarks(member_slug);
        CREATE VIRTUAL TABLE notes_fts USING fts5(
            title, text,
            content = 'notes', content_rowid = 'id',
            tokenize = "unicode61 remove_diacritics 2",
            prefix = '1 2 3'
        );
        CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
            INSERT INTO notes_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
            INSERT INTO notes_fts (notes_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO notes_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        INSERT OR IGNORE INTO notes (target, kind, member_slug, title, text, created_at, updated_at)
        SELECT CASE WHEN ref = '' THEN lower(member_slug) ELSE lower(member_slug) || '/' || upper(ref) END,
               CASE WHEN ref = '' THEN 'member' ELSE 'commitment' END,
               lower(member_slug), NULL, text, updated_at, updated_at
        FROM notes_v1 WHERE length(trim(text)) > 0;
        INSERT OR IGNORE INTO bookmarks (target, kind, member_slug, title, url, created_at)
        SELECT CASE WHEN COALESCE(ref, '') = '' THEN lower(member_slug)
                    ELSE lower(member_slug) || '/' || upper(ref) END,
               CASE WHEN COALESCE(ref, '') = '' THEN 'member' ELSE 'commitment' END,
               lower(member_slug), title, url, added_at
        FROM bookmarks_v1;
        DROP TABLE notes_v1;
        DROP TABLE bookmarks_v1;
        """
    )


USER_MIGRATIONS = [_user_v1, _user_v2]

# The weights of the current search index's columns (title, ident, body, extra, tags, summary).
SEARCH_WEIGHTS = SEARCH_WEIGHTS_V4
SEARCH_RANK = SEARCH_RANK_V4
