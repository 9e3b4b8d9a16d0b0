"""Files handed to the browser: the Office content types and one way to send a download."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_download(content: bytes, mimetype: str, filename: str) -> HttpResponse:
    """A download (never shown inline), its Chinese file name encoded as RFC 6266 asks."""
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
