"""Legacy Word (.doc) and Kingsoft WPS (.wps) files: converted to DOCX by headless LibreOffice.

WPS files are Word binary documents underneath, so the same conversion reads both. Each
conversion gets its own LibreOffice profile directory so parallel runs do not collide.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

from nianbao.debris import temp_dir
from nianbao.limits import limits
from nianbao.procs import die_with_parent
from nianbao.read.document import Document, ReadError
from nianbao.read.docx import read_docx


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
    check_ole(data, fmt)
    timeout = limits().convert_timeout_s
    tmp = temp_dir("lo")  # named after this process: a killed run's profile is removed at the next start
    try:
        work = Path(tmp)
        source = work / f"report.{fmt}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(work / "out"), str(source)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                preexec_fn=_child_setup)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise ReadError(f"LibreOffice 转换超时（{timeout:.0f} 秒），已终止",
                            f"LibreOffice conversion timed out ({timeout:.0f} s), stopped") from exc
        out = work / "out" / "report.docx"
        if proc.returncode != 0 or not out.exists():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-300:]
            raise ReadError(f"{fmt.upper()} 文件损坏或无法转换", f"corrupt {fmt.upper()} file, conversion failed"
                            + (f" ({detail})" if detail else ""))
        return out.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_ole(data: bytes, fmt: str) -> None:
    """A DOC/WPS must be a readable OLE file holding a WordDocument stream; LibreOffice can spend
    minutes on an OLE header followed by junk before giving up."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(e).lower() for e in ole.listdir()}
    except Exception as exc:  # noqa: BLE001 - olefile raises many types for damaged files
        raise ReadError(f"{fmt.upper()} 文件结构损坏", f"damaged {fmt.upper()} file structure") from exc
    if not streams & {"worddocument", "contents"}:  # Word / Kingsoft WPS, or Microsoft Works .wps
        raise ReadError(f"{fmt.upper()} 文件中没有 Word 文档内容", f"no Word document inside this {fmt.upper()} file")


def _child_setup() -> None:
    """LibreOffice runs outside the parser worker's memory budget (it maps far more address space
    than it uses; the conversion timeout bounds it) and dies with the worker."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    die_with_parent()


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
