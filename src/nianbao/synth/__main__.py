"""``python -m nianbao.synth demo OUT`` | ``corpus OUT --seed S --agencies N --formats txt,html``
| ``bench N`` (generate N txt reports in memory and print the rate)."""

from __future__ import annotations

import argparse
import time

from nianbao.synth.corpus import FORMATS, demo_corpus, generate_corpus, write_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nianbao.synth")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="write the demo corpus")
    demo.add_argument("out")
    corpus = sub.add_parser("corpus", help="write a corpus")
    corpus.add_argument("out")
    corpus.add_argument("--seed", type=int, default=1)
    corpus.add_argument("--agencies", type=int, default=40)
    corpus.add_argument("--formats", default="txt,html")
    corpus.add_argument("--error-rate", type=float, default=0.0)
    bench = sub.add_parser("bench", help="generate N txt reports in memory and report the rate")
    bench.add_argument("n", type=int)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command == "demo":
        count = len(demo_corpus(args.out))
    elif args.command == "corpus":
        formats = tuple(f for f in args.formats.split(",") if f in FORMATS)
        count = len(write_corpus(args.out, args.seed, n_agencies=args.agencies, formats=formats,
                                 error_rate=args.error_rate))
    else:
        agencies = -(-args.n // 7)
        count = 0
        for report in generate_corpus(1, n_agencies=agencies, formats=("txt",)):
            count += 1
            if count >= args.n or not report.data:
                break
    seconds = time.perf_counter() - start
    print(f"{count} reports in {seconds:.2f} s ({count / seconds:.0f} reports/s)")


if __name__ == "__main__":
    main()
