package dev.ladle.websocket;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a connection's events for assertions, with blocking waits (never sleeps). */
final class Recorder {
    record Received(DataType type, byte[] data) {
        String text() {
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final CountDownLatch closing = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();

    Recorder(WebSocketConnection conn) {
        conn.onMessage((type, data) -> {
            note("message");
            messages.add(new Received(type, data));
        });
        conn.onPong(data -> {
            note("pong");
            pongs.add(data);
        });
        conn.onError(e -> {
            note("error");
            errors.add(e);
        });
        conn.onClosing(() -> {
            note("closing");
            closing.countDown();
        });
        conn.onClosed(() -> {
            note("closed");
            closed.countDown();
        });
    }

    private void note(String event) {
        events.add(event);
        threads.add(Thread.currentThread());
    }

    Received message() throws InterruptedException {
        Received r = messages.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message within 10 s");
        }
        return r;
    }

    Throwable error() throws InterruptedException {
        Throwable e = errors.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no error within 10 s");
        }
        return e;
    }

    void awaitClosed() throws InterruptedException {
        if (!closed.await(15, TimeUnit.SECONDS)) {
            throw new AssertionError("not closed within 15 s");
        }
    }
}
