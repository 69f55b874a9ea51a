"""Streamed speech: each finished sentence goes from the gpu worker to the web process through Redis
(`relay`), is encoded on the fly (`encode`) and sent as the HTTP response grows (`responses`)."""
