"""Shared parts of the management commands that print tables."""

from kraeftplan.tabular import Table, render_text, write_csv

FORMATS = ["text", "csv"]


def add_format_argument(parser):
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: aligned columns for reading; csv: for spreadsheets and scripts.",
    )


def output(command, table: Table, fmt: str):
    if fmt == "csv":
        write_csv(table, command.stdout)
    else:
        command.stdout.write(render_text(table), ending="")
