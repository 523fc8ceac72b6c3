"""The bare Flask app bench/load.py measures beside Roundtable: one route, a small HTML page.

Its req/s is the ceiling for this machine, server and client: what Flask under gunicorn
answers when a page costs nothing. Run on its own: .venv/bin/gunicorn --chdir bench bare_app:app
"""

from __future__ import annotations

from flask import Flask

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare Flask</title></head>
<body><main><h1>Hello</h1><p>A small page from a bare Flask app.</p></main></body></html>
"""

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return PAGE
