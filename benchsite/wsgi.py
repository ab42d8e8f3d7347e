"""The WSGI application gunicorn serves (benchsite.settings_served unless DJANGO_SETTINGS_MODULE says otherwise)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings_served")
application = get_wsgi_application()
