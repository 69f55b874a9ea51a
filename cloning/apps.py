from django.apps import AppConfig


class CloningConfig(AppConfig):
    name = "cloning"
    verbose_name = "Cloning"
