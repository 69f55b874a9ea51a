from django.urls import re_path

from frontend.views import spa

# Everything but the API, admin, static files and hashed assets is a route of the SPA.
urlpatterns = [re_path(r"^(?!api/|api$|v1/|admin/|static/|media/|assets/|ws$).*$", spa)]
