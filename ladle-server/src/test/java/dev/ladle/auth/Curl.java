package dev.ladle.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the curl command line client and returns what it printed. */
final class Curl {
    private Curl() {
    }

    /**
     * Runs {@code curl -s -S --max-time 10 -D - args...}: the output holds every response head curl
     * received (the challenge and the final one), then the body.
     */
    static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "10", "-D", "-"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        return new String(out, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    }

    /**
     * Returns true when this curl can send a second request on an HTTP/2 connection it opened with
     * prior knowledge (a Digest login's retry): curl before 8.0 fails it with "Error in the HTTP2
     * framing layer" before sending anything (curl issue 10634, fixed in 8.0.0).
     */
    static boolean reusesPriorKnowledgeConnections() throws IOException, InterruptedException {
        String first = run("--version").lines().findFirst().orElse("");
        String[] version = first.split(" ")[1].split("\\.");
        return Integer.parseInt(version[0]) >= 8;
    }

    /** Returns the status codes of the response heads in {@code output}, in order. */
    static List<Integer> statuses(String output) {
        List<Integer> statuses = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("HTTP/")) {
                statuses.add(Integer.parseInt(line.split(" ")[1]));
            }
        }
        return statuses;
    }
}
