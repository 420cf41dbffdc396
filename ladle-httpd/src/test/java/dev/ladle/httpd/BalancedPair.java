package dev.ladle.httpd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What the balancer tests run: two ladle-httpd instances and a real balancer in front of them. The
 * instances start together, the balancer once both listen; {@link #close()} stops the balancer, then
 * every instance, the replacements of a rolling restart included.
 */
final class BalancedPair implements AutoCloseable {
    /** Starts a balancer in front of the instances on {@code portA} and {@code portB}. */
    @FunctionalInterface
    interface BalancerStart {
        Balancer start(int portA, int portB) throws IOException;
    }

    /** The instances, in the list {@link RollingRestart#run} replaces them in. */
    final List<HttpdProcess> instances = new ArrayList<>();
    private Balancer balancer;

    /** Starts two instances in {@code dir} with {@code flags}, then the balancer {@code start} makes; returns it. */
    Balancer start(Path dir, List<String> flags, BalancerStart start) throws IOException, InterruptedException {
        RollingRestart.startTwo(dir, flags, instances);
        balancer = start.start(port(0), port(1));
        return balancer;
    }

    /** The port of instance {@code i}. */
    int port(int i) {
        return instances.get(i).uri().getPort();
    }

    /** The upstream addresses, {@code 127.0.0.1:PORT}, by which nginx's {@code X-Served-By} names the instances. */
    Set<String> upstreams() {
        return Set.of("127.0.0.1:" + port(0), "127.0.0.1:" + port(1));
    }

    /**
     * Restarts both instances in turn ({@link RollingRestart#run} with {@code flags}) under a counted
     * keep-alive load of an 8 KiB file through the balancer, and asserts that no request failed: none
     * refused, unanswered, answered wrongly or cut short, and more than a hundred sent during the
     * restarts. {@code servedBy} are the {@code X-Served-By} values of the two instances; the figures
     * are printed for the note.
     */
    void assertARollingRestartLosesNoRequest(Path dir, List<String> flags, Set<String> servedBy) throws Exception {
        byte[] payload = new byte[8 * 1024];
        new Random(17).nextBytes(payload);
        Files.write(dir.resolve("payload.bin"), payload);
        balancer.awaitServedBy("/payload.bin", servedBy);

        KeepAliveLoad load = KeepAliveLoad.start(balancer.uri(), "/payload.bin", payload, 4);
        List<RollingRestart.Restart> restarts = RollingRestart.run(instances, dir, flags);
        // after both restarts only the new processes are left: they serve what follows
        long before = load.ok();
        balancer.awaitServedBy("/payload.bin", servedBy);
        KeepAliveLoad.Figures figures = load.stop();

        System.out.println(balancer.name() + " rolling restart: " + figures + "; " + balancer.retried());
        restarts.forEach(r -> System.out.println(balancer.name() + " rolling restart: " + r));
        assertThat(figures.failed()).as("failed requests; the first: %s\n%s said:\n%s", figures.firstFailures(),
                balancer.name(), balancer.output()).isZero();
        assertThat(figures.ok()).isGreaterThan(before).isEqualTo(figures.sent());
        assertThat(figures.sent()).as("requests sent during the restarts").isGreaterThan(100);
    }

    @Override
    public void close() throws InterruptedException {
        if (balancer != null) {
            balancer.close();
        }
        for (HttpdProcess instance : instances) {
            instance.close();
        }
    }
}
