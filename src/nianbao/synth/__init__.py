"""Deterministic synthetic 政府信息公开工作年度报告: realistic reports in txt, html, docx and pdf,
each with its expected values (the corpus CSV format) and metadata, for tests and demos."""

from nianbao.synth.corpus import (
    FORMATS,
    SynthReport,
    demo_corpus,
    generate_corpus,
    natural_form,
    write_corpus,
)

__all__ = ["FORMATS", "SynthReport", "demo_corpus", "generate_corpus", "natural_form", "write_corpus"]
