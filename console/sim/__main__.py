"""`python -m console.sim serve --port N`."""

from __future__ import annotations

import argparse
import sys

from . import server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.sim", description="WeChat API simulator")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the simulator on a loopback port")
    server.add_arguments(serve)
    args = parser.parse_args(argv)
    return server.run(args)


if __name__ == "__main__":
    sys.exit(main())
