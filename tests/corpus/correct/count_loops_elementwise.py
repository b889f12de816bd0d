"""Compares units entry by entry in plain loops and keeps one representative per group."""


def count_distinct_units(parameters, tol=1e-8):
    W1, b1, W2 = parameters["W1"], parameters["b1"], parameters["W2"]
    units = [list(W1[i, :]) + [b1[i, 0]] + list(W2[:, i]) for i in range(W1.shape[0])]
    representatives = []
    for unit in units:
        if not any(all(abs(a - b) <= tol for a, b in zip(unit, rep)) for rep in representatives):
            representatives.append(unit)
    return len(representatives)
