from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_presets(sender, **kwargs) -> None:
    from voices.services import presets_sync

    presets_sync()


class VoicesConfig(AppConfig):
    name = "voices"
    verbose_name = "Voices"

    def ready(self) -> None:
        # Preset voices follow the installed engines: refreshed on every migrate (and so on serve).
        post_migrate.connect(_sync_presets, sender=self)
