package dev.ladle.examples.guide.forms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs curl as a reader of the guide would; skips the test where curl is not installed. */
final class Curl {
    /** What curl printed: the status code, the Location header (empty when none) and the body. */
    record Result(int status, String location, String body) {
    }

    private Curl() {
    }

    static Result run(URI url, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "\n%{http_code} %header{location}"));
        Collections.addAll(command, args);
        command.add(url.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "curl is not installed");
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int cut = output.lastIndexOf('\n');
        String[] tail = output.substring(cut + 1).split(" ", 2);
        return new Result(Integer.parseInt(tail[0]), tail.length > 1 ? tail[1].strip() : "", output.substring(0, cut));
    }
}
