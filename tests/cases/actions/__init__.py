"""The case actions (DESIGN.md "The case lifecycle"): every action's effect, every refusal, one
module per area of cases/actions/.

Time is frozen at Friday 2026-11-20 10:00 Asia/Shanghai (conftest.NOW) unless a test moves it.
Deadlines were counted by hand on the 2026 schedule: late November has no holiday, so working
days are Monday to Friday (Nov 23-27, Nov 30, Dec 1-4, Dec 7 ...). Policy: putuo unless said.
"""
