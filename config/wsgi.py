import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve unless the keys read the database.
from finsam.core.keys import require_keys  # noqa: E402

require_keys()
connections.close_all()  # no connection shared with the worker processes
