package dev.ladle.bench.load;

import java.util.Arrays;

/** Latency samples in nanoseconds and their percentiles. */
final class Percentiles {
    private final long[] samples;
    private int count;

    Percentiles(int capacity) {
        samples = new long[capacity];
    }

    void add(long nanos) {
        if (count < samples.length) {
            samples[count++] = nanos;
        }
    }

    /** Returns the {@code p}th percentile (0-100) in milliseconds, or NaN without samples. */
    double millis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1e6;
    }
}
