/*
 * stream.c — a small STREAM-style reference (copy, scale, add, triad) for bench/stream-vs-c.ts.
 * Written for FLOPscope after John McCalpin's STREAM methodology (https://www.cs.virginia.edu/stream/):
 * double-precision arrays, OpenMP static schedule, arrays first-touched in parallel, each kernel
 * timed NTIMES times and the best (minimum) time reported, bytes counted without write-allocate
 * (copy/scale 2 × 8 B per element, add/triad 3 × 8 B). Not the official stream.c.
 *
 * Build: gcc -O3 -march=native -fopenmp bench/stream.c -o stream
 * Usage: OMP_NUM_THREADS=N ./stream <elements-per-array> [ntimes]
 * Output: one JSON line {"threads","n","copy","scale","add","triad"} with GB/s (1e9 bytes/s).
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static double now(void) { return omp_get_wtime(); }

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s <n> [ntimes]\n", argv[0]); return 2; }
  const long n = atol(argv[1]);
  const int ntimes = argc > 2 ? atoi(argv[2]) : 10;
  double *a = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
  double *b = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
  double *c = aligned_alloc(64, ((n * sizeof(double) + 63) / 64) * 64);
  if (!a || !b || !c) { fprintf(stderr, "allocation failed\n"); return 1; }
  const double scalar = 3.0;
  /* First touch in parallel so each thread's pages are faulted in (and NUMA-placed) before timing. */
#pragma omp parallel for schedule(static)
  for (long j = 0; j < n; j++) { a[j] = 1.0; b[j] = 2.0; c[j] = 0.0; }

  double best[4] = {1e30, 1e30, 1e30, 1e30};
  for (int k = 0; k < ntimes; k++) {
    double t;
    t = now();
#pragma omp parallel for schedule(static)
    for (long j = 0; j < n; j++) c[j] = a[j];
    t = now() - t; if (k > 0 && t < best[0]) best[0] = t;
    t = now();
#pragma omp parallel for schedule(static)
    for (long j = 0; j < n; j++) b[j] = scalar * c[j];
    t = now() - t; if (k > 0 && t < best[1]) best[1] = t;
    t = now();
#pragma omp parallel for schedule(static)
    for (long j = 0; j < n; j++) c[j] = a[j] + b[j];
    t = now() - t; if (k > 0 && t < best[2]) best[2] = t;
    t = now();
#pragma omp parallel for schedule(static)
    for (long j = 0; j < n; j++) a[j] = b[j] + scalar * c[j];
    t = now() - t; if (k > 0 && t < best[3]) best[3] = t;
  }
  /* Checksum keeps the compiler from discarding the loops and catches a broken run. */
  double sum = 0;
  for (long j = 0; j < n; j += 4096) sum += a[j] + b[j] + c[j];
  const double b2 = 2.0 * sizeof(double) * (double)n, b3 = 3.0 * sizeof(double) * (double)n;
  printf("{\"threads\":%d,\"n\":%ld,\"ntimes\":%d,\"copy\":%.3f,\"scale\":%.3f,\"add\":%.3f,\"triad\":%.3f,\"checksum\":%g}\n",
         omp_get_max_threads(), n, ntimes, b2 / best[0] / 1e9, b2 / best[1] / 1e9, b3 / best[2] / 1e9, b3 / best[3] / 1e9, sum);
  free(a); free(b); free(c);
  return 0;
}
