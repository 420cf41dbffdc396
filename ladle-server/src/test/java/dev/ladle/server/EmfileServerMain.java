package dev.ladle.server;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A server for {@link DescriptorExhaustionTest}, run in a child JVM with a low descriptor limit. Prints
 * its URI, then obeys one command per line on standard input, answering one line each:
 * <ul>
 *   <li>{@code fill}: opens {@code /dev/null} until the process is out of descriptors, keeping them all
 *       ({@code filled <count>});</li>
 *   <li>{@code measure <ms>}: waits that long and reports the failed accepts and the process CPU time
 *       spent meanwhile ({@code measured <failures> <cpu ms>});</li>
 *   <li>{@code exit}: closes the server and ends.</li>
 * </ul>
 */
public final class EmfileServerMain {
    private EmfileServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        server.addHandler(null, (s, msg, path, query) -> {
            msg.setResponse("text/plain", "ok".getBytes(StandardCharsets.US_ASCII));
            msg.setStatus(200);
        });
        server.listenLocal(0, Set.of(ListenOption.IPV4_ONLY));
        // everything the episode will need, loaded before descriptors run out: logging, the CPU clock
        System.getLogger(EmfileServerMain.class.getName()).log(System.Logger.Level.INFO, "child server ready");
        processCpuNanos();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        System.out.println(server.getUris().get(0));
        System.out.flush();
        List<FileInputStream> fillers = new ArrayList<>();
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.trim().split(" ");
            switch (words[0]) {
                case "fill" -> {
                    try {
                        while (true) {
                            fillers.add(new FileInputStream("/dev/null"));
                        }
                    } catch (IOException e) {
                        System.out.println("filled " + fillers.size());
                    }
                }
                case "measure" -> {
                    long failures = server.getStatistics().getAcceptFailures();
                    long cpu = processCpuNanos();
                    Thread.sleep(Long.parseLong(words[1]));
                    System.out.println("measured " + (server.getStatistics().getAcceptFailures() - failures) + " "
                            + (processCpuNanos() - cpu) / 1_000_000);
                }
                case "exit" -> {
                    for (FileInputStream filler : fillers) {
                        filler.close();
                    }
                    server.close();
                    return;
                }
                default -> System.out.println("unknown command " + line);
            }
            System.out.flush();
        }
    }

    /** The process's CPU time: {@code com.sun.management.OperatingSystemMXBean}, reached reflectively (the child runs on the class path). */
    private static long processCpuNanos() throws ReflectiveOperationException {
        Object bean = ManagementFactory.getOperatingSystemMXBean();
        return (Long) Class.forName("com.sun.management.OperatingSystemMXBean").getMethod("getProcessCpuTime").invoke(bean);
    }
}
