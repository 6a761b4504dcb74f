"""`python -m tests.scheduler.run scheduler …`: the `banchengshi` command with the test jobs."""

from banchengshi.manage import main
from tests.scheduler.testjobs import register

register()
main()
