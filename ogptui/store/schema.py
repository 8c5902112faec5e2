"""Numbered schema migrations of cache.db and user.db. Append new steps; never edit a shipped one.

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
SEARCH_WEIGHTS = (10.0, 10.0, 1.0, 2.0, 0.0)
SEARCH_RANK = f"bm25({', '.join(map(str, SEARCH_WEIGHTS))})"


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
        INSERT INTO search_index (search_index, rank) VALUES ('rank', '{SEARCH_RANK}');

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


def _cache_v4(db: Database) -> None:
    # Freshness: when a check last *confirmed* the stored data (a fetch, or a 304). `checked_at` is the last
    # check of any outcome, so after a failed one it said nothing about the data's age. Rows without an
    # error were confirmed by their last check.
    db.execute("ALTER TABLE http_state ADD COLUMN confirmed_at TEXT")
    db.execute("UPDATE http_state SET confirmed_at = checked_at WHERE last_error IS NULL")
    # Search covers everything the panes show: posts, Global Report areas, participation, benchmarks join
    # members, commitments, resources and contacts (`rows.search_rows`): rebuild every search row.
    from ogptui.store.docs import rebuild_search_docs

    rebuild_search_docs(db)


CACHE_MIGRATIONS = [_cache_v1, _cache_v2, _cache_v3, _cache_v4]


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


USER_MIGRATIONS = [_user_v1]
