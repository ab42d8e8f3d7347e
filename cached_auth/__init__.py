"""A cached HTTP Basic authentication for Django REST Framework that is safe to deploy.

`cached_auth.authentication.CachedBasicAuthentication` and
`RevalidatingCachedBasicAuthentication` run the password hasher once per TTL instead of
once per request; add "cached_auth" to INSTALLED_APPS so that every process which saves
users invalidates their cached authentications. See docs/cached-auth.md.
"""
