"""Gets the bias gradients with np.mean and reshape instead of sum with keepdims."""


def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"] * cache["A1"])
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1).reshape(-1, 1),
            "dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.mean(axis=1).reshape(-1, 1)}
