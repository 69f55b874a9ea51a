from django.apps import AppConfig


class ClonyVoiceConfig(AppConfig):
    name = "clonyvoice"
    verbose_name = "ClonyVoice"

    def ready(self) -> None:
        from clonyvoice import signals  # noqa: F401 - connects the receivers
