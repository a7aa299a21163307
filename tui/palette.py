"""Command palette (ctrl+p): find a code by number or words with kb.search's ranking, and open it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

import kb

from .i18n import ui
from .logic import search_codes, visible
from .rows import CODE_WIDTH


class CodeCommands(Provider):
    """Command palette: find a code by number or words (kb.search's ranking) and open it."""

    async def search(self, query: str) -> Hits:
        app = self.app
        try:
            hits = search_codes(query)[:30]
        except kb.DataError:
            return
        for rank, hit in enumerate(hits):
            rec = hit.record
            text = f"{rec.code} {visible(rec.title(app.lang))}"
            yield Hit(1.0 - rank / 1000, Content.assemble((rec.code.ljust(CODE_WIDTH), "bold"), visible(rec.title(app.lang))),
                      partial(app.open_code, rec.code), text=text, help=visible(rec.summary(app.lang)))

    async def discover(self) -> Hits:
        """With nothing typed yet: the current record's related codes."""
        app = self.app
        view = app.history.current
        if view is None or view.kind != "code" or (rec := kb.get(view.value)) is None:
            return
        for code in rec.related:
            other = kb.get(code)
            title = visible(other.title(app.lang)) if other else ""
            yield DiscoveryHit(Content.assemble((code.ljust(CODE_WIDTH), "bold"), title), partial(app.open_code, code),
                               text=f"{code} {title}", help=ui("palette_related", app.lang, code=rec.code))
