"""Shared parts of the management commands that print tables."""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from kraeftplan.tabular import Table, render_text, write_csv

FORMATS = ["text", "csv"]


def add_format_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=(
            "text: aligned columns for reading; csv: for scripts (comma-separated, decimal "
            "point; the web pages' CSV downloads are the ones for Danish Excel)."
        ),
    )


def output(command: BaseCommand, table: Table, fmt: str) -> None:
    if fmt == "csv":
        write_csv(table, command.stdout)
    else:
        command.stdout.write(render_text(table), ending="")
