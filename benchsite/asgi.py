"""The ASGI application uvicorn serves (benchsite.settings_served unless DJANGO_SETTINGS_MODULE says otherwise)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings_served")
application = get_asgi_application()
