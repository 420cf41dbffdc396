package dev.ladle.bench.mocks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-cycle time of ladle-junit against MockWebServer 5 and WireMock 3, in one JVM: each cycle
 * starts a mock server, stubs {@code GET /hello}, sends that one request and stops the server
 * ({@link MockLibrary}). After warm-up rounds, each round runs {@code cycles} cycles of every library
 * in turn, the order rotated by one library each round so that none always runs first or after the same
 * one; the report gives each library's median, mean and 90th percentile over all measured cycles, and
 * the spread of its round medians (lowest and highest), the CPU time the whole process spent per cycle
 * (the cost of a cycle apart from waiting: thread hand-offs on a loaded machine, network stalls), and
 * the number of jars it brings (given by the caller, see {@code mock-cycles.sh}).
 *
 * <p>The client is the JDK's {@link HttpClient}, one for plain HTTP and one for HTTPS, each shared by
 * all cycles of all libraries and speaking HTTP/1.1: the cycle then costs what the mock server costs
 * (a new client per cycle would add the same start of the client's selector thread to all three), and
 * the three get the same protocol (the JDK client's default HTTP/2 would ask for an h2c upgrade on
 * plain HTTP, which each library answers differently). Each cycle's server has a new port, so no
 * connection is reused from one cycle to the next; the client's idle connection to a stopped server
 * is what a test's client leaves behind too.
 *
 * <pre>
 * java -cp ... dev.ladle.bench.mocks.MockServerCycles [--cycles 100] [--rounds 5] [--warmup 3]
 *     [--libraries ladle-junit,mockwebserver,wiremock] [--schemes http,https]
 *     [--jars ladle-junit=2,mockwebserver=5,wiremock=54]
 * </pre>
 */
public final class MockServerCycles {
    /** The libraries compared, in the order of the report. */
    public static final List<String> LIBRARIES = List.of("ladle-junit", "mockwebserver", "wiremock");

    /**
     * What to run.
     *
     * @param cycles cycles per library and round (at least 1)
     * @param rounds measured rounds (at least 1)
     * @param warmupRounds rounds run first and not measured (0 or more)
     * @param libraries names from {@link #LIBRARIES}
     * @param http whether to run plain-HTTP cycles
     * @param https whether to run HTTPS cycles
     * @param jars the number of jars each library brings, by library name; missing ones are reported as unknown
     */
    public record Settings(int cycles, int rounds, int warmupRounds, List<String> libraries, boolean http, boolean https,
                           Map<String, Integer> jars) {
        /** Checks the values. */
        public Settings {
            if (cycles < 1 || rounds < 1 || warmupRounds < 0) {
                throw new IllegalArgumentException("cycles and rounds must be at least 1, warm-up rounds at least 0");
            }
            if (!http && !https) {
                throw new IllegalArgumentException("no scheme: choose http, https or both");
            }
            for (String library : libraries) {
                if (!LIBRARIES.contains(library)) {
                    throw new IllegalArgumentException("unknown library " + library + "; known: " + LIBRARIES);
                }
            }
            libraries = List.copyOf(libraries);
            jars = Map.copyOf(jars);
        }

        /** The defaults: 5 rounds of 100 cycles after 3 warm-up rounds, every library, HTTP and HTTPS. */
        public static Settings defaults() {
            return new Settings(100, 5, 3, LIBRARIES, true, true, Map.of());
        }
    }

    private MockServerCycles() {
    }

    /** Runs with the settings given as arguments (see the class comment) and prints the report. */
    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("MockServerCycles: " + e.getMessage());
            System.exit(2);
            return;
        }
        String loadBefore = loadAverage();
        Map<String, CycleTimes> times = run(settings, System.err);
        report(settings, times, loadBefore, loadAverage(), System.out);
    }

    /**
     * Runs the warm-up and the measured rounds, printing each round's medians to {@code progress}.
     *
     * @return each row's times, by {@link MockLibrary#name()}, in the report's order
     * @throws Exception the first failure of any cycle, which ends the run
     */
    public static Map<String, CycleTimes> run(Settings settings, PrintStream progress) throws Exception {
        try (HttpClient plain = client(false); HttpClient tls = settings.https() ? client(true) : null) {
            List<MockLibrary> rows = new ArrayList<>();
            for (boolean https : settings.http() && settings.https() ? new boolean[] {false, true} : new boolean[] {settings.https()}) {
                for (String library : settings.libraries()) {
                    rows.add(library(library, https ? tls : plain, https));
                }
            }
            Map<String, CycleTimes> times = new LinkedHashMap<>();
            rows.forEach(row -> times.put(row.name(), new CycleTimes()));
            for (int round = 0; round < settings.warmupRounds() + settings.rounds(); round++) {
                boolean warmup = round < settings.warmupRounds();
                StringBuilder line = new StringBuilder(warmup
                        ? "warm-up " + (round + 1) + "/" + settings.warmupRounds()
                        : "round " + (round - settings.warmupRounds() + 1) + "/" + settings.rounds());
                for (MockLibrary row : rotated(rows, round)) {
                    long cpuBefore = processCpuNanos();
                    long[] nanos = runRound(row, settings.cycles());
                    long cpuAfter = processCpuNanos();
                    if (!warmup) {
                        times.get(row.name()).addRound(nanos, cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore);
                    }
                    line.append(String.format(Locale.ROOT, ", %s %.2f ms", row.name(), CycleTimes.medianMillis(nanos)));
                }
                progress.println(line);
            }
            return times;
        }
    }

    /** The cycle of {@code library} ({@link #LIBRARIES}), sending with {@code client}. */
    static MockLibrary library(String library, HttpClient client, boolean https) {
        return switch (library) {
            case "ladle-junit" -> new LadleJunitCycle(client, https);
            case "mockwebserver" -> new MockWebServerCycle(client, https);
            case "wiremock" -> new WireMockCycle(client, https);
            default -> throw new IllegalArgumentException("unknown library " + library);
        };
    }

    private static HttpClient client(boolean https) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (https) {
            builder.sslContext(TestKey.get().clientContext());
        }
        return builder.build();
    }

    /** {@code rows} rotated left by {@code round}: each row takes each position in turn. */
    private static List<MockLibrary> rotated(List<MockLibrary> rows, int round) {
        List<MockLibrary> order = new ArrayList<>(rows);
        Collections.rotate(order, -(round % rows.size()));
        return order;
    }

    /** The CPU time the process has used, in nanoseconds, or -1 when the JVM does not say. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static long[] runRound(MockLibrary row, int cycles) throws Exception {
        long[] nanos = new long[cycles];
        for (int i = 0; i < cycles; i++) {
            long start = System.nanoTime();
            row.cycle();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    /** Prints the report: a line on the run, then a Markdown table with a row per library and scheme. */
    static void report(Settings settings, Map<String, CycleTimes> times, String loadBefore, String loadAfter, PrintStream out) {
        out.printf(Locale.ROOT, "Mock server cycles (start, stub GET /hello, one GET with the JDK HttpClient over HTTP/1.1, stop): "
                        + "%d rounds of %d cycles per row after %d warm-up rounds, the order rotated each round; %s, %d CPUs; "
                        + "load average %s before, %s after.%n%n",
                settings.rounds(), settings.cycles(), settings.warmupRounds(), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        out.println("| library | jars | median ms | mean ms | p90 ms | round medians ms (min – max) | median × ladle-junit | CPU ms per cycle |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, CycleTimes> row : times.entrySet()) {
            CycleTimes t = row.getValue();
            String library = row.getKey().split(" ")[0];
            String reference = row.getKey().replace(library, "ladle-junit");
            CycleTimes ladle = times.get(reference);
            String ratio = ladle == null ? "–" : String.format(Locale.ROOT, "%.2f×", t.medianMillis() / ladle.medianMillis());
            Integer jars = settings.jars().get(library);
            out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f – %.2f | %s | %.2f |%n", row.getKey(),
                    jars == null ? "?" : jars.toString(), t.medianMillis(), t.meanMillis(), t.p90Millis(),
                    t.minRoundMedianMillis(), t.maxRoundMedianMillis(), ratio, t.cpuMillisPerCycle());
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), or the one the JVM knows elsewhere. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return String.join(" ", Arrays.copyOf(fields, 3));
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static Settings parse(String[] args) {
        Settings d = Settings.defaults();
        int cycles = d.cycles(), rounds = d.rounds(), warmup = d.warmupRounds();
        List<String> libraries = d.libraries();
        boolean http = d.http(), https = d.https();
        Map<String, Integer> jars = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--cycles" -> cycles = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--libraries" -> libraries = List.of(value.split(","));
                case "--schemes" -> {
                    List<String> schemes = List.of(value.split(","));
                    http = schemes.contains("http");
                    https = schemes.contains("https");
                }
                case "--jars" -> {
                    for (String pair : value.split(",")) {
                        String[] kv = pair.split("=", 2);
                        if (kv.length == 2 && !kv[1].isBlank()) {
                            jars.put(kv[0], Integer.parseInt(kv[1].trim()));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Settings(cycles, rounds, warmup, libraries, http, https, jars);
    }
}
