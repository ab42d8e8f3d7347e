"""Lazy request.user for DRF (DRF issue 6002): authenticate on first touch, not on every request.

DRF's APIView.initial() calls perform_authentication(), which reads request.user and so
runs every authentication class (the password hasher, for BasicAuthentication) even for
a view that never looks at the user. Request.user is already lazy; this only stops
forcing it. An authentication error then surfaces where the user is first touched:
inside the view it is still DRF's 401; in code running after the view (middleware,
templates rendered later) it would be an exception, so touch the user inside the view.
"""

from __future__ import annotations


class LazyAuthenticationMixin:
    """Put before APIView: authentication runs when request.user or request.auth is first read."""

    def perform_authentication(self, request):
        pass
