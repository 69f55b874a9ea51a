"""Dubbing: a video (or audio) in another language, in the speaker's own voice, timed to the picture.

One job (kind `dub`, gpu queue) runs the stages extract → transcribe → translate → clone → speak → fit →
assemble → render; its id is also the id of the dub's generation (one chunk per source segment) and so the
key of its timeline. services.py: the request half (every check before a job exists); worker.py: the stages;
fitting.py: a line spoken into its time slot; assembly.py: the timeline and the subtitles; voices.py: the
speakers told apart and cloned; regeneration.py: a regenerated line fitted and placed again.
"""

MAX_SOURCE_SECONDS = 30 * 60  # the longest source a dub takes (checked by the request, and again by the worker)
