"""Service points (R-NB-1): the points, their equipment and the matters they serve remotely,
their status history, inspections and the faults followed until repaired."""
