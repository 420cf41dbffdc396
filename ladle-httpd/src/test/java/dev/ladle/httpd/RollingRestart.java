package dev.ladle.httpd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Restarts ladle-httpd instances one after another the way an operator does with {@code --reuse-port}:
 * a new process binds the same port while the old one still listens, then the old one gets SIGTERM and
 * drains for its {@code --drain-grace} before it stops. The instances live in a mutable list so that
 * whoever owns them closes the replacements too.
 */
final class RollingRestart {
    /** How long one restart took: the new process's start until it listened, the old one's SIGTERM until its exit. */
    record Restart(int port, long startMillis, long drainMillis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "port %d: new process listening after %d ms, old one drained and exited %d ms"
                    + " after SIGTERM", port, startMillis, drainMillis);
        }
    }

    private RollingRestart() {
    }

    /** Starts an instance on {@code port} (0 for any) in {@code dir} with {@code flags} and waits until it listens. */
    static HttpdProcess start(Path dir, int port, List<String> flags) throws IOException, InterruptedException {
        return HttpdProcess.serve(dir, 1, args(port, flags));
    }

    /**
     * Starts two instances on free ports at once (a JVM start takes seconds on a loaded machine) and
     * adds them to {@code instances} once both listen.
     */
    static void startTwo(Path dir, List<String> flags, List<HttpdProcess> instances) throws IOException, InterruptedException {
        HttpdProcess first = HttpdProcess.start(dir, args(0, flags));
        instances.add(first);
        HttpdProcess second = HttpdProcess.start(dir, args(0, flags));
        instances.add(second);
        first.awaitUris(1);
        second.awaitUris(1);
    }

    private static String[] args(int port, List<String> flags) {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port)));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    /**
     * Replaces each instance in {@code instances}, in order, by a new one on its port; returns how long
     * each restart took. An old instance that does not exit 0 fails the test.
     */
    static List<Restart> run(List<HttpdProcess> instances, Path dir, List<String> flags)
            throws IOException, InterruptedException {
        List<Restart> restarts = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            HttpdProcess old = instances.get(i);
            int port = old.uri().getPort();
            long started = System.nanoTime();
            HttpdProcess replacement = start(dir, port, flags);
            instances.add(replacement);
            long listening = System.nanoTime();
            old.signal("TERM");
            int exit = old.awaitExit();
            long exited = System.nanoTime();
            if (exit != 0) {
                throw new AssertionError("the old instance on port " + port + " exited with " + exit + ":\n" + old.drainStderr());
            }
            instances.set(i, replacement);
            instances.remove(instances.size() - 1);
            old.close();
            restarts.add(new Restart(port, (listening - started) / 1_000_000, (exited - listening) / 1_000_000));
        }
        return restarts;
    }
}
