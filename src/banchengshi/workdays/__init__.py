"""Statutory working-day calendar (R-SLA-1).

`schedule` reads and validates one year's State Council schedule; `calendar` answers
working-day arithmetic from precomputed tables and refuses to guess about unknown years;
`registry` joins the schedules shipped by `chinesecalendar` with the years an administrator
loaded (which take precedence). The arithmetic is pure Python: no models in it.
"""
