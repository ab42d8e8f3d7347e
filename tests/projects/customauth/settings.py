"""An API project with authentication classes of its own, a third party's, and a hasher of its own."""

SECRET_KEY = "customauth-example-project-key-not-a-secret-used-nowhere-else"
DEBUG = False
ALLOWED_HOSTS = ["api.example.com"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "rest_framework.authtoken",
    "customauth.devices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "customauth.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The project's own PBKDF2 subclass preferred; MD5 still verifies passwords imported from an old system.
PASSWORD_HASHERS = [
    "customauth.hashers.LightPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "customauth.authentication.DeviceKeyAuthentication",
        "customauth.authentication.QuietBasicAuthentication",
        "customauth.authentication.ClientCertificateAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

SIMPLE_JWT = {"SIGNING_KEY": "customauth-jwt-signing-key-not-a-secret-used-nowhere-else"}

# drf-auth-bench: how to make a credential for a class of the project's own (Django ignores the setting).
DRF_AUTH_BENCH_CREDENTIALS = {
    "customauth.authentication.DeviceKeyAuthentication": "customauth.bench.device_key_credentials",
}
