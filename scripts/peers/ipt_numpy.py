#!/usr/bin/env python3
"""Peer benchmark: one IPT iteration on the Bethe lattice at half filling in NumPy, with the
same algorithm as `mbml bench dmft`: G0^-1 = i w_n - t^2 G; G0(tau) by FFT with the 1/(i w)
tail subtracted; Sigma(tau) = U^2 G0(tau)^3; Sigma(i w_n) by FFT of the trapezoid sum on
2N tau points with the jump corrected; G = 1/(G0^-1 - Sigma).

Prints {"peer": "numpy", "frequencies": N, "seconds": median, ...}.
"""
import json, sys, time
import numpy as np


def ipt_iteration(g, beta, U, t=0.5):
    n = g.size
    wn = (2 * np.arange(n) + 1) * np.pi / beta
    g0 = 1.0 / (1j * wn - t * t * g)
    # G0(tau_k), tau_k = k beta / (2n), k = 0..2n-1: sum over -n..n-1 of (G0 - 1/iw) e^{-i w tau} / beta - 1/2
    full = np.concatenate([np.conj(g0[::-1]), g0]) - 1.0 / (1j * np.concatenate([-wn[::-1], wn]))
    m = 2 * n
    k = np.arange(m)
    # e^{-i w_j tau_k} with w_j = (2j+1-2n) pi / beta, j = 0..2n-1
    phase = np.exp(-1j * np.pi * k * (1 - m) / m)
    g0tau = (np.fft.fft(full) * phase).real / beta - 0.5
    sigma_tau = U * U * g0tau ** 3
    # Sigma(i w_n) = int_0^beta e^{i w_n tau} Sigma(tau) dtau by the trapezoid rule on tau_k;
    # at half filling Sigma(beta^-) = Sigma(0^+), and e^{i w_n beta} = -1.
    dt = beta / m
    s = sigma_tau * np.exp(1j * np.pi * k / m)
    sig = dt * np.fft.ifft(s)[:n] * m
    sig = sig - dt * 0.5 * sigma_tau[0] - dt * 0.5 * sigma_tau[0]
    return 1.0 / (1j * wn - t * t * g - sig)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
    beta, U = 50.0, 2.0
    wn = (2 * np.arange(n) + 1) * np.pi / beta
    g = 2 * (1j * wn - 1j * np.sqrt(wn ** 2 + 1))  # semicircle, D = 1
    for _ in range(3):
        g = ipt_iteration(g, beta, U)
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        g = ipt_iteration(g, beta, U)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"peer": "numpy", "frequencies": n, "seconds": float(np.median(times)), "all": times,
                      "g0": [float(g[0].real), float(g[0].imag)]}))


if __name__ == "__main__":
    main()
