"""The Textual app: cache first, keyboard first, background sync.

State the screens show (online/offline, last sync, auto-sync, a running sync's progress, the cache's
version) lives here as reactive variables; the status bars and screens watch them, so nothing calls a
refresh by hand. The sync and probe workers post typed messages (`ogptui.tui.messages`); one
`Worker.StateChanged` handler turns a worker that raised into a notification. The outside world (sync,
probe, browser) comes in through `Services`, so tests pass fakes instead of the app testing for tests.

`run(slug)` is what the CLI calls for bare `ogptui` (slug None: the last viewed member, else the list) and for
`ogptui open SLUG`; it is the one place that reads the environment.

(Over 400 lines: the app is the one owner of the state above and of the actions every screen calls — copy,
open, watch, sync, brief — and of the workers; screens, widgets, status text and commands have their own
modules.)
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from textual import on, work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ogptui import config, i18n
from ogptui.clean import clean_multiline, clean_text
from ogptui.i18n import _
from ogptui.links import check_copy, check_link
from ogptui.model import Resource
from ogptui.timefmt import freshness_text
from ogptui.tui.commands import OgpCommands, bindings
from ogptui.tui.language import relabel_bindings
from ogptui.tui.messages import ProbeFinished, SyncFinished, SyncProgressed
from ogptui.tui.services import Services
from ogptui.tui.status import AppStatus, progress_text, starting_text

if TYPE_CHECKING:
    from ogptui.store import Store, SyncRun
    from ogptui.sync import SyncEvent, SyncSummary

# Seconds between "is the source back?" checks while offline (then the last value repeats).
RECHECK_DELAYS = (120.0, 240.0, 480.0, 900.0)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class OgpApp(App[int]):
    CSS_PATH = "ogptui.tcss"
    TITLE = "ogptui"
    SCOPE = "app"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {OgpCommands}
    ENABLE_COMMAND_PALETTE = True

    # --- state the screens show (the status bar watches the first five: `status.STATUS_FIELDS`) ---
    online: var[bool | None] = var(None)
    """Did the source answer? None until it has been checked."""
    auto_sync: var[bool] = var(False)
    """Sync stale data in the background when the source answers (key `a`, setting `auto_sync`)."""
    sync_progress: var[str | None] = var(None)
    """None when no sync is running, else what the running sync is doing ("▰▰▱… 3/10 peru")."""
    last_run: var[SyncRun | None] = var(None)
    """The last sync run recorded in the cache (by this app or another process)."""
    embedded_captured: var[str | None] = var(None)
    """When the embedded sample in the cache was captured (None: no embedded member)."""
    cache_version: var[int] = var(0)
    """Bumped whenever the cache changed under the screens (a sync here, a write by another process);
    every screen that shows cached data watches it and reloads."""
    notes_version: var[int] = var(0)
    """Bumped whenever the user's notes or bookmarks changed (a save here, `ogptui note` in another
    terminal); the screens that show marks or notes watch it and reload."""

    def __init__(
        self,
        slug: str | None = None,
        *,
        open_last: bool = False,
        store: Store | None = None,
        now: Callable[[], datetime] | None = None,
        settings: config.Settings | None = None,
        source: str | None = None,
        auto_sync: bool | None = None,
        services: Services | None = None,
        blink: bool = True,
        poll_seconds: float = 2.0,
        recheck_delays: tuple[float, ...] = RECHECK_DELAYS,
        exit_after_paint: bool = False,
        language: str | None = None,
    ) -> None:
        """`store`: an open store (the caller closes it), else one is opened on first use and closed at
        exit. `auto_sync`: None follows the setting. `poll_seconds`: how often to look for writes by other
        processes (0: never). `exit_after_paint`: exit with 0 once the first screen is painted (the
        start-up benchmark's way in, through `run()` and env OGPTUI_EXIT_AFTER_PAINT=1)."""
        super().__init__()
        if language is not None:  # else the one `ogptui` chose (--lang, the setting, the locale)
            i18n.set_language(language)
        self.start_slug = slug
        self.open_last = open_last
        self._store = store
        self._owns_store = store is None
        self.now = now or _utcnow
        self.settings = settings or config.Settings.load()
        self.source = source or self.settings.source
        self.auto_sync = self.settings.auto_sync if auto_sync is None else auto_sync
        self.services = services or Services()
        self.blink = blink
        self.poll_seconds = poll_seconds
        self.recheck_delays = recheck_delays
        self.exit_after_paint = exit_after_paint
        self._sync_cancel = threading.Event()
        self._quitting = threading.Event()  # set when the app quits: workers stop waiting at once
        self._recheck_n = 0
        self._recheck_timer: Timer | None = None
        self._data_version: int | None = None  # cache.db's PRAGMA data_version when last looked at
        self._user_version: int | None = None  # user.db's PRAGMA data_version when last looked at
        self.marked: list[str] = []  # members marked with m on the members list, to compare (C)

    # --- lifecycle -----------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        if self._store is None:
            from ogptui.seed import open_store

            self._store = open_store()
        return self._store

    @property
    def status(self) -> AppStatus:
        return AppStatus(
            self.online, self.auto_sync, self.sync_progress, self.last_run, self.embedded_captured
        )

    @property
    def syncing(self) -> bool:
        return self.sync_progress is not None

    def on_mount(self) -> None:
        relabel_bindings(self)  # footer words in the language chosen after the classes were made
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._load_cache_state()
        from ogptui.tui.screens.members import MembersScreen

        self.push_screen(MembersScreen())
        # a damaged cache moved aside, an unreadable user.db, a bad settings.json: say so where the user looks
        for notice in [*self.store.notices, *self.settings.notices]:
            self.notify(notice[:1].upper() + notice[1:] + ".", severity="warning", timeout=20, markup=False)
        slug = self.start_slug or (self.settings.last_member if self.open_last else None)
        if slug:
            self.open_member(slug, quiet=self.start_slug is None)
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll_data_version)
        if self.auto_sync:
            # The same check whichever screen comes first (the members list or a member): is the source
            # there (the status bar says so within a second), and is the data it would sync stale?
            self.call_after_refresh(self.check_auto_sync, True)
            self.set_interval(600, self.check_auto_sync)
        self._freeze_after_paint()
        if self.exit_after_paint:
            self._exit_after_paint()

    def _freeze_after_paint(self) -> None:
        """Once the first screen is painted, move every object made so far out of the garbage collector's
        sight (`gc.freeze`): the full collections that come every few hundred keystrokes otherwise scan them
        all — ~100 ms with a 1,000-member list loaded, the slowest keystrokes of the filter. What start-up
        built lives as long as the app (or is freed by reference counting); the app unfreezes at exit."""
        screen = self.screen
        if not screen.is_mounted:
            self.call_later(self._freeze_after_paint)
            return
        screen.call_after_refresh(gc.freeze)

    def _exit_after_paint(self) -> None:
        """Exit with 0 right after the first screen shown (the member screen when one is opened) has been
        painted (the start-up benchmark: `python -m bench` sets OGPTUI_EXIT_AFTER_PAINT=1 for `run()`)."""
        screen = self.screen
        if not screen.is_mounted:  # a pushed screen mounts a few messages later
            self.call_later(self._exit_after_paint)
            return
        screen.call_after_refresh(self.exit, 0)

    def on_unmount(self) -> None:
        self._quitting.set()
        gc.unfreeze()
        self._sync_cancel.set()
        if self._store is not None and self._owns_store:
            try:
                self._store.close()
            except Exception:
                pass

    def _theme_changed(self, theme: Any) -> None:
        name = getattr(theme, "name", None) or str(theme)
        if name != self.settings.theme:
            self.settings.theme = name
            self._save_settings()

    def _save_settings(self) -> None:
        try:
            self.settings.save()
        except OSError as e:
            self.notify(_("Could not save settings: {e}").format(e=e), severity="warning", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is cleaned of control characters and escape sequences, whatever it quotes (a member
        name, a sync error, a path). The app's own messages are plain text (`markup=False`)."""
        super().notify(
            clean_multiline(message),
            title=clean_text(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    # --- navigation ----------------------------------------------------------------------------
    def open_member(
        self, slug: str, *, quiet: bool = False, tab: str = "overview", select: str | None = None
    ) -> bool:
        """Push the member screen on `tab`; `select` is the key of the row to put the cursor on."""
        from ogptui.tui.screens.member import MemberScreen

        found = self.store.get_member(slug)
        if found is None:
            matches = self.store.find_slug(slug)
            if len(matches) == 1:
                slug = matches[0]
            else:
                if not quiet:
                    self.notify(
                        _("No member '{slug}' in the cache. Sync it first: ogptui sync {slug}").format(
                            slug=slug
                        ),
                        severity="warning",
                        markup=False,
                    )
                return False
        self.push_screen(MemberScreen(slug, tab=tab, select=select, id=self._screen_id("member-screen")))
        if self.settings.last_member != slug:
            self.settings.last_member = slug
            self._save_settings()
        return True

    def open_commitment(self, slug: str, commitment_id: str) -> None:
        from ogptui.tui.screens.commitment import CommitmentScreen

        self.push_screen(CommitmentScreen(slug, commitment_id, id=self._screen_id("commitment-screen")))

    def _screen_id(self, base: str) -> str:
        """`base`, or `base-2`, `-3`… when a screen below (a result opened over the search) already has it."""
        taken = {screen.id for screen in self.screen_stack}
        n = 1
        name = base
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        return name

    def open_resource(
        self,
        resource: Resource,
        member_slug: str | None = None,
        *,
        place: str | None = None,
        place_url: str | None = None,
        find: str | None = None,
    ) -> None:
        """The reader when the resource links a document page (cached or not); else the resource's card
        (a link elsewhere has nothing to read offline). `place`/`place_url`/`find`: a search hit's."""
        if resource.document:
            self.open_reader(resource.document, resource=resource, member_slug=member_slug, place=place,
                             place_url=place_url, find=find)  # fmt: skip
            return
        from ogptui.tui.screens.resource import ResourceScreen

        self.push_screen(ResourceScreen(resource))

    def open_reader(
        self,
        document: str,
        *,
        resource: Resource | None = None,
        member_slug: str | None = None,
        place: str | None = None,
        place_url: str | None = None,
        find: str | None = None,
    ) -> None:
        from ogptui.tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen(document, resource=resource, member_slug=member_slug, place=place,
                                      place_url=place_url, find=find))  # fmt: skip

    def go_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()

    async def action_cycle_language(self) -> None:
        """The next interface language (en → es → fr), at once and without a restart; kept in settings."""
        langs = i18n.LANGUAGES
        await self.set_language(langs[(langs.index(i18n.language()) + 1) % len(langs)])

    def action_cycle_content_language(self) -> None:
        """The next data language (as the interface → en → es → fr): the member shown is read again in it
        (from the cache; `s`/`w` sync fetches its pages in it); kept in settings."""
        choices = config.CONTENT_LANGUAGE.words
        self.settings.content_language = choices[(choices.index(self.settings.content_language) + 1) % len(choices)]
        self._save_settings()
        shown = i18n.content_language(self.settings.content_language)
        for screen in self.screen_stack:
            if callable(reload := getattr(screen, "reload", None)):
                reload()
        name = i18n.LANGUAGE_NAMES[shown]
        if self.settings.content_language == "same":
            text = _("Data language: as the interface ({name})").format(name=name)
        else:
            text = _("Data language: {name}").format(name=name)
        self.notify(text, markup=False)

    async def set_language(self, lang: str) -> None:
        """Switch the interface language: bindings are relabelled and the screens made anew in it (the
        members list, a member on its tab, help; other screens are closed, their data is all kept)."""
        from ogptui.tui.screens.help import HelpScreen
        from ogptui.tui.screens.member import MemberScreen
        from ogptui.tui.screens.members import MembersScreen

        i18n.set_language(lang)
        self.settings.language = lang
        self._save_settings()
        relabel_bindings(self)
        again: list[Screen[Any]] = []
        for screen in self.screen_stack[1:]:
            if isinstance(screen, MembersScreen):
                again.append(MembersScreen())
            elif isinstance(screen, MemberScreen):
                again.append(
                    MemberScreen(screen.slug, tab=screen.active_tab(), id=screen.id or "member-screen")
                )
            elif isinstance(screen, HelpScreen):
                again.append(HelpScreen())
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        for screen in again:
            await self.push_screen(screen)
        self.notify(_("Interface language: {name}").format(name=i18n.LANGUAGE_NAMES[lang]), markup=False)

    def action_help(self) -> None:
        from ogptui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        from ogptui.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_input()
            return
        below = next((s for s in self.screen_stack if isinstance(s, SearchScreen)), None)
        if below is None:
            self.push_screen(SearchScreen())
            return
        # a new search, in the search screen already open under the result being looked at (one search
        # screen at a time; `esc` is the way back to its results)
        while self.screen is not below:
            self.pop_screen()
        below.start_over()

    def action_changes(self) -> None:
        from ogptui.tui.screens.changes import ChangesScreen

        if not isinstance(self.screen, ChangesScreen):
            self.push_screen(ChangesScreen())

    def action_quit(self) -> None:  # type: ignore[override]
        # A running sync is cancelled where it waits (its run is recorded as interrupted and resumes next
        # time) and a probe is left behind, so the prompt comes back at once, not after a timeout.
        self._quitting.set()
        self._sync_cancel.set()
        self.exit(0)

    # --- watch, copy, open ---------------------------------------------------------------------
    def toggle_watch(self, slug: str) -> None:
        from ogptui.store import StoreError

        try:
            if self.store.is_watched(slug):
                self.store.unwatch(slug)
                self.notify(_("No longer watching {slug}.").format(slug=slug), markup=False)
            else:
                self.store.watch(slug)
                self.notify(
                    _("Watching {slug}: s on the members list syncs the watchlist.").format(slug=slug),
                    markup=False,
                )
        except StoreError as e:  # user.db is damaged: it is left alone, the watchlist is off
            self.notify(_("Not changed: {e}.").format(e=e), severity="warning", markup=False)

    def _absolute(self, url: str | None) -> str | None:
        if url and url.startswith("/") and not url.startswith("//"):
            return urljoin(self.source, url)
        return url

    def copy_value(self, value: str | None, what: str) -> None:
        if not value:
            self.notify(_("Nothing to copy: {what}.").format(what=what), severity="warning", markup=False)
            return
        if "@" in value and "/" not in value:
            text = clean_text(value)  # an email address
        else:
            link, reason = check_copy(self._absolute(value), self.source)
            if link is None:
                self.notify(
                    _("Not copied: {reason}.").format(reason=reason), severity="warning", markup=False
                )
                return
            text = link
        # The clipboard is reached with OSC 52, which many terminals ignore without telling: no claim more
        # than that (there is no reliable way to ask a terminal whether it allows it).
        self.copy_to_clipboard(text)
        self.notify(
            _("Copied {what} (if your terminal allows it): {text}").format(what=what, text=text), markup=False
        )

    def open_link(self, url: str | None, what: str) -> None:
        if not url:
            self.notify(_("Nothing to open: {what}.").format(what=what), severity="warning", markup=False)
            return
        safe, reason = check_link(self._absolute(url), self.source)
        if safe is None:
            self.notify(_("Not opened: {reason}.").format(reason=reason), severity="warning", markup=False)
            return
        try:
            opened = self.services.open_url(safe)
        except Exception as e:  # a browser that failed to start
            self.notify(_("Could not open a browser: {e}. Press y to copy the link.").format(e=e), severity="warning",
                        markup=False)  # fmt: skip
            return
        if opened is False:  # `webbrowser.open` found no browser (a server, a container, ssh)
            self.notify(_("No browser found to open {safe}. Press y to copy the link instead.").format(safe=safe),
                        severity="warning", timeout=10, markup=False)  # fmt: skip
            return
        self.notify(_("Opening {safe} in the browser").format(safe=safe), markup=False)

    def open_file(self, path: str | None, what: str) -> bool:
        """Open a file of the files folder with the platform's opener. Only a regular file inside that
        folder (checked again now, whatever the caller passes): never a path a server or a cache row chose.
        False when nothing was opened (and the user was told why)."""
        import os

        from ogptui.files import resolve_inside

        folder = self.store.paths.files
        try:
            relative = os.path.relpath(path, folder) if path else None
        except ValueError:  # another drive (Windows)
            relative = None
        inside = resolve_inside(folder, relative.replace(os.sep, "/") if relative else None)
        if inside is None:
            self.notify(
                _("Not opened: {what} is not a file on this device.").format(what=what),
                severity="warning",
                markup=False,
            )
            return False
        try:
            opened = self.services.open_file(str(inside))
        except Exception as e:  # the opener could not be started
            self.notify(
                _("Could not open {what}: {e}. The file is {inside}").format(what=what, e=e, inside=inside),
                severity="warning",
                markup=False,
            )
            return False
        if opened is False:
            self.notify(_("No program to open files on this machine (xdg-open or open). The file is {inside}").format(inside=inside),
                        severity="warning", timeout=10, markup=False)  # fmt: skip
            return False
        self.notify(_("Opening {what}: {inside}").format(what=what, inside=inside), markup=False)
        return True

    # --- the cache changed ---------------------------------------------------------------------
    def _load_cache_state(self) -> None:
        """Read what the status bar shows from the store (at start, and whenever the cache changed)."""
        self._data_version = self._safe_data_version()
        try:
            self.last_run = self.store.last_run()
        except Exception:  # a damaged cache: the status bar says "never synced" rather than crash
            self.last_run = None
        self.embedded_captured = self._embedded_captured()

    def _embedded_captured(self) -> str | None:
        try:
            return self.store.embedded_captured()
        except Exception:
            return None

    def cache_changed(self) -> None:
        """The cache changed under the screens: reload the status and every screen watching the version."""
        self._load_cache_state()
        self.cache_version += 1

    def _safe_data_version(self) -> int | None:
        try:
            return self.store.data_version()
        except Exception:
            return None

    def _poll_data_version(self) -> None:
        v = self._safe_data_version()
        if v is not None and v != self._data_version:
            self.cache_changed()
        u = self._user_data_version()
        if u is not None and self._user_version is not None and u != self._user_version:
            self.notes_version += 1  # another process wrote a note, a bookmark or the watchlist
        self._user_version = u

    def _user_data_version(self) -> int | None:
        try:
            user = self.store.user
            return None if user is None else int(user.execute("PRAGMA data_version").fetchone()[0])
        except Exception:
            return None

    # --- notes, bookmarks, compare (issue 16; the flow is in tui/notes_flow.py) ------------------
    def action_notes(self) -> None:
        from ogptui.tui.screens.notes import NotesScreen

        if not isinstance(self.screen, NotesScreen):
            self.push_screen(NotesScreen())

    def action_compare(self) -> None:
        from ogptui.tui.screens.compare import CompareScreen

        slugs = list(self.marked)
        if len(slugs) < 2:
            for screen in reversed(self.screen_stack):  # the member shown, or the row selected in the list
                slug = getattr(screen, "slug", None) or getattr(screen, "selected_slug", lambda: None)()
                if slug and slug not in slugs:
                    slugs.append(slug)
                    break
        if isinstance(self.screen, CompareScreen):
            self.screen.set_members(slugs)
        else:
            self.push_screen(CompareScreen(slugs))

    # --- sync ----------------------------------------------------------------------------------
    def start_sync(
        self, *, slugs: list[str] | None = None, watchlist: bool = False, what: str = "", auto: bool = False
    ) -> bool:
        if self.syncing:
            if not auto:
                self.notify(_("A sync is already running."), markup=False)
            return False
        self._sync_cancel = threading.Event()
        self.sync_progress = starting_text(what)
        self._sync_worker(slugs, watchlist, auto, self._sync_cancel)
        return True

    def start_document_sync(self, document: str, member_slug: str, what: str = "") -> bool:
        """Fetch one document page and its files now (`s` in the reader), as a sync: same progress in the
        status bar, same notification at the end, the screens reload when it stored something."""
        if self.syncing:
            self.notify(_("A sync is already running."), markup=False)
            return False
        self._sync_cancel = threading.Event()
        self.sync_progress = starting_text(what or document)
        self._sync_worker(None, False, False, self._sync_cancel, (document, member_slug))
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _sync_worker(
        self,
        slugs: list[str] | None,
        watchlist: bool,
        auto: bool,
        cancel: threading.Event,
        document: tuple[str, str] | None = None,
    ) -> None:
        def on_event(event: SyncEvent) -> None:
            try:
                self.post_message(SyncProgressed(event))
            except RuntimeError:  # the app has closed its event loop (quitting): nobody to tell
                pass

        if document is not None:
            summary = self.services.sync_document(
                document=document[0], member_slug=document[1], source=self.source, on_event=on_event,
                cancel=cancel,
            )  # fmt: skip
        else:
            summary = self.services.sync(
                slugs=slugs, watchlist=watchlist, source=self.source, on_event=on_event, cancel=cancel
            )
        self.post_message(SyncFinished(summary, auto=auto))

    @on(SyncProgressed)
    def _sync_progressed(self, message: SyncProgressed) -> None:
        event = message.event
        if event.kind == "offline":
            self.online = False
        elif event.kind == "member_done":
            self.online = True
        if self.syncing:  # a late event after the end changes nothing
            self.sync_progress = progress_text(event)

    @on(SyncFinished)
    def _sync_finished(self, message: SyncFinished) -> None:
        summary = message.summary
        self.sync_progress = None
        if summary.outcome == "offline":
            self.online = False
            self.notify(
                _("Offline: {value}").format(value=summary.text())
                + (_("; ogptui will retry when the source answers.") if self.auto_sync else "."),
                title=_("Sync"),
                severity="warning",
                timeout=8,
                markup=False,
            )
            if self.auto_sync:
                self._schedule_recheck()
        elif summary.outcome == "failed":
            reasons = "; ".join(f"{slug}: {why}" for slug, why in summary.failed[:3])
            self.notify(
                _("Sync failed: {value}. Your cached data is unchanged.").format(
                    value=reasons or summary.text()
                ),
                title=_("Sync"),
                severity="error",
                timeout=8,
                markup=False,
            )
            # Is the source down, or only these pages? A cheap probe tells (and syncs nothing itself).
            self._probe_worker(sync_after=False)
        else:
            self.online = True
            self._recheck_n = 0
            self._notify_done(summary, auto=message.auto)
        self.cache_changed()

    def _notify_done(self, summary: SyncSummary, *, auto: bool) -> None:
        changes = list(summary.changes)
        body = summary.text() + ("\n" + "\n".join(changes[:3]) if changes else "")
        if len(changes) > 3:
            body += _("\n… and {changes} more (c shows what changed)").format(changes=len(changes) - 3)
        severity: SeverityLevel = "warning" if summary.outcome == "partial" else "information"
        self.notify(body, title=_("Auto-sync done") if auto else _("Sync done"), severity=severity, timeout=8,
                    markup=False)  # fmt: skip

    @on(Worker.StateChanged)
    def _worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker that raised (or was cancelled) is told: a sync's error becomes a
        notification and the status bar stops saying "syncing"; a probe's counts as no answer."""
        if event.state not in (WorkerState.ERROR, WorkerState.CANCELLED):
            return
        worker = event.worker
        if worker.group == "sync":
            self.sync_progress = None
            reason = worker.error or "cancelled"
            self.notify(
                _("Sync failed: {reason}. Your cached data is unchanged.").format(reason=reason),
                title=_("Sync"),
                severity="error",
                timeout=8,
                markup=False,
            )
            self.cache_changed()
        elif worker.group == "probe" and event.state == WorkerState.ERROR:
            self.post_message(ProbeFinished(False, sync_after=True))

    # --- auto-sync -----------------------------------------------------------------------------
    def action_toggle_autosync(self) -> None:
        self.auto_sync = not self.auto_sync
        self.settings.auto_sync = self.auto_sync
        self._save_settings()
        if self.auto_sync:
            self.notify(_("Auto-sync on: stale data syncs in the background when the source answers."))
            self.check_auto_sync()
        else:
            if self._recheck_timer is not None:
                self._recheck_timer.stop()
                self._recheck_timer = None
            self.notify(_("Auto-sync off: press s to sync by hand (useful on metered links)."))

    def _auto_target(self) -> tuple[list[str] | None, bool, list[str]]:
        """(slugs, watchlist, slugs to judge staleness by): the watchlist, else the member on screen, else
        every cached member (what `ogptui sync` with no names syncs)."""
        watch = self.store.watchlist()
        if watch:
            return None, True, watch
        slug = getattr(self.screen, "slug", None)
        if slug is None:
            for screen in reversed(self.screen_stack):
                slug = getattr(screen, "slug", None)
                if slug:
                    break
        if slug:
            return [slug], False, [slug]
        return None, False, self.store.member_slugs()

    def _is_stale(self, slugs: list[str]) -> bool:
        now = self.now()
        for slug in slugs:
            if freshness_text(self.store.freshness(slug), now, self.settings.stale_hours).stale:
                return True
        return False

    def check_auto_sync(self, starting: bool = False) -> None:
        """Probe the source and sync what is stale; at start, probe even when nothing is stale, so the
        status bar says whether the source answers instead of "source not checked"."""
        if not self.auto_sync or self.syncing:
            return
        _slugs, _watch, judge = self._auto_target()
        stale = bool(judge) and self._is_stale(judge)
        if stale or starting:
            self._probe_worker(sync_after=stale)

    @work(thread=True, exclusive=True, exit_on_error=False, group="probe")
    def _probe_worker(self, sync_after: bool) -> None:
        """The probe runs in a daemon thread that this worker waits for, unless the app quits: a probe of
        a hanging source (up to 3 s) must not hold up the exit (nothing is written, so leaving it is safe)."""
        answer: list[object] = []

        def probe() -> None:
            try:
                answer.append(bool(self.services.probe(self.source)))
            except BaseException as e:  # raised again in the worker: the StateChanged handler tells it
                answer.append(e)

        thread = threading.Thread(target=probe, name="ogptui-probe", daemon=True)
        thread.start()
        while thread.is_alive():
            if self._quitting.is_set():
                return
            thread.join(0.05)
        if isinstance(answer[0], BaseException):
            raise answer[0]
        self.post_message(ProbeFinished(bool(answer[0]), sync_after=sync_after))

    @on(ProbeFinished)
    def _probe_finished(self, message: ProbeFinished) -> None:
        ok = message.reachable
        was_offline = self.online is False
        self.online = ok
        if not self.auto_sync or (ok and not message.sync_after):
            return
        if not ok:
            self._schedule_recheck()
            return
        self._recheck_n = 0
        slugs, watchlist, judge = self._auto_target()
        if not judge:
            return
        what = _("the watchlist") if watchlist else ", ".join(slugs or []) or _("the cached members")
        if was_offline:
            self.notify(_("Back online: syncing {what} in the background.").format(what=what), markup=False)
        else:
            self.notify(_("Data is stale: syncing {what} in the background.").format(what=what), markup=False)
        self.start_sync(slugs=slugs, watchlist=watchlist, what=what, auto=True)

    def _schedule_recheck(self) -> None:
        if not self.auto_sync:
            return
        if self._recheck_timer is not None:
            self._recheck_timer.stop()
        delay = self.recheck_delays[min(self._recheck_n, len(self.recheck_delays) - 1)]
        self._recheck_n += 1
        self._recheck_timer = self.set_timer(delay, self.check_auto_sync)


def run(slug: str | None = None, store: Store | None = None) -> int:
    """Start the TUI; returns the exit code. `store`: an open Store to use (the caller closes it).

    The environment is read here, not in the app: OGPTUI_SOURCE (the source to sync from),
    OGPTUI_NO_AUTOSYNC=1 (auto-sync off, for scripted runs) and OGPTUI_EXIT_AFTER_PAINT=1 (exit once the
    first screen is painted: the start-up benchmark's only way in, as it starts `ogptui open` on a pty)."""
    owned = store is None
    if store is None:
        try:
            from ogptui.seed import open_store

            store = open_store()
        except Exception as e:  # a broken data folder must be one clear sentence, not a traceback
            print("ogptui: " + _("cannot open the data folder: {e}").format(e=e), file=sys.stderr)
            return 1
    env = os.environ
    try:
        app = OgpApp(
            slug=slug,
            open_last=slug is None,
            store=store,
            source=env.get("OGPTUI_SOURCE") or None,
            auto_sync=False if env.get("OGPTUI_NO_AUTOSYNC") == "1" else None,
            exit_after_paint=env.get("OGPTUI_EXIT_AFTER_PAINT") == "1",
        )
        result = app.run()
    finally:
        if owned:
            store.close()
    return int(result or app.return_code or 0)
