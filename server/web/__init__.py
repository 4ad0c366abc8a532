"""Pages the backend serves to people in a browser, beside the /v1 API: the hosted service's
account pages (``account/``)."""
