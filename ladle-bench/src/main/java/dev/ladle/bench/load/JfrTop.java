package dev.ladle.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording's CPU samples ({@code jdk.ExecutionSample}): the methods most often on top
 * of the stack (self time), and the methods of a package prefix most often anywhere on it (total time);
 * and its allocation samples ({@code jdk.ObjectAllocationSample}, by weight): which type was allocated
 * where, the place being the innermost frame under the package prefix.
 *
 * <pre>
 * java ... dev.ladle.bench.load.JfrTop RECORDING.jfr [PACKAGE_PREFIX] [N]
 * </pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    /** Prints the summary; see the class comment. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String prefix = args.length > 1 ? args[1] : "dev.ladle.";
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> allocated = new HashMap<>();
        long allocatedTotal = 0;
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.ObjectAllocationSample") && event.getStackTrace() != null) {
                long weight = event.getLong("weight");
                String where = event.getStackTrace().getFrames().stream().map(JfrTop::name)
                        .filter(n -> n.startsWith(prefix)).findFirst().orElse("(outside " + prefix + ")");
                String type = event.getClass("objectClass").getName();
                allocated.merge(type + " in " + where, (int) Math.min(Integer.MAX_VALUE, weight / 1024), Integer::sum);
                allocatedTotal += weight / 1024;
                continue;
            }
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            frames.stream().map(JfrTop::name).filter(n -> n.startsWith(prefix)).distinct()
                    .forEach(n -> total.merge(n, 1, Integer::sum));
        }
        System.out.println(samples + " execution samples in " + file.getFileName());
        print("top frames (self)", self, samples, limit);
        print("frames under " + prefix + " (total, anywhere on the stack)", total, samples, limit);
        if (allocatedTotal > 0) {
            print("allocation by weight (type in the innermost " + prefix + " frame)", allocated, (int) allocatedTotal, limit);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int limit) {
        System.out.println();
        System.out.println(title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
}
