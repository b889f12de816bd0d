"""Data and pictures for the random-initialization notebook.

Nothing here implements a graded function: the training loop takes your own
functions as arguments.
"""
import numpy as np


def make_petals(m=400, petals=4, noise=0.25, seed=1):
    """A seeded two-class dataset in the plane: interleaved petals that no straight line separates.

    Returns X of shape (2, m) and Y of shape (1, m) with labels 0 and 1.
    """
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi, m)
    radius = 4 * np.abs(np.sin(petals * angle / 2)) + rng.normal(0, noise, m)
    X = np.vstack([radius * np.cos(angle), radius * np.sin(angle)])
    Y = (np.floor(petals * angle / (2 * np.pi)) % 2).reshape(1, m)
    return X, Y


def train(X, Y, parameters, forward_propagation, compute_cost, backward_propagation, update_parameters,
          iterations=1000, learning_rate=1.2, record=None):
    """Gradient descent with your four functions; returns (parameters, costs).

    ``record(iteration, parameters)`` is called before every step when given,
    so you can watch what happens to the hidden units.
    """
    costs = []
    for iteration in range(iterations):
        if record is not None:
            record(iteration, parameters)
        A2, cache = forward_propagation(X, parameters)
        costs.append(float(compute_cost(A2, Y)))
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def predict(X, parameters, forward_propagation):
    return forward_propagation(X, parameters)[0] > 0.5


def accuracy(X, Y, parameters, forward_propagation):
    return float(np.mean(predict(X, parameters, forward_propagation) == Y))


def plot_data(ax, X, Y, title="The petals dataset"):
    ax.scatter(X[0], X[1], c=Y.ravel(), cmap="coolwarm", s=12, edgecolors="none")
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def plot_decision_boundary(ax, X, Y, parameters, forward_propagation, title=""):
    """Shade the plane by the network's prediction and draw the data on top."""
    pad = 0.5
    xs = np.linspace(X[0].min() - pad, X[0].max() + pad, 200)
    ys = np.linspace(X[1].min() - pad, X[1].max() + pad, 200)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.vstack([grid_x.ravel(), grid_y.ravel()])
    probability = forward_propagation(grid, parameters)[0].reshape(grid_x.shape)
    ax.contourf(grid_x, grid_y, probability, levels=[0, 0.5, 1], colors=["#c6dbef", "#fcbba1"])
    plot_data(ax, X, Y, title)


def plot_costs(ax, curves, title="Cost during training"):
    """``curves`` maps a label to a list of costs, one per iteration."""
    for label, costs in curves.items():
        ax.plot(costs, label=label, linewidth=2)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cross-entropy cost")
    ax.set_title(title)
    ax.legend()


def plot_unit_rows(ax, W1, title):
    """W1 as an image: one row per hidden unit, so identical units show as identical stripes."""
    limit = max(float(np.abs(W1).max()), 1e-12)
    image = ax.imshow(W1, cmap="PiYG", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xlabel("input feature")
    ax.set_ylabel("hidden unit")
    ax.set_yticks(range(W1.shape[0]))
    ax.set_xticks(range(W1.shape[1]))
    ax.set_title(title)
    return image
