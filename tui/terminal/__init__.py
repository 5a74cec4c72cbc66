"""What the wizard writes to the terminal: only the cells that changed.

Textual repaints whole regions, often the whole screen, each time a screen is
switched or focus moves, and every segment carries its full SGR and a reset.
Over a slow SSH link those bytes are the wait. `driver.DiffingDriver` keeps a
model of what the terminal shows (`screen_diff.ScreenDiff`) and sends only
the cells that differ, with the shortest SGR change (`pen`).
"""
