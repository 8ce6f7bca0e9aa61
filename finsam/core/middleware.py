from django.utils.cache import add_never_cache_headers


class SwedishByDefaultMiddleware:
    """Serve Swedish unless the user picked another language (the language cookie).

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language header, and
    many Swedish public-sector machines run English browsers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreMiddleware:
    """Let no browser or proxy keep a copy of any page or API answer (`Cache-Control: no-store`).

    One rule for every response made by the site, because nearly every page shows something of a
    person or of a logged-in user's work; static files (WhiteNoise, runserver) do not pass here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
