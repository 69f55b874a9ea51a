from django.apps import AppConfig


class ClonyVoiceConfig(AppConfig):
    name = "clonyvoice"
    verbose_name = "ClonyVoice"
