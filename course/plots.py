"""Plotting helpers shared by the notebooks (colour-blind-safe Okabe-Ito palette), and ``interact``
for their widgets."""

from __future__ import annotations

import functools

import numpy as np

PALETTE = ["#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def _pyplot():
    """matplotlib's pyplot, imported at the first plot: importing the course (every grading kernel
    does) does not pay for it (0.3 s) where nothing is drawn."""
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, figsize=(6, 4)):
    if ax is None:
        _, ax = _pyplot().subplots(figsize=figsize)
    return ax


def contour_paths(f, paths, xlim, ylim, title, ax=None, levels=30, resolution=200):
    """Contour plot of ``f(x, y)`` (vectorised over grids) with optimisation paths drawn on top.

    ``paths`` maps a label to an array of shape ``(steps + 1, 2)``.
    """
    ax = _axes(ax, figsize=(6, 5))
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    ax.contourf(grid_x, grid_y, f(grid_x, grid_y), levels=levels, cmap="viridis", alpha=0.85)
    for (label, path), colour in zip(paths.items(), PALETTE):
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], "o-", color=colour, markersize=3, linewidth=1.5, label=label)
        ax.plot(path[-1, 0], path[-1, 1], "X", color=colour, markersize=10, markeredgecolor="black")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    if paths:
        ax.legend(loc="upper right", fontsize="small")
    return ax


def learning_curves(curves, title, ylabel="loss", xlabel="step", logy=False, ax=None, x=None):
    """Plot one line per entry of ``curves`` (label -> sequence of values) against ``x`` (default 0, 1, ...)."""
    ax = _axes(ax)
    for (label, values), colour in zip(curves.items(), PALETTE):
        ax.plot(np.arange(len(values)) if x is None else x, values, color=colour, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def decision_regions(predict, x, y, title, ax=None, resolution=150, margin=0.5):
    """Colour the plane by the class ``predict`` gives each point, with the data ``(x, y)`` on top.

    ``predict`` maps an array of points, shape ``(M, 2)``, to integer class labels, shape ``(M,)``.
    """
    ax = _axes(ax, figsize=(5, 4.5))
    x, y = np.asarray(x), np.asarray(y)
    xs = np.linspace(x[:, 0].min() - margin, x[:, 0].max() + margin, resolution)
    ys = np.linspace(x[:, 1].min() - margin, x[:, 1].max() + margin, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    labels = np.asarray(predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))).reshape(grid_x.shape)
    classes = np.unique(y)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(classes))]
    ax.contourf(grid_x, grid_y, labels, levels=np.arange(len(classes) + 1) - 0.5, colors=colours, alpha=0.25)
    for label, colour in zip(classes, colours):
        ax.scatter(*x[y == label].T, s=10, color=colour, edgecolor="black", linewidth=0.3, label=f"class {label}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def interact(function, manual=False, **controls):
    """``ipywidgets.interact`` (``interact_manual`` when ``manual``) for a demo that calls the
    student's exercises: while one of them is not written yet, the widget shows the course's hint
    instead of a traceback from inside ipywidgets, and no half-drawn figure (``showing_hint``)."""
    import ipywidgets

    return (ipywidgets.interact_manual if manual else ipywidgets.interact)(showing_hint(function), **controls)


def showing_hint(function):
    """``function`` (defined in a notebook), which prints the "not written yet" hint and closes the
    figures it opened, instead of raising, when it runs into an exercise that is not written yet."""
    from course.checks import stub_hint

    @functools.wraps(function)
    def shown(*args, **kwargs):
        plt = _pyplot()
        figures = set(plt.get_fignums())
        try:
            return function(*args, **kwargs)
        except NotImplementedError as error:
            hint = stub_hint(error.__traceback__, function.__globals__)
            if not hint:
                raise
            for number in set(plt.get_fignums()) - figures:
                plt.close(number)
            print(hint)
            return None

    return shown
