"""What crosses the sync wire, shared by the app's sync client and the server: the request and
response schemas (protocol) and the names of record fields on the wire (fields)."""
