"""Numbered schema migrations of cache.db and user.db. Append new steps; never edit a shipped one."""

from __future__ import annotations

import sqlite_utils


def _cache_v1(db: sqlite_utils.Database) -> None:
    db.executescript(
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


CACHE_MIGRATIONS = [_cache_v1]


def _user_v1(db: sqlite_utils.Database) -> None:
    db.executescript(
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
