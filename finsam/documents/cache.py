"""The documents cache (settings.CACHES["documents"]): drawn charts and typeset PDF parts, shared by
the server's processes and kept by content, so a document compiled again only redoes what
changed."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

document_cache = ConnectionProxy(caches, "documents")
