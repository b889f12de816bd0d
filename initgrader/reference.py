"""The reference implementation the checks compare against.

Grader side only: it is the solution, so the sandbox never mounts it and the
release never contains it.
"""
import numpy as np

ACTIVATIONS = ("tanh", "sigmoid", "relu")


def sigmoid(z):
    # tanh form: the same function, but free of overflow warnings for large |z|
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def initialize_parameters(n_x, n_h, n_y, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return {
        "W1": rng.standard_normal((n_h, n_x)) * 0.01,
        "b1": np.zeros((n_h, 1)),
        "W2": rng.standard_normal((n_y, n_h)) * 0.01,
        "b2": np.zeros((n_y, 1)),
    }


def forward_propagation(X, parameters):
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"] ** 2)
    return {
        "dW1": dZ1 @ X.T / m,
        "db1": dZ1.sum(axis=1, keepdims=True) / m,
        "dW2": dZ2 @ cache["A1"].T / m,
        "db2": dZ2.sum(axis=1, keepdims=True) / m,
    }


def update_parameters(parameters, grads, learning_rate=1.2):
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in ("W1", "b1", "W2", "b2")}


def unit_signatures(parameters):
    """One row per hidden unit: its incoming weights, its bias and its outgoing weights."""
    return np.hstack([parameters["W1"], parameters["b1"], parameters["W2"].T])


def count_distinct_units(parameters, tol=1e-8):
    distinct = []
    for row in unit_signatures(parameters):
        if not any(np.max(np.abs(row - seen)) <= tol for seen in distinct):
            distinct.append(row)
    return len(distinct)


def rows_identical(M, tol=1e-8):
    M = np.atleast_2d(M)
    return bool(np.max(np.abs(M - M[:1]), initial=0.0) <= tol)


def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    updated = update_parameters(parameters, grads, learning_rate)
    return {
        "A1": rows_identical(cache["A1"], tol),
        "dW1": rows_identical(grads["dW1"], tol),
        "dW2": rows_identical(grads["dW2"].T, tol),
        "next": rows_identical(unit_signatures(updated), tol),
    }


def activation_derivative(Z, activation):
    if activation == "tanh":
        return 1 - np.tanh(Z) ** 2
    if activation == "sigmoid":
        s = sigmoid(Z)
        return s * (1 - s)
    return (Z > 0).astype(float)


def mean_activation_derivative(W1, b1, X, activation="tanh"):
    return float(np.mean(activation_derivative(W1 @ X + b1, activation)))


def init_scale(method, n_prev):
    return {"small": 0.01, "xavier": np.sqrt(1 / n_prev), "he": np.sqrt(2 / n_prev)}[method]


def initialize_parameters_deep(layer_dims, method="xavier", rng=None):
    rng = np.random.default_rng() if rng is None else rng
    parameters = {}
    for layer in range(1, len(layer_dims)):
        n_prev, n = layer_dims[layer - 1], layer_dims[layer]
        parameters[f"W{layer}"] = rng.standard_normal((n, n_prev)) * init_scale(method, n_prev)
        parameters[f"b{layer}"] = np.zeros((n, 1))
    return parameters
