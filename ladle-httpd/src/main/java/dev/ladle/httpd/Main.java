package dev.ladle.httpd;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The entry point of {@code ladle-httpd.jar}. Exit codes: 0 after a graceful stop (or {@code --help},
 * {@code --version}), 1 when the server cannot start (one line on stderr, no stack trace), 2 for a usage
 * error (the message and the usage on stderr).
 */
public final class Main {
    /** Exit code when the server cannot start. */
    static final int EXIT_STARTUP_FAILED = 1;
    /** Exit code for an unknown flag or a bad flag value or combination. */
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    /** Runs ladle-httpd with the command-line arguments {@code args}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses {@code args} and runs the server; returns the exit code when it does not start (a running
     * server ends the process from its shutdown hook instead).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new HttpdCommand(out, err));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            // the message, the synopsis and a hint: the full help would push the message off the screen
            CommandLine cl = e.getCommandLine();
            err.println("ladle-httpd: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.print(cl.getHelp().synopsisHeading() + cl.getHelp().synopsis(cl.getHelp().synopsisHeadingLength()));
            err.println("Try 'ladle-httpd --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof StartupException) {
                err.println("ladle-httpd: " + e.getMessage());
            } else {
                // not expected; still one line, because a stack trace helps nobody running a file server
                err.println("ladle-httpd: cannot start: " + e);
            }
            err.flush();
            return EXIT_STARTUP_FAILED;
        });
        return commandLine.execute(args);
    }
}
