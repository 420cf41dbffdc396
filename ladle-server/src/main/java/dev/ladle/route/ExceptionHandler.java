package dev.ladle.route;

import dev.ladle.server.ServerMessage;

/**
 * Answers a request whose route handler (or before filter) threw an exception of a mapped type
 * ({@link Router#exception(Class, ExceptionHandler)}). It must set a status, as a handler does; the
 * response the handler had built so far is still on the message, to keep or replace.
 *
 * @param <E> the exception type it answers (and its subclasses that have no nearer mapping)
 */
@FunctionalInterface
public interface ExceptionHandler<E extends Exception> {
    /**
     * Answers the request.
     *
     * @param exception what the handler threw
     * @param msg the request and its response
     * @throws Exception anything: the server then answers 500 and logs it
     */
    void handle(E exception, ServerMessage msg) throws Exception;
}
