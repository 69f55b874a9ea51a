"""Where the audio of a request comes from (uploads, stored samples, media files, generations) and what it is."""
