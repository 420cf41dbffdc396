package dev.ladle.bench.mocks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The measured cycle times of one row of the report, round by round, and the figures made of them.
 * Not thread-safe: filled by the one thread that runs the rounds.
 */
public final class CycleTimes {
    private final List<long[]> rounds = new ArrayList<>();
    private long cpuNanos;

    /**
     * Adds a round's cycle times, in nanoseconds (the array is kept, not copied), and the CPU time the
     * whole process used during the round ({@code -1} when the JVM cannot tell).
     */
    void addRound(long[] nanos, long roundCpuNanos) {
        rounds.add(nanos);
        cpuNanos = cpuNanos < 0 || roundCpuNanos < 0 ? -1 : cpuNanos + roundCpuNanos;
    }

    /** The number of cycles measured, all rounds together. */
    public int cycles() {
        return rounds.stream().mapToInt(r -> r.length).sum();
    }

    /** The number of rounds measured. */
    public int rounds() {
        return rounds.size();
    }

    /** The median cycle time of all the measured cycles, in milliseconds; NaN before the first round. */
    public double medianMillis() {
        return percentile(all(), 50);
    }

    /** The 90th percentile of all the measured cycles, in milliseconds; NaN before the first round. */
    public double p90Millis() {
        return percentile(all(), 90);
    }

    /** The mean cycle time (total time over cycles), in milliseconds; NaN before the first round. */
    public double meanMillis() {
        long[] all = all();
        return all.length == 0 ? Double.NaN : Arrays.stream(all).average().orElseThrow() / 1e6;
    }

    /**
     * The CPU time of the whole process (client, server, GC and compiler threads) per measured cycle, in
     * milliseconds: what a cycle costs however loaded the machine is. NaN when the JVM cannot tell, or
     * before the first round.
     */
    public double cpuMillisPerCycle() {
        int cycles = cycles();
        return cpuNanos < 0 || cycles == 0 ? Double.NaN : cpuNanos / 1e6 / cycles;
    }

    /** The median of the round whose median is lowest, in milliseconds; NaN before the first round. */
    public double minRoundMedianMillis() {
        return rounds.stream().mapToDouble(r -> percentile(r, 50)).min().orElse(Double.NaN);
    }

    /** The median of the round whose median is highest, in milliseconds; NaN before the first round. */
    public double maxRoundMedianMillis() {
        return rounds.stream().mapToDouble(r -> percentile(r, 50)).max().orElse(Double.NaN);
    }

    /** The median of one round's cycle times, in milliseconds. */
    static double medianMillis(long[] round) {
        return percentile(round, 50);
    }

    private long[] all() {
        return rounds.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** The nearest-rank percentile {@code p} (0-100] of {@code nanos}, in milliseconds. */
    private static double percentile(long[] nanos, double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
