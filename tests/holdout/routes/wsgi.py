"""Gunicorn entry point: `gunicorn wsgi:app`."""
import os

from saasdash import create_app

app = create_app(os.environ.get("SAASDASH_ENV", "production"))
# TODO(OPS-142): remove once the intermittent production 500s are understood.
app.debug = True  # expect: KL301

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5050")), debug=True)  # expect: KL301
