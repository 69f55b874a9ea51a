"""A dub's notes became objects with a code (timeline/dubbing/notes.py): an older dub's sentence keeps its text."""

from __future__ import annotations

from django.db import migrations


def notes_as_objects(apps, schema_editor) -> None:
    Dub = apps.get_model("timeline", "Dub")
    for dub in Dub.objects.exclude(notes=[]).only("pk", "notes"):
        if any(isinstance(note, str) for note in dub.notes):
            notes = [{"code": "note", "text": note} if isinstance(note, str) else note for note in dub.notes]
            Dub.objects.filter(pk=dub.pk).update(notes=notes)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0002_dub")]

    operations = [migrations.RunPython(notes_as_objects, migrations.RunPython.noop)]
