package dev.ladle.junit;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a {@link MockServer} waits before it answers ({@link MockResponse#withDelay(Delay)}): a fixed
 * time, or a time drawn afresh for every request from a uniform or a log-normal distribution.
 *
 * <pre>{@code
 * Delay.fixed(Duration.ofMillis(200))
 * Delay.uniform(Duration.ofMillis(50), Duration.ofMillis(150))
 * Delay.logNormal(Duration.ofMillis(80), 0.4, new Random(42))   // repeatable: same seed, same delays
 * }</pre>
 *
 * <p>Immutable and thread-safe. A random delay draws from the {@link Random} it was given, so a seeded
 * one gives the same sequence of delays in every run (in the order requests draw them; requests that
 * arrive at the same time may draw in either order); without one it draws from
 * {@link ThreadLocalRandom}. A drawn delay is never negative.
 */
public final class Delay {
    /** No delay. */
    public static final Delay NONE = new Delay(Kind.FIXED, Duration.ZERO, Duration.ZERO, 0, null);

    private enum Kind { FIXED, UNIFORM, LOG_NORMAL }

    private final Kind kind;
    private final Duration first;
    private final Duration second;
    private final double sigma;
    private final Random random;

    private Delay(Kind kind, Duration first, Duration second, double sigma, Random random) {
        this.kind = kind;
        this.first = first;
        this.second = second;
        this.sigma = sigma;
        this.random = random;
    }

    /**
     * Always {@code delay}.
     *
     * @throws IllegalArgumentException when {@code delay} is negative
     */
    public static Delay fixed(Duration delay) {
        requireNonNegative(delay, "delay");
        return delay.isZero() ? NONE : new Delay(Kind.FIXED, delay, delay, 0, null);
    }

    /**
     * A delay drawn uniformly between {@code min} and {@code max} (both included, to the nanosecond)
     * for each request.
     *
     * @throws IllegalArgumentException when a bound is negative or {@code max < min}
     */
    public static Delay uniform(Duration min, Duration max) {
        return uniform(min, max, null);
    }

    /**
     * As {@link #uniform(Duration, Duration)}, drawing from {@code random} (seed it for repeatable runs;
     * null draws from {@link ThreadLocalRandom}).
     */
    public static Delay uniform(Duration min, Duration max, Random random) {
        requireNonNegative(min, "min");
        requireNonNegative(max, "max");
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("max " + max + " is less than min " + min);
        }
        return new Delay(Kind.UNIFORM, min, max, 0, random);
    }

    /**
     * A log-normal delay, as network latencies often are: {@code median × e^(sigma × g)} with {@code g}
     * standard normal, so half the delays are shorter than {@code median}, and {@code sigma} sets how long
     * the tail is (0.1 narrow; 1 means one request in six waits more than 2.7 × the median).
     *
     * @throws IllegalArgumentException when {@code median} is negative, or {@code sigma} is negative or
     *     not finite
     */
    public static Delay logNormal(Duration median, double sigma) {
        return logNormal(median, sigma, null);
    }

    /**
     * As {@link #logNormal(Duration, double)}, drawing from {@code random} (seed it for repeatable runs;
     * null draws from {@link ThreadLocalRandom}).
     */
    public static Delay logNormal(Duration median, double sigma, Random random) {
        requireNonNegative(median, "median");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite number >= 0: " + sigma);
        }
        return new Delay(Kind.LOG_NORMAL, median, median, sigma, random);
    }

    /** Draws the delay for one request (always the same for a fixed delay). */
    public Duration next() {
        return switch (kind) {
            case FIXED -> first;
            case UNIFORM -> first.plusNanos(random().nextLong(second.minus(first).toNanos() + 1));
            case LOG_NORMAL -> Duration.ofNanos(Math.round(Math.min(Long.MAX_VALUE,
                    first.toNanos() * Math.exp(sigma * random().nextGaussian()))));
        };
    }

    /** True for {@link #NONE} (and {@code fixed(Duration.ZERO)}). */
    public boolean isNone() {
        return this == NONE;
    }

    private Random random() {
        return random != null ? random : ThreadLocalRandom.current();
    }

    static Duration requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }

    /** For messages: {@code PT0.2S}, {@code uniform PT0.1S..PT0.3S}, {@code log-normal, median PT0.1S, sigma 0.5}. */
    @Override
    public String toString() {
        return switch (kind) {
            case FIXED -> first.toString();
            case UNIFORM -> "uniform " + first + ".." + second;
            case LOG_NORMAL -> "log-normal, median " + first + ", sigma " + sigma;
        };
    }
}
