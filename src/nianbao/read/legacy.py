"""Legacy Word (.doc) and Kingsoft WPS (.wps) files: converted to DOCX by headless LibreOffice.

WPS files are Word binary documents underneath, so the same conversion reads both. Each
conversion gets its own LibreOffice profile directory so parallel runs do not collide.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from nianbao.read.document import Document, ReadError
from nianbao.read.docx import read_docx

TIMEOUT_SECONDS = 120


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy_word(data: bytes, fmt: str) -> Document:
    """Read a .doc or .wps file through a DOCX conversion. Raises ReadError with what to install."""
    soffice = find_soffice()
    if soffice is None:
        raise ReadError("读取 DOC/WPS 文件需要安装 LibreOffice（Debian: apt-get install libreoffice-writer-nogui）",
                        "reading DOC/WPS files needs LibreOffice (Debian: apt-get install libreoffice-writer-nogui)")
    doc = read_docx(convert_to_docx(data, fmt, soffice))
    doc.source_format = fmt
    return doc


def convert_to_docx(data: bytes, fmt: str, soffice: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        work = Path(tmp)
        source = work / f"report.{fmt}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(work / "out"), str(source)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒）",
                            f"LibreOffice conversion timed out ({TIMEOUT_SECONDS} s)") from exc
        out = work / "out" / "report.docx"
        if run.returncode != 0 or not out.exists():
            detail = (run.stderr or run.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ReadError(f"{fmt.upper()} 文件损坏或无法转换", f"corrupt {fmt.upper()} file, conversion failed"
                            + (f" ({detail})" if detail else ""))
        return out.read_bytes()
