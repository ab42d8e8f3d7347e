"""A record of every response the served site gives, for the fault drills (`python -m benchtools e2e drill`).

One line per response, appended to the file DRF_AUTH_BENCH_RESPONSE_LOG names: when the
handler got the request and when it had the response (CLOCK_MONOTONIC nanoseconds, the clock
every process of the machine shares, so that they can be set against the moment a drill
committed a change or stopped a service), the status, and the request's stream (its
X-Drill-Stream header: which of the drill's clients sent it). Nothing of the request's
credentials is written. Each line is one write() to a file opened for appending, so the
lines of every worker process and thread stay whole.
"""

from __future__ import annotations

import os
import re
import time

STREAM_HEADER = "HTTP_X_DRILL_STREAM"
STREAM = re.compile(r"[a-z0-9-]{1,32}")


class ResponseLog:
    def __init__(self, get_response):
        self.get_response = get_response
        self.file = os.open(os.environ["DRF_AUTH_BENCH_RESPONSE_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def __call__(self, request):
        received = time.monotonic_ns()
        response = self.get_response(request)
        answered = time.monotonic_ns()
        stream = request.META.get(STREAM_HEADER, "")
        stream = stream if STREAM.fullmatch(stream) else "-"
        os.write(self.file, f"{received} {answered} {response.status_code} {stream}\n".encode())
        return response
