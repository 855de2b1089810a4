"""Logging filters of the project's own logs (settings.LOGGING)."""

from __future__ import annotations

import logging
import re

# A path and its query string, to the end of the request line ("GET /ho/?q=Bùi Văn
# HTTP/1.1"), a quote or the end of the line: a query may hold spaces once decoded.
QUERY_STRING = re.compile(r'(/[^\s"?]*)\?.*?(?=\sHTTP/\d|"|$)', re.MULTILINE)


class DropQueryStrings(logging.Filter):
    """Query strings carry what people typed (a search for a name, `?q=`; a reviewer's
    name, `?nguoi=`): they stay out of the logs, which are kept longer and read by
    more people than the register (issue 13). The path is kept: what page was asked
    is what a log is for. Runs on the handlers, so every logger's records pass it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = QUERY_STRING.sub(r"\1?…", message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
