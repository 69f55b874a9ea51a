"""Texts the benchmarks speak and transcribe."""

# About 200 English words: a little under a minute of Piper's joe voice.
LIGHTHOUSE = (
    "The old lighthouse stood at the edge of the harbor for more than a century. Every evening the keeper climbed "
    "the narrow stairs to light the lamp, and every morning he wrote a short note in the logbook. Ships passed in "
    "calm weather and in storms, and the light never failed them. When the town grew, a new beacon was built on "
    "the breakwater, and the lighthouse became a small museum. Children now climb the same stairs and read the "
    "keeper's notes aloud. They learn about the night the fog came in so thick that the bell rang until dawn, and "
    "about the winter the harbor froze from one side to the other. Visitors say the view from the top is the best "
    "in the region. On clear days you can see the islands to the north and the hills behind the town. The museum "
    "is open every day except Monday, and entry is free for anyone who brings a story about the sea. Volunteers "
    "record these stories and keep them in a growing archive. Some are funny, some are sad, and a few are hard to "
    "believe, but all of them are part of the harbor's long memory."
)
