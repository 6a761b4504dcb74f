import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from banchengshi.scheduler.lease import this_process
from banchengshi.scheduler.loop import Scheduler, log
from banchengshi.scheduler.registry import JOBS


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: forever as the leader of the schedulers (jobs go to the task "
        "workers), or with --once every due job to completion in this process (for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="run the due jobs here, then exit (for cron)"
        )
        parser.add_argument(
            "--job",
            action="append",
            metavar="NAME",
            help="only this job (may be repeated); default: every registered job",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["job"] or sorted(JOBS)
        unknown = [name for name in names if name not in JOBS]
        if unknown:
            raise CommandError(
                f"unknown job {', '.join(unknown)}; the jobs are: {', '.join(sorted(JOBS))}"
            )
        scheduler = Scheduler([JOBS[name] for name in names], process=this_process())

        def stop(signum: int, frame: FrameType | None) -> None:
            log.info("%s received: stopping", signal.Signals(signum).name)
            scheduler.stop()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            if options["once"]:
                self.once(scheduler)
            else:
                scheduler.run_forever()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def once(self, scheduler: Scheduler) -> None:
        outcomes, refused = scheduler.run_once()
        if refused:
            self.stdout.write(refused)
            return
        for outcome in outcomes:
            self.stdout.write(outcome.line())
        failed = [outcome.job for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
