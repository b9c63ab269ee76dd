"""The team planner (specs/planning.md): pure Python on OR-Tools CP-SAT, no Django."""
