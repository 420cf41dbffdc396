package dev.ladle.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@code ladle-bench/testssl-audit.sh} for the tests: its exit code and its merged output. */
final class AuditScript {
    /** Exit code of the script when a tool it needs is missing. */
    static final int TOOL_MISSING = 3;

    private AuditScript() {
    }

    /** What one run of the script gave. */
    record Result(int exitCode, String output) {
    }

    /** The module's directory, where the script lives. */
    static Path benchDir() {
        return Path.of(System.getProperty("ladle.bench.dir", "."));
    }

    /** The first executable named one of {@code names} on the PATH. */
    static Optional<Path> onPath(String... names) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .flatMap(dir -> Stream.of(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * Runs the script with {@code args} and extra environment {@code env}, killing it and everything
     * it started after {@code limit}.
     */
    static Result run(List<String> args, Map<String, String> env, Duration limit) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", benchDir().resolve("testssl-audit.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    process.getInputStream().transferTo(output);
                } catch (IOException e) {
                    // the process was killed: keep what was read
                }
            });
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                // testssl and ladle-httpd too, not only the script's shell
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join();
                throw new AssertionError("testssl-audit.sh did not finish within " + limit + ":\n" + output.toString(UTF_8));
            }
            reader.join();
            return new Result(process.exitValue(), output.toString(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
