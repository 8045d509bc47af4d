from django.core.management.base import BaseCommand

from initiatives.seeds import SeedLoader


class Command(BaseCommand):
    help = (
        "Load every plan, initiative, budget figure, target and indicator figure from fixtures/ "
        "(the seed documents) in one transaction. Plans that already exist are left as they are "
        "unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete all plans and everything under them first, then load the seeds afresh.",
        )

    def handle(self, *args, replace=False, **options):
        for line in SeedLoader().load(replace=replace):
            self.stdout.write(line)
