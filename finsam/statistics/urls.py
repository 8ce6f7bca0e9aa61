app_name = "statistics"
urlpatterns: list = []
