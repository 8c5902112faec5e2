"""The reader's text view: a line-API widget that draws only the lines in view.

The blocks (`ogptui.tui.doctext`) are wrapped once per width; `render_line` builds a `rich.text.Text` (plain
text, never markup) for the line asked for, with the block's style and the find matches highlighted. A
found word is scrolled into view by its exact line. Until the widget knows its width, requests to go to a
place wait and run after the first layout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ogptui.tui.doctext import Block, Layout, Match, anchor_block, find, layout


class DocView(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"docview--match", "docview--current"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.blocks: list[Block] = []
        self.wrapped: Layout | None = None
        self.matches: list[Match] = []
        self.current = -1  # index of the current match, -1 for none
        self._by_block: dict[int, list[tuple[int, int, int]]] = {}
        self._fold_cache: dict[int, tuple[str, list[int] | None]] = {}
        self._pending: tuple[int, int] | None = None  # (block, offset) to show once laid out

    # ---- content ---------------------------------------------------------------------------------
    def set_blocks(self, blocks: Sequence[Block], *, keep_position: bool = False) -> None:
        top = self.top_position() if keep_position else None
        self.blocks = list(blocks)
        self._fold_cache = {}
        self.matches, self.current, self._by_block = [], -1, {}
        self.wrapped = None
        self._relayout()
        if top is not None and top[0] < len(self.blocks):
            self.show_at(*top, where="top")
        elif not keep_position:
            self.scroll_to(y=0, animate=False)

    def text_width(self) -> int:
        return max(0, self.scrollable_content_region.width)

    def _relayout(self) -> None:
        width = self.text_width()
        if width <= 0:
            return
        self.wrapped = layout(self.blocks, width)
        self.virtual_size = Size(width, len(self.wrapped.lines))
        self.refresh()
        if self._pending is not None:
            block, offset = self._pending
            self._pending = None
            self.call_after_refresh(self.show_at, block, offset)

    def on_resize(self, event: Resize) -> None:
        if self.wrapped is not None and self.wrapped.width == self.text_width():
            return
        top = self.top_position() if self.wrapped is not None else None
        self._relayout()
        if top is not None and self._pending is None:
            self.show_at(*top, where="top")

    def top_position(self) -> tuple[int, int] | None:
        """(block, offset) of the first line in view."""
        if self.wrapped is None or not self.wrapped.lines:
            return None
        y = min(int(self.scroll_y), len(self.wrapped.lines) - 1)
        line = self.wrapped.lines[y]
        return line.block, line.start

    def part_in_view(self) -> str | None:
        """The attachment (`Block.part`) the view shows: the one at its top line, else the one with most
        lines in view; None when no attachment's text or list line is in view."""
        if self.wrapped is None or not self.wrapped.lines:
            return None
        y0 = min(int(self.scroll_y), len(self.wrapped.lines) - 1)
        height = max(1, self.scrollable_content_region.height)
        parts = [self.blocks[ln.block].part for ln in self.wrapped.lines[y0 : y0 + height]]
        if parts[0] is not None:
            return parts[0]
        counts = Counter(p for p in parts if p is not None)
        return counts.most_common(1)[0][0] if counts else None

    # ---- moving ----------------------------------------------------------------------------------
    def show_at(self, block: int, offset: int = 0, *, where: str = "third") -> None:
        """Scroll so the line of (block, offset) is in view: at the top (`where="top"`), or a third of the
        way down when it was out of view (`"third"`, for found words)."""
        if self.wrapped is None:
            self._pending = (block, offset)
            return
        y = self.wrapped.line_of(block, offset)
        height = max(1, self.scrollable_content_region.height)
        if where == "top":
            self.scroll_to(y=y, animate=False, immediate=True)
        elif not (self.scroll_y <= y < self.scroll_y + height):
            self.scroll_to(y=max(0, y - height // 3), animate=False, immediate=True)

    def go_to_anchor(self, anchor: str | None) -> None:
        self.show_at(anchor_block(self.blocks, anchor), 0, where="top")

    def line_in_view(self, block: int, offset: int) -> bool:
        if self.wrapped is None:
            return False
        y = self.wrapped.line_of(block, offset)
        return self.scroll_y <= y < self.scroll_y + max(1, self.scrollable_content_region.height)

    # ---- finding ---------------------------------------------------------------------------------
    def find(self, query: str, *, from_block: int | None = None) -> int:
        """Highlight every match of `query`; the current one is the first at or after `from_block` (default:
        the first line in view), scrolled into view. Returns the number of matches."""
        self.matches = find(self.blocks, query, self._fold_cache)
        self._by_block = {}
        for n, m in enumerate(self.matches):
            self._by_block.setdefault(m.block, []).append((m.start, m.end, n))
        self.current = -1
        if self.matches:
            if from_block is None:
                top = self.top_position()
                start = (top[0], top[1]) if top else (0, 0)
            else:
                start = (from_block, 0)
            self.current = next(
                (n for n, m in enumerate(self.matches) if (m.block, m.start) >= start), 0
            )
            self._show_current()
        self.refresh()
        return len(self.matches)

    def clear_find(self) -> None:
        self.matches, self.current, self._by_block = [], -1, {}
        self.refresh()

    def step(self, delta: int) -> bool:
        """Next (1) or previous (-1) match, wrapping around; True when it wrapped."""
        if not self.matches:
            return False
        n = self.current + delta
        wrapped = n < 0 or n >= len(self.matches)
        self.current = n % len(self.matches)
        self._show_current()
        self.refresh()
        return wrapped

    def _show_current(self) -> None:
        m = self.matches[self.current]
        self.show_at(m.block, m.start)

    # ---- drawing ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        lay = self.wrapped
        index = scroll_y + y
        if lay is None or index >= len(lay.lines):
            return Strip.blank(width, base)
        line = lay.lines[index]
        block = self.blocks[line.block]
        body = block.text[line.start : line.end]
        text = Text(" " * line.indent + body, no_wrap=True, end="")
        text.stylize(base)
        shift = line.indent - line.start
        if block.style and body:
            text.stylize(block.style, line.indent, line.indent + len(body))
        for start, end, style in block.spans:
            lo, hi = max(start, line.start), min(end, line.end)
            if lo < hi:
                text.stylize(style, lo + shift, hi + shift)
        for start, end, n in self._by_block.get(line.block, ()):
            lo, hi = max(start, line.start), min(end, line.end)
            if lo < hi:
                name = "docview--current" if n == self.current else "docview--match"
                text.stylize(self.get_component_rich_style(name), lo + shift, hi + shift)
        strip = Strip(text.render(self.app.console), cell_len(text.plain))
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()
