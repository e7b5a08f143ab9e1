#!/usr/bin/env python3
"""Peer benchmark: the Anderson impurity model with Nb bath sites, every (N_up, N_down) sector
built and fully diagonalised with QuSpin (pip install quspin), as `mbml bench dmft` does it.

H = U n_up n_dn - mu (n_up + n_dn) + sum_{i,s} eps_i n_{i s} + sum_{i,s} V_i (c+_s a_{i s} + h.c.)

Prints one JSON object: {"peer": "quspin", "results": [{"bath_sites": Nb, "seconds": median, ...}]}.
"""
import json, sys, time
import numpy as np
from quspin.basis import spinful_fermion_basis_1d
from quspin.operators import hamiltonian


def sectors_diagonalise(nb, U=2.0, mu=1.0):
    # The model of `mbml bench core --only dmft`: eps_i evenly spaced in [-1, 1], V_i = 0.5.
    eps = np.linspace(-1, 1, nb)
    v = np.full(nb, 0.5)
    L = nb + 1
    energies = []
    for nup in range(L + 1):
        for ndn in range(L + 1):
            basis = spinful_fermion_basis_1d(L, Nf=(nup, ndn))
            static = [
                ["n|n", [[U, 0, 0]]],
                ["n|", [[-mu, 0]] + [[eps[i], i + 1] for i in range(nb)]],
                ["|n", [[-mu, 0]] + [[eps[i], i + 1] for i in range(nb)]],
                ["+-|", [[v[i], 0, i + 1] for i in range(nb)] + [[v[i], i + 1, 0] for i in range(nb)]],
                ["|+-", [[v[i], 0, i + 1] for i in range(nb)] + [[v[i], i + 1, 0] for i in range(nb)]],
            ]
            H = hamiltonian(static, [], basis=basis, dtype=np.float64, check_symm=False, check_herm=False, check_pcon=False)
            e, _ = np.linalg.eigh(H.toarray())
            energies.append(e)
    return np.concatenate(energies)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [4, 5]
    results = []
    for nb in sizes:
        sectors_diagonalise(nb)  # warm-up
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            e = sectors_diagonalise(nb)
            times.append(time.perf_counter() - t0)
        results.append({"bath_sites": nb, "states": int(e.size), "ground_energy": float(e.min()),
                        "seconds": float(np.median(times)), "all": times})
    print(json.dumps({"peer": "quspin", "results": results}))


if __name__ == "__main__":
    main()
