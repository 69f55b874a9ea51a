from django.urls import re_path

from frontend.views import spa

urlpatterns = [re_path(r"^(?!api/|api$|admin/|static/|media/|ws$).*$", spa)]
