"""Pages the backend serves to people in a browser, beside the /v1 API: the mobile web app at
``/m/`` (static files in ``static/`` served by ``app.py``; the phone's pairing link and QR code in
``links.py``) and the hosted service's account pages (``account/``)."""
