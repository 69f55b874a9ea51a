from django.apps import AppConfig


class SystemstatsConfig(AppConfig):
    name = "systemstats"
    verbose_name = "System"
