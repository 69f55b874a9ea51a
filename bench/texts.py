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

# Twelve sentences of narration, for references spoken by the benchmark voices.
STORY = [
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "Winston Smith slipped quickly through the glass doors of Victory Mansions.",
    "The hallway smelt of boiled cabbage and old rag mats.",
    "At one end of it a coloured poster, too large for indoor display, had been tacked to the wall.",
    "It depicted simply an enormous face, more than a metre wide.",
    "It was the face of a man of about forty-five, with a heavy black moustache.",
    "Winston made for the stairs. It was no use trying the lift.",
    "Even at the best of times it was seldom working, and at present the electric current was cut off.",
    "The flat was seven flights up, and Winston, who was thirty-nine, went slowly.",
    "On each landing, opposite the lift shaft, the poster with the enormous face gazed from the wall.",
    "Outside, even through the shut window pane, the world looked cold.",
    "Down in the street little eddies of wind were whirling dust and torn paper into spirals.",
]
