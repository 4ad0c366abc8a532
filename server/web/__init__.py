"""The mobile web app at ``/m/``: static files (``static/``) served by one blueprint
(``app.py``), and the phone's pairing link and QR code (``links.py``)."""
