"""Voice portability: `.clonyvoice` export, import preview and all-or-nothing import (see manifest.py)."""
