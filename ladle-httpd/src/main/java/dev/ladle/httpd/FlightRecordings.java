package dev.ladle.httpd;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * Writes the Flight Recorder recordings a user started before ladle-httpd ends with
 * {@code Runtime.halt}: halting skips the JVM's other shutdown hooks, the Flight Recorder's among them,
 * which would have written a recording started with {@code -XX:StartFlightRecording:filename=...} (or
 * {@code jcmd PID JFR.start filename=...}) at exit.
 */
final class FlightRecordings {
    /** The name of the JDK's Flight Recorder shutdown hook thread. */
    private static final String RECORDER_HOOK = "JFR Shutdown Hook";

    private FlightRecordings() {
    }

    /**
     * Stops every running recording that has a file to go to (which writes it there), and dumps one
     * marked to dump on exit without a file into the working directory under the Flight Recorder's own
     * kind of name. Does nothing when no recording was ever started; never throws.
     */
    static void writeBeforeHalt() {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
            try {
                if (recording.getState() != RecordingState.RUNNING) {
                    continue;
                }
                if (recording.getDestination() != null) {
                    recording.stop();
                } else if (recording.getDumpOnExit()) {
                    recording.dump(Path.of("hotspot-pid-" + ProcessHandle.current().pid() + "-id-" + recording.getId() + "-"
                            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss")) + ".jfr"));
                }
            } catch (IOException | RuntimeException e) {
                // the Flight Recorder's own hook stopped it first (and is writing it): waited for below
            }
        }
        awaitRecorderHook();
    }

    /**
     * Waits (at most 10 s) for the Flight Recorder's own shutdown hook, which runs beside this one: when
     * it stopped a recording first, it is still writing the file, and halting would cut it short.
     */
    private static void awaitRecorderHook() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(RECORDER_HOOK) && thread != Thread.currentThread()) {
                try {
                    thread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
