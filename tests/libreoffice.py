"""Turning .docx and .xlsx files into PDF with LibreOffice, so tests can look at page images of what zhibu writes.

Only tests (and whoever checks a document by hand) need this; the product itself never converts to PDF.
`convert_to_pdf` tells LibreOffice which installed font to draw for each font GB/T 9704 names
(zhibu.lib.officialdoc.PDF_FONT_SUBSTITUTES).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from zhibu.lib.officialdoc import PDF_FONT_SUBSTITUTES


class OfficeConversionError(RuntimeError):
    """LibreOffice could not turn a file into PDF."""


class LibreOfficeNotFound(OfficeConversionError):
    """Neither `soffice` nor `libreoffice` is on PATH."""


CONVERSION_TIMEOUT_SECONDS = 120

# The first file in an Office Open XML package that tells its kind apart.
_SUFFIX_BY_PACKAGE_PART = {
    "word/document.xml": ".docx",
    "xl/workbook.xml": ".xlsx",
    "ppt/presentation.xml": ".pptx",
}


def find_libreoffice() -> str:
    for name in ("soffice", "libreoffice"):
        executable = shutil.which(name)
        if executable:
            return executable
    raise LibreOfficeNotFound(
        "LibreOffice is not installed (no soffice or libreoffice on PATH); "
        "install libreoffice-writer-nogui and libreoffice-calc-nogui"
    )


def convert_to_pdf(
    source: str | os.PathLike[str] | bytes,
    outdir: str | os.PathLike[str],
    *,
    filename: str | None = None,
    timeout: float = CONVERSION_TIMEOUT_SECONDS,
) -> Path:
    """Convert a .docx/.xlsx (a path, or the file's bytes) to PDF in `outdir`.

    Returns the PDF's path: `outdir` / <source name>.pdf. For bytes, `filename`
    names the input (default "document" plus a suffix guessed from the package).
    Each call runs LibreOffice with its own throw-away profile, because two
    instances sharing a profile block or silently hand work to each other.
    """
    executable = find_libreoffice()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="zhibu-soffice-") as workdir:
        workdir_path = Path(workdir)
        if isinstance(source, bytes):
            input_path = workdir_path / (filename or "document" + _guess_office_suffix(source))
            input_path.write_bytes(source)
        else:
            input_path = Path(source).resolve()
            if not input_path.is_file():
                raise FileNotFoundError(input_path)

        pdf_path = outdir / (input_path.stem + ".pdf")
        # A PDF left from an earlier run would hide a failed conversion.
        pdf_path.unlink(missing_ok=True)

        profile_dir = workdir_path / "profile"
        _write_font_substitutions(profile_dir)
        command = [
            executable,
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(input_path),
        ]
        stdout, stderr = _run_with_timeout(command, timeout)

    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        # soffice exits 0 even when it cannot load the file, so the output
        # file is the only reliable sign of success.
        raise OfficeConversionError(
            f"LibreOffice did not produce {pdf_path}\n"
            f"stdout: {stdout.strip()}\nstderr: {stderr.strip()}"
        )
    return pdf_path


def _guess_office_suffix(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile as error:
        raise OfficeConversionError(
            "not an Office Open XML file (.docx/.xlsx); pass filename="
        ) from error
    for part, suffix in _SUFFIX_BY_PACKAGE_PART.items():
        if part in names:
            return suffix
    raise OfficeConversionError("unrecognised Office package; pass filename= with its suffix")


def _run_with_timeout(command: list[str], timeout: float) -> tuple[str, str]:
    # soffice is a launcher script that starts soffice.bin as a child; run it
    # in its own process group so a timeout kills the whole tree, not just
    # the launcher.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise OfficeConversionError(
            f"LibreOffice took longer than {timeout:g} s: {' '.join(command)}"
        ) from None


def _write_font_substitutions(profile_dir: Path) -> None:
    """Seed the private profile with LibreOffice's font replacement table
    (Tools ▸ Options ▸ Fonts) so the GB/T fonts map to installed CJK fonts
    instead of whatever glyph fallback picks."""
    pairs = "".join(
        f'<node oor:name="{index}" oor:op="replace">'
        f'<prop oor:name="Always"><value>true</value></prop>'
        f'<prop oor:name="OnScreenOnly"><value>false</value></prop>'
        f'<prop oor:name="ReplaceFont"><value>{escape(wanted)}</value></prop>'
        f'<prop oor:name="SubstituteFont"><value>{escape(installed)}</value></prop>'
        f"</node>"
        for index, (wanted, installed) in enumerate(PDF_FONT_SUBSTITUTES.items())
    )
    registry = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f"{pairs}</item>\n"
        "</oor:items>\n"
    )
    user_dir = profile_dir / "user"
    user_dir.mkdir(parents=True, exist_ok=True)
    (user_dir / "registrymodifications.xcu").write_text(registry, encoding="utf-8")
