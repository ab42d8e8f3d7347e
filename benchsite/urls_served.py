"""One URL per authentication scheme the served benchsite is measured with (`python -m benchtools e2e`)."""

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.urls import path
from rest_framework.authentication import BasicAuthentication, SessionAuthentication, TokenAuthentication
from rest_framework_simplejwt.authentication import JWTAuthentication

from benchsite import served_views
from benchsite.views import hello_drf_no_auth, protected_drf_view
from cached_auth.authentication import CachedBasicAuthentication, RevalidatingCachedBasicAuthentication

urlpatterns = [
    path("e2e/none/", hello_drf_no_auth),
    path("e2e/basic/", protected_drf_view([BasicAuthentication])),
    path("e2e/cached-basic/", protected_drf_view([CachedBasicAuthentication])),
    path("e2e/revalidating-basic/", protected_drf_view([RevalidatingCachedBasicAuthentication])),
    path("e2e/token/", protected_drf_view([TokenAuthentication])),
    path("e2e/jwt/", protected_drf_view([JWTAuthentication])),
    # Only this view loads sessions: the two middlewares it needs wrap it alone.
    path("e2e/session/", SessionMiddleware(AuthenticationMiddleware(protected_drf_view([SessionAuthentication])))),
    path("e2e/async-basic/", served_views.hello_async_login),
    path("e2e/async-basic-thread/", served_views.hello_async_login_in_thread),
    path("e2e/wait/", served_views.wait),
]
