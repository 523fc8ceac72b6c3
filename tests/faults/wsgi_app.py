"""The app as the fault tests serve it with gunicorn: production's error handling (nothing
propagates to gunicorn), with settings laid over the testing ones from ROUNDTABLE_TEST_SETTINGS
(JSON), such as the rate-limit store's address or the database connection's application_name."""

import json
import os

from community import create_app

app = create_app({"TESTING": False, **json.loads(os.environ.get("ROUNDTABLE_TEST_SETTINGS", "{}"))})
