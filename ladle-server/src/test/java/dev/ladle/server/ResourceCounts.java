package dev.ladle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * What a server holds that a client could leave behind: open TCP sockets and other descriptors of this
 * process ({@code /proc/self/fd}, those the JVM opens once for itself left out), the server's threads
 * by name (virtual ones included, from a JSON thread dump: the thread MX bean sees only platform
 * threads), files in a temporary directory, and direct buffers. Take one before and compare with {@link #awaitNoMoreThan}, which polls until the
 * counts settle instead of sleeping for a guessed time.
 */
public record ResourceCounts(int sockets, int otherDescriptors, Map<String, Integer> threads, int tempFiles,
                             long directBuffers, List<String> descriptors) {
    /**
     * Threads of which the JVM has one at most, whatever the number of servers and connections: started
     * on first use and kept, so they are not counted.
     */
    private static final Set<String> JVM_WIDE = Set.of("ladle-tls-deadline", "ladle-websocket-timer",
            "ladle-h2-write-watchdog");
    private static final Pattern THREAD_NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    /**
     * Descriptors the JVM opens once, on first use, whatever the number of servers and connections:
     * the virtual-thread pollers' epoll instances and the random devices.
     */
    private static final Set<String> JVM_WIDE_DESCRIPTORS = Set.of("anon_inode:[eventpoll]", "/dev/random", "/dev/urandom");

    /** Counts now; {@code tempDir} may be null when no temporary files are involved. */
    public static ResourceCounts take(Path tempDir) {
        Map<String, String> tcp = tcpSocketInodes();
        int sockets = 0;
        int others = 0;
        List<String> described = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile (the listing's own descriptor among them)
                }
                if (target.startsWith("socket:[")) {
                    // TCP only: the JVM keeps a Unix-domain socket of its own once it did network I/O
                    String socket = tcp.get(target.substring(8, target.length() - 1));
                    if (socket != null) {
                        sockets++;
                        described.add(socket);
                    }
                } else if (!target.endsWith(".jar") && !target.startsWith("/proc/") && !JVM_WIDE_DESCRIPTORS.contains(target)) {
                    // jars stay open once a class was loaded from them; not the server's doing
                    others++;
                    described.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ResourceCounts(sockets, others, ladleThreads(), countFiles(tempDir), directBufferCount(),
                List.copyOf(described));
    }

    /**
     * The inodes of this process's TCP sockets (IPv4 and IPv6), from {@code /proc/self/net}, each with
     * its local and remote address and state (hex, as the kernel shows them) for messages.
     */
    private static Map<String, String> tcpSocketInodes() {
        Map<String, String> inodes = new java.util.HashMap<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc/self/net", table);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns.length > 9) {
                        inodes.put(columns[9], "tcp " + columns[1] + " -> " + columns[2] + " state " + columns[3]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return inodes;
    }

    /** The server's threads alive now, by name: those named {@code ladle-...}, JVM-wide ones left out. */
    public static Map<String, Integer> ladleThreads() {
        Map<String, Integer> names = new TreeMap<>();
        Matcher m = THREAD_NAME.matcher(threadDump());
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith("ladle-") && !JVM_WIDE.contains(name)) {
                names.merge(name, 1, Integer::sum);
            }
        }
        return names;
    }

    /** The number of live threads named {@code name}, virtual ones included. */
    public static int threadsNamed(String name) {
        return ladleThreads().getOrDefault(name, 0);
    }

    /**
     * Polls (for at most {@code millis}) until at most {@code max} threads named {@code name} are alive,
     * then asserts it.
     */
    public static void awaitThreadsAtMost(String name, int max, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        int now = threadsNamed(name);
        while (now > max && System.nanoTime() < deadline) {
            Thread.sleep(20); // a poll interval: the condition is checked, not assumed
            now = threadsNamed(name);
        }
        assertThat(now).as("live threads named %s", name).isLessThanOrEqualTo(max);
    }

    /** A thread dump in JSON: unlike the thread MX bean, it lists virtual threads too. */
    private static String threadDump() {
        try {
            Path dir = Files.createTempDirectory("ladle-threads");
            Path file = dir.resolve("dump.json");
            try {
                // through the MBean server: the tests do not read module jdk.management at compile time
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpThreads",
                        new Object[] {file.toString(), "JSON"}, new String[] {String.class.getName(), String.class.getName()});
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("cannot dump threads", e);
        }
    }

    private static int countFiles(Path dir) {
        if (dir == null) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long directBufferCount() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getCount();
            }
        }
        return 0;
    }

    /** True when nothing here exceeds {@code baseline}. */
    public boolean noMoreThan(ResourceCounts baseline) {
        if (sockets > baseline.sockets || otherDescriptors > baseline.otherDescriptors
                || tempFiles > baseline.tempFiles || directBuffers > baseline.directBuffers) {
            return false;
        }
        for (Map.Entry<String, Integer> e : threads.entrySet()) {
            if (e.getValue() > baseline.threads.getOrDefault(e.getKey(), 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls (for at most {@code millis}) until the counts are back to {@code baseline} or below, then
     * asserts it, showing both when they are not.
     */
    public static ResourceCounts awaitNoMoreThan(ResourceCounts baseline, Path tempDir, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        ResourceCounts now = take(tempDir);
        while (!now.noMoreThan(baseline) && System.nanoTime() < deadline) {
            Thread.sleep(20); // a poll interval: the condition is checked, not assumed
            now = take(tempDir);
        }
        assertThat(now.noMoreThan(baseline)).as("resources now %s, before %s", now, baseline).isTrue();
        return now;
    }
}
