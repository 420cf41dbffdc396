package dev.ladle.httpd;

/**
 * A problem that stops ladle-httpd from starting (a busy port, a missing root, an unreadable key). Its
 * message is one line for the user; {@link Main} prints it without a stack trace and exits with 1.
 */
final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the problem and the file or address involved. */
    StartupException(String message) {
        super(message, null, false, false);
    }
}
