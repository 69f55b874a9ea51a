from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"

    def ready(self) -> None:
        from synthesis import generation_worker
        from synthesis.models import Generation
        from timeline import signals  # noqa: F401
        from timeline.dubbing.regeneration import line_regenerate

        # A regenerated dub line is fitted into its time slot and placed on the dub's timeline.
        generation_worker.TAKE_MAKERS[Generation.Mode.DUB] = line_regenerate
