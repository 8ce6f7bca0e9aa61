"""The documents cache (settings.CACHES["documents"]): drawn charts, shared by the server's
processes and kept by content, so a document compiled again draws only the charts that changed
(drawing them is most of the time of a cold compilation with Typst)."""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

document_cache = ConnectionProxy(caches, "documents")
